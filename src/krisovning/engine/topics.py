"""What a text is about: the scenario's topics, matched with a Swedish stemmer; what the team has covered.

A keyword matches a sentence when each of its words' stems begins a word of the sentence (stemmed the
same way): "borsta tänderna" finds "Ni kan borsta tänder med kokt vatten", and the stem "tand" finds the
compound "tandborstning". A part of the world (engine/world.py): a public publication covers the topics
its text matches and those its author ticked; one that names another time, number or place than the
previous publication on the same topic contradicts it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from krisovning.engine.memo import per_scenario
from krisovning.scenario.model import Scenario, Topic
from krisovning.textsafe import visible_line

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
# a sentence ends at . ! ? before a word that does not go on in lower case or digits: "kl. 10",
# "E. coli" and "ca. 200" are one sentence (metrics/quality.py splits the same way, and at a colon)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[^\s\da-zåäöéü])|\n+")
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:.]([0-5]\d)(?!\d)|\b(?:kl|klockan)\.?\s+(\d{1,2})(?![:.]\d|\d)", re.I)
_NUMBER = re.compile(r"(?<![\d:.])\d+(?:[,.]\d+)?(?![\d:])")
SHORT = 4  # a stem shorter than this matches a whole word only ("is" is not "isolera")
ANSWER_LENGTH = 160  # the most of a publication's sentence a post quotes
MATCHED_TEXTS = 20_000  # texts whose topics a matcher remembers (the templates; not every post)
_MATCHED: dict[tuple[Any, ...], tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]] = {}


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Any:
    import snowballstemmer  # here: a scenario without topics never needs it (bench/bench_startup.py)

    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=20_000)  # the library's posts are the same in every drill: stemmed once per process
def _stems(text: str, language: str) -> tuple[str, ...]:
    return tuple(_stemmer(language).stemWords([m.group(0).lower() for m in _WORD.finditer(text)]))


def stems(text: str, language: str = "swedish") -> list[str]:
    """`text`'s words, lower-cased and stemmed."""
    return list(_stems(text, language))


@lru_cache(maxsize=4096)  # a bot team publishes the same texts in every run of a preview
def sentences(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in _SENTENCE.split(text) if s.strip())


@dataclass(frozen=True)
class Claims:
    """What a publication says that can change: the times, numbers and places it names."""

    times: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()

    def contradicts(self, earlier: Claims) -> bool:
        """Something said earlier (a time, a number, a place) is now said otherwise."""
        return any(
            old and new and old - new
            for old, new in (
                (earlier.times, self.times),
                (earlier.numbers, self.numbers),
                (earlier.places, self.places),
            )
        )


