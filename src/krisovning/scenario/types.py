"""Shared field types of the scenario format, with their bounds."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from krisovning.scenario.durations import DURATION_PATTERN, parse_duration
from krisovning.vocab import (  # the scenario format's enums live in the one vocabulary
    PUBLIC_CHANNELS,
    ActionKind,
    InjectChannel,
    PersonaKind,
    PostCategory,
    Priority,
    PublishChannel,
    Sentiment,
)

# Bounds keep a hostile or mistaken file from exhausting memory or time (see docs/scenario-format.md).
MAX_TEXT = 10_000
MAX_TITLE = 200
MAX_DURATION = 7 * 24 * 3600
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"


class Strict(BaseModel):
    """Every scenario object: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _to_seconds(value: Any) -> int:
    if isinstance(value, str):
        if value.strip().startswith("-"):
            raise PydanticCustomError("negative_duration", "negative duration {value!r}", {"value": value})
        try:
            seconds = parse_duration(value)
        except ValueError:  # more digits than Python turns into an int: far beyond any bound
            raise PydanticCustomError("duration_too_long", "duration too long: {value!r}", {"value": value}) from None
        if seconds is None:
            raise PydanticCustomError("duration", "not a duration: {value!r}", {"value": value})
        if seconds > MAX_DURATION:
            raise PydanticCustomError("duration_too_long", "duration too long: {value!r}", {"value": value})
        return seconds
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        return 0
    raise PydanticCustomError("duration_type", "expected a duration such as 15m", {"value": repr(value)})


Duration = Annotated[
    int,
    BeforeValidator(_to_seconds),
    # `_to_seconds` takes a text such as 15m, or the number 0 (and no other number). No description here:
    # an editor would show it instead of the property's own (scenario/schema_sv.py says what each one counts).
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": DURATION_PATTERN}, {"const": 0}]}),
]

# How `start` is written: a date, or a date and a time of day (seconds and a zone may be left out).
START_PATTERN = r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"
_START = re.compile(START_PATTERN)


def _start_text(value: Any) -> Any:
    """Only the forms `START_PATTERN` allows (pydantic alone also takes 1700000000 or 2026-10-17_08:00)."""
    if isinstance(value, str) and not _START.match(value):
        raise PydanticCustomError("datetime_parsing", "not a date and time: {value!r}", {"value": value})
    if not isinstance(value, (str, datetime)):
        raise PydanticCustomError("datetime_type", "not a date and time: {value!r}", {"value": repr(value)})
    return value


StartTime = Annotated[
    datetime,
    BeforeValidator(_start_text),
    # JSON Schema's `format: date-time` needs seconds and a zone, which scenario files leave out.
    WithJsonSchema({"type": "string", "pattern": START_PATTERN, "examples": ["2026-10-17T08:00"]}),
]
Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TITLE)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
MAX_WEIGHT = 1_000_000


def _bounded_weight(value: float) -> float:
    if not value <= MAX_WEIGHT:  # also infinity: the engine draws from the sum of the weights
        raise PydanticCustomError("less_than_equal", "Input should be less than or equal to {le}", {"le": MAX_WEIGHT})
    return value


# A relative weight (`mix`, `sentiment`): the weights need not add up to 1, but must stay finite.
Weight = Annotated[float, Field(ge=0), AfterValidator(_bounded_weight)]


__all__ = [
    "ID_PATTERN",
    "MAX_DURATION",
    "MAX_TEXT",
    "MAX_TITLE",
    "MAX_WEIGHT",
    "PUBLIC_CHANNELS",
    "START_PATTERN",
    "ActionKind",
    "Duration",
    "Identifier",
    "InjectChannel",
    "PersonaKind",
    "PostCategory",
    "Priority",
    "PublishChannel",
    "Sentiment",
    "Share",
    "StartTime",
    "Strict",
    "Text",
    "Title",
    "Weight",
]
