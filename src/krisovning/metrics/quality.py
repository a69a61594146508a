"""How readable a message to the public is, and whether it has what a key message needs.

Per message: the key message's elements it has (the scenario's `quality.elements`, matched as topics
are, engine/topics.py), LIX (the Swedish readability index: words per sentence + the share of long
words, more than six letters, in per cent; at most 40 reads easily), the words per sentence, and the
words the scenario asks to avoid unless explained. A hint for the writer and a row in the report:
never a grade, never a reason to refuse a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from krisovning.engine.topics import Matcher
from krisovning.i18n import t
from krisovning.scenario.model import AvoidWord, Scenario, Topic

LONG = 6  # a word of more letters than this is long (LIX)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
# A sentence ends at . ! ? or : before a space and a word that does not go on in lower case ("kl. 10",
# "E. coli" go on), and at the end of a line (a heading, a list item).
_END = re.compile(r"(?<=[.!?:])\s+(?=[^\s\da-zåäöéü])")


@dataclass(frozen=True)
class Quality:
    words: int
    sentences: int
    long_words: int
    lix: float
    mean_sentence: float  # words per sentence
    longest_sentence: int
    elements: list[str]  # the key message's elements it has (ids)
    missing: list[str]  # …and those it has not
    avoid: list[str]  # the words to avoid it uses unexplained
    lix_target: int
    sentence_target: int

    @property
    def readable(self) -> bool:
        return self.lix <= self.lix_target and self.mean_sentence <= self.sentence_target

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def split_sentences(text: str) -> list[list[str]]:
    """Each sentence's words."""
    out = []
    for line in text.splitlines():
        for piece in _END.split(line):
            words = _WORD.findall(piece)
            if words:
                out.append(words)
    return out


def lix(text: str) -> float:
    """The LIX of `text` (0 for a text without words)."""
    sentences = split_sentences(text)
    words = [w for s in sentences for w in s]
    if not words:
        return 0.0
    long_words = sum(1 for w in words if sum(c.isalpha() for c in w) > LONG)
    return len(words) / len(sentences) + 100.0 * long_words / len(words)


def _phrase(text: str, anywhere: bool = False) -> re.Pattern[str]:
    """`text` at the start of a word (or `anywhere`: also inside a compound, "tarmbakterier" has
    "bakterie"), case-insensitive, any run of spaces between its words."""
    words = [re.escape(w) for w in text.split()]
    return re.compile(("" if anywhere else r"(?<![^\W_])") + r"\s+".join(words), re.IGNORECASE)


class QualityMeter:
    """A scenario's targets, elements and words to avoid, ready to measure many messages."""

    def __init__(self, scenario: Scenario) -> None:
        q = scenario.quality
        self.lix_target = q.lix
        self.sentence_target = q.sentence_words
        self.elements = list(q.elements)
        self.titles = {e.id: e.title for e in self.elements}
        self.words = Matcher(
            [Topic(id=e.id, keywords=e.keywords) for e in self.elements if e.keywords], language=scenario.language
        )
        wanted = any(e.topics for e in self.elements)
        self.topics = Matcher(scenario.topics, language=scenario.language) if wanted else None
        self.avoid: list[tuple[str, re.Pattern[str], list[re.Pattern[str]], str | None]] = []
        for entry in q.avoid:
            word = entry if isinstance(entry, str) else entry.word
            explained = entry.explained_by if isinstance(entry, AvoidWord) else []
            instead = entry.instead if isinstance(entry, AvoidWord) else None
            self.avoid.append((word, _phrase(word), [_phrase(e, anywhere=True) for e in explained], instead))

    def measure(self, text: str, ticked: Iterable[str] = ()) -> Quality:
        sentences = split_sentences(text)
        words = [w for s in sentences for w in s]
        long_words = sum(1 for w in words if sum(c.isalpha() for c in w) > LONG)
        n, m = len(words), len(sentences)
        found = self.words.topics(text) if self.elements else frozenset()
        topics = (self.topics.topics(text) if self.topics else frozenset()) | set(ticked)
        has = [e.id for e in self.elements if e.id in found or topics & set(e.topics)]
        return Quality(
            words=n,
            sentences=m,
            long_words=long_words,
            lix=round(n / m + 100.0 * long_words / n, 1) if n else 0.0,
            mean_sentence=round(n / m, 1) if m else 0.0,
            longest_sentence=max((len(s) for s in sentences), default=0),
            elements=has,
            missing=[e.id for e in self.elements if e.id not in has],
            avoid=[
                word
                for word, pattern, explained, _ in self.avoid
                if pattern.search(text) and not any(e.search(text) for e in explained)
            ],
            lix_target=self.lix_target,
            sentence_target=self.sentence_target,
        )

    def instead(self, word: str) -> str | None:
        return next((alt for w, _, _, alt in self.avoid if w == word), None)

    def hint(self, quality: Quality) -> str:
        """One line for the writer, in the current language (empty for an empty text)."""
        if not quality.words:
            return ""
        parts = [
            t("quality.lix", lix=round(quality.lix), target=quality.lix_target),
            t("quality.sentence", words=round(quality.mean_sentence), target=quality.sentence_target),
        ]
        if self.elements:
            parts.append(t("quality.elements", has=len(quality.elements), of=len(self.elements)))
        if quality.missing:
            parts.append(t("quality.missing", missing=", ".join(self.titles[e] for e in quality.missing)))
        for word in quality.avoid:
            alt = self.instead(word)
            parts.append(t("quality.avoid_instead", word=word, instead=alt) if alt else t("quality.avoid", word=word))
        return " · ".join(parts)
