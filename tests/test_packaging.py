"""What pyproject.toml promises: bounded dependencies, the declared licence's text, CI on the newest allowed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _upper_bound(requirement: Requirement) -> bool:
    return any(spec.operator in ("<", "~=", "==") for spec in requirement.specifier)


def test_every_dependency_stops_before_its_next_major_release() -> None:
    # PyYAML 6.0.4 changed how deep nesting is refused: a release may change behaviour the tests pin.
    extras = PROJECT["optional-dependencies"]
    requirements = [Requirement(r) for r in PROJECT["dependencies"] + extras["test"] + extras["lint"]]
    unbounded = [str(r) for r in requirements if not _upper_bound(r)]
    assert unbounded == []


def test_ci_installs_the_newest_versions_allowed() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = next(line for line in script.splitlines() if 'pip" install' in line)
    assert "'.[test,lint]'" in install
    assert not re.search(r"(?:^|\s)(?:-c|--constraint|-r|--requirement)\b", install)  # nothing pins older ones
    assert "python3 -m venv" in script  # a fresh environment, not whatever a machine has


def test_ci_runs_the_linters_the_type_checker_and_the_layer_contract() -> None:
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    for check in (
        '"$venv/bin/ruff" check',
        '"$venv/bin/ruff" format --check',
        '"$venv/bin/mypy"',
        '"$venv/bin/lint-imports"',
        '"$venv/bin/python" -m pytest',
    ):
        assert any(check in line and not line.startswith("#") for line in commands), check
    assert "set -euo pipefail" in commands  # any finding stops the run with its exit code
    tools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert {"ruff", "mypy", "importlinter"} <= tools.keys()


def test_the_declared_licence_is_in_the_repository() -> None:
    assert PROJECT["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 krisovning contributors" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
