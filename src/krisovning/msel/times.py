"""Times as spreadsheets write them (docs/msel.md lists them): `09:15`, `7:29 PM`, `T+00:15`, `+15`, `H+1:30`,
`1h30m`, plain minutes, `Dag 1 09:15`, `måndag 9.30`, `2026-03-10 09:15`, and what openpyxl returns
for time cells (`time`, `datetime`, `timedelta`, fractions of a day).

A cell becomes an `Offset` (exercise time since T+0), a `Clock` (time of day, maybe on a `Day`)
or a bare `Day`; `read.py` turns clock times into offsets once the whole sheet is known.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from krisovning.i18n import t
from krisovning.msel.columns import fold
from krisovning.msel.problems import CellError

MAX_SECONDS = 7 * 24 * 3600
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


@dataclass(frozen=True)
class Day:
    kind: str  # "n" (Dag 1), "date" (value = date ordinal) or "weekday" (0 = Monday)
    value: int
    ambiguous: bool = field(default=False, compare=False)  # 03/04/2026: March or April?


@dataclass(frozen=True)
class Offset:
    seconds: int


@dataclass(frozen=True)
class Clock:
    seconds: int  # since midnight
    day: Day | None = None


TimeValue = Offset | Clock | Day

_WEEKDAYS = {
    **dict.fromkeys(("mandag", "man", "monday", "mon"), 0),
    **dict.fromkeys(("tisdag", "tis", "tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("onsdag", "ons", "wednesday", "wed"), 2),
    **dict.fromkeys(("torsdag", "tor", "tors", "thursday", "thu", "thur", "thurs"), 3),
    **dict.fromkeys(("fredag", "fre", "friday", "fri"), 4),
    **dict.fromkeys(("lordag", "lor", "saturday", "sat"), 5),
    **dict.fromkeys(("sondag", "son", "sunday", "sun"), 6),
}
_H = r"(?:h|hr|hrs|hour|hours|t|tim|timme|timmar)"
_M = r"(?:m|min|mins|minut|minuter|minute|minutes|')"
_S = r"(?:s|sek|sekund|sekunder|sec|secs|second|seconds)"
_DURATION = re.compile(rf"^(?:(\d+)\s*{_H})?\s*(?:(\d+)\s*{_M}?)?\s*(?:(\d+)\s*{_S})?$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_HMS = re.compile(r"^(\d{1,3})[:.](\d{2})(?:[:.](\d{2}))?$")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2}))?\s*(am|pm)?$")
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:t|\s+|,\s*)(.*))?$")
_LOCAL_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[\s,]+(.*))?$")
_DAY_N = re.compile(r"^(?:dag|day|d)\s*(\d{1,2})(?![\d:.])[\s,:;.-]*(.*)$")
_WORD_FIRST = re.compile(r"^([a-z]+)\.?(?:[\s,]+(.*))?$")
_KL = re.compile(r"^(?:kl\.?|klockan|at|ca\.?|cirka)\s*")


def _clean(text: str) -> str:
    text = fold(text).replace("\u2212", "-").replace("\u00a0", " ").strip()
    text = re.sub(r"\b([ap])\.?\s?m\.?(?=$|\s)", r"\1m", text)
    return re.sub(r"\s+", " ", text)


def _bad(value: object) -> CellError:
    return CellError(t("msel.time.bad", value=str(value).strip()))


def _relative(text: str, original: object) -> int:
    """`0:15`, `15`, `1h30m`, `90 min` after a T+ / H+ / + prefix → seconds."""
    text = text.strip()
    match = _HMS.match(text)
    if match:
        h, m, s = int(match[1]), int(match[2]), int(match[3] or 0)
        if m >= 60 or s >= 60:
            raise _bad(original)
        return h * 3600 + m * 60 + s
    if _NUMBER.match(text):
        return _minutes(float(text.replace(",", ".")))
    match = _DURATION.match(text)
    if match and any(match.groups()):
        h, m, s = (int(g) if g else 0 for g in match.groups())
        return h * 3600 + m * 60 + s
    match = re.match(r"^(\d+)\s*h\s*(\d{1,2})$", text)  # 1h30
    if match:
        return int(match[1]) * 3600 + int(match[2]) * 60
    raise _bad(original)


def _clock(text: str, original: object, *, bare_hour: bool = False) -> int:
    """`09:15`, `9.15`, `7:29 pm`, `09:15:30` (and `9` after "kl") → seconds since midnight."""
    text = text.strip()
    if bare_hour and re.match(r"^\d{3,4}$", text):  # kl 0915
        text = text[:-2] + ":" + text[-2:]
    match = _CLOCK.match(text)
    if not match or (match[2] is None and not match[4] and not bare_hour):
        raise _bad(original)
    h, m, s = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if match[4]:
        if not 1 <= h <= 12:
            raise _bad(original)
        h = h % 12 + (12 if match[4] == "pm" else 0)
    if h > 24 or m >= 60 or s >= 60 or (h == 24 and (m or s)):
        raise _bad(original)
    return h * 3600 + m * 60 + s


def _date(year: int, month: int, day: int, original: object) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _bad(original) from None


def _with_day(day: Day, rest: str | None, original: object) -> TimeValue:
    rest = _KL.sub("", (rest or "").strip())
    if not rest:
        return day
    return Clock(_clock(rest, original, bare_hour=True), day)


def parse_time(value: object) -> TimeValue | None:
    """A time cell → Offset / Clock / Day; None when empty; CellError when it cannot be read."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _bad(value)
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        if value.year <= 1900:  # Excel's day zero: a time of day stored as a date-time
            return Clock(seconds)
        return Clock(seconds, Day("date", value.date().toordinal()))
    if isinstance(value, dt.date):
        return Day("date", value.toordinal())
    if isinstance(value, dt.time):
        return Clock(value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, dt.timedelta):
        return _offset(round(value.total_seconds()), value)
    if isinstance(value, int | float):
        if not _finite(value):  # an XLSX number cell can hold INF or NaN
            raise _bad(value)
        return _number(value)
    text = _clean(str(value))
    if not text:
        return None
    return _parse_text(text, value)


