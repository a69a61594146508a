"""Journalists that notice: an ignored one calls again, then publishes that the municipality has not
answered (citing the crisis page once it has a notice, engine/website.py); one that got an answer
publishes a story quoting it (or "kommunen avböjer").

A part of `Drill` (engine/drill.py). It watches every inject from a journalist (a named persona or a
pool member of kind `journalist`) that reaches the team directly (phone, e-mail, SMS), unless the
persona's or pool's `follow_up` is `false`. An inject whose scenario already scripts what follows
(an inject `after:` it or `when: missed/met` it) gets no automatic call-again: the script does that.
The world speaks the scenario's language; these texts are Swedish, as data/social_sv.json is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from krisovning.engine.records import InjectRecord
from krisovning.scenario.model import FollowUp, SocialEffect
from krisovning.textsafe import visible_line
from krisovning.vocab import InjectChannel, PersonaKind

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill

DIRECT = frozenset({InjectChannel.phone.value, InjectChannel.email.value, InjectChannel.sms.value})
QUOTE_CHARS = 160
STIR = 8  # direct reactions to a story in the thread it lands in
_DEFAULT = FollowUp()
# A reply that turns the journalist down (lower-cased text): "avböjer", "ingen kommentar", "vill inte kommentera"…
_DECLINES = re.compile(
    r"avböj|ingen kommentar|inga kommentarer|kommenterar (inte|inget)|"
    r"(vill|kan) inte (kommentera|ställa upp|medverka|ge någon intervju)|ställer inte upp|"
    r"avstår från att (kommentera|medverka)|ingen intervju|\bno comment\b|\bdecline"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")

TEXT = {
    "again_subject": "Söker er igen",
    "again": (
        "Hej igen, {name} på {outlet}. Jag har sökt er tidigare utan att få svar. "
        "Vi publicerar snart – har kommunen någon kommentar?"
    ),
    # once the crisis page has a notice, what the journalist has read there (engine/website.py)
    "again_web": (
        "Hej igen, {name} på {outlet}. Jag har sökt er tidigare utan att få svar. På {site} skriver ni "
        "”{web}” – stämmer det, och har kommunen någon kommentar?"
    ),
    "silent_web": (
        "{outlet} har sökt {organisation} flera gånger under dagen. Kommunen har inte svarat på våra frågor. "
        "Enligt {site}: ”{web}”"
    ),
    "silent_subject": "{outlet}: Kommunen har inte svarat på våra frågor",
    "silent": "{outlet} har sökt {organisation} flera gånger under dagen. Kommunen har inte svarat på våra frågor.",
    "silent_post": (
        "Kommunen har inte svarat på våra frågor. {name} på {outlet} har sökt {organisation} sedan kl. {since}."
    ),
    "quote_subject": "{outlet}: Så svarar kommunen",
    "quote": "{organisation} säger till {outlet}: ”{quote}”",
    "quote_post": "{organisation} till {outlet} kl. {now}: ”{quote}”",
    "declined_subject": "{outlet}: Kommunen avböjer",
    "declined": "{organisation} avböjer att ställa upp på intervju med {outlet}.",
    "declined_post": "Kommunen avböjer intervju med {outlet} om frågorna från kl. {since}. Vad har de att dölja?",
    # the reply form's "Avböj" with a reason (tui/decline.py): the story gives it
    "declined_reason": (
        "{organisation} avböjer att ställa upp på intervju med {outlet}. Kommunen skriver i stället: ”{quote}”"
    ),
    "declined_reason_subject": "{outlet}: Kommunen avböjer",
    "declined_reason_post": "Kommunen avböjer intervju med {outlet} men skriver: ”{quote}” Räcker det?",
}


def declines(text: str, declined: bool = False) -> bool:
    """Whether a reply turns the journalist down: the reply form's explicit choice, or a simple Swedish phrase."""
    return declined or _DECLINES.search(text.lower()) is not None


