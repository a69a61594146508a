"""A full disk, a closed pipe, a read-only or missing folder: each command names what failed and why, exit 1.

Before: `krisovning sessions > /dev/full` printed "internal error … please report it", and
`simulate` on a full journal printed "internal error (JournalError: journal.io)". No I/O
condition is an internal error: the message names the file (or standard output) and the
operating system's reason, and what was already recorded stays.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import STARTER

import krisovning
from krisovning.session import JournalError, Recorder
from krisovning.session import journal as journal_module

SRC = str(Path(krisovning.__file__).resolve().parent.parent)


def shell(command: str, cwd: Path, db: Path) -> subprocess.CompletedProcess[str]:
    """`command` in bash, with `krisovning` meaning this checkout's package."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRISOVNING_")}
    env.update(PYTHONPATH=SRC + os.pathsep + env.get("PYTHONPATH", ""), KRISOVNING_DB=str(db))
    script = f'krisovning() {{ "{sys.executable}" -m krisovning "$@"; }}\n{command}\n'
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A folder with the starter, a journal holding one simulated drill, and that drill's id."""
    folder = tmp_path_factory.mktemp("faults")
    (folder / "s.yaml").write_text(STARTER, encoding="utf-8")
    db = folder / "journal.db"
    done = shell("krisovning simulate s.yaml --json", folder, db)
    assert done.returncode == 0, done.stderr
    return folder, db, json.loads(done.stdout)["session"]


def no_internal_error(result: subprocess.CompletedProcess[str]) -> None:
    both = result.stdout + result.stderr
    assert "internal error" not in both and "internt fel" not in both and "Traceback" not in both
    assert "Exception ignored" not in both