def _finite(value: float) -> bool:
    """A number a time can be made of: not INF or NaN, not an integer beyond any float (a crafted XLSX)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _minutes(minutes: float) -> int:
    """Minutes → seconds; a number too large to be a time (400 digits, 1e307) stays above every bound."""
    seconds = minutes * 60
    return round(seconds) if seconds <= 10 * MAX_SECONDS else 10 * MAX_SECONDS + 1


def _excel_date(days: float, original: object) -> dt.datetime:
    """An Excel serial number as a date-time; past year 9999 it is no date."""
    try:
        return _EXCEL_EPOCH + dt.timedelta(days=days)
    except (OverflowError, ValueError):
        raise _bad(original) from None


def _offset(seconds: int, original: object) -> Offset:
    if seconds < 0:
        raise CellError(t("msel.time.negative", value=str(original).strip()))
    return Offset(seconds)


def _number(value: float) -> TimeValue:
    if value < 0:
        raise CellError(t("msel.time.negative", value=value))
    if isinstance(value, float) and not value.is_integer():
        if value < 1:  # Excel's fraction of a day in a cell formatted as a number
            return Clock(round(value * 86400) % 86400)
        if value > 20000:  # an Excel date-time serial number
            moment = _excel_date(value, value)
            moment = moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))
            parsed = parse_time(moment)
            assert parsed is not None  # a date-time is always read as one
            return parsed
    return _offset(_minutes(float(value)), value)  # plain minutes


def _parse_text(text: str, original: object) -> TimeValue:
    prefixed = re.match(r"^(?:t|h|e|s)\s*\+\s*(.+)$", text) or re.match(r"^\+\s*(.+)$", text)
    if prefixed:
        return _offset(_relative(prefixed[1], original), original)
    if text.startswith("-") or re.match(r"^[the]\s*-\s*\d", text):
        raise CellError(t("msel.time.negative", value=str(original).strip()))
    match = _ISO_DATE.match(text)
    if match:
        day = Day("date", _date(int(match[1]), int(match[2]), int(match[3]), original).toordinal())
        return _with_day(day, match[4], original)
    match = _LOCAL_DATE.match(text)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        us = first <= 12 < second or (second <= 12 and bool(re.search(r"[ap]m$", match[4] or "")))
        month, day_of_month = (first, second) if us else (second, first)
        ambiguous = first <= 12 and second <= 12 and first != second
        day = Day("date", _date(year, month, day_of_month, original).toordinal(), ambiguous)
        return _with_day(day, match[4], original)
    match = _DAY_N.match(text)
    if match:
        return _with_day(Day("n", int(match[1])), match[2], original)
    match = _WORD_FIRST.match(text)
    if match and match[1] in _WEEKDAYS:
        return _with_day(Day("weekday", _WEEKDAYS[match[1]]), match[2], original)
    stripped = _KL.sub("", text)
    if stripped != text:
        return Clock(_clock(stripped, original, bare_hour=True))
    if _CLOCK.match(text) and (":" in text or "." in text or text.endswith("m")):
        if re.match(r"^\d+[.]\d$|^\d+[.]\d{3,}$", text):
            return _offset(_relative(text, original), original)
        return Clock(_clock(text, original))
    return _offset(_relative(text, original), original)


def parse_day(value: object) -> Day | None:
    """A Day/Dag/Datum cell: `1`, `Dag 2`, `måndag`, `2026-03-10`, a date cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    bad = CellError(t("msel.day.bad", value=str(value).strip()))
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return Day("date", day.toordinal())
    if isinstance(value, bool):
        raise bad
    if isinstance(value, int | float):
        if not _finite(value):
            raise bad
        if value > 20000:
            try:
                return Day("date", _excel_date(int(value), value).date().toordinal())
            except CellError:
                raise bad from None
        if float(value).is_integer() and 0 <= value <= 366:
            return Day("n", int(value))
        raise bad
    text = _clean(str(value))
    if re.match(r"^\d{1,3}$", text):
        return Day("n", int(text))
    try:
        parsed = _parse_text(text, value)
    except CellError:
        raise bad from None
    if isinstance(parsed, Day):
        return parsed
    raise bad


def parse_deadline(value: object) -> int | None:
    """A Maximum (minutes) / Tidsfrist cell → seconds; plain numbers are minutes."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    bad = CellError(t("msel.deadline.bad", value=str(value).strip()))
    if isinstance(value, bool):
        raise bad
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
    elif isinstance(value, dt.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
    elif isinstance(value, int | float):
        if not _finite(value):
            raise bad
        seconds = _minutes(float(value))
    elif isinstance(value, str):
        text = re.sub(r"^(?:inom|within|max\.?|senast)\s*", "", _clean(value))
        text = re.sub(r"^t\s*\+\s*", "", text)
        try:
            seconds = _relative(text, value)
        except CellError:
            raise bad from None
    else:
        raise bad
    if seconds <= 0:
        raise CellError(t("msel.deadline.zero", value=str(value).strip()))
    if seconds > MAX_SECONDS:
        raise CellError(t("msel.deadline.too_long", value=str(value).strip()))
    return seconds


def format_offset(seconds: int) -> str:
    """Exercise time as a spreadsheet shows it: `T+0:15`, `T+1:30`, `T+0:01:30` when seconds matter."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"T+{hours}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
