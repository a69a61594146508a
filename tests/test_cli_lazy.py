"""The CLI imports only the chosen command's module (start-up is part of every `preview`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from krisovning.cli.parser import _COMMAND_KEYS, _COMMAND_MODULES, build_parser

SRC = str(Path(__file__).resolve().parent.parent / "src")


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys, json\n"
        "from krisovning.cli.parser import build_parser\n"
        f"build_parser({argv!r})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return set(json.loads(done.stdout))


def test_preview_does_not_import_the_journal_the_report_or_the_ui() -> None:
    loaded = _modules_after(["preview", "scenario.yaml", "--runs", "200"])
    assert "krisovning.cli.commands_drill" in loaded
    for module in ("krisovning.session.journal", "krisovning.report", "krisovning.cli.commands_session", "textual"):
        assert module not in loaded, module


def test_version_imports_no_command() -> None:
    loaded = _modules_after(["--version"])
    assert not {f"krisovning.cli.{m}" for m in _COMMAND_MODULES.values()} & loaded


def test_every_command_is_listed_and_takes_its_arguments_when_named() -> None:
    assert set(_COMMAND_MODULES) == set(_COMMAND_KEYS)
    for name in _COMMAND_MODULES:
        parser = build_parser([name])
        commands = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices
        assert list(commands) == list(_COMMAND_MODULES)
        assert commands[name].get_default("handler") is not None, name
