"""A drill played live: wall time becomes exercise time, everything is journaled first.

UI-independent (no Textual): the UI calls `tick()` from a timer and `act()` on input;
both return only events that are already committed to the journal. Pause means the
clock does not advance; speed multiplies wall time (no real-time SimPy environment,
which would sleep and block the UI loop; docs/architecture.md §4).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from krisovning.engine import Action, Drill, Event
from krisovning.scenario import Scenario
from krisovning.session.journal import TEAM, Recorder, open_for_resume

SPEEDS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
MAX_STEP = 5.0  # exercise seconds per engine step: a long pause or a slow tick is caught up in bounded steps


@dataclass
class LiveDrill:
    drill: Drill
    recorder: Recorder
    history: list[Event] = field(default_factory=list)  # everything delivered so far (for a UI rebuilding itself)
    speed: float = 1.0
    paused: bool = False
    backlog: deque = field(default_factory=deque)  # delivered + committed, not yet handed to the UI

    @classmethod
    def start(cls, db: Path, scenario: Scenario, scenario_text: str, scenario_file: str, seed: int, lang: str,
              speed: float = 1.0) -> LiveDrill:
        recorder = Recorder.begin(db, scenario, scenario_text, scenario_file, seed, TEAM, lang)
        live = cls(Drill(scenario, seed=seed), recorder)
        if speed != 1.0:
            live.act(Action("speed", speed=speed))  # journaled, so that a resumed drill keeps its pace
        return live

    @classmethod
    def resume(cls, db: Path, session: str | None, speed: float | None = None) -> LiveDrill:
        recorder, _scenario, drill, history = open_for_resume(db, session, with_history=True)
        live = cls(drill, recorder, history=history, paused=True)  # resume paused: people regroup first
        journaled = [e.data["action"].get("speed") for e in history
                     if e.kind == "action" and e.data["action"]["kind"] == "speed"]
        live.speed = journaled[-1] if journaled else 1.0
        if speed is not None and speed != live.speed:
            live.act(Action("speed", speed=speed))
        live.take_all()  # already in the history the UI rebuilds from
        return live

    @property
    def now(self) -> float:
        return self.drill.now

    @property
    def finished(self) -> bool:
        return self.drill.finished

    def tick(self, wall_seconds: float, limit: int = 2000) -> list[Event]:
        """Advance by `wall_seconds` × speed (unless paused); at most `limit` events are handed out."""
        if not self.paused and not self.drill.finished and wall_seconds > 0:
            target = min(self.drill.now + wall_seconds * self.speed, self.drill.end_time)
            while self.drill.now < target:
                self.drill.advance(min(target, self.drill.now + MAX_STEP))
                self._commit(self.drill.drain())
        out = []
        while self.backlog and len(out) < limit:
            out.append(self.backlog.popleft())
        return out

    def act(self, action: Action) -> list[Event]:
        """Apply and commit `action` (raises ActionRefused); returns its events, durable."""
        self.drill.act(action)
        events = self.drill.drain()
        self._commit(events)
        if action.kind == "pause":
            self.paused = True
        elif action.kind == "resume":
            self.paused = False
        elif action.kind == "speed" and action.speed:
            self.speed = action.speed
        return self.take_all()

    def take_all(self) -> list[Event]:
        out = list(self.backlog)
        self.backlog.clear()
        return out

    def _commit(self, events: list[Event]) -> None:
        self.recorder.record(events, self.drill.now)  # durable before anyone sees it
        self.history.extend(events)
        self.backlog.extend(events)
        if self.drill.finished and self.recorder.info.status != "finished":
            self.recorder.finish("finished")

    def close(self, *, interrupted: bool) -> None:
        if interrupted and not self.drill.finished:
            self.recorder.finish("interrupted")
        self.recorder.close()
