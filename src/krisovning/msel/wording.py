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
from krisovning.scenario.model import HOLD
from krisovning.scenario.types import MAX_TEXT
from krisovning.vocab import EXPECTED_ACTIONS


def channel_label(channel: str, lang: str) -> str:
    return word(lang, CHANNEL_WORD_KEYS, channel)


def action_label(action: str, lang: str) -> str:
    return word(lang, ACTION_WORD_KEYS, action)


def publish_label(channel: str, lang: str) -> str:
    return word(lang, PUBLISH_WORD_KEYS, channel)


# --- expectations ---


def describe_expectation(expect: Any, lang: str, do_not_answer: bool = False) -> str:
    """`Publicera (webb, sociala medier) [ämnen: kokning]: Lägg ut ett första besked` — readable, and read
    back exactly. The brackets hold what a message must say (`topics`, `answers`), what ends a hold
    (`until`) and the inject's `do_not_answer`; a cell with only `[svara inte]` is an inject with no expectation."""
    content = [t_in(lang, "msel.expect.do_not_answer")] if do_not_answer else []
    if expect is None:
        return f"[{content[0]}]" if content else ""
    text = action_label(str(expect.action), lang)
    if expect.channels:
        text += " (" + ", ".join(publish_label(c.value, lang) for c in expect.channels) + ")"
    if expect.topics:
        content.append(t_in(lang, "msel.expect.topics", ids=", ".join(expect.topics)))
    if expect.answers:
        content.append(t_in(lang, "msel.expect.answers", id=expect.answers))
    if expect.until:
        content.append(t_in(lang, "msel.expect.until", id=expect.until))
    if content:
        text += " [" + "; ".join(content) + "]"
    if expect.description and expect.description.strip():
        text += ": " + expect.description.strip()
    return text


_LABELS = {norm(action_label(a, lang)): a for a in (*EXPECTED_ACTIONS, HOLD) for lang in LANGUAGES}
_STRUCTURED = re.compile(
    r"^(?P<label>[^:(\[]*?)\s*(?:\((?P<channels>[^)]*)\))?\s*(?:\[(?P<content>[^\]]*)\])?\s*(?::\s*(?P<desc>.*))?$",
    re.DOTALL,
)
_IDS = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _prefixes(key: str, field: str) -> tuple[str, ...]:
    """The catalogue's `ämnen:` / `topics:` before the field, in every language, case-folded."""
    return tuple(t_in(lang, key, **{field: ""}).strip().casefold() for lang in LANGUAGES)


_TOPICS, _ANSWERS, _UNTIL = (
    _prefixes("msel.expect.topics", "ids"),
    _prefixes("msel.expect.answers", "id"),
    _prefixes("msel.expect.until", "id"),
)
_DO_NOT_ANSWER = {norm(t_in(lang, "msel.expect.do_not_answer")) for lang in LANGUAGES}


def _content(text: str) -> dict[str, Any] | None:
    """The bracket's parts as `topics` / `answers` / `until` / `do_not_answer`; None when one part is
    not one of them (the cell is then read as free text)."""
    found: dict[str, Any] = {}
    for part in (p.strip() for p in text.split(";")):
        folded = " ".join(part.split()).casefold()
        if not part:
            continue
        if norm(part) in _DO_NOT_ANSWER:
            found["do_not_answer"] = True
            continue
        for name, prefixes in (("topics", _TOPICS), ("answers", _ANSWERS), ("until", _UNTIL)):
            prefix = next((p for p in prefixes if folded.startswith(p)), None)
            if prefix is None:
                continue
            values = [v.strip() for v in folded[len(prefix) :].split(",") if v.strip()]
            if not values or not all(_IDS.match(v) for v in values) or (name != "topics" and len(values) > 1):
                return None
            found[name] = values if name == "topics" else values[0]
            break
        else:
            return None
    return found


