"""The scenario format's world keys (docs/scenario-format.md): alternations, post templates with conditions and
facts, non-public facts and `reveals` — each mistake named at its FILE:LINE:COLUMN, in Swedish and English;
and `preview` shows the expected posts per hour."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from krisovning.i18n import set_language
from krisovning.scenario import ScenarioError, load_scenario_bytes

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "dricksvatten.yaml"
TEXT = SCENARIO.read_text(encoding="utf-8")


def mutate(old: str, new: str) -> str:
    assert TEXT.count(old) == 1, old
    return TEXT.replace(old, new)


def position(text: str, needle: str, part: str) -> tuple[int, int]:
    """1-based line and column of `part` on the first line of `needle` (which occurs once)."""
    assert text.count(needle) == 1, needle
    line = text[: text.index(needle)].count("\n") + 1
    row = text.split("\n")[line - 1]
    return line, row.index(part, len(row) - len(row.lstrip()) if part == "|" else 0) + 1


CASES = [
    (  # an alternation left open in a post template
        "      - Hörde att det är {avloppsvatten|avlopp} i kranen!\n",
        "      - Hörde att det är {avloppsvatten|avlopp i kranen!\n",
        "avlopp i kranen!",
        "Hörde",
        "ostängd klammerparentes",
        "unclosed brace",
    ),
    (  # alternatives where no one draws them: an inject's text (named at its value, as every template check)
        "    text: |\n      Här är det vi står för just nu:\n",
        "    text: |\n      {Här är|Detta är} det vi står för just nu:\n",
        "text: |\n      {Här är|Detta är}",
        "|",
        "bara i mallar för inlägg",
        "only work in social-media post templates",
    ),
    (  # a fact no one declared, revealed by an inject
        "    reveals: [drabbade_invanare, kokningsrekommendation]\n",
        "    reveals: [drabbade_invanarna, kokningsrekommendation]\n",
        "drabbade_invanarna",
        "drabbade_invanarna",
        'menade du "drabbade_invanare"',
        'did you mean "drabbade_invanare"',
    ),
    (  # a fact that was public all along needs no revealing
        "    reveals: [kokningsrekommendation, drabbat_omrade]",
        "    reveals: [kokningsrekommendation, tatort]",
        "reveals: [kokningsrekommendation, tatort]",
        "tatort",
        "redan offentligt",
        "public already",
    ),
    (  # a template's facts must be facts
        '        facts: [kokningsrekommendation]\n      - text: "{Info|Viktigt}',
        '        facts: [kokningsrekommendationen]\n      - text: "{Info|Viktigt}',
        "kokningsrekommendationen]",
        "kokningsrekommendationen",
        "faktum",
        "fact",
    ),
    (  # a condition naming an inject that does not exist
        "            when: [{type: inject, inject: p4-sandning}]\n",
        "            when: [{type: inject, inject: p4-sandningen}]\n",
        "p4-sandningen",
        "p4-sandningen",
        'menade du "p4-sandning"',
        'did you mean "p4-sandning"',
    ),
    (  # a condition of a kind post templates do not know
        "            when: [{type: inject, inject: p4-sandning}]\n",
        "            when: [{type: rumor, inject: p4-sandning}]\n",
        "type: rumor",
        "{type",  # the condition's mapping
        "rumor",
        "rumor",
    ),
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(("old", "new", "needle", "part", "sv", "en"), CASES)
def test_a_mistake_in_the_world_keys_is_named_at_its_line_and_column(old, new, needle, part, sv, en, lang):
    set_language(lang)
    text = mutate(old, new)
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(text.encode(), "bad.yaml")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.column) == ("bad.yaml", *position(text, needle, part)), problem
    assert (sv if lang == "sv" else en).lower() in problem.message.lower()


def test_validate_prints_file_line_column_and_exits_nonzero(tmp_path: Path, run_cli: Callable) -> None:
    path = tmp_path / "bad.yaml"
    text = mutate(*CASES[0][:2])
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("validate", str(path))
    line, column = position(text, CASES[0][2], CASES[0][3])
    assert code != 0
    assert f"{path}:{line}:{column}:" in out + err
    assert "Traceback" not in out + err


@pytest.mark.parametrize(("lang", "words"), [("sv", "per timme, skalad till 24"), ("en", "per hour, scaled to 24")])
def test_preview_shows_the_expected_posts_per_hour(lang: str, words: str, run_cli: Callable) -> None:
    code, out, _err = run_cli("--lang", lang, "preview", str(SCENARIO), "--runs", "2", "--policy", "realistic")
    assert code == 0
    assert words in out
    rows = out.split(words)[1].splitlines()[2:5]  # the header line, then one row an hour
    assert len(rows) == 3
    for row in rows:
        median = int(row.split()[-2].replace("\u00a0", "").replace(",", ""))
        assert 10 <= median <= 400, row
