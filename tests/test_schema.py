"""The committed JSON Schema (for editors) matches the model and stays within draft-07 + `$defs`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
from conftest import STARTER

from krisovning.cli.commands_scenario import schema_text
from krisovning.scenario import scenario_schema
from krisovning.scenario.types import ID_PATTERN
from krisovning.scenario.yamlsource import parse

COMMITTED = Path(__file__).resolve().parents[1] / "schema" / "scenario.schema.json"
REGENERATE = "krisovning schema -o schema/scenario.schema.json --force"

# Keywords of JSON Schema 2019-09 / 2020-12 that draft-07 tools (yaml-language-server) do not know.
NEWER_KEYWORDS = {
    "prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentSchemas", "dependentRequired",
    "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$anchor", "$vocabulary",
    "minContains", "maxContains", "contentSchema",
}  # fmt: skip
NAME_MAPS = {"properties", "patternProperties", "$defs", "definitions", "mapping"}  # their keys are names
DATA = {"default", "examples", "const", "enum"}  # their values are data, not schemas


def keywords(node: Any) -> Iterator[tuple[str, str]]:
    """(keyword, where) for every schema keyword in `node`."""

    def walk(node: Any, where: str) -> Iterator[tuple[str, str]]:
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, f"{where}/{i}")
        elif isinstance(node, dict):
            for key, value in node.items():
                yield key, where
                if key in DATA:
                    continue
                if key in NAME_MAPS and isinstance(value, dict):
                    for name, sub in value.items():
                        yield from walk(sub, f"{where}/{key}/{name}")
                else:
                    yield from walk(value, f"{where}/{key}")

    yield from walk(node, "#")


def test_committed_schema_is_current() -> None:
    assert COMMITTED.is_file(), f"run: {REGENERATE}"
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), f"the model changed; run: {REGENERATE}"


def test_schema_is_deterministic_json() -> None:
    assert schema_text() == schema_text()
    assert json.loads(schema_text()) == scenario_schema()


def test_only_draft_07_keywords_plus_defs() -> None:
    schema = scenario_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    used = {key for key, _ in keywords(schema)}
    assert used & NEWER_KEYWORDS == set()
    assert "$defs" in used  # the one 2019+ name we accept: draft-07 tools resolve it as a JSON pointer


def test_the_keyword_walker_finds_newer_keywords() -> None:
    sample = {"properties": {"prefixItems": {"type": "string"}}, "$defs": {"A": {"unevaluatedProperties": False}}}
    assert {k for k, _ in keywords(sample)} & NEWER_KEYWORDS == {"unevaluatedProperties"}


def test_every_reference_resolves() -> None:
    schema = scenario_schema()
    refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(schema)))
    assert refs
    for ref in refs:
        assert ref.startswith("#/$defs/"), ref
        assert ref.removeprefix("#/$defs/") in schema["$defs"], ref


def test_every_object_refuses_unknown_keys() -> None:
    schema = scenario_schema()
    objects = {"#": schema} | {
        name: d for name, d in schema["$defs"].items() if d.get("type") == "object" and "properties" in d
    }
    assert len(objects) > 20
    assert [name for name, d in objects.items() if d.get("additionalProperties") is not False] == []


def test_inject_sender_is_spelled_from() -> None:
    inject = scenario_schema()["$defs"]["Inject"]
    assert "from" in inject["properties"] and "sender" not in inject["properties"]
    assert {"id", "channel", "from", "to", "text"} <= set(inject["required"])


def test_duration_pattern_accepts_what_the_loader_accepts() -> None:
    durations = [d for _, d in _durations(scenario_schema())]
    assert durations
    pattern = re.compile(durations[0]["pattern"])
    assert all(d["pattern"] == durations[0]["pattern"] for d in durations)
    for good in ("15m", "1h30m", "90s", "2h", "1h 30m", "10min"):
        assert pattern.match(good), good
    for bad in ("8 minuter", "-5m", "1d", "15"):
        assert not pattern.match(bad), bad


def _durations(node: Any, where: str = "#") -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        if str(node.get("description", "")).startswith("Duration such as"):
            yield where, node
        for key, value in node.items():
            yield from _durations(value, f"{where}/{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _durations(item, where)


def test_starter_keys_are_in_the_schema() -> None:
    schema = scenario_schema()
    data = parse(STARTER).data
    assert set(data) <= set(schema["properties"])
    assert re.fullmatch(ID_PATTERN.strip("^$"), data["id"])


def test_starter_validates_against_the_schema() -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    data = parse(STARTER).data
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(data), key=str)
    assert errors == []
    broken = dict(data, unknown_key=1)
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))
