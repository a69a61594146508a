"""Readability of a Swedish text: LIX (läsbarhetsindex, Björnsson 1968), as a hint, never a verdict.

LIX = words per sentence + 100 × the share of words longer than six letters. Usual reading: under 30
very easy, 30–40 easy, 40–50 a newspaper, 50–60 official text, over 60 very difficult.
"""

from __future__ import annotations

import re

# A message to the public should read easily (plain language, klarspråk): at most "easy".
LIX_TARGET = 40
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)|\n\s*\n")  # the marks Björnsson counts, and a blank line


def lix(text: str) -> float:
    """The text's LIX (0 for a text without words)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([part for part in _SENTENCE_END.split(text) if _WORD.search(part)]))
    long_words = sum(1 for word in words if len(word) > 6)
    return len(words) / sentences + 100.0 * long_words / len(words)