COMMANDS = [
    "sessions",
    "sessions --json",
    "validate s.yaml",
    "validate s.yaml --json",
    "simulate s.yaml",
    "simulate s.yaml --json",
    "preview s.yaml --runs 1",
    "schema",
    "--help",
    "--version",
    "report {id}",
    "report {id} --format json",
    "export {id}",
    "notes {id}",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_standard_output(recorded, command: str) -> None:
    folder, db, session = recorded
    result = shell(f"krisovning {command.format(id=session)} --lang en > /dev/full", folder, db)
    assert result.returncode == 1
    assert result.stderr == "krisovning: cannot write to standard output: no space left on the device\n"
    no_internal_error(result)


@pytest.mark.parametrize("command", ["sessions", "report {id}", "validate s.yaml"])
def test_a_closed_standard_output(recorded, command: str) -> None:
    folder, db, session = recorded
    result = shell(f"krisovning {command.format(id=session)} --lang en >&-", folder, db)
    assert result.returncode == 1
    assert result.stderr == "krisovning: cannot write to standard output: it is closed\n"


def test_a_reader_that_goes_away(recorded) -> None:
    folder, db, session = recorded
    # `true` has exited long before Python has started: the first write meets a closed pipe.
    result = shell(f'krisovning export {session} | true; echo "rc=${{PIPESTATUS[0]}}"', folder, db)
    assert result.stdout == "rc=1\n"
    assert result.stderr == ""  # nothing to say: the reader left on purpose


def test_a_full_standard_error_still_gives_the_exit_code(recorded) -> None:
    folder, db, _ = recorded
    result = shell("krisovning report nosuchdrill --lang en 2> /dev/full", folder, db)
    assert result.returncode == 1 and result.stdout == ""


WRITERS = {
    "report": "report {id} --format html -o {out}",
    "report-md": "report {id} -o {out}",
    "export": "export {id} -o {out}",
    "export-msel": "export-msel s.yaml -o {out}",
    "new": "new {out}",
    "schema": "schema -o {out}",
}
SUFFIX = {
    "report": ".html",
    "report-md": ".md",
    "export": ".jsonl",
    "export-msel": ".xlsx",
    "new": ".yaml",
    "schema": ".json",
}


@pytest.mark.parametrize("writer", WRITERS)
def test_an_output_folder_that_does_not_exist(recorded, writer: str) -> None:
    folder, db, session = recorded
    out = f"nowhere/sub/out{SUFFIX[writer]}"
    result = shell(f"krisovning {WRITERS[writer].format(id=session, out=out)} --lang en", folder, db)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("the folder nowhere/sub does not exist")
    no_internal_error(result)


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("fault", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO])
def test_a_failing_write_names_the_file_and_the_reason(
    run_cli, recorded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str, fault: int
) -> None:
    # Root ignores permissions and CI has no small file system: the fault is planted where the
    # file is written (every writing command goes through cli/files.py), as the system reports it.
    folder, db, session = recorded
    monkeypatch.chdir(folder)
    monkeypatch.setenv("KRISOVNING_DB", str(db))
    real_mkstemp = tempfile.mkstemp

    def failing_mkstemp(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        os.close(fd)
        os.unlink(name)
        raise OSError(fault, os.strerror(fault), name)

    monkeypatch.setattr(tempfile, "mkstemp", failing_mkstemp)
    out = tmp_path / f"out{SUFFIX[writer]}"
    code, _stdout, stderr = run_cli(*WRITERS[writer].format(id=session, out=out).split(), "--lang", "en")
    reasons = {
        errno.ENOSPC: "no space left on the device",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EIO: "input/output error on the device",
    }
    assert code == 1
    assert stderr == f"krisovning: cannot write {out}: {reasons[fault]}\n"
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_simulate_on_a_full_journal_says_so(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "s.yaml").write_text(STARTER, encoding="utf-8")
    db = tmp_path / "journal.db"

    def full(self, events, now):
        raise JournalError("journal.io", path=db, reason="database or disk is full")

    monkeypatch.setattr(Recorder, "record", full)
    code, out, err = run_cli("simulate", tmp_path / "s.yaml", "--db", db, "--lang", "en")
    assert code == 1 and out == ""
    assert err == f"krisovning: error reading or writing the journal {db}: database or disk is full\n"


def test_any_journal_fault_a_command_left_unexplained_is_still_explained(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args, **kwargs):
        raise JournalError("journal.io", path=tmp_path / "j.db", reason="disk I/O error")

    monkeypatch.setattr(journal_module, "open_for_resume", broken)
    monkeypatch.setattr("krisovning.cli.commands_session.open_for_resume", broken)
    monkeypatch.setattr("krisovning.cli.commands_session._bot_session", lambda args: True)
    code, _, err = run_cli("resume", "x", "--db", tmp_path / "j.db", "--lang", "en", debug=False)
    assert code == 1 and "disk I/O error" in err and "internal error" not in err


def test_a_file_that_vanishes_is_named_with_the_reason(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # simulate reads the scenario twice (to check it, then to journal its text): a file gone in between.
    path = tmp_path / "s.yaml"
    path.write_text(STARTER, encoding="utf-8")
    import krisovning.cli.commands_drill as drill_command

    real = drill_command.load_or_explain

    def load_then_vanish(name):
        scenario = real(name)
        path.unlink()
        return scenario

    monkeypatch.setattr(drill_command, "load_or_explain", load_then_vanish)
    code, _, err = run_cli("simulate", path, "--db", tmp_path / "j.db", "--lang", "en", debug=False)
    assert code == 1
    assert err == f"krisovning: cannot read or write {path}: no such file\n"


@pytest.mark.parametrize("umask", [0o077, 0o027, 0o002])
@pytest.mark.parametrize("force", [False, True])
def test_written_files_honour_the_umask(
    run_cli, recorded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: int, force: bool
) -> None:
    # They were always 0644: a report a user meant to keep private (umask 077) was readable by all.
    folder, db, session = recorded
    monkeypatch.chdir(folder)
    monkeypatch.setenv("KRISOVNING_DB", str(db))
    before = os.umask(umask)
    try:
        for writer in WRITERS:
            out = tmp_path / f"{writer}{SUFFIX[writer]}"
            if force:
                out.write_text("old")
                out.chmod(0o644)
            args = WRITERS[writer].format(id=session, out=out).split() + (["--force"] if force else [])
            code, _, err = run_cli(*args)
            assert code == 0, err
            assert out.stat().st_mode & 0o777 == 0o666 & ~umask, writer
        schema_beside = tmp_path / "krisovning.schema.json"  # written by `new` beside the scenario
        assert schema_beside.stat().st_mode & 0o777 == 0o666 & ~umask
    finally:
        os.umask(before)


def test_a_drill_simulated_into_a_full_output_is_still_recorded(recorded) -> None:
    folder, db, _ = recorded
    before = json.loads(shell("krisovning sessions --json", folder, db).stdout)
    result = shell("krisovning simulate s.yaml --seed 9 > /dev/full", folder, db)
    assert result.returncode == 1
    after = json.loads(shell("krisovning sessions --json", folder, db).stdout)
    (new,) = [s for s in after if s["id"] not in {b["id"] for b in before}]
    assert new["status"] == "finished" and new["seed"] == 9
