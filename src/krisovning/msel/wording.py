"""The words an MSEL uses for channels, expected actions and conditions — both ways.

Export writes them in the chosen language; import reads either language, so a sheet
exported in English imports as well as one exported in Swedish.
"""

from __future__ import annotations

import re
from typing import Any

from krisovning.i18n import LANGUAGES, t_in
from krisovning.msel.columns import action_of, norm, publish_channels_of
from krisovning.msel.keys import (
    ACTION_WORD_KEYS,
    CHANNEL_WORD_KEYS,
    CONDITION_KEYS,
    METRIC_KEYS,
    PUBLISH_WORD_KEYS,
    word,
)
from krisovning.msel.problems import CellError
from krisovning.msel.times import format_offset, parse_deadline
from krisovning.scenario.durations import format_duration
from krisovning.scenario.types import MAX_TEXT
from krisovning.vocab import EXPECTED_ACTIONS


def channel_label(channel: str, lang: str) -> str:
    return word(lang, CHANNEL_WORD_KEYS, channel)


def action_label(action: str, lang: str) -> str:
    return word(lang, ACTION_WORD_KEYS, action)


def publish_label(channel: str, lang: str) -> str:
    return word(lang, PUBLISH_WORD_KEYS, channel)


# --- expectations ---


def describe_expectation(expect: Any, lang: str) -> str:
    """`Publicera (webb, sociala medier): Lägg ut ett första besked` — readable, and read back exactly."""
    text = action_label(str(expect.action), lang)
    if expect.channels:
        text += " (" + ", ".join(publish_label(c.value, lang) for c in expect.channels) + ")"
    if expect.description and expect.description.strip():
        text += ": " + expect.description.strip()
    return text


_LABELS = {norm(action_label(a, lang)): a for a in EXPECTED_ACTIONS for lang in LANGUAGES}
_STRUCTURED = re.compile(r"^(?P<label>[^:(]+?)\s*(?:\((?P<channels>[^)]*)\))?\s*(?::\s*(?P<desc>.*))?$", re.DOTALL)


def parse_expectation(
    text: str | None, deadline: int | None, default_within: int
) -> tuple[dict[str, Any] | None, str | None]:
    """An `expect:` mapping for an expected-action cell, or (None, why) when it names no action."""
    if not text:
        return None, None
    action: str | None = None
    channels: list[str] | None = None
    description: str | None = text
    match = _STRUCTURED.match(text)
    if match and norm(match["label"]) in _LABELS:
        action = _LABELS[norm(match["label"])]
        description = (match["desc"] or "").strip() or None
        if match["channels"] is not None:
            channels = publish_channels_of(match["channels"])
    if action is None:
        action = action_of(text)
        if action is None:
            return None, "unknown"
        if action == "publish":
            channels = publish_channels_of(text) or None
    expect: dict[str, Any] = {"action": action, "within": deadline or default_within}
    if action == "publish" and channels:
        expect["channels"] = channels
    if description:
        expect["description"] = description[:MAX_TEXT]
    return expect, None


# --- conditions (after / when) ---


def describe_condition(inject: Any, lang: str) -> str:
    """A readable `Villkor` for an inject that has no fixed time."""
    if inject.after is not None:
        text = t_in(lang, "msel.cond.after", id=inject.after)
    else:
        when = inject.when
        kind = when.type
        if kind in ("missed", "met"):
            text = word(lang, CONDITION_KEYS, kind, id=when.inject)
        elif kind in ("action", "no_action"):
            kind_of_action = when.action.value if when.action.value in EXPECTED_ACTIONS else "checklist"
            action = action_label(kind_of_action, lang)
            if when.channels:
                action += " (" + ", ".join(publish_label(c.value, lang) for c in when.channels) + ")"
            if kind == "action":
                text = t_in(lang, "msel.cond.action", action=action)
            else:
                text = t_in(lang, "msel.cond.no_action", action=action, time=format_offset(when.by))
        else:
            metric = word(lang, METRIC_KEYS, when.metric)
            if when.above is not None:
                text = t_in(lang, "msel.cond.metric_above", metric=metric, value=f"{when.above:g}")
            else:
                text = t_in(lang, "msel.cond.metric_below", metric=metric, value=f"{when.below:g}")
    if inject.delay:
        text += f" + {format_duration(inject.delay)}"
    return text


_REF = r"(?:inspel(?:et)?\s+|inject\s+)?(?P<ref>[^\s+]+)"
_DELAY = r"(?:\s*\+\s*(?P<delay>.+?))?"
_CONDITIONS = [
    ("after", re.compile(rf"^(?:efter|after)\s+{_REF}{_DELAY}\s*$", re.IGNORECASE)),
    ("missed", re.compile(rf"^(?:om|if|när|when)\s+{_REF}\s+(?:missas|is missed|missed)\b{_DELAY}\s*$", re.IGNORECASE)),
    ("met", re.compile(rf"^(?:om|if|när|when)\s+{_REF}\s+(?:uppfylls|is met|met)\b{_DELAY}\s*$", re.IGNORECASE)),
]


def parse_condition(text: str) -> tuple[str, str, int] | None:
    """(`after` / `missed` / `met`, the inject it names, delay in seconds), or None."""
    for kind, pattern in _CONDITIONS:
        match = pattern.match(" ".join(text.split()))
        if match:
            delay = 0
            if match["delay"]:
                try:
                    delay = parse_deadline(match["delay"]) or 0
                except CellError:
                    return None
            return kind, match["ref"], delay
    return None
