"""The one way times and figures are written for people, per language (beside the catalogues).

Exercise time (`T+1:05`), the exercise clock (`T+1:05:30`), time of day (`09:15`), durations in words
(`7 min`, `1 h 05 min`), numbers and percentages. Numbers and percentages follow the language's
convention through Babel: Swedish `12 346` and `20 %` (no-break spaces), English `12,346` and `20%`.
The scenario format's own notations (`1h30m` in scenario/durations.py, `T+0:15` cells in msel/times.py)
are input syntax, not display, and stay with their parsers.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from krisovning.i18n import get_language, t

DASH = "–"  # what a missing figure shows


def exercise_time(seconds: float) -> str:
    """Exercise time as `T+h:mm`, whole minutes passed (like a clock); before T+0 as `T-h:mm`."""
    minutes = int(abs(seconds) // 60)
    return f"T{'-' if seconds < 0 else '+'}{minutes // 60}:{minutes % 60:02d}"


def exercise_clock(seconds: float) -> str:
    """Exercise time to the second, as `T+h:mm:ss`."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"T+{hours}:{minutes:02d}:{secs:02d}"


def time_of_day(seconds: int) -> str:
    """Seconds since midnight as `HH:MM`."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def minutes(seconds: float) -> str:
    """A duration as a short human figure: `7 min`, `1 h 05 min` (rounded to the minute)."""
    total = round(seconds / 60.0)
    if total < 60:
        return t("unit.minutes", n=total)
    return t("unit.hours_minutes", h=total // 60, m=f"{total % 60:02d}")


@lru_cache(maxsize=8)
def _numbers() -> Any:
    # imported when first asked for: Babel's locale data is not needed to start a drill
    from babel import numbers

    return numbers


def number(value: float | None, places: int = 0) -> str:
    """A number with the language's grouping and decimal sign (`12 346`, `12,346`; `0,3`, `0.3` with
    `places=1`), or a dash when there is none."""
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text: str = _numbers().format_decimal(round(value, places), format=pattern, locale=get_language())
    return text


def percent(share: float | None) -> str:
    """A share (0.2) as the language writes a percentage (`20 %`, `20%`), or a dash when there is none."""
    if share is None:
        return DASH
    text: str = _numbers().format_percent(share, locale=get_language())
    return text