@lru_cache(maxsize=1024)  # a bot team's replies and notices are the same texts in every run of a preview
def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """What a story quotes of `text`: one line, its first sentences up to `limit`, else cut at a word with '…'."""
    line = visible_line(" ".join(text.split()))
    if len(line) <= limit:
        return line
    cut = ""
    for sentence in _SENTENCE_END.split(line):
        if len(cut) + len(sentence) + 1 > limit:
            break
        cut = f"{cut} {sentence}".strip()
    if cut:
        return cut
    head = line[: limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip(" ,;:") + "…"


@dataclass
class _Watch:
    root: InjectRecord  # the journalist's first contact
    rule: FollowUp
    scripted: bool  # the scenario scripts what follows: no automatic call-again
    again: str | None = None  # the call-again inject's id
    answered: bool = False
    published: bool = False


class Media:
    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        # by the first contact's id; what follows it is named `{id}+…` (ids cannot hold '+': scenario/types.py)
        self.watches: dict[str, _Watch] = {}
        self.posts = 0
        self.said: set[tuple[str, str]] = set()  # (outlet, text) posted: no account posts one text twice
        self._personas = {p.id: p for p in drill.scenario.personas}

    def _rule(self, sender: dict[str, Any]) -> FollowUp | None:
        if sender.get("kind") != PersonaKind.journalist.value:
            return None
        sender_id = str(sender.get("id", ""))
        persona = self._personas.get(sender_id)
        pool = self.drill.people.pools.get(sender_id.split("#", 1)[0])
        setting = persona.follow_up if persona is not None else pool.follow_up if pool is not None else None
        if setting is False:
            return None
        return setting or _DEFAULT

    def on_inject(self, record: InjectRecord) -> None:
        """An inject was delivered: watch it when it is a journalist's direct question."""
        if record.source in ("followup", "story") or record.channel not in DIRECT:
            return
        rule = self._rule(record.sender)
        if rule is None:
            return
        scripted = self.drill.timeline.scripts_follow_up(record.id)
        watch = self.watches[record.id] = _Watch(record, rule, scripted)
        if not scripted:
            self.drill.schedule(self.drill.now + self._jitter(record.id, rule.after), self._call_again, watch)
        self.drill.schedule(self.drill.now + rule.after + rule.then, self._silent_story, watch)

    def on_reply(self, record: InjectRecord, text: str, declined: bool) -> None:
        """The team replied to `record`: the journalist's story quotes it, or says the municipality declines."""
        # a reply to the call-again or to the switchboard's message answers the first contact
        watch = self.watches.get(record.id.split("+", 1)[0])
        if watch is None or watch.answered:
            return
        watch.answered = True
        quote = shorten(text)
        kind = "declined" if declines(text) else "quote"
        if declined:  # the form's explicit choice: its (optional) reason is what the municipality says
            kind = "declined_reason" if quote else "declined"
        self.drill.schedule(self.drill.now + watch.rule.story, self._story, watch, kind, quote)

    def _jitter(self, inject_id: str, seconds: float) -> float:
        # ± 20 %, from the inject's own stream: the same whatever else happens in the drill
        return seconds * (0.8 + 0.4 * self.drill.stream(f"media:{inject_id}").random())

    def _call_again(self, watch: _Watch) -> None:
        drill = self.drill
        if drill.finished or watch.answered:
            return
        root = watch.root
        record = InjectRecord(
            id=f"{root.id}+2",
            source="followup",
            t=drill.now,
            channel=InjectChannel.phone.value,
            sender=root.sender,
            to=root.to,
            text=self._text("again", self._values(root)),
            subject=TEXT["again_subject"],
            priority=root.priority,
        )
        watch.again = record.id
        drill.timeline.deliver(record, None, None, fill_in=False)

    def _silent_story(self, watch: _Watch) -> None:
        if watch.answered or watch.published:
            return
        self._story(watch, "silent", "")

    def _story(self, watch: _Watch, kind: str, quote: str) -> None:
        drill = self.drill
        if drill.finished or watch.published:
            return
        watch.published = True
        root = watch.root
        values = {**self._values(root), "quote": quote, "since": self._clock(root.t), "now": self._clock(drill.now)}
        record = InjectRecord(
            id=f"{root.id}+story",
            source="story",
            t=drill.now,
            channel=InjectChannel.news.value,
            sender=root.sender,
            to=root.to,
            text=self._text(kind, values),
            subject=TEXT[f"{kind}_subject"].format_map(values),
            priority=root.priority,
        )
        drill.timeline.deliver(record, None, None, fill_in=False)
        self._post(watch, TEXT[f"{kind}_post"].format_map(values), "criticism" if kind != "quote" else "information")

    def _post(self, watch: _Watch, text: str, category: str) -> None:
        """The story in the feed, posted by the outlet, and the stir it makes in the thread it lands in."""
        feed = self.drill.feed
        thread = watch.rule.thread or next(iter(feed.threads), None)
        if thread is None or thread not in feed.threads:
            return
        sender = watch.root.sender
        outlet = str(sender.get("outlet") or sender.get("name", ""))
        if (outlet, text) in self.said:  # two of its reporters got the same answer at the same minute
            return
        data: dict[str, Any] = {
            "id": f"m{self.posts + 1}",
            "thread": thread,
            "category": category,
            "sentiment": "negative" if category == "criticism" else "neutral",
            "author": outlet,
            "handle": "",
            "text": text,
            "facts": [],
            "repost_of": None,
        }
        if not feed.post(data):
            return
        self.posts += 1
        self.said.add((outlet, text))
        feed.apply(_stir(thread), f"story:{watch.root.id}")

    def _text(self, kind: str, values: dict[str, str]) -> str:
        """The text of `kind`, citing the crisis page's latest notice where the journalist would."""
        latest = self.drill.website.latest()
        if latest is not None and f"{kind}_web" in TEXT:
            website = self.drill.website
            return TEXT[f"{kind}_web"].format_map({**values, "site": website.site, "web": website.quote(latest.text)})
        return TEXT[kind].format_map(values)

    def _clock(self, t: float) -> str:
        return self.drill.clock(t)

    def _values(self, root: InjectRecord) -> dict[str, str]:
        sender = root.sender
        return {
            "name": str(sender.get("name", "")),
            "outlet": str(sender.get("outlet") or sender.get("name", "")),
            "organisation": self.drill.scenario.organisation.name,
        }


@lru_cache(maxsize=64)
def _stir(thread: str) -> SocialEffect:
    """The stir a story makes in `thread` (a model made once, read only)."""
    return SocialEffect(thread=thread, spike=STIR)
