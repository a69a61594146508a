"""A stand-in for a team at a terminal: drives a drill step by step, journaling as it goes.

Used by test_journal_kill.py as a real process to SIGKILL. Prints `ACK <seq>` after each
action is committed — the moment a UI would show it as done.
Usage: python kill_driver.py DB SCENARIO SEED
"""

from __future__ import annotations

import sys
from pathlib import Path

from krisovning.engine import Action, Drill
from krisovning.scenario import load_scenario
from krisovning.session import TEAM, Recorder

STEP = 30.0


def decide(drill: Drill) -> Action | None:
    """One action per step, chosen from the drill's state alone (so a resumed drill decides alike)."""
    now = drill.now
    for record in drill.injects.values():
        if record.replied_at is None and now - record.t >= 120:
            return Action("reply", inject=record.id, text=f"Svar på {record.id} – åäö 🙂")
    if now >= 1200 and drill.log.first_public is None:
        return Action("publish", text="Första beskedet", channels=("web", "social"))
    if len(drill.log.situation) < now // 900:
        return Action("situation_update", text="Läget", fields={"läge": "pågår"})
    return None


def step(drill: Drill, record=None, decided_at: float | None = None) -> float | None:
    """Decide (unless this step's decision is already taken), then advance; returns the action's seq."""
    acked = None
    if decided_at != drill.now:
        action = decide(drill)
        if action is not None:
            drill.act(action)
            events = drill.drain()
            if record:
                record(events, drill.now)
            acked = events[0].seq
    drill.advance(drill.now + STEP)
    if record:
        record(drill.drain(), drill.now)
    return acked


def main() -> None:
    db, path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])  # a file or a PostgreSQL address
    scenario = load_scenario(path)
    text = Path(path).read_text(encoding="utf-8")
    recorder = Recorder.begin(db, scenario, text, path, seed, TEAM, "sv")
    print(f"SESSION {recorder.info.id}", flush=True)
    drill = Drill(scenario, seed=seed)
    while not drill.finished:
        acked = step(drill, recorder.record)
        if acked is not None:
            print(f"ACK {acked}", flush=True)
    recorder.finish("finished")
    recorder.close()


if __name__ == "__main__":
    main()
