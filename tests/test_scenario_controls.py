"""`validate` refuses control characters in scenario texts, at the escape that wrote them (FILE:LINE:COL).

`title: "Stormen \\e]2;PWNED\\a"` used to validate, and `validate` then set the terminal's title.
Raw control characters are refused by the YAML reader already; a double-quoted scalar's escapes
(`\\e`, `\\x1b`, `\\u009b`, `\\N` …) were the way in. Tab and newline stay allowed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import STARTER
from hostile import CONTROL, has_raw_control
from test_scenario_bad_files import line_of, mutate

from krisovning.i18n import t
from krisovning.scenario import ScenarioError, load_scenario_bytes
from krisovning.textsafe import first_control, visible

# Where a text can stand: (what to replace in the starter, the replacement with {} for the YAML scalar).
FIELDS = {
    "title": ("title: Stormen över Sjöstad", "title: {}"),
    "organisation": ("  name: Sjöstads kommun", "  name: {}"),
    "role": ("    name: Kommunikationschef", "    name: {}"),
    "fact": ("  natbolag: Sjöstad Energi", "  natbolag: {}"),
    "persona": ("    name: Karin Ek", "    name: {}"),
    "checklist item": ("        text: Samla kommunikationsfunktionen", "        text: {}"),
    "objective": ("    title: Första beskedet inom en timme", "    title: {}"),
    "generator template": ('      - "Var kan man ladda telefonen i Sjöstad?"', "      - {}"),
    "post template": ('    criticism: ["Varför säger kommunen ingenting?"]', "    criticism: [{}]"),
    "a key": ("  vaktnummer:", "  {}:"),
}
# Each control character as the escapes a YAML author may write it with.
ESCAPES = {
    "\\e": "\x1b",
    "\\x1b": "\x1b",
    "\\u001b": "\x1b",
    "\\a": "\x07",
    "\\0": "\x00",
    "\\x7f": "\x7f",
    "\\x9b": "\x9b",
    "\\u009d": "\x9d",
    "\\N": "\x85",
    "\\r": "\r",
    "\\b": "\x08",
    "\\U0000001b": "\x1b",
}


def problem_of(text: str) -> tuple[int, int, str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(text.encode("utf-8"), "s.yaml")
    (problem,) = info.value.problems
    return problem.line, problem.column, problem.message


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("escape", ESCAPES)
def test_an_escaped_control_character_is_refused_where_it_was_written(field: str, escape: str) -> None:
    old, new = FIELDS[field]
    scalar = f'"Före \\\\e och {escape}]2;PWNED efter"'  # `\\e` is an escaped backslash: text, not ESC
    text = mutate(old, new.format(scalar))
    line = line_of(text, "PWNED")
    column = text.split("\n")[line - 1].index(escape + "]2;") + 1
    assert problem_of(text) == (line, column, t("yaml.control_in_text", char=visible(ESCAPES[escape])))


@pytest.mark.parametrize("hostile", CONTROL)
def test_every_hostile_control_string_is_refused(hostile: str) -> None:
    # json.dumps writes a YAML double-quoted scalar: \u001b for ESC, \r, \u0000 …; C1 and DEL stay raw.
    scalar = json.dumps(hostile, ensure_ascii=True)
    line, column, message = problem_of(mutate("title: Stormen över Sjöstad", f"title: {scalar}"))
    assert line == line_of(STARTER, "title: Stormen över Sjöstad")
    first = hostile[first_control(hostile)]
    assert column == len("title: ") + 1 + scalar.index(json.dumps(first)[1:-1])
    assert visible(first) in message


def test_tab_and_newline_stay_allowed() -> None:
    text = mutate("title: Stormen över Sjöstad", 'title: "Stormen\\töver\\nSjöstad \\\\e \\\\x1b"')
    scenario = load_scenario_bytes(text.encode("utf-8"), "s.yaml")
    assert scenario.title == "Stormen\töver\nSjöstad \\e \\x1b"


def test_a_control_character_in_a_block_or_single_quoted_text_cannot_be_written() -> None:
    # Without escapes the only way would be raw, which the reader refuses (at its own position).
    raw = mutate("title: Stormen över Sjöstad", "title: 'Stormen \x1b]2;PWNED\x07'")
    line, column, _ = problem_of(raw)
    assert (line, column) == (line_of(raw, "PWNED"), len("title: 'Stormen ") + 1)


def test_validate_prints_the_position_and_no_control_character(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(mutate("title: Stormen över Sjöstad", 'title: "Stormen \\e]2;PWNED\\a"'), encoding="utf-8")
    code, out, err = run_cli("validate", path, "--lang", "en")
    assert code == 1
    line = line_of(path.read_text(encoding="utf-8"), "PWNED")
    assert f"{path}:{line}:17: the control character \\x1b is not allowed in a text" in out
    assert not has_raw_control(out + err)
