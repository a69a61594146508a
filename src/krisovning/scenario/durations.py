"""Human-friendly durations: `90s`, `15m`, `1h30m`, `2h`. Stored as whole seconds."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$")
# The same shape for JSON Schema (ECMA-262): the lookahead asks for a number, as `parse_duration` does.
DURATION_PATTERN = r"^\s*(?=\d)(\d+\s*h)?\s*(\d+\s*m(in)?)?\s*(\d+\s*s)?\s*$"


def parse_duration(text: str) -> int | None:
    """Seconds, or None when `text` is not a duration like `1h30m`."""
    match = _DURATION.match(text)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: float) -> str:
    """The inverse of `parse_duration` for whole seconds: 5400 → `1h30m`; 0 → `0m`."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{secs}s" if secs else ""]
    return "".join(parts) or "0m"
