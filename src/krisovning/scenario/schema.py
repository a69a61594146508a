"""The JSON Schema of scenario files, for editors (yaml-language-server) and other tools.

pydantic writes the shapes; the rules the models check in code (`model_validator`s in model.py)
are added here as draft-07 `oneOf` / `if` / `then`, so that a standard validator refuses what
`krisovning validate` refuses. The Swedish descriptions editors show on hover are in schema_sv.py.
"""

from __future__ import annotations

from typing import Any

from krisovning.scenario.durations import DURATION_PATTERN
from krisovning.scenario.model import Scenario
from krisovning.scenario.schema_sv import describe

SCHEMA_ID = "urn:krisovning:scenario:1"

_NOT_NULL = {"not": {"type": "null"}}
# A duration of no time at all: `0`, or a text such as `0m` (`_to_seconds` in types.py gives 0 seconds).
_ZERO = {"anyOf": [{"const": 0}, {"type": "string", "pattern": DURATION_PATTERN.replace(r"\d+", "0+")}]}


def _given(*names: str) -> dict[str, Any]:
    """The keys are present and not null (`at:` with no value counts as not given, as in the model)."""
    return {"required": list(names), "properties": {name: _NOT_NULL for name in names}}


def _non_empty(name: str) -> dict[str, Any]:
    return {"required": [name], "properties": {name: {"type": "array", "minItems": 1}}}


def _only_if(when: dict[str, Any], key: str, value: str) -> dict[str, Any]:
    """`when` holds only if `key` is `value`."""
    return {"if": when, "then": {"properties": {key: {"const": value}}}}


# What the models' validators say (model.py), per definition.
_RULES: dict[str, list[dict[str, Any]]] = {
    "Inject": [  # Inject._one_trigger
        {"oneOf": [_given("at"), _given("after"), _given("when")]},
        {"if": _given("at"), "then": {"properties": {"delay": _ZERO}}},
    ],
    "WhenMetric": [{"oneOf": [_given("above"), _given("below")]}],  # WhenMetric._one_threshold
    "Expectation": [_only_if(_non_empty("channels"), "action", "publish")],
    "SocialReaction": [  # SocialReaction._fields_fit
        {"if": {"properties": {"on": {"const": "silence"}}}, "then": _given("after")},
        _only_if(_non_empty("channels"), "on", "publish"),
        _only_if(_non_empty("injects"), "on", "missed"),
        _only_if(_non_empty("topics"), "on", "publish"),
    ],
}


def scenario_schema() -> dict[str, Any]:
    body = Scenario.model_json_schema(by_alias=True, mode="validation")
    definitions = body["$defs"]
    for name, rules in _RULES.items():
        definitions[name]["allOf"] = rules
    body["properties"]["facts"]["additionalProperties"] = False  # a name outside the pattern is refused
    describe(body)
    # draft-07 is what yaml-language-server validates with; pydantic emits nothing newer than it uses.
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "krisovning scenario",
        **{k: v for k, v in body.items() if k != "title"},
    }
