"""Killing the drill process at any moment loses no acknowledged action; resume is exact (docs/journal.md)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from kill_driver import step
from scenario_factory import starter

from krisovning.engine import Drill, Event, digest_of
from krisovning.session import open_for_resume
from krisovning.session.store import open_store

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted run: same driver, no journal."""
    drill = Drill(starter(), seed=11)
    events = []
    while not drill.finished:
        step(drill, lambda batch, _now: events.extend(batch))
    return digest_of(events)


def scenario_file(tmp_path):
    from importlib import resources

    path = tmp_path / "s.yaml"
    path.write_bytes(resources.files("krisovning").joinpath("data/starter.yaml").read_bytes())
    return path


@pytest.mark.parametrize("run", range(5))
def test_sigkill_then_resume_loses_nothing_and_matches(tmp_path, journal_db, reference, run):
    rng = random.Random(run)
    db = journal_db
    path = scenario_file(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "kill_driver.py"), str(db), str(path), "11"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))},
    )
    acked = []
    wanted = rng.randint(1, 8)
    session = None
    for line in proc.stdout:
        if line.startswith("SESSION"):
            session = line.split()[1]
        elif line.startswith("ACK"):
            acked.append(int(line.split()[1]))
            if len(acked) >= wanted:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert session and acked

    recorder, _scenario, drill = open_for_resume(db, None)
    assert recorder.info.id == session
    stored = {seq: json.loads(body) for seq, _t, _k, _w, _wall, body in recorder.store.entries(session)}
    for seq in acked:  # every acknowledged action is in the journal
        assert stored[seq]["kind"] == "action"
    last_action = max((e["t"] for e in stored.values() if e["kind"] == "action"), default=None)
    step(drill, recorder.record, decided_at=last_action)
    while not drill.finished:
        step(drill, recorder.record)
    recorder.finish("finished")
    recorder.close()

    store = open_store(db, write=False)
    events = [Event.from_dict(json.loads(row[5])) for row in store.entries(session)]
    store.close()
    assert digest_of(events) == reference