class Matcher:
    """The scenario's topics as stemmed keywords."""

    def __init__(self, topics: Iterable[Topic], places: Iterable[str] = (), language: str = "sv") -> None:
        self.language = "swedish" if language == "sv" else "english"
        self.keywords: dict[str, list[tuple[str, ...]]] = {
            topic.id: [tuple(stems(k, self.language)) for k in topic.keywords if stems(k, self.language)]
            for topic in topics
        }
        self.places = {p: tuple(stems(p, self.language)) for p in places if stems(p, self.language)}
        # A text's topics depend only on the keywords: drills of the same scenario (a preview's many
        # runs, metrics/preview.py) share what was matched; the template texts are the same in each.
        key = (self.language, tuple((tid, tuple(phrases)) for tid, phrases in sorted(self.keywords.items())))
        if key not in _MATCHED and len(_MATCHED) >= 8:
            _MATCHED.clear()
        self._matched, self._sentences = _MATCHED.setdefault(key, ({}, {}))
        self._claims: dict[str, Claims] = {}  # Claims is frozen: one may be shared

    def _has(self, words: list[str], phrase: tuple[str, ...]) -> bool:
        for stem in phrase:
            if len(stem) < SHORT:
                if stem not in words:
                    return False
            elif not any(w.startswith(stem) for w in words):
                return False
        return True

    def topics(self, text: str) -> frozenset[str]:
        """The topics `text` is about."""
        known = self._matched.get(text)
        if known is not None:
            return known
        found: set[str] = set()
        for sentence in sentences(text):
            found |= self.about(sentence)
        if len(self._matched) < MATCHED_TEXTS:
            self._matched[text] = frozenset(found)
        return frozenset(found)

    def about(self, sentence: str) -> frozenset[str]:
        known = self._sentences.get(sentence)
        if known is not None:
            return known
        words = stems(sentence, self.language)
        found = frozenset(tid for tid, phrases in self.keywords.items() if any(self._has(words, p) for p in phrases))
        if len(self._sentences) < MATCHED_TEXTS:  # a bot team publishes the same sentences in every run
            self._sentences[sentence] = found
        return found

    def claims(self, text: str) -> Claims:
        """The times, numbers and places `text` names (remembered: the same texts come back run after run)."""
        known = self._claims.get(text)
        if known is None:
            known = self._read_claims(text)
            if len(self._claims) < MATCHED_TEXTS:
                self._claims[text] = known
        return known

    def _read_claims(self, text: str) -> Claims:
        times = set()
        for m in _TIME.finditer(text):
            hour, minute = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), "00")
            times.add(f"{int(hour):02d}:{minute}")
        bare = _TIME.sub(" ", text)
        words = stems(text, self.language)
        return Claims(
            frozenset(times),
            frozenset(n.replace(",", ".") for n in _NUMBER.findall(bare)),
            frozenset(name for name, phrase in self.places.items() if self._has(words, phrase)),
        )


@dataclass
class Said:
    """The latest public publication on a topic: when, which action, its sentences on it, what they claim."""

    t: float
    action: int
    text: str
    claims: Claims = field(default_factory=Claims)


class Coverage:
    """Which topics the team's public publications covered, and what they said on each."""

    def __init__(self, scenario: Scenario) -> None:
        self.ids = [topic.id for topic in scenario.topics]
        places = scenario.social.places if scenario.social and scenario.topics else []
        self.matcher = per_scenario(scenario, "matcher", lambda: Matcher(scenario.topics, places, scenario.language))
        self.covered: dict[str, float] = {}  # topic → when first covered
        self.said: dict[str, Said] = {}
        self.contradicted: set[str] = set()

    def read(self, text: str, ticked: Iterable[str] = ()) -> tuple[list[str], list[str], dict[str, str]]:
        """(the topics `text` covers, those it contradicts, each topic's sentences) — nothing changes yet."""
        on: dict[str, list[str]] = {}
        for sentence in sentences(text):
            for tid in self.matcher.about(sentence):
                on.setdefault(tid, []).append(sentence)
        for tid in ticked:
            on.setdefault(tid, [])
        topics = [tid for tid in self.ids if tid in on]
        contradicts = []
        parts = {tid: " ".join(on[tid]) or text for tid in topics}
        for tid in topics:
            earlier = self.said.get(tid)
            if earlier is not None and self.matcher.claims(parts[tid]).contradicts(earlier.claims):
                contradicts.append(tid)
        return topics, contradicts, parts

    def cover(self, now: float, action: int, parts: dict[str, str], contradicts: list[str]) -> None:
        for tid, part in parts.items():
            self.covered.setdefault(tid, now)
            self.said[tid] = Said(now, action, part, self.matcher.claims(part))
        self.contradicted.update(contradicts)

    def answer(self, topic: str) -> str | None:
        """What the team said on `topic`, short enough to quote (None: nothing yet)."""
        said = self.said.get(topic)
        if said is None:
            return None
        text = visible_line(" ".join(said.text.split()))  # the team's typing, quoted in a resident's post
        if len(text) > ANSWER_LENGTH:
            text = text[: ANSWER_LENGTH - 1].rsplit(" ", 1)[0] + "…"
        return text
