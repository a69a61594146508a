"""The `krisovning` command for scenario authors: --version, --help, languages, usage errors,
`new`, `validate` and `schema` (README.md). Most run in-process; a few in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import STARTER

from krisovning import __version__
from krisovning.cli.commands_scenario import SCHEMA_FILE
from krisovning.scenario import scenario_schema

Run = Callable[..., tuple[int, str, str]]


def run_process(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KRISOVNING_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "krisovning", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- real processes: no traceback, whatever happens ---


def test_version_in_a_real_process(tmp_path: Path) -> None:
    result = run_process("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"krisovning {__version__}"
    assert result.stderr == ""


def test_bad_file_in_a_real_process(tmp_path: Path) -> None:
    # 100 000 nested brackets used to crash the interpreter (libyaml's recursive composer).
    (tmp_path / "deep.yaml").write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    (tmp_path / "tab.yaml").write_text(STARTER.replace("  name: Sjöstads kommun", "\tname: Sjöstads kommun"))
    result = run_process("validate", "deep.yaml", "tab.yaml", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "deep.yaml:1:54: nesting too deep" in result.stdout
    assert "tab.yaml:20:1: tab characters are not allowed" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "2 of 2 files invalid (2 problems)."


def test_unsafe_tag_in_a_real_process(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    payloads = [
        f'seed: !!python/object/apply:os.system ["touch {marker}"]',
        f'seed: !!python/object/apply:subprocess.call [["touch", "{marker}"]]',
        f'seed: !!python/object/new:os.system ["touch {marker}"]',
    ]
    for i, payload in enumerate(payloads):
        (tmp_path / f"evil{i}.yaml").write_text(STARTER.replace("seed: 1 ", payload + " "))
    result = run_process("validate", *(f"evil{i}.yaml" for i in range(len(payloads))), cwd=tmp_path)
    assert result.returncode == 1
    assert not marker.exists()
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.count("är inte tillåten; scenariofiler är ren data") == len(payloads)


# --- help and languages ---


def test_help_in_swedish_by_default(run_cli: Run) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0
    assert out.startswith("användning: krisovning")
    for word in ("kommandon", "validate", "schema", "new", "visa den här hjälpen", "visa versionen"):
        assert word in out
    assert "usage" not in out and "show program" not in out


def test_help_in_english(run_cli: Run) -> None:
    code, out, _ = run_cli("--lang", "en", "--help")
    assert code == 0
    assert out.startswith("usage: krisovning")
    for word in ("commands", "show this help message", "show the version"):
        assert word in out
    assert "användning" not in out


@pytest.mark.parametrize("command", ["validate", "schema", "new"])
@pytest.mark.parametrize("lang, word", [("sv", "användning:"), ("en", "usage:")])
def test_every_command_has_help_in_both_languages(command: str, lang: str, word: str, run_cli: Run) -> None:
    code, out, _ = run_cli(command, "--help", "--lang", lang)
    assert code == 0
    assert out.startswith(f"{word} krisovning {command}")
    assert ("FIL" if lang == "sv" else "FILE") in out


@pytest.mark.parametrize("value", ["en", "EN", "en_GB.UTF-8", "en-US"])
def test_language_from_the_environment(value: str, run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRISOVNING_LANG", value)
    code, out, _ = run_cli("--help")
    assert code == 0 and out.startswith("usage:")


def test_unknown_environment_language_falls_back_to_swedish(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRISOVNING_LANG", "fi")
    assert run_cli("--help")[1].startswith("användning:")


def test_lang_option_beats_the_environment(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRISOVNING_LANG", "en")
    assert run_cli("--lang", "sv", "--help")[1].startswith("användning:")


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "en", "validate", "missing.yaml"],
        ["validate", "--lang", "en", "missing.yaml"],
        ["validate", "missing.yaml", "--lang", "en"],
        ["validate", "missing.yaml", "--lang=en"],
        ["--lang=en", "validate", "missing.yaml"],
    ],
)
def test_lang_before_or_after_the_command(args: list[str], run_cli: Run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(*args)
    assert code == 1
    assert out.splitlines() == [
        "missing.yaml:1:1: cannot read the file: no such file",
        "1 of 1 file invalid (1 problem).",
    ]
    assert err == ""


def test_unreadable_file_in_swedish(run_cli: Run, tmp_path: Path) -> None:
    code, out, _ = run_cli("validate", tmp_path)
    assert code == 1
    assert out.splitlines()[0] == f"{tmp_path}:1:1: kan inte läsa filen: det är en katalog, inte en fil"


# --- usage errors exit 2, translated ---


@pytest.mark.parametrize(
    "args, sv, en",
    [
        (
            ["validate"],
            "krisovning validate: fel: följande argument krävs: FIL",
            "krisovning validate: error: the following arguments are required: FILE",
        ),
        (["frobnicate"], "ogiltigt val: 'frobnicate'", "invalid choice: 'frobnicate'"),
        (["validate", "x.yaml", "--bogus"], "fel: okända argument: --bogus", "error: unrecognized arguments: --bogus"),
        (["schema", "-o"], "förväntade ett argument", "expected one argument"),
    ],
)
def test_usage_errors(args: list[str], sv: str, en: str, run_cli: Run) -> None:
    code, out, err = run_cli(*args)
    assert code == 2
    assert sv in err and err.startswith("användning:")
    assert out == ""
    code, out, err = run_cli(*args, "--lang", "en")
    assert code == 2
    assert en in err and err.startswith("usage:")


def test_no_command_prints_help_and_exits_2(run_cli: Run) -> None:
    code, out, _ = run_cli()
    assert code == 2
    assert out.startswith("användning:")


def test_bad_language_is_a_usage_error(run_cli: Run) -> None:
    code, _, err = run_cli("--lang", "fi", "--help")
    assert code == 2
    assert "ogiltigt val: 'fi'" in err


# --- new ---


def test_new_then_validate(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "ovning.yaml"
    code, out, err = run_cli("new", target)
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == STARTER
    assert f"Skapade {target}." in out
    schema_file = tmp_path / SCHEMA_FILE
    assert json.loads(schema_file.read_text(encoding="utf-8")) == scenario_schema()
    assert STARTER.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILE}"
    code, out, _ = run_cli("validate", target)
    assert code == 0
    assert out.splitlines() == [f"{target}: OK – Stormen över Sjöstad (3 inspel, 3 övningsmål)", "Alla giltiga: 1 fil."]


def test_new_does_not_overwrite_without_force(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "ovning.yaml"
    target.write_text("mitt arbete\n", encoding="utf-8")
    code, _out, err = run_cli("new", target)
    assert code == 1
    assert target.read_text(encoding="utf-8") == "mitt arbete\n"
    assert err == f"krisovning: {target} finns redan; använd --force för att skriva över\n"
    code, _, err = run_cli("new", target, "--lang", "en")
    assert code == 1 and "exists already; use --force" in err
    code, _, _ = run_cli("new", target, "--force")
    assert code == 0
    assert target.read_text(encoding="utf-8") == STARTER
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ovning.yaml", SCHEMA_FILE])  # no temporary left


def test_new_keeps_an_existing_schema_file(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / SCHEMA_FILE).write_text("{}", encoding="utf-8")
    assert run_cli("new", tmp_path / "a.yaml")[0] == 0
    assert (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize("force", [False, True])
def test_new_refuses_to_write_through_a_symlink(force: bool, run_cli: Run, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("orörd\n", encoding="utf-8")
    link = tmp_path / "ovning.yaml"
    link.symlink_to(victim)
    code, _, err = run_cli("new", link, *(["--force"] if force else []))
    assert code == 1
    assert "symbolisk länk" in err
    assert victim.read_text(encoding="utf-8") == "orörd\n"
    assert link.is_symlink()


def test_new_refuses_a_dangling_symlink(run_cli: Run, tmp_path: Path) -> None:
    link = tmp_path / "ovning.yaml"
    link.symlink_to(tmp_path / "nowhere" / "target.yaml")
    code, _, err = run_cli("new", link)
    assert code == 1 and "symbolisk länk" in err
    assert not (tmp_path / "nowhere").exists()


def test_new_needs_a_yaml_suffix_and_an_existing_folder(run_cli: Run, tmp_path: Path) -> None:
    code, _, err = run_cli("new", tmp_path / "ovning.txt")
    assert code == 1 and "filändelsen .yaml" in err
    assert not (tmp_path / "ovning.txt").exists()
    code, _, err = run_cli("new", tmp_path / "saknas" / "ovning.yaml", "--lang", "en")
    assert code == 1 and "does not exist" in err


# --- schema ---


def test_schema_prints_json(run_cli: Run) -> None:
    code, out, err = run_cli("schema")
    assert code == 0 and err == ""
    schema = json.loads(out)
    assert schema == scenario_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["additionalProperties"] is False
    assert {"id", "title", "duration", "start", "organisation", "roles"} <= set(schema["required"])


def test_schema_to_a_file(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "scenario.schema.json"
    code, out, err = run_cli("schema", "-o", target)
    assert code == 0
    assert out == ""
    assert err == f"Schemat skrevs till {target}.\n"
    printed = run_cli("schema")[1]
    assert target.read_text(encoding="utf-8") == printed
    code, _, err = run_cli("schema", "-o", target)
    assert code == 1 and "--force" in err
    assert run_cli("schema", "--output", target, "--force")[0] == 0


# --- validate --json ---


def test_validate_json_shape(run_cli: Run, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(STARTER, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        STARTER.replace("duration: 1h30m", "duration: 8 minuter").replace("    size: 100", "    size: -1"),
        encoding="utf-8",
    )
    code, out, err = run_cli("validate", "--json", good, bad)
    assert code == 1 and err == ""
    result = json.loads(out)
    assert [r["file"] for r in result] == [str(good), str(bad)]
    assert result[0] == {"file": str(good), "valid": True, "problems": [], "warnings": []}
    assert set(result[1]) == {"file", "valid", "problems", "warnings"} and result[1]["valid"] is False
    problems = result[1]["problems"]
    assert [(p["line"], p["column"]) for p in problems] == [(15, 11), (54, 11)]
    for problem in problems:
        assert set(problem) == {"line", "column", "message"}
        assert isinstance(problem["message"], str) and problem["message"]
    assert "tidslängd" in problems[0]["message"]
    code, out, _ = run_cli("validate", "--json", good)
    assert code == 0 and json.loads(out)[0]["valid"] is True
