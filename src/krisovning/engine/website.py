"""The municipality's crisis page, as the world reads it: what residents and journalists refer to.

A part of `Drill` (engine/drill.py). The page holds the team's public publications, built by
`notices` — the same rule the "Webbplats" view shows (tui/website.py): newest first, each notice on
the web channel after the first an update of the page. Only what is on the web channel is on the
page. After a notice is published there, a few residents cite it in the feed ("Enligt ekebacka.se:
…"), reading the page as it is when they post; when a notice changes what an earlier one on the page
said (engine/topics.py finds the contradiction), residents point at the change and a journalist asks
about it ("Ni skrev kl. 08:10 att … men nu …"). Every draw comes from the notice's own random stream.
The world speaks the scenario's language; these texts are Swedish, as in engine/media.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from krisovning.engine.actions import Action
from krisovning.engine.media import shorten
from krisovning.engine.records import InjectRecord
from krisovning.engine.topics import sentences
from krisovning.scenario.model import Expectation
from krisovning.scenario.templates import Variants
from krisovning.scenario.types import PUBLIC_CHANNELS
from krisovning.textsafe import visible_line
from krisovning.vocab import InjectChannel, PersonaKind, PublishChannel

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill

QUOTE_CHARS = 120
RETRIES = 6  # draws of a resident's post before it is left unsaid (it would repeat the resident)
SENTENCE_MIN = 20  # characters: a shorter piece of a notice is quoted with its neighbour
CITES = (2, 4)  # residents who cite a new notice (inclusive range)
CITE_WITHIN = (180.0, 1500.0)  # seconds after the notice they post
ASK_WITHIN = (300.0, 900.0)  # seconds after a changed notice the journalist asks
ANSWER_WITHIN = "20m"  # what the journalist waits for an answer (then media.py follows up)
CITE = [
    "{På kommunens webbplats|På {site}|Inne på {site}} står det att ”{quote}”",
    "Enligt {site}: ”{quote}”",
    "{Läste just|Har precis läst} på {site}: ”{quote}” {Bra att de skriver något.|Äntligen lite info.|Stämmer det?|}",
    "{Kommunen skriver på {site}|{organisation} skriver på sin webbplats}: ”{quote}” {Dela gärna!|Sprid vidare.|}",
]
CHANGED = [
    "Nu har de ändrat på {site}. Kl. {then} stod det ”{old}”, nu står det ”{quote}”. "
    "{Vad gäller?|Vilket ska man tro på?}",
    "{site} säger en sak kl. {then} och en annan nu: ”{quote}” {Hur ska man hänga med?|Snacka om förvirring.}",
]
TEXT = {
    "ask_subject": "Ändrat besked på {site}",
    "ask": (
        "Hej, {name} på {outlet}. Ni skrev kl. {then} på {site} att ”{old}”, men nu står det att ”{quote}”. "
        "Vad gäller, och varför ändrades beskedet?"
    ),
}
_CITE = [Variants(text) for text in CITE]
_CHANGED = [Variants(text) for text in CHANGED]
_PUBLIC = frozenset(c.value for c in PUBLIC_CHANNELS)


@lru_cache(maxsize=1024)  # residents cite the same notices in every run of a preview
def readable(text: str) -> tuple[str, ...]:
    """`text`'s sentences as a reader quotes them: a piece too short to stand alone ("kl. 10." after a
    split at "kl.") stays with the sentence before it."""
    out: list[str] = []
    for piece in sentences(text) or [text]:
        if out and len(piece) < SENTENCE_MIN:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    if len(out) > 1 and len(out[0]) < SENTENCE_MIN:
        out[:2] = [f"{out[0]} {out[1]}"]
    return tuple(out)


def site_name(website: str | None) -> str:
    """The page as residents name it: "https://www.ekebacka.se/" → "ekebacka.se"."""
    name = re.sub(r"^[a-z][a-z0-9+.-]*://", "", visible_line(website or "").strip(), flags=re.I)
    name = re.sub(r"^www\.", "", name, flags=re.I).rstrip("/")
    return name or "kommunens webbplats"


@dataclass(frozen=True)
class Notice:
    t: float
    text: str
    channels: tuple[str, ...]
    on_web: bool
    update: int  # 0: the page's first notice; n: its n-th update (web notices only; 0 elsewhere)
    role: str | None


def notices(publications: list[tuple[float, Action]]) -> list[Notice]:
    """The public publications, newest first; each web notice after the first is an update of the page."""
    out: list[Notice] = []
    web = 0
    for at, action in publications:
        public = tuple(c for c in action.channels if c in _PUBLIC)
        if not public:  # the intranet reaches only staff: not on the page
            continue
        on_web = PublishChannel.web in public
        out.append(Notice(at, action.text, public, on_web, web if on_web else 0, action.role))
        web += on_web
    return out[::-1]


class Website:
    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.publications: list[tuple[float, Action]] = []
        # each web notice: when, its text, and its sentences on each topic it covers (engine/topics.py)
        self.web: list[tuple[float, str, dict[str, str]]] = []
        self.posts = 0
        self.said: set[tuple[str, str]] = set()  # (author id, text) posted: no account posts one text twice
        self.asked = 0
        self.site = site_name(drill.scenario.organisation.website)
        self._made_page: tuple[Notice, ...] = ()
        self._page_of = 0  # how many publications `_made_page` was made from
        self._residents: list[str] | None = None  # the feed's authors a citing resident is drawn from

    def page(self) -> list[Notice]:
        """What the page shows now, newest first (its web notices)."""
        return list(self._page())

    def latest(self) -> Notice | None:
        page = self._page()
        return page[0] if page else None

    def _page(self) -> tuple[Notice, ...]:
        # made again only after a publication: residents and journalists read it far more often
        if self._page_of != len(self.publications):
            self._made_page = tuple(n for n in notices(self.publications) if n.on_web)
            self._page_of = len(self.publications)
        return self._made_page

    def quote(self, text: str) -> str:
        return shorten(text, QUOTE_CHARS)

    # --- a publication ---

    def on_publish(self, action: Action, seq: int, topics: list[str], contradicts: list[str]) -> None:
        """A public publication (engine/actions_apply.py): on the page if it went to the web channel."""
        drill = self.drill
        self.publications.append((drill.now, action))
        if PublishChannel.web.value not in action.channels or not action.text.strip():
            return
        said = drill.world.topics.said  # covered just now: each topic's sentences are this notice's
        parts = {tid: said[tid].text for tid in topics if tid in said}
        changed: tuple[float, str, str] | None = None  # when the page said otherwise, what, and what it says now
        for tid in contradicts:
            before = next(((t, on[tid]) for t, _text, on in reversed(self.web) if tid in on), None)
            if before is not None and tid in parts:
                changed = (before[0], before[1], parts[tid])
                break
        self.web.append((drill.now, action.text, parts))
        rng = drill.stream(f"website:{seq}")
        for _ in range(rng.randint(*CITES)):
            drill.schedule(drill.now + rng.uniform(*CITE_WITHIN), self._cite, rng.random(), changed)
        if changed is not None:
            drill.schedule(drill.now + rng.uniform(*ASK_WITHIN), self._ask, changed, rng.random())

    # --- residents ---

    def _cite(self, draw: float, changed: tuple[float, str, str] | None) -> None:
        drill, feed = self.drill, self.drill.feed
        latest = self.latest()
        if drill.finished or latest is None or not feed.threads:
            return
        rng = drill.stream(f"website:post:{self.posts + 1}")
        author = self._resident(rng.random())
        if author is None:
            return
        author_id = str(author.get("id", ""))
        for attempt in range(RETRIES):
            if changed is not None and self.web[-1][0] == latest.t:  # the changed notice is still the latest
                values = self._values(changed[2])
                values["then"], values["old"] = self._clock(changed[0]), self.quote(changed[1])
                variants, category = _CHANGED, "criticism"
            else:  # a sentence of the page's latest notice, as a reader picks one out
                lines = readable(latest.text)
                values = self._values(lines[int(rng.random() * len(lines))])
                variants, category = _CITE, "information"
            pick = draw if attempt == 0 else rng.random()
            text = " ".join(variants[int(pick * len(variants))].render(rng.random, values, {}).split())
            text = text[:1].upper() + text[1:]  # "{site} säger …" with a site written in lower case
            if (author_id, text) not in self.said:
                break
        else:
            return  # this resident has said all of it already
        threads = list(feed.threads)
        data: dict[str, Any] = {
            "id": f"w{self.posts + 1}",
            "thread": threads[int(rng.random() * len(threads))],
            "category": category,
            "sentiment": "negative" if category == "criticism" else "neutral",
            "author": str(author.get("name", "")),
            "handle": str(author.get("handle", "")),
            "text": text,
            "facts": [],
            "repost_of": None,
        }
        if drill.scenario.topics:
            topics = drill.world.topics.matcher.topics(text)
            if topics:
                data["topics"] = sorted(topics)
        if feed.post(data):
            self.posts += 1
            self.said.add((author_id, text))

    def _resident(self, draw: float) -> dict[str, Any] | None:
        """A resident among the feed's authors (a citizen, else anyone who posts), or None."""
        drill = self.drill
        social = drill.scenario.social
        if social is None:
            return None
        people = drill.people
        refs = self._residents
        if refs is None:  # the same all drill long
            citizens = [r for r in social.authors if self._kind(r) == PersonaKind.citizen.value]
            refs = self._residents = citizens or list(social.authors)
        ref = refs[int(draw * len(refs))]
        pool = people.pools.get(ref)
        if pool is None:
            return people.named.get(ref)
        return people.member(pool, int(drill.stream(f"website:who:{self.posts + 1}").random() * pool.size))

    def _kind(self, ref: str) -> str | None:
        people = self.drill.people
        pool = people.pools.get(ref)
        return pool.kind.value if pool is not None else people.named.get(ref, {}).get("kind")

    # --- a journalist ---

    def _ask(self, changed: tuple[float, str, str], draw: float) -> None:
        drill = self.drill
        if drill.finished:
            return
        found = self._journalist(draw)
        if found is None:
            return
        sender, to = found
        values = self._values(changed[2])
        values.update(
            then=self._clock(changed[0]),
            old=self.quote(changed[1]),
            name=str(sender.get("name", "")),
            outlet=str(sender.get("outlet") or sender.get("name", "")),
        )
        self.asked += 1
        record = InjectRecord(
            id=f"webbplats~{self.asked}",
            source="website",
            t=drill.now,
            channel=InjectChannel.email.value,
            sender=sender,
            to=to,
            text=TEXT["ask"].format_map(values),
            subject=TEXT["ask_subject"].format_map(values),
            priority="high",
        )
        expect = Expectation.model_validate({"action": "reply", "within": ANSWER_WITHIN})
        drill.timeline.deliver(record, expect, None, fill_in=False)

    def _journalist(self, draw: float) -> tuple[dict[str, Any], str] | None:
        """The journalist who last contacted the team, and the role they wrote to; else a named journalist
        or one from a pool of journalists, to the role that gets the press's questions (or the first)."""
        drill = self.drill
        roles = [r.id for r in drill.scenario.roles]
        for record in reversed(list(drill.timeline.injects.values())):
            if record.sender.get("kind") == PersonaKind.journalist.value and record.source != "story":
                return record.sender, record.to
        people = drill.people
        named = [p for p in people.named.values() if p.get("kind") == PersonaKind.journalist.value]
        if named:
            return named[int(draw * len(named))], roles[0]
        pools = [p for p in people.pools.values() if p.kind == PersonaKind.journalist]
        if pools:
            pool = pools[int(draw * len(pools))]
            return people.member(pool, int(draw * pool.size)), roles[0]
        return None

    # --- values ---

    def _values(self, text: str) -> dict[str, str]:
        return {"site": self.site, "quote": self.quote(text), "organisation": self.drill.scenario.organisation.name}

    def _clock(self, t: float) -> str:
        return self.drill.clock(t)
