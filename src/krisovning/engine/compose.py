"""Posts are composed, not picked: a template's alternations, a Swedish social texture, and shares.

A part of the feed (engine/feed.py). Each post draws, from the content stream of its thread: a template
among those usable now (their conditions hold and their facts are public, engine/world.py) — the
scenario's own or, for a Swedish scenario, the built-in library of generic posts (data/social_sv.json)
—, one alternative per `{a|b}` group, and a texture that goes with its author's register (openers,
closers, abbreviations, typos, emoji, hashtags). Some posts share an earlier post of their thread
(`repost_of`). No account posts the same text twice: a repeat is drawn again, then told apart.
Some posts reply to an earlier one on their platform (`reply_to`); for a while after the municipality's
account posts, residents reply under that post, with the library's replies to it when there are some.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from krisovning.scenario.model import (
    PostCondition,
    PostTemplate,
    SocialModel,
    WhenAction,
    WhenCovered,
    WhenNotYet,
)
from krisovning.scenario.templates import Variants

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill

Random = Callable[[], float]
About = Callable[[str], frozenset[str]]  # the topics a text is about (engine/topics.py Matcher.topics)
SCENARIO_SHARE = 0.65  # of posts drawn from the scenario's own templates when both kinds are usable
RECENT = 40  # earlier posts per thread and category a share may pick from
RETRIES = 6
# Of a category's original posts, the share that replies to an earlier post on its platform.
REPLY_SHARE = {"question": 0.2, "criticism": 0.3, "support": 0.3, "information": 0.15, "eyewitness": 0.1, "rumour": 0.1}
REPLY_RECENT = 30  # earlier posts per platform a reply may answer
# Under the municipality's post: the share of replies to it right after it, halving every TEAM_HALF_LIFE.
TEAM_CATEGORIES = frozenset({"question", "criticism", "support"})
TEAM_SHARE = 0.5
TEAM_HALF_LIFE = 20 * 60
Composed = tuple[str, tuple[str, ...], str | None, tuple[str, ...], str | None]


@dataclass(frozen=True)
class Piece:
    """One post template, compiled."""

    variants: Variants
    facts: frozenset[str]  # every fact it uses: its placeholders and its `facts`
    when: tuple[PostCondition, ...]
    fact_list: tuple[str, ...]  # the same, sorted: what a post carries
    topics: tuple[str, ...] = ()  # what it is about: its (or its thread's) topic and those its words match
    quotes: str | None = None  # the topic whose published answer `{answer}` quotes

    @property
    def fixed(self) -> bool:
        return not self.when and not self.facts


@lru_cache(maxsize=1)
def texture_data() -> dict[str, Any]:
    text = resources.files("krisovning").joinpath("data/social_sv.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)  # the same in every drill: parsed once per process
def texture_variants() -> tuple[dict[str, list[Variants]], dict[str, dict[str, list[Variants]]], list[Variants]]:
    """The texture's openers (per register), closers (per register and category) and hashtags, parsed."""
    data = texture_data()
    openers = {r: [Variants(o) for o in v] for r, v in data["openers"].items()}
    closers = {r: {c: [Variants(x) for x in v] for c, v in by_cat.items()} for r, by_cat in data["closers"].items()}
    return openers, closers, [Variants(h) for h in data["hashtags"]]


def compile_piece(
    item: str | PostTemplate,
    facts: set[str],
    extra: tuple[PostCondition, ...] = (),
    about: About | None = None,
    topic: str | None = None,
) -> Piece:
    """`topic`: the thread's; a template's own `topic` comes first. A template that quotes the team's
    answer (`{answer}`) is usable once its topic is covered."""
    if isinstance(item, str):
        text, when, declared = item, extra, frozenset[str]()
    else:
        text, when, declared = item.text, tuple(item.when) + extra, frozenset(item.facts)
        topic = item.topic or topic
    variants = Variants(text)
    used = declared | (variants.names & facts)
    matched = about(text) if about is not None else frozenset()
    topics = ({topic} if topic else set()) | matched
    quotes = topic if "answer" in variants.names else None  # the loader refuses {answer} without a topic
    if quotes is not None:
        when += (WhenCovered(type="covered", topic=quotes),)
    return Piece(variants, used, when, tuple(sorted(used)), tuple(sorted(topics)), quotes)


