"""A table of broken scenario files: each names its exact line (and column), in Swedish and English.

Every bad file is the valid starter with one targeted change, and the expected position is
computed from the changed text, so editing the starter does not break these tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import STARTER

from krisovning.scenario import Scenario, ScenarioError, load_scenario, load_scenario_bytes
from krisovning.scenario.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_NODES


def mutate(old: str, new: str, text: str = STARTER) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once in the starter"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """1-based number of the only line containing `needle`."""
    found = [i for i, line in enumerate(text.split("\n"), 1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found}"
    return found[0]


def col_of(text: str, needle: str, part: str | None = None) -> int:
    """1-based column of `part` (default: `needle`) on the line containing `needle`."""
    line = text.split("\n")[line_of(text, needle) - 1]
    return line.index(part if part is not None else needle) + 1


@dataclass
class Case:
    id: str
    content: bytes
    line: int | tuple[int, int]  # a range when the exact node depends on traversal order
    column: int
    sv: str  # a word the Swedish message must contain
    en: str  # ... and the English one
    count: int | None = 1  # how many problems; None = at least one

    def __str__(self) -> str:  # readable pytest ids
        return self.id


def text_case(id: str, text: str, needle: str, part: str | None, sv: str, en: str, **kw) -> Case:
    """A case whose problem stands on the line containing `needle`, at `part` (None: column 1)."""
    column = col_of(text, needle, part) if part is not None else 1
    return Case(id, text.encode("utf-8"), line_of(text, needle), column, sv, en, **kw)


def _cases() -> list[Case]:
    cases: list[Case] = []
    add = cases.append

    # --- YAML syntax ---
    quote = '"Varför säger kommunen ingenting?"'
    text = mutate(quote, quote[:-1])  # the last quoted string in the file never closes
    add(text_case("unterminated-quote", text, "Varför säger", '"', "citattecknet", "quote"))

    text = mutate("  name: Sjöstads kommun\n", "\tname: Sjöstads kommun\n")
    add(text_case("tab-indentation", text, "\tname: Sjöstads", None, "tabbtecken", "tab"))

    text = mutate("language: sv\n", "language: sv\nlanguage: en\n")
    first = line_of(text, "language: sv")
    add(
        text_case(
            "duplicate-key",
            text,
            "language: en",
            "language",
            f"förekommer redan (rad {first})",
            f"appears already (line {first})",
        )
    )

    text = mutate("id: min-ovning\n", "id: min-ovning\n---\nid: andra\n")
    add(text_case("two-documents", text, "---", "---", "flera YAML-dokument", "several YAML documents"))

    # --- the model ---
    text = mutate("    priority: high\n", "    priorty: high\n")
    add(text_case("unknown-key", text, "priorty", "priorty", 'menade du "priority"', 'did you mean "priority"'))

    text = mutate("seed: 1 ", "sed: 1 ")
    add(text_case("unknown-top-level-key", text, "sed: 1", "sed", 'menade du "seed"', 'did you mean "seed"'))

    text = mutate("    size: 100\n", "    size: hundra\n")
    add(text_case("string-for-int", text, "size: hundra", "hundra", "heltal", "whole number"))

    text = mutate("duration: 1h30m ", "duration: 8 minuter ")
    add(text_case("bad-duration", text, "8 minuter", "8 minuter", "tidslängd", "not a duration"))

    text = mutate("    at: 8m\n", "    at: -5m\n")
    add(text_case("negative-time", text, "at: -5m", "-5m", "negativa", "negative"))

    text = mutate("title: Stormen över Sjöstad\n", "")
    add(Case("missing-title", text.encode(), line_of(text, "format: 1"), 1, '"title" saknas', '"title" is missing'))

    text = mutate("      type: situation_picture\n", "      type: situation_pictures\n")
    add(text_case("bad-discriminator", text, "situation_pictures", "type", "inte tillåtet", "not allowed"))

    text = mutate("      type: missed\n", "      type: missed\n      by: 10m\n")
    add(
        text_case(
            "unknown-key-in-condition",
            text,
            "by: 10m",
            "by",
            'okänd nyckel "by" (tillåtna: inject, type)',
            'unknown key "by" (allowed: inject, type)',
        )
    )

    # --- cross-references ---
    text = mutate("    to: kommunikationschef\n", "    to: kommunikationsschef\n")
    add(
        text_case(
            "dangling-role",
            text,
            "kommunikationsschef",
            "kommunikationsschef",
            'roll "kommunikationsschef" finns inte',
            'unknown role "kommunikationsschef"',
        )
    )

    text = mutate("    from: tib\n", "    from: tibb\n")
    add(text_case("dangling-persona", text, "from: tibb", "tibb", 'menade du "tib"', 'did you mean "tib"'))

    text = mutate("    at: 8m\n", "    after: larmet\n")
    add(
        text_case(
            "dangling-after", text, "after: larmet", "larmet", 'inspel "larmet" finns inte', 'unknown inject "larmet"'
        )
    )

    text = mutate("    at: 2m\n", "    after: p4-ringer\n")
    text = mutate("    at: 8m\n", "    after: larm\n", text)
    add(
        text_case(
            "after-cycle", text, "after: p4-ringer", "p4-ringer", "larm → p4-ringer → larm", "larm → p4-ringer → larm"
        )
    )

    text = mutate("{natbolag} meddelar", "{natbolaget} meddelar")
    # Reported at the text's value: the `>` of the block scalar holding it.
    text_line = line_of(text, "{natbolaget}") - 1
    assert text.split("\n")[text_line - 1].strip() == "text: >"
    add(
        Case(
            "unknown-placeholder",
            text.encode(),
            text_line,
            text.split("\n")[text_line - 1].index(">") + 1,
            "platshållare {natbolaget}",
            "placeholder {natbolaget}",
        )
    )

    text = mutate('"Var kan man ladda telefonen i Sjöstad?"', '"Var kan man ladda telefonen i {Sjöstad?"')
    add(text_case("lone-brace", text, "{Sjöstad?", '"', "klammerparentes", "lone brace"))

    text = mutate("    at: 8m\n", "    at: 2h\n")
    add(
        text_case(
            "inject-after-end",
            text,
            "at: 2h",
            "2h",
            "efter övningens slut (1h30m)",
            "after the end of the drill (1h30m)",
        )
    )

    text = mutate("  - id: p4-igen\n", "  - id: larm\n")
    lines = text.split("\n")
    second = [i for i, line in enumerate(lines, 1) if line == "  - id: larm"][1]
    add(Case("duplicate-id", text.encode(), second, 9, 'id "larm" används redan', 'id "larm" is already used'))

    text = mutate("    expect:\n      action: reply\n      within: 15m\n", "")
    add(text_case("missed-without-expect", text, "inject: p4-ringer", "p4-ringer", "ingen förväntan", "no expectation"))

    # --- bytes and size ---
    lines = STARTER.encode("utf-8").split(b"\n")
    prefix = "# Startscenario för "
    assert lines[2].decode("utf-8").startswith(prefix)
    cut = len(prefix.encode("utf-8"))
    lines[2] = lines[2][:cut] + b"\xff" + lines[2][cut:]
    add(Case("not-utf8", b"\n".join(lines), 3, len(prefix) + 1, "UTF-8 (byte 0xff)", "UTF-8 (byte 0xff)"))

    add(Case("nul-byte", mutate("seed: 1 ", "seed: 1\x00").encode(), line_of(STARTER, "seed: 1 "), 8, "NUL", "NUL"))
    add(Case("empty-file", b"", 1, 1, "tom", "empty"))
    add(Case("comments-only", b"# bara en kommentar\n#\n   # och en till\n", 1, 1, "tom", "empty"))
    listed = "# en lista\n- " + "\n  ".join(STARTER.split("\n")[7:])
    add(Case("top-level-list", listed.encode(), 2, 1, "inte en lista", "not a list"))
    add(Case("oversized", (STARTER + "#" * MAX_BYTES).encode(), 1, 1, "för stor", "too large"))

    # --- hostile YAML ---
    text = mutate("seed: 1 ", 'seed: !!python/object/apply:os.system ["touch MARKER"] ')
    add(
        text_case(
            "unsafe-tag",
            text,
            "seed: !!python",
            "!!python",
            "!!python/object/apply:os.system",
            "!!python/object/apply:os.system",
        )
    )

    bomb = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    text = mutate("facts:\n", "\n".join(bomb) + "\nfacts:\n")
    first, last = line_of(text, "lol0:"), line_of(text, "lol8:")
    add(Case("alias-bomb", text.encode(), (first, last), 0, f"fler än {MAX_NODES}", f"more than {MAX_NODES}"))

    nest = "[" * 100_000 + "]" * 100_000
    text = mutate("seed: 1 ", f"seed: {nest} ")
    start = col_of(text, "seed: [", "[")
    add(Case("deep-nesting", text.encode(), line_of(text, "seed: ["), start + MAX_DEPTH, "för djup", "too deep"))

    return cases


CASES = _cases()


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 18
    assert len({c.id for c in CASES}) == len(CASES)


def test_starter_is_valid() -> None:
    scenario = load_scenario_bytes(STARTER.encode("utf-8"))
    assert isinstance(scenario, Scenario)


def _matches(case: Case, problem) -> bool:
    if isinstance(case.line, tuple):
        return case.line[0] <= problem.line <= case.line[1]
    return (problem.line, problem.column) == (case.line, case.column)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_position_and_message(case: Case) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(case.content, "bad.yaml")
    problems = info.value.problems
    if case.count is not None:
        assert len(problems) == case.count, problems
    first = problems[0]
    assert _matches(case, first), f"expected {case.line}:{case.column}, got {first}"
    assert case.sv.lower() in first.message.lower()
    assert first.file == "bad.yaml"


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_validate_command(case: Case, lang: str, tmp_path: Path, run_cli: Callable, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the unsafe tag would create ./MARKER if it ever ran
    path = tmp_path / "bad.yaml"
    path.write_bytes(case.content)
    code, out, err = run_cli("validate", path, *(["--lang", "en"] if lang == "en" else []))  # Swedish by default
    assert code == 1
    assert "Traceback" not in out + err
    word = case.sv if lang == "sv" else case.en
    pattern = re.compile(rf"^{re.escape(str(path))}:(\d+):(\d+): (.*)$", re.MULTILINE)
    reported = [(int(m[1]), int(m[2]), m[3]) for m in pattern.finditer(out)]
    assert reported, out
    line, column, message = reported[0]
    if isinstance(case.line, tuple):
        assert case.line[0] <= line <= case.line[1]
    else:
        assert (line, column) == (case.line, case.column)
    assert word.lower() in message.lower()
    summary = out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"1 av 1 fil ogiltig \(\d+ problem\)\." if lang == "sv" else r"1 of 1 file invalid \(\d+ problems?\)\.", summary
    )
    assert not (tmp_path / "MARKER").exists()


# Where an unknown key `zz` is added: (the text it follows, the added text).
UNKNOWN_KEY_SPOTS = [
    ("format: 1\n", "zz: 1\n"),
    ("  population: 18000\n", "  zz: 1\n"),
    ("    name: Kommunikationschef\n", "    zz: 1\n"),
    ("    outlet: Sveriges Radio P4\n", "    zz: 1\n"),
    ("    size: 100\n", "    zz: 1\n"),
    ("    role: kommunikationschef\n", "    zz: 1\n"),
    ("        due: 10m\n", "        zz: 1\n"),
    ("    title: Första beskedet inom en timme\n", "    zz: 1\n"),
    ("      within: 1h\n", "      zz: 1\n"),
    ("    priority: high\n", "    zz: 1\n"),
    ("      within: 20m\n", "      zz: 1\n"),
    ("      spike: 40\n", "      zz: 1\n"),
    ("      inject: p4-ringer\n", "      zz: 1\n"),
    ("    per_hour: 6\n", "    zz: 1\n"),
    ("  half_life: 10m\n", "  zz: 1\n"),
    ("      baseline: 0\n", "      zz: 1\n"),
    ("      after: 45m\n", "      zz: 1\n"),
    ("{thread: rykte, spike: 60}", "{thread: rykte, spike: 60, zz: 1}"),
]


@pytest.mark.parametrize("anchor, added", UNKNOWN_KEY_SPOTS)
def test_unknown_key_lists_the_allowed_keys_everywhere(anchor: str, added: str) -> None:
    text = mutate(anchor, anchor + added) if anchor.endswith("\n") else mutate(anchor, added)
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(text.encode("utf-8"))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (line_of(text, "zz: 1"), col_of(text, "zz: 1", "zz"))
    allowed = re.fullmatch(r'okänd nyckel "zz" \(tillåtna: (.+)\)', problem.message)
    assert allowed, problem.message
    assert allowed[1] != "-" and ", " in allowed[1]


def test_oversized_file_names_its_real_size(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (3 * MAX_BYTES))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(3 * MAX_BYTES) in info.value.problems[0].message


def _with_several_faults() -> str:
    text = mutate("    priority: high\n", "    priorty: high\n")
    text = mutate("duration: 1h30m ", "duration: 8 minuter ", text)
    return mutate("    size: 100\n", "    size: hundra\n", text)


def _with_several_references() -> str:
    text = mutate("    to: kommunikationschef\n", "    to: kommunikationsschef\n")
    text = mutate("    from: tib\n", "    from: tibb\n", text)
    return mutate("{natbolag} meddelar", "{natbolaget} meddelar", text)


@pytest.mark.parametrize(
    "text, needles",
    [
        (_with_several_faults(), ["8 minuter", "size: hundra", "priorty"]),
        (_with_several_references(), ["from: tibb", "kommunikationsschef", "{natbolaget}"]),
    ],
    ids=["model", "references"],
)
def test_every_problem_is_reported_at_once(text: str, needles: list[str], tmp_path: Path, run_cli: Callable) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run_cli("validate", path)
    assert code == 1
    lines = [int(m[1]) for m in re.finditer(rf"^{re.escape(str(path))}:(\d+):\d+: ", out, re.MULTILINE)]
    assert len(lines) == 3, out
    assert lines == sorted(lines)
    expected = [line_of(text, n) for n in needles]
    expected[-1] -= needles[-1] == "{natbolaget}"  # a placeholder is reported at its text's `>`
    assert lines == sorted(expected)
    assert out.strip().splitlines()[-1] == "1 av 1 fil ogiltig (3 problem)."


@pytest.mark.parametrize(
    "lang, summary", [("sv", "2 av 3 filer ogiltiga (2 problem)."), ("en", "2 of 3 files invalid (2 problems).")]
)
def test_mixed_valid_and_invalid_files(lang: str, summary: str, tmp_path: Path, run_cli: Callable) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(STARTER, encoding="utf-8")
    bad1 = tmp_path / "bad1.yaml"
    bad1.write_text(mutate("    at: 8m\n", "    at: -5m\n"), encoding="utf-8")
    bad2 = tmp_path / "bad2.yaml"
    bad2.write_bytes(b"")
    code, out, err = run_cli("--lang", lang, "validate", bad1, good, bad2)
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[-1] == summary
    assert any(line.startswith(f"{good}: OK") for line in lines)
    assert any(line.startswith(f"{bad1}:{line_of(STARTER, '    at: 8m')}:9: ") for line in lines)
    assert any(line.startswith(f"{bad2}:1:1: ") for line in lines)
    assert err == ""


def test_all_valid_files_exit_zero(tmp_path: Path, run_cli: Callable) -> None:
    files = []
    for name in ("a.yaml", "b.yaml"):
        files.append(tmp_path / name)
        files[-1].write_text(STARTER, encoding="utf-8")
    code, out, _ = run_cli("validate", *files)
    assert code == 0
    assert out.strip().splitlines()[-1] == "Alla giltiga: 2 filer."
