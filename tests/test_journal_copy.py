"""`krisovning copy`: a session moved between SQLite and PostgreSQL as recorded, its chain checked (session/copy.py)."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from journal_tools import sql

from krisovning.cli import main


@pytest.fixture
def recorded(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_bytes(resources.files("krisovning").joinpath("data/starter.yaml").read_bytes())
    db = tmp_path / "laptop.db"
    assert main(["simulate", str(scenario), "--db", str(db), "--seed", "3", "--json"]) == 0
    session = json.loads(capsys.readouterr().out)["session"]
    assert main(["notes", session, "--db", str(db), "--strength", "Snabbt första besked"]) == 0
    capsys.readouterr()
    return db, session


def exported(capsys, db, session):
    assert main(["export", session, "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert out.err == ""  # no word of a changed journal or a value of the wrong type
    return out.out


def test_sqlite_to_postgresql_and_back_is_the_same_record(recorded, pg_db, tmp_path, capsys):
    db, session = recorded
    original = exported(capsys, db, session)
    assert main(["--lang", "en", "copy", session[:12], "--db", str(db), "--to", pg_db]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"The drill {session} was copied to postgresql://") and "chain checked" in said
    assert "krisovning-test-secret" not in said  # tests/pgserver.py's password
    assert exported(capsys, pg_db, session) == original
    back = tmp_path / "archive.db"
    assert main(["copy", session, "--db", pg_db, "--to", str(back)]) == 0
    capsys.readouterr()
    assert exported(capsys, back, session) == original
    assert main(["report", session, "--db", pg_db, "--format", "json", "-o", str(tmp_path / "r.json")]) == 0
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert "Snabbt första besked" in json.dumps(report, ensure_ascii=False)


def test_a_second_copy_is_refused_and_the_first_kept(recorded, pg_db, capsys):
    db, session = recorded
    assert main(["copy", session, "--db", str(db), "--to", pg_db]) == 0
    before = sql(pg_db, "SELECT count(*) FROM entries")
    assert main(["--lang", "en", "copy", session, "--db", str(db), "--to", pg_db]) == 1
    assert "already has a drill" in capsys.readouterr().err
    assert sql(pg_db, "SELECT count(*) FROM entries") == before


def test_an_altered_drill_is_not_copied(recorded, journal_db, capsys):
    db, session = recorded
    sql(db, "UPDATE entries SET body = replace(body, 'a', 'b') WHERE seq = 3")
    assert main(["--lang", "en", "copy", session, "--db", str(db), "--to", journal_db]) == 1
    err = capsys.readouterr().err
    assert "was changed after it was recorded" in err and err.count("\n") == 1
    assert main(["sessions", "--db", journal_db]) == 1  # nothing made there, not even an empty journal


def test_a_group_session_stays_in_its_group_when_archived(recorded, pg_db, tmp_path, capsys):
    from krisovning.session.group import group_of, join
    from krisovning.session.store import open_store

    db, session = recorded
    store = open_store(db, write=True)
    try:
        joined = join(store, session, "Kalmar län 2026", "Ekebacka").joined
    finally:
        store.close()
    assert main(["copy", session, "--db", str(db), "--to", pg_db]) == 0
    back = tmp_path / "archive.db"
    assert main(["copy", session, "--db", pg_db, "--to", str(back)]) == 0
    capsys.readouterr()
    for where in (pg_db, back):
        store = open_store(where, write=False)
        try:
            name, member = group_of(store, session) or ("", None)
        finally:
            store.close()
        assert name == "Kalmar län 2026" and member is not None
        assert (member.label, member.joined) == ("Ekebacka", joined)
    assert main(["group", "list", "--db", pg_db]) == 0
    assert "Kalmar län 2026" in capsys.readouterr().out