_BEFORE = WhenNotYet.model_validate({"type": "no_action", "action": "publish"})
_AFTER = WhenAction.model_validate({"type": "action", "action": "publish"})
_PHASES: dict[str, tuple[PostCondition, ...]] = {"before": (_BEFORE,), "after": (_AFTER,), "any": ()}


def generic_pieces(category: str, about: About | None = None) -> list[Piece]:
    """The library's posts of `category`, each bound to its phase (before/after the first public statement)."""
    out: list[Piece] = []
    for phase, texts in texture_data()["posts"].get(category, {}).items():
        out.extend(compile_piece(text, set(), _PHASES[phase], about) for text in texts)
    return out


def reply_pieces(category: str, about: About | None = None) -> list[Piece]:
    """The library's replies of `category` to the municipality's own post."""
    return [compile_piece(text, set(), (), about) for text in texture_data()["replies_official"].get(category, [])]


def _hashtag(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum() or ch in "#_")


class Composer:
    def __init__(self, drill: Drill, model: SocialModel) -> None:
        self.drill = drill
        scenario = drill.scenario
        swedish = scenario.language == "sv"
        self.texture = swedish and model.texture
        self.generic = swedish and model.generic
        org = scenario.organisation
        short = org.short_name or org.name
        self.places = list(model.places) or [short]
        self.local = {"organisation": org.name, "short": short}
        # what every account's templates may read besides its own fields (see `reads`)
        self._shared = {**drill.static, **self.local}
        self._author = True  # whether a template reads the author's own fields (`reads`)
        # per account: the texts it has posted, whether it writes formally, the values its templates read
        # and the first name a reply to it starts with
        self._accounts: dict[str, tuple[set[str], bool, dict[str, str], str]] = {}
        self.recent: dict[tuple[str, str], deque[tuple[str, str, tuple[str, ...], str, tuple[str, ...]]]] = {}
        # per platform: its latest original posts (id, author id, author's first name) and the municipality's
        # latest post there (action id, time)
        self.answerable: dict[str, deque[tuple[str, str, str]]] = {}
        self.team_post: dict[str, tuple[str, float]] = {}
        self.replies: dict[str, list[Piece]] = {}  # the library's replies to the municipality usable now (the feed)
        data = texture_data()
        self.p = data["probabilities"]
        self.repost_share: dict[str, float] = data["repost_share"]
        self.openers, self.closers, self.hashtags = texture_variants()
        self.emoji: dict[str, list[str]] = data["emoji"]
        self.abbreviations: dict[str, str] = data["abbreviations"]  # single words (the text is split on spaces)
        # per register (formal or not): the shares of an opener, a closer, emoji and a hashtag, the openers
        # and the closers per category, looked up once here instead of at every post
        self._registers = {
            formal: (
                self.p["opener"][register],
                self.p["closer"][register],
                self.p["emoji"][register],
                self.p["hashtag"][register],
                self.openers[register],
                self.closers[register],
            )
            for formal, register in ((True, "formal"), (False, "vardaglig"))
        }
        self._informal = tuple(
            self.p[name]
            for name in ("abbreviation", "typo", "lowercase", "no_final_stop", "double_mark", "no_diacritics")
        )

    def reads(self, names: frozenset[str]) -> None:
        """The names the drill's post templates read (feed.Templates.names): each account's values keep only
        those and the texture's. A scenario has ~150 values (every persona's fields), a template reads a few,
        and an account's values were copied whole for each of the ~140 accounts of a drill."""
        texture = [*(v for vs in self.openers.values() for v in vs), *self.hashtags]
        texture += [v for by_category in self.closers.values() for vs in by_category.values() for v in vs]
        wanted = names.union(*(v.names for v in texture))
        self._shared = {name: value for name, value in self._shared.items() if name in wanted}
        self._author = any(name.startswith("author.") for name in wanted)

    # --- one post ---

    def compose(
        self,
        thread: str,
        category: str,
        usable: tuple[list[Piece], list[Piece]],
        author: dict[str, Any],
        random: Random,
        now: float,
        post_id: str,
        platform: str,
    ) -> Composed | None:
        """(text, facts, repost_of, topics, reply_to) for a post, or None when no template of `category` is
        usable now."""
        own, generic = usable
        if not own and not generic:
            return None
        author_id = author["id"]
        account = self._accounts.get(author_id)
        if account is None:
            account = self._accounts[author_id] = self._account(author)
        used, formal, values, first_name = account
        key = (thread, category)
        recent = self.recent.get(key)
        if recent is None:
            recent = self.recent[key] = deque(maxlen=RECENT)
        if recent and random() < self.repost_share.get(category, 0.0):
            _id, text, facts, by, topics = recent[int(random() * len(recent))]
            if by != author_id and text not in used:
                used.add(text)
                return text, facts, _id, topics, None
        # whether it replies, and to what (the municipality's post, or a resident's), written out: every post
        reply_to, to_name, replies = None, "", _NO_REPLIES
        draw = random()
        team = self.team_post.get(platform)
        if (
            team is not None
            and category in TEAM_CATEGORIES
            and draw < TEAM_SHARE * 0.5 ** ((now - team[1]) / TEAM_HALF_LIFE)
        ):
            reply_to, replies = team[0], self.replies.get(category, _NO_REPLIES)
        else:
            answerable = self.answerable.get(platform)
            if answerable and draw < REPLY_SHARE.get(category, 0.0):
                answered, by, name = answerable[int(random() * len(answerable))]
                if by != author_id:
                    reply_to, to_name = answered, name
        for _ in range(RETRIES):
            if replies and random() < 0.7:
                pool = replies
            else:
                pool = own if own and (not generic or random() < SCENARIO_SHARE) else generic
            piece = pool[int(random() * len(pool))]
            text = self._text(piece, category, formal, values, random, now, reply_to is not None)
            if text not in used:
                break
        else:
            text = self._tell_apart(text, category, used)
        used.add(text)
        if to_name and self.texture and random() < 0.35:  # the way a reply often starts: the name it answers
            text = f"{to_name} {text}"
            used.add(text)
        facts = piece.fact_list
        recent.append((post_id, text, facts, author_id, piece.topics))
        answerable = self.answerable.get(platform)
        if answerable is None:
            answerable = self.answerable[platform] = deque(maxlen=REPLY_RECENT)
        answerable.append((post_id, author_id, first_name))
        return text, facts, None, piece.topics, reply_to

    def team_posted(self, action_id: str, platform: str, now: float) -> None:
        """The municipality's account posted on `platform`: residents reply under it for a while."""
        self.team_post[platform] = (action_id, now)

    def _account(self, author: dict[str, Any]) -> tuple[set[str], bool, dict[str, str], str]:
        # the register is the account's own (a hash of its id: the same person writes the same way)
        formal = (zlib.crc32(author["id"].encode()) % 100) < self.p["formal_share"] * 100
        # read only, so one dict for every account when no template names the author (an "author." name is
        # never a shared one: fact names have no dot)
        values = {**self._shared, **self.drill.people.values(author, "author")} if self._author else self._shared
        return set(), formal, values, str(author.get("name", "")).split(" ")[0]

    def _text(
        self,
        piece: Piece,
        category: str,
        formal: bool,
        values: Mapping[str, str],
        random: Random,
        now: float,
        reply: bool = False,
    ) -> str:
        first: dict[str, str] = {"place": self.places[int(random() * len(self.places))]}
        if piece.quotes is not None:  # usable only once covered (compile_piece), so there is an answer
            first["answer"] = self.drill.world.topics.answer(piece.quotes) or ""
        if piece.variants.clock:
            moment = self.drill.scenario.start + timedelta(seconds=now)
            first["time"], first["date"] = moment.strftime("%H:%M %Y-%m-%d").split(" ")  # one call, not two
        text = piece.variants.render(random, first, values)
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            text = " ".join(text.split())
        if not self.texture:
            return text
        return self._textured(text, category, formal, first, values, random, reply)

    def _textured(
        self,
        text: str,
        category: str,
        formal: bool,
        first: dict[str, str],
        values: Mapping[str, str],
        random: Random,
        reply: bool = False,
    ) -> str:
        """`reply`: a reply does not greet the group ("Hej grannar!") nor tag itself."""
        opener, closer, emoji_share, hashtag, openers, closers_by = self._registers[formal]
        if not formal:
            abbreviation, typo, lowercase, no_final_stop, double_mark, no_diacritics = self._informal
            if random() < abbreviation:
                text = self._abbreviated(text, random)
            if random() < typo:
                text = _typo(text, random)
            if random() < lowercase and len(text) > 1 and not text[1].isupper():
                text = text[0].lower() + text[1:]
            if text.endswith(".") and not text.endswith("..") and random() < no_final_stop:
                text = text[:-1]
            elif text[-1:] in "?!" and random() < double_mark:
                text += text[-1] * (1 + int(random() * 2))
            if random() < no_diacritics:
                text = text.translate(_PLAIN)
        if not reply and random() < opener:
            text = openers[int(random() * len(openers))].render(random, first, values) + " " + text
        closers = closers_by.get(category, ())
        if closers and random() < closer:
            if text[-1:].isalnum():
                text += "."
            text += " " + closers[int(random() * len(closers))].render(random, first, values)
        emoji = self.emoji.get(category, ())
        if emoji and random() < emoji_share:
            text += " " + emoji[int(random() * len(emoji))] * (1 + int(random() * 2))
        if not reply and random() < hashtag:
            tag = self.hashtags[int(random() * len(self.hashtags))].render(random, first, values)
            text += " " + _hashtag(tag)
        return text

    def _abbreviated(self, text: str, random: Random) -> str:
        """Some of the words that have a short form, shortened ("något" → "nåt")."""
        abbreviations = self.abbreviations
        words = text.split(" ")
        changed = False
        for i, word in enumerate(words):
            short = abbreviations.get(word)
            if short is not None and random() < 0.6:
                words[i], changed = short, True
        return " ".join(words) if changed else text

    def _tell_apart(self, text: str, category: str, used: set[str]) -> str:
        """`text` made different from what the account posted before (drawing again gave nothing new)."""
        for mark in self.emoji.get(category, []) + ["!", "…"]:
            for candidate in (f"{text} {mark}", f"{text} {mark}{mark}"):
                if candidate not in used:
                    return candidate
        n = 2
        while f"{text} ({n})" in used:
            n += 1
        return f"{text} ({n})"


_PLAIN = str.maketrans("åäöÅÄÖ", "aaoAAO")
_NO_REPLIES: list[Piece] = []  # never changed
_LONG_WORD = re.compile(r"[^\W\d_]{5,}")  # a word a typo may slip into


def _typo(text: str, random: Random) -> str:
    """One slip of the thumb in a word of five letters or more (swapped, dropped or doubled letter)."""
    words = list(_LONG_WORD.finditer(text))
    if not words:
        return text
    word = words[int(random() * len(words))]
    w, i = word.group(0), 2 + int(random() * (len(word.group(0)) - 3))  # never the first letter
    kind = random()
    if kind < 0.4:
        slipped = w[: i - 1] + w[i] + w[i - 1] + w[i + 1 :]
    elif kind < 0.7:
        slipped = w[:i] + w[i + 1 :]
    else:
        slipped = w[: i + 1] + w[i:]
    return text[: word.start()] + slipped + text[word.end() :]
