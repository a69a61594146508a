"""Small trust points of the journal: which drill `resume` takes, journals that are not there or
empty, and the lock files killed processes leave behind."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from importlib import resources
from pathlib import Path

import pytest

from krisovning.cli import main
from krisovning.engine import Drill
from krisovning.scenario import load_scenario
from krisovning.session import TEAM, Recorder
from krisovning.session.lock import SessionLock


@pytest.fixture
def scenario_path(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_bytes(resources.files("krisovning").joinpath("data/starter.yaml").read_bytes())
    return path


def unfinished(db: Path | str, scenario_path: Path, team: str = TEAM) -> Recorder:
    """A drill that is recorded up to 10 minutes and still held (as by a running process)."""
    scenario = load_scenario(scenario_path)
    recorder = Recorder.begin(
        db, scenario, scenario_path.read_text(encoding="utf-8"), str(scenario_path), 1, team, "sv"
    )
    drill = Drill(scenario, seed=1)
    drill.advance(600)
    recorder.record(drill.drain(), drill.now)
    return recorder


def test_resume_without_a_drill_takes_the_newest_interrupted_not_one_running_elsewhere(
    journal_db, scenario_path, capsys
):
    db = journal_db
    older = unfinished(db, scenario_path)
    older.finish("interrupted")
    older.close()  # its process ended: interrupted
    running = unfinished(db, scenario_path)  # newer, and still driven by "another process"
    try:
        assert main(["--lang", "en", "resume", "--db", str(db), "--policy", "silent"]) == 0
        err = capsys.readouterr().err
        assert older.info.id in err and running.info.id not in err
    finally:
        running.close()


def test_resume_says_so_when_every_unfinished_drill_is_running(journal_db, scenario_path, capsys):
    db = journal_db
    running = unfinished(db, scenario_path)
    try:
        assert main(["--lang", "en", "resume", "--db", str(db), "--policy", "silent"]) == 1
        err = capsys.readouterr().err
        assert "already running in another process" in err and running.info.id in err
    finally:
        running.close()


@pytest.mark.parametrize(
    "command",
    [
        ["sessions"],
        ["sessions", "--json"],
        ["report", "latest"],
        ["export", "latest"],
        ["notes", "latest"],
        ["notes", "latest", "--strength", "Bra"],
        ["resume"],
        ["resume", "--policy", "silent"],
    ],
)
def test_a_mistyped_journal_is_said_to_be_missing_and_not_created(tmp_path, capsys, command):
    db = tmp_path / "misstyped.db"
    assert main(["--lang", "en", *command, "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and str(db) in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["sessions"],
        ["report", "latest"],
        ["export", "latest"],
        ["notes", "latest", "--strength", "Bra"],
        ["resume", "--policy", "silent"],
        ["simulate", "{scenario}"],
    ],
)
def test_an_empty_file_is_not_adopted_as_a_journal(tmp_path, scenario_path, capsys, command):
    db = tmp_path / "empty.db"
    db.touch()
    args = [arg.replace("{scenario}", str(scenario_path)) for arg in command]
    assert main(["--lang", "en", *args, "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "is an empty file, not a journal" in err
    assert db.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "s.yaml"]


def test_a_new_journal_is_still_created_by_simulate(tmp_path, scenario_path, capsys):
    db = tmp_path / "sub" / "new.db"
    assert main(["simulate", str(scenario_path), "--db", str(db), "--json"]) == 0
    session = json.loads(capsys.readouterr().out)["session"]
    assert main(["sessions", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == session


def test_stale_lock_files_are_removed_when_a_lock_is_taken(tmp_path, scenario_path, capsys):
    db = tmp_path / "j.db"
    assert main(["simulate", str(scenario_path), "--db", str(db)]) == 0
    stale = [tmp_path / f"j.db.20250101-000000-{n:04x}.lock" for n in range(3)]
    for path in stale:  # what `kill -9` leaves: the file, with the dead process's pid, and no lock on it
        path.write_text("99999")
    held = unfinished(db, scenario_path)  # taking this lock sweeps the stale ones away
    try:
        assert not any(path.exists() for path in stale)
        assert held.lock.path.exists()
        other = tmp_path / "other.db.20250101-000000-beef.lock"  # another journal's, and a file that is no lock
        other.write_text("1")
        unrelated = tmp_path / "j.db.notes.txt"
        unrelated.write_text("mine")
        assert main(["simulate", str(scenario_path), "--db", str(db)]) == 0  # takes (and sweeps) again
        assert held.lock.path.exists()  # held by a live driver: kept
        assert other.exists() and unrelated.read_text() == "mine"
    finally:
        held.close()
    assert not held.lock.path.exists()


def test_a_lock_file_removed_while_it_was_being_taken_is_not_trusted(tmp_path, monkeypatch):
    """The sweep may remove a lock file between another process's open and lock: that process then
    locks a file no one else can find, so it must take the lock again on the file at the path."""
    import krisovning.session.lock as lock_module

    db = tmp_path / "j.db"
    lock = SessionLock(db, "20250101-000000-abcd")
    real_lock = lock_module._try_lock
    removed = []

    def lock_after_a_sweep(fd: int) -> bool:
        if not removed:
            removed.append(True)
            os.unlink(lock.path)  # the sweep of another process, just before this lock
        return real_lock(fd)

    monkeypatch.setattr(lock_module, "_try_lock", lock_after_a_sweep)
    lock.acquire()
    monkeypatch.undo()
    try:
        assert removed
        held = os.fstat(lock.fd)
        there = os.stat(lock.path)
        assert (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)
        assert SessionLock(db, "20250101-000000-abcd").held_elsewhere()
    finally:
        lock.release()


def test_the_lock_holds_without_fcntl(tmp_path, monkeypatch):
    """Windows has no fcntl: a second driver is refused there too (the lock once did nothing without it)."""
    import importlib

    import krisovning.session.lock as lock_module

    saved = dict(vars(lock_module))  # what every other module imported from it (a reload makes new classes)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` now fails, as on Windows
    portable = importlib.reload(lock_module)
    try:
        first = portable.SessionLock(tmp_path / "j.db", "20250101-000000-abcd").acquire()
        try:
            with pytest.raises(portable.SessionBusy):
                portable.SessionLock(tmp_path / "j.db", "20250101-000000-abcd").acquire()
            assert portable.SessionLock(tmp_path / "j.db", "20250101-000000-abcd").held_elsewhere()
        finally:
            first.release()
        assert not first.path.exists()
        portable.SessionLock(tmp_path / "j.db", "20250101-000000-abcd").acquire().release()
    finally:
        monkeypatch.undo()
        vars(lock_module).clear()
        vars(lock_module).update(saved)


def test_lock_files_are_removed_after_closing_where_open_files_cannot_be_removed(tmp_path, monkeypatch):
    """Windows refuses to remove a file any process has open: a lock file is closed before it is
    removed there, and one another process still has open is left to that process."""
    import krisovning.session.lock as lock_module

    monkeypatch.setattr(lock_module, "_REMOVE_WHILE_OPEN", False)
    real_unlink = Path.unlink

    def windows_unlink(path: Path, missing_ok: bool = False) -> None:
        if path.name.endswith(".lock") and any(_opens(path)):
            raise PermissionError(13, "The process cannot access the file", str(path))
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", windows_unlink)
    db = tmp_path / "j.db"
    stale = tmp_path / "j.db.20250101-000000-0001.lock"
    stale.write_text("99999")
    held = SessionLock(db, "20250101-000000-abcd").acquire()  # sweeps the stale one
    assert not stale.exists()
    other = SessionLock(db, "20250101-000000-beef").acquire()
    other.sweep()
    assert held.path.exists()  # held: kept
    held.release()
    other.release()
    assert not held.path.exists() and not other.path.exists()


def _opens(path: Path) -> list[str]:
    """The descriptors of this process open on `path` (Linux: /proc/self/fd)."""
    folder = Path("/proc/self/fd")
    found = []
    for fd in folder.iterdir():
        with contextlib.suppress(OSError):
            if os.path.samefile(fd.resolve(), path):
                found.append(fd.name)
    return found
