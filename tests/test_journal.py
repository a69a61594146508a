"""The journal through the command line: recording, listing, export, resume, and bad databases."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from journal_tools import reseal, sql

from krisovning.cli import main
from krisovning.session.store import is_address, open_store


@pytest.fixture
def scenario_path(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes(resources.files("krisovning").joinpath("data/starter.yaml").read_bytes())
    return path


def run_json(capsys, *args):
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def content(db):
    """What the journal holds, to compare before and after: the file's bytes, or every row of every table."""
    if not is_address(db):
        return md5(Path(db))
    tables = [
        row[0] for row in sql(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    ]
    return {table: sorted(map(repr, sql(db, f"SELECT * FROM {table}"))) for table in sorted(tables)}


def test_simulate_records_a_session_that_sessions_lists_and_export_writes(journal_db, scenario_path, capsys):
    db = journal_db
    result = run_json(capsys, "simulate", str(scenario_path), "--db", str(db), "--seed", "7", "--json")
    listed = run_json(capsys, "sessions", "--db", str(db), "--json")
    assert [s["id"] for s in listed] == [result["session"]]
    assert listed[0]["status"] == "finished" and listed[0]["seed"] == 7 and listed[0]["team"] == "realistic"
    assert main(["export", result["session"][:10], "--db", str(db)]) == 0  # a unique prefix is enough
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["type"] == "session" and lines[0]["scenario_text"].startswith("# yaml-language-server")
    entries = lines[1:]
    assert len(entries) == result["events"]
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert all({"type", "seq", "t", "kind", "world_time", "wall_time"} <= e.keys() for e in entries)


def test_recording_a_run_leaves_no_file_open(tmp_path, scenario_path, capsys):
    """The scenario file is read and closed at once: Windows cannot move or delete a file that is open."""
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        assert main(["simulate", str(scenario_path), "--db", str(tmp_path / "x.db")]) == 0
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_env_variable_chooses_the_database(tmp_path, scenario_path, capsys, monkeypatch):
    monkeypatch.setenv("KRISOVNING_DB", str(tmp_path / "env.db"))
    result = run_json(capsys, "simulate", str(scenario_path), "--json")
    assert (tmp_path / "env.db").exists()
    assert run_json(capsys, "sessions", "--json")[0]["id"] == result["session"]


def test_newest_first_and_nearest_ids_for_an_unknown_session(journal_db, scenario_path, capsys):
    db = journal_db
    ids = [
        run_json(capsys, "simulate", str(scenario_path), "--db", db, "--json", "--seed", str(s))["session"]
        for s in (1, 2)
    ]
    assert [s["id"] for s in run_json(capsys, "sessions", "--db", db, "--json")] == ids[::-1]
    assert main(["export", "zzz", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "zzz" in err and ids[0] in err


@pytest.mark.parametrize("content", [b"\x00garbage" * 300, b"SQLite format 3\x00" + b"\xff" * 5000, b"hello, world\n"])
def test_a_file_that_is_not_a_journal_is_refused_and_left_unchanged(tmp_path, scenario_path, capsys, content):
    db = tmp_path / "not-a-journal.db"
    db.write_bytes(content)
    before = md5(db)
    for args in (
        ["sessions"],
        ["simulate", str(scenario_path)],
        ["export", "latest"],
        ["resume", "--policy", "silent"],
    ):
        assert main(args + ["--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert "not-a-journal.db" in err and "Traceback" not in err
    assert md5(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-journal.db", "s.yaml"]


def test_a_foreign_sqlite_database_is_left_alone(tmp_path, capsys):
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE customers (name TEXT)")
    con.commit()
    con.close()
    before = md5(db)
    assert main(["sessions", "--db", str(db)]) == 1
    assert "krisovning" in capsys.readouterr().err
    assert md5(db) == before


def test_a_journal_from_a_newer_version_is_refused(journal_db, scenario_path, capsys):
    db = journal_db
    assert main(["simulate", str(scenario_path), "--db", str(db)]) == 0
    sql(db, "UPDATE meta SET value = '99' WHERE key = 'format'")
    capsys.readouterr()
    before = content(db)
    for args in (["sessions"], ["simulate", str(scenario_path)], ["resume"]):
        assert main(["--lang", "en", *args, "--db", str(db)]) == 1
        assert "newer" in capsys.readouterr().err
    assert content(db) == before


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_journal_gives_a_clear_message(tmp_path, scenario_path, capsys):
    db = tmp_path / "x.db"
    assert main(["simulate", str(scenario_path), "--db", str(db)]) == 0
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        assert main(["simulate", str(scenario_path), "--db", str(db)]) == 1
        assert "x.db" in capsys.readouterr().err
    finally:
        tmp_path.chmod(0o755)


def test_a_session_cannot_be_driven_twice(journal_db, scenario_path, capsys):
    db = journal_db
    from krisovning.engine import Drill
    from krisovning.scenario import load_scenario
    from krisovning.session import TEAM, Recorder

    scenario = load_scenario(scenario_path)
    recorder = Recorder.begin(db, scenario, scenario_path.read_text(), str(scenario_path), 1, TEAM, "sv")
    drill = Drill(scenario, seed=1)
    drill.advance(600)
    recorder.record(drill.drain(), drill.now)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "krisovning", "--lang", "en", "resume", "--db", str(db), "--policy", "silent"],
            capture_output=True,
            text=True,
        )
        assert out.returncode == 1
        assert "already running" in out.stderr and "Traceback" not in out.stderr
        listed = run_json(capsys, "sessions", "--db", str(db), "--json")
        assert listed[0]["status"] == "running"
    finally:
        recorder.close()
    # the holder is gone: the session shows as interrupted and can be resumed
    assert run_json(capsys, "sessions", "--db", str(db), "--json")[0]["status"] == "interrupted"
    assert main(["resume", "--db", str(db), "--policy", "diligent"]) == 0
    capsys.readouterr()
    assert run_json(capsys, "sessions", "--db", str(db), "--json")[0]["status"] == "finished"


def test_resume_names_the_first_event_that_differs(journal_db, scenario_path, capsys):
    db = journal_db
    result = run_json(capsys, "simulate", str(scenario_path), "--db", str(db), "--json", "--policy", "diligent")
    sql(db, "UPDATE sessions SET status = 'interrupted'")
    body = sql(db, "SELECT body FROM entries WHERE seq = 5")[0][0]
    sql(db, "UPDATE entries SET body = ? WHERE seq = 5", (body.replace('"t":', '"t":1', 1),))
    assert main(["--lang", "en", "resume", result["session"], "--db", str(db)]) == 1
    assert "event 5 was changed" in capsys.readouterr().err  # the chain sees the edit first
    reseal(db)  # the same edit by someone who rewrote the chain: the replay still sees it
    assert main(["--lang", "en", "resume", result["session"], "--db", str(db)]) == 1
    assert "event 5 differs" in capsys.readouterr().err


def test_an_interrupted_bot_session_resumes_to_the_same_stream(journal_db, scenario_path, capsys):
    db = journal_db
    full = run_json(capsys, "simulate", str(scenario_path), "--db", str(db), "--json", "--seed", "4")
    sql(db, "DELETE FROM entries WHERE t > 1800")
    sql(db, "UPDATE sessions SET status = 'running', exercise_time = 1800")
    reseal(db)  # as a power cut leaves it: the lost transactions took their seal with them
    assert main(["resume", "--db", str(db)]) == 0
    store = open_store(db, write=False)
    from krisovning.engine import Event, digest_of

    events = [Event.from_dict(json.loads(row[5])) for row in store.entries(full["session"])]
    store.close()
    assert digest_of(events) == full["digest"]


def test_a_foreign_postgresql_database_is_refused_and_left_alone(pg_db, scenario_path, capsys):
    sql(pg_db, "CREATE TABLE customers (name TEXT)")
    sql(pg_db, "INSERT INTO customers VALUES ('Ekebacka')")
    before = content(pg_db)
    for args in (["sessions"], ["simulate", str(scenario_path)], ["resume"], ["export", "latest"]):
        assert main(["--lang", "en", *args, "--db", pg_db]) == 1
        err = capsys.readouterr().err
        assert "is not a krisovning journal" in err and "Traceback" not in err and err.count("\n") == 1
    assert content(pg_db) == before  # no meta, no sessions table: nothing was created


def test_a_postgresql_journal_that_is_not_ours_by_its_meta_is_refused(pg_db, capsys):
    sql(pg_db, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    sql(pg_db, "INSERT INTO meta VALUES ('app', 'someone-else')")
    before = content(pg_db)
    assert main(["--lang", "en", "sessions", "--db", pg_db]) == 1
    assert "is not a krisovning journal" in capsys.readouterr().err
    assert content(pg_db) == before
