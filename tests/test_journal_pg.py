"""The journal on PostgreSQL: what it costs (round trips per step; speed itself: bench/bench_journal.py)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from importlib import resources
from typing import Any

from psycopg import pq

from krisovning.engine import Action, Drill
from krisovning.scenario import load_scenario_bytes
from krisovning.session import Recorder
from krisovning.session.chain import INTACT
from krisovning.session.journal import check_session
from krisovning.session.store import open_store


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
