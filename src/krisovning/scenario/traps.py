"""Messages for the mistakes authors make most, told from what they wrote (loader.py asks here first).

Each function returns a message, or None when the value is not that trap, so the general
message still applies.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from krisovning.i18n import t
from krisovning.scenario.durations import format_duration
from krisovning.scenario.types import ID_PATTERN

FACT_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"  # model.FactName's

# Keys that count from the drill's start: a clock time written there is the usual mistake.
_FROM_START = {"at", "by", "due", "start", "end"}
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")

# Swedish (and a few English) words authors write for the format's English keys; suggested only where
# the key they stand for is allowed.
SYNONYMS = {
    "tidpunkt": "at", "tid": "at", "klockan": "at", "kanal": "channel", "kanaler": "channels",
    "från": "from", "fran": "from", "avsändare": "from", "avsandare": "from", "sender": "from",
    "till": "to", "mottagare": "to", "ämne": "subject", "amne": "subject", "rubrik": "title",
    "titel": "title", "beskrivning": "description", "namn": "name", "typ": "type", "meddelande": "text",
    "prioritet": "priority", "förväntan": "expect", "forvantan": "expect",
    "förväntat": "expect", "inom": "within", "efter": "after", "när": "when", "nar": "when",
    "villkor": "when", "fördröjning": "delay", "fordrojning": "delay", "roller": "roles", "roll": "role",
    "inspel": "injects", "mål": "objectives", "övningsmål": "objectives", "fakta": "facts",
    "personer": "personas", "checklistor": "checklists", "punkter": "items", "anteckning": "note",
    "åtgärd": "action", "atgard": "action", "handling": "action", "längd": "duration", "langd": "duration",
    "varaktighet": "duration", "språk": "language", "sprak": "language",
    "kommun": "organisation", "ämnen": "topics", "nyckelord": "keywords", "tråd": "thread",
    "trådar": "threads", "mallar": "templates", "andel": "share", "redaktion": "outlet", "tidning": "outlet",
    "slag": "kind", "sort": "kind", "storlek": "size", "frö": "seed", "slut": "end", "början": "start",
    "deadline": "within", "senast": "by", "avslöjar": "reveals", "telefon": "phone", "epost": "email",
    "e-post": "email", "folkmängd": "population", "invånare": "population",
}  # fmt: skip

_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O", " ": "-"})


def choices(expected: str) -> list[str]:
    """The values in pydantic's `expected` ("'a', 'b' or 'c'", or enum members' reprs)."""
    return re.findall(r"'([^']*)'", expected)


def or_list(values: list[str]) -> str:
    """`a, b eller c` (`a, b or c`)."""
    if len(values) < 2:
        return "".join(values)
    return t("list.or", items=", ".join(values[:-1]), last=values[-1])


def key_synonym(key: str, allowed: list[str]) -> str | None:
    hint = SYNONYMS.get(key.lower())
    return t("err.key_synonym", key=key, hint=hint) if hint in allowed and hint != key else None


def _ascii(value: str, allowed: str) -> str | None:
    """`value` with å/ä/ö (and accents, spaces) written as the pattern allows, or None if that does not help."""
    text = unicodedata.normalize("NFKD", value.translate(_ASCII))
    text = "".join(c for c in text if not unicodedata.combining(c))
    if allowed == FACT_PATTERN:
        text = text.replace("-", "_")
    return text if text != value and re.match(allowed, text) else None


def pattern(key: str, value: Any, regex: str) -> str | None:
    """An id or a fact name that breaks its pattern: say which characters, and the spelling that works."""
    if not isinstance(value, str):
        return None
    if key == value:  # a mapping's key (a fact's name under `facts:`): name the mapping
        key = "facts"
    if regex == FACT_PATTERN:
        message = t("err.fact_pattern", key=key, value=value)
    elif regex == ID_PATTERN:
        message = t("err.id_pattern", key=key, value=value)
    else:
        return None
    hint = _ascii(value, regex)
    return f"{message} {t('err.did_you_mean', hint=hint)}" if hint else message


def decimal_comma(key: str, value: Any) -> str | None:
    if isinstance(value, str) and _DECIMAL_COMMA.match(value.strip()):
        return t("err.decimal_comma", key=key, value=value, fixed=value.strip().replace(",", "."))
    return None


def flow_decimal_comma(text: str, offset: int, key: str) -> str | None:
    """A key made of digits right after `name: 0,` in a flow mapping: `{share: 0,9}` read as 0 and a key 9."""
    if not key.isdigit():
        return None
    match = re.search(r"([\w-]+)[ \t]*:[ \t]*([-+]?\d+),[ \t]*$", text[max(0, offset - 80) : offset])
    if match is None:
        return None
    name, whole = match.groups()
    fixed = f"{whole}.{key}"
    return t("err.decimal_comma_flow", key=name, value=f"{whole},{key}", value_head=whole, fixed=fixed, extra=key)


def clock_time(key: str, value: Any, source: str, start: Any) -> str | None:
    """A time of day (`09:15`, `09.15`) where a time counted from the drill's start belongs."""
    if key not in _FROM_START or not isinstance(value, str | float):
        return None
    match = _CLOCK.match(source.strip())
    if match is None:
        return None
    clock = int(match.group(1)) * 3600 + int(match.group(2)) * 60
    written = f"{int(match.group(1)):02d}:{match.group(2)}"
    begins = _start(start)
    if begins is None:
        return t("err.clock_time_no_start", key=key, value=source.strip())
    since = clock - (begins.hour * 3600 + begins.minute * 60)
    fields = {"key": key, "value": source.strip(), "start": f"{begins:%H:%M}", "clock": written}
    if since < 0:
        return t("err.clock_time_before", **fields)
    return t("err.clock_time", fixed=format_duration(since), **fields)


def _start(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