def parse_expectation(
    text: str | None, deadline: int | None, default_within: int
) -> tuple[dict[str, Any] | None, str | None, bool]:
    """An `expect:` mapping for an expected-action cell, or (None, why) when it names no action; and
    whether the cell marks the inject `do_not_answer`."""
    if not text:
        return None, None, False
    action: str | None = None
    channels: list[str] | None = None
    description: str | None = text
    content: dict[str, Any] = {}
    match = _STRUCTURED.match(text)
    parts = _content(match["content"]) if match and match["content"] is not None else {}
    alone = match is not None and not match["label"].strip() and match["channels"] is None and match["desc"] is None
    if alone and parts == {"do_not_answer": True}:  # `[svara inte]`: no expectation, only the marking
        return None, None, True
    if match and parts is not None and norm(match["label"]) in _LABELS:
        action = str(_LABELS[norm(match["label"])])
        description = (match["desc"] or "").strip() or None
        content = parts
        if match["channels"] is not None:
            channels = publish_channels_of(match["channels"])
    if action is None:
        action = action_of(text)
        if action is None:
            return None, "unknown", False
        if action == "publish":
            channels = publish_channels_of(text) or None
    expect: dict[str, Any] = {"action": action, "within": deadline or default_within}
    if action == "publish" and channels:
        expect["channels"] = channels
    if description:
        expect["description"] = description[:MAX_TEXT]
    if content.get("topics") and action in ("publish", "decision", HOLD):
        expect["topics"] = content["topics"]
    if content.get("answers") and action == "publish":
        expect["answers"] = content["answers"]
    if content.get("until") and action == HOLD:
        expect["until"] = content["until"]
    if action == HOLD and "topics" not in expect:
        return None, "unknown", False  # a hold says what must not be published
    return expect, None, bool(content.get("do_not_answer"))


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
            if when.thread is not None:  # not read back: the social model has no column (msel/carry.py)
                metric += " " + t_in(lang, "msel.cond.in_thread", thread=when.thread)
            if when.above is not None:
                text = t_in(lang, "msel.cond.metric_above", metric=metric, value=_number(when.above))
            else:
                text = t_in(lang, "msel.cond.metric_below", metric=metric, value=_number(when.below))
    if inject.delay:
        text += f" + {format_duration(inject.delay)}"
    return text


def _number(value: float) -> str:
    """`600`, `0.2`: short, and read back as the same number."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


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


# --- conditions on the world (action / no_action / metric), as describe_condition writes them ---

_ALL_ACTIONS = EXPECTED_ACTIONS + ("checklist",)
_ACTION_LABELS = {norm(action_label(a, lang)): a for a in _ALL_ACTIONS for lang in LANGUAGES}
_METRIC_LABELS = {norm(word(lang, METRIC_KEYS, m)): m for m in METRIC_KEYS for lang in LANGUAGES}


def _pattern(lang: str, key: str, **groups: str) -> re.Pattern[str]:
    """The catalogue's sentence for `key` as a pattern, each field a named group."""
    marked = t_in(lang, key, **{name: f"\x00{name}\x00" for name in groups})
    body = re.escape(marked)
    for name, group in groups.items():
        body = body.replace(re.escape(f"\x00{name}\x00"), f"(?P<{name}>{group})")
    return re.compile(rf"^{body}(?:\s*\+\s*(?P<delay>\S+))?$", re.IGNORECASE)


_WORLD = [
    (kind, _pattern(lang, key, **groups))
    for lang in LANGUAGES
    for kind, key, groups in (
        ("action", "msel.cond.action", {"action": r".+?"}),
        ("no_action", "msel.cond.no_action", {"action": r".+?", "time": r"T\+[0-9:]+"}),
        ("above", "msel.cond.metric_above", {"metric": r".+?", "value": r"[0-9.eE+-]+"}),
        ("below", "msel.cond.metric_below", {"metric": r".+?", "value": r"[0-9.eE+-]+"}),
    )
]


def parse_world_condition(text: str) -> tuple[dict[str, Any], int] | None:
    """A `when` on the players' actions or on a metric, and its delay, from the Condition text the
    export writes (in either language); None when it is not one."""
    text = " ".join(text.split())
    for kind, pattern in _WORLD:
        match = pattern.match(text)
        if match is None:
            continue
        try:
            delay = (parse_deadline(match["delay"]) or 0) if match["delay"] else 0
        except CellError:
            return None
        if kind in ("above", "below"):
            metric = _METRIC_LABELS.get(norm(match["metric"]))
            try:
                value = float(match["value"])
            except ValueError:
                return None
            if metric is None:
                return None
            return {"type": "metric", "metric": metric, kind: value}, delay
        found = _STRUCTURED.match(match["action"])
        action = _ACTION_LABELS.get(norm(found["label"])) if found else None
        if found is None or action is None:
            return None
        when: dict[str, Any] = {"type": kind, "action": str(getattr(action, "value", action))}
        if found["channels"] is not None:
            when["channels"] = publish_channels_of(found["channels"])
        if kind == "no_action":
            hours, _, rest = match["time"][2:].partition(":")
            minutes, _, seconds = rest.partition(":")
            when["by"] = format_duration(int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0))
        return when, delay
    return None


_IN_THREAD = [
    re.escape(t_in(lang, "msel.cond.in_thread", thread="\x00")).replace(re.escape("\x00"), r"\S+") for lang in LANGUAGES
]


def names_thread(text: str) -> bool:
    """Whether a Condition text is on one thread's rate (which a spreadsheet cannot bring back)."""
    return any(re.search(pattern, " ".join(text.split()), re.IGNORECASE) for pattern in _IN_THREAD)
