"""The committed JSON Schema (for editors) matches the model and stays within draft-07 + `$defs`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import STARTER

from krisovning.cli.commands_scenario import schema_text
from krisovning.scenario import ScenarioError, load_scenario, scenario_schema
from krisovning.scenario.types import ID_PATTERN
from krisovning.scenario.yamlsource import parse

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "schema" / "scenario.schema.json"
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
CORPUS = Path(__file__).resolve().parent / "schema_corpus"  # valid/ and invalid/: one change each from valid/base
VALID = sorted((CORPUS / "valid").glob("*.yaml"))
INVALID = sorted((CORPUS / "invalid").glob("*.yaml"))
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
    assert all(d["anyOf"] == durations[0]["anyOf"] for d in durations)
    text, zero = durations[0]["anyOf"]
    assert zero == {"const": 0}  # the one number the loader takes (`at: 0`)
    pattern = re.compile(text["pattern"])
    for good in ("15m", "1h30m", "90s", "2h", "1h 30m", "10min", " 5m"):
        assert pattern.match(good), good
    for bad in ("8 minuter", "-5m", "1d", "15", "", "  ", "09:15"):
        assert not pattern.match(bad), bad


def _durations(node: Any, where: str = "#") -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        if node.get("anyOf", [])[1:] == [{"const": 0}]:  # types.Duration
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


# --- a standard validator with format checking agrees with `krisovning validate` ---


def check_jsonschema(*files: Path) -> tuple[int, dict[str, list[str]]]:
    """Run check-jsonschema (formats are checked by default): its exit code, and error paths per file."""
    run = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "-o", "json", "--schemafile", str(COMMITTED), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stdout)
    assert report.get("parse_errors", []) == [], report["parse_errors"]
    errors: dict[str, list[str]] = {}
    for error in report["errors"]:
        errors.setdefault(error["filename"], []).append(error["path"])
    return run.returncode, errors


def test_the_corpus_is_there() -> None:
    assert len(VALID) >= 5 and len(INVALID) >= 20


def test_check_jsonschema_accepts_every_bundled_scenario_and_the_valid_corpus() -> None:
    files = [*BUNDLED, *VALID]
    assert len(BUNDLED) >= 5
    code, errors = check_jsonschema(*files)
    assert (code, errors) == (0, {})
    for file in files:
        load_scenario(file)  # and so does the loader


def test_check_jsonschema_accepts_the_new_template(tmp_path: Path) -> None:
    """As an author gets it: `krisovning new` writes the file and, beside it, the schema its first line names."""
    target = tmp_path / "ovning.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "krisovning", "new", str(target)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    named = schema_line(target)
    assert named.is_file()
    code, errors = check_jsonschema(target)
    assert (code, errors) == (0, {})
    assert json.loads(named.read_text(encoding="utf-8")) == scenario_schema()


@pytest.mark.parametrize("file", INVALID, ids=lambda p: p.stem)
def test_the_loader_refuses_the_invalid_corpus(file: Path) -> None:
    with pytest.raises(ScenarioError):
        load_scenario(file)


def test_check_jsonschema_refuses_every_file_of_the_invalid_corpus() -> None:
    code, errors = check_jsonschema(*INVALID)
    assert code == 1
    assert sorted(errors) == sorted(map(str, INVALID))


def test_the_library_with_a_format_checker_agrees() -> None:
    """The same engine check-jsonschema uses, in process: `start` has no `format` a checker would refuse."""
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    for file in [*BUNDLED, *VALID]:
        assert list(validator.iter_errors(parse(file.read_text(encoding="utf-8")).data)) == [], file
    for file in INVALID:
        assert list(validator.iter_errors(parse(file.read_text(encoding="utf-8")).data)), file
    assert '"format": "date-time"' not in COMMITTED.read_text(encoding="utf-8")


def schema_line(file: Path) -> Path:
    """The schema the file's `# yaml-language-server: $schema=` line names (as VS Code's YAML extension reads it)."""
    first = file.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, f"{file}: first line is {first!r}"
    return (file.parent / match.group(1)).resolve()


@pytest.mark.parametrize("file", [*BUNDLED, *VALID], ids=lambda p: p.stem)
def test_the_schema_line_points_at_the_schema(file: Path) -> None:
    assert schema_line(file) == COMMITTED


# --- the texts an editor shows on hover ---


def properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    yield from (("Scenario", key, node) for key, node in schema["properties"].items())
    for name, definition in schema["$defs"].items():
        yield from ((name, key, node) for key, node in definition.get("properties", {}).items())


def test_every_property_has_a_swedish_description_with_examples() -> None:
    found = list(properties(scenario_schema()))
    assert len(found) > 150
    missing = [f"{name}.{key}" for name, key, node in found if not node.get("description") or not node.get("examples")]
    assert missing == []
    english = [
        f"{name}.{key}" for name, key, node in found if re.search(r"\b(the|such as|or|and)\b", node["description"])
    ]
    assert english == []
    assert all("title" not in node for _, _, node in found)  # pydantic's English titles would show instead
    assert [f"{name}.{key}" for name, key, node in found if "`" in node["description"]] == []  # hover is markdown


def test_every_example_is_valid_for_its_property() -> None:
    schema = scenario_schema()
    for name, key, node in properties(schema):
        validator = jsonschema.Draft7Validator({**node, "$defs": schema["$defs"]})
        for example in node["examples"]:
            assert list(validator.iter_errors(example)) == [], f"{name}.{key}: {example!r}"


def test_a_reference_keeps_its_description() -> None:
    """draft-07 ignores keywords beside `$ref`; the property wraps it so its text counts."""
    organisation = scenario_schema()["properties"]["organisation"]
    assert organisation["allOf"] == [{"$ref": "#/$defs/Organisation"}]
    assert "Kommunen" in organisation["description"]
