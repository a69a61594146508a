"""The journal on PostgreSQL: what a step costs (round trips; speed itself: bench/bench_journal.py), and its
faults — a full disk, a server that goes away — said in one line, with nothing committed lost."""

from __future__ import annotations

import contextlib
import errno
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from pgserver import PASSWORD
from psycopg import pq

from krisovning.engine import Action, ActionRefused, Drill
from krisovning.i18n import t
from krisovning.scenario import load_scenario_bytes
from krisovning.session import Recorder
from krisovning.session.chain import INTACT
from krisovning.session.journal import check_session
from krisovning.session.live import LiveDrill
from krisovning.session.store import open_store, shown


@pytest.fixture
def scenario_file(tmp_path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_bytes(resources.files("krisovning").joinpath("data/starter.yaml").read_bytes())
    return path


@contextlib.contextmanager
def traced(connection: Any) -> Iterator[list[str]]:
    """The protocol messages the connection exchanges meanwhile (libpq's trace), one per line."""
    messages: list[str] = []
    with tempfile.TemporaryFile("w+b") as log:
        connection.pgconn.trace(log.fileno())
        connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield messages
        finally:
            connection.pgconn.untrace()
            log.seek(0)
            messages.extend(log.read().decode("utf-8", "replace").splitlines())


def round_trips(messages: list[str]) -> int:
    """Every exchange with the server ends with the server's ReadyForQuery."""
    return sum(1 for line in messages if line.startswith("B\t") and "\tReadyForQuery" in line)


def begin(db: str) -> tuple[Recorder, Drill]:
    text = resources.files("krisovning").joinpath("data/starter.yaml").read_text("utf-8")
    scenario = load_scenario_bytes(text.encode(), "starter.yaml")
    return Recorder.begin(db, scenario, text, "starter.yaml", 3, "team", "sv"), Drill(scenario, seed=3)


def test_a_step_on_postgresql_is_one_round_trip_and_the_journal_holds_it(pg_db):
    recorder, drill = begin(pg_db)
    try:
        trips, recorded = [], []
        while len(trips) < 5:
            drill.advance(drill.now + 60)
            batch = drill.drain()
            if not batch:
                continue
            recorded += batch
            with traced(recorder.store.db) as messages:
                recorder.record(batch, drill.now)
            trips.append(round_trips(messages))
        assert trips == [1] * 5  # rows, clock, seal and the NOTIFY in one statement: one transaction
        drill.act(Action("decision", text="Vi samlar krisledningen"))
        acted = drill.drain()
        recorded += acted
        recorder.record(acted, drill.now)  # an action: waits for the server's disk, still one transaction
    finally:
        recorder.close()
    store = open_store(pg_db, write=False)
    try:
        info = store.session(recorder.info.id)
        assert info is not None and info.exercise_time == drill.now
        stored = [(row[0], row[2], row[5]) for row in store.entries(info.id)]
        assert stored == [(e.seq, e.kind, e.canonical()) for e in recorded]
        assert any(kind == "action" for _, kind, _ in stored)
        assert check_session(store, info).state == INTACT
    finally:
        store.close()


# --- faults: a full disk, a server that goes away (the same promises as docs/journal.md gives for a file) ---

FULL = """
CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device' USING ERRCODE = 'disk_full';
END $$;
CREATE TRIGGER disk_full BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION disk_full();
"""


def admin(db: str, statement: str) -> list[Any]:
    with psycopg.connect(db, autocommit=True) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


def start_live(db: str) -> LiveDrill:
    text = resources.files("krisovning").joinpath("data/starter.yaml").read_text("utf-8")
    scenario = load_scenario_bytes(text.encode(), "starter.yaml")
    return LiveDrill.start(db, scenario, text, "starter.yaml", 3, "sv", 60.0, briefing=False)


def kept(db: str, session: str) -> list[tuple[int, str, str]]:
    store = open_store(db, write=False)
    try:
        info = store.session(session)
        assert info is not None and check_session(store, info).state == INTACT
        return [(row[0], row[2], row[5]) for row in store.entries(session)]
    finally:
        store.close()


def one_line_about(fault: Any, db: str) -> str:
    said = t(fault.key, **fault.fields)
    assert "\n" not in said and PASSWORD not in said and shown(db) in said
    return said


def test_a_full_disk_on_postgresql_holds_the_drill_says_so_in_one_line_and_loses_nothing(pg_db):
    live = start_live(pg_db)
    try:
        for _ in range(10):
            live.tick(1.0)
        live.act(Action("decision", text="Vi samlar krisledningen"))
        session, before = live.session_id, kept(pg_db, live.session_id)
        admin(pg_db, FULL)
        while live.fault is None and live.now < 3600:
            live.tick(1.0)
        assert live.fault is not None and live.fault.key == "journal.pg_full" and live.fault.errno == errno.ENOSPC
        said = one_line_about(live.fault, pg_db)
        assert "No space left on device" in said and "PL/pgSQL" not in said
        with pytest.raises(ActionRefused):
            live.act(Action("decision", text="Under felet"))
        assert kept(pg_db, session) == before  # nothing committed is lost, nothing half-written
        admin(pg_db, "DROP TRIGGER disk_full ON entries")
        while live.fault is not None:
            live.tick(1.0)  # retried every RETRY_EVERY seconds: on by itself once it succeeds
        assert [row[0] for row in kept(pg_db, session)] == [e.seq for e in live.history]
    finally:
        live.close(interrupted=True)


def test_a_full_disk_on_postgresql_ends_a_command_with_one_line_and_no_traceback(pg_db, scenario_file, run_cli):
    assert run_cli("simulate", scenario_file, "--db", pg_db, "--seed", "1")[0] == 0
    first = open_store(pg_db, write=False)
    (session,) = first.session_ids()
    first.close()
    before = kept(pg_db, session)
    admin(pg_db, FULL)
    code, _out, err = run_cli("simulate", scenario_file, "--db", pg_db, "--seed", "2")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err and PASSWORD not in err
    reason = 'could not extend file "base/1/2": No space left on device'
    assert t("journal.pg_full", path=shown(pg_db), reason=reason) in err
    assert kept(pg_db, session) == before


def test_a_server_that_goes_away_mid_drill_is_said_in_one_line_and_the_host_resumes_without_loss(pg_db):
    live = start_live(pg_db)
    session = live.session_id
    try:
        for _ in range(10):
            live.tick(1.0)
        live.act(Action("decision", text="Vi samlar krisledningen"))
        before = kept(pg_db, session)
        # the server drops the drill's connections (as a restart of the server would)
        assert (
            admin(
                pg_db,
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )[0][0]
            >= 2
        )  # the journal's and the session lock's
        while live.fault is None and live.now < 3600:
            live.tick(1.0)
        assert live.fault is not None and live.fault.key == "journal.pg_unreachable"
        said = one_line_about(live.fault, pg_db)
        assert urlsplit(pg_db).path.lstrip("/") in said  # the database, by name
        with pytest.raises(ActionRefused):
            live.act(Action("decision", text="Under felet"))
    finally:
        live.close(interrupted=True)  # never raises: what it could not write is re-derived on resume
    assert kept(pg_db, session) == before
    again = LiveDrill.resume(pg_db, session)
    try:
        assert [e.seq for e in again.history][: len(before)] == [row[0] for row in before]
        assert any(
            e.kind == "action" and e.data["action"].get("text") == "Vi samlar krisledningen" for e in again.history
        )
        for _ in range(5):
            again.tick(1.0)
        assert again.fault is None
    finally:
        again.close(interrupted=True)
    assert len(kept(pg_db, session)) >= len(before)
