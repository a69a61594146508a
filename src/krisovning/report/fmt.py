"""Small formatting helpers shared by the report's builder and renderers (numbers, percentages and times
come from i18n/fmt.py, re-exported here)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from krisovning.i18n import get_language, set_language
from krisovning.i18n.fmt import exercise_time, minutes, number, percent
from krisovning.report.keys import CHANNEL_KEYS, OUTCOME_KEYS, label
from krisovning.textsafe import visible

_SURROGATE = re.compile("[\ud800-\udfff]")  # cannot be written as UTF-8 at all
SHORT = 120


def clean(text: object) -> str:
    """User or scenario text made safe to put anywhere (a terminal, HTML, DOCX's XML): line breaks as
    \\n, every other control character shown as `\\xNN`, so what was typed stays visible."""
    if text is None:
        return ""
    return visible(_SURROGATE.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n"))


def first_line(text: str, limit: int = SHORT) -> str:
    """The first non-empty line, shortened to `limit` characters with an ellipsis."""
    line = next((part.strip() for part in clean(text).split("\n") if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def duration(seconds: float | None) -> str:
    """A duration (`7 min`, `1 h 05 min`), or a dash when there is none."""
    return minutes(seconds) if seconds is not None else "–"


def clock(seconds: float | None) -> str:
    """Exercise time as T+h:mm (i18n/fmt.py), never before T+0, or a dash when there is none."""
    return exercise_time(max(0.0, seconds)) if seconds is not None else "–"


def paragraphs(text: str) -> list[str]:
    """Running text as paragraphs: blank lines separate them, single line breaks are soft."""
    parts = re.split(r"\n\s*\n", clean(text).strip())
    return [" ".join(line.strip() for line in part.split("\n") if line.strip()) for part in parts if part.strip()]


def channel(code: str) -> str:
    return label(CHANNEL_KEYS, code) if code else "–"


def channels(codes: list[str]) -> str:
    return ", ".join(channel(c) for c in codes) or "–"


def outcome(code: str) -> str:
    return label(OUTCOME_KEYS, code)


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Render a report in the language it was built in (its texts are in that language)."""
    before = get_language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


__all__ = [
    "channel",
    "channels",
    "clean",
    "clock",
    "duration",
    "first_line",
    "minutes",
    "number",
    "outcome",
    "paragraphs",
    "percent",
    "speaking",
    "visible",
]
