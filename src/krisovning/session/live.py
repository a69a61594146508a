"""A drill played live: wall time becomes exercise time, everything is journaled first.

UI-independent (no Textual): the UI calls `tick()` from a timer and `act()` on input;
both return only events that are already committed to the journal. Pause means the
clock does not advance; speed multiplies wall time (no real-time SimPy environment,
which would sleep and block the UI loop; docs/architecture.md §4).

Events are committed as they come; the clock alone at most once per CLOCK_EVERY seconds of
wall time (a resume replays to the last clock written, so it may lose less than that of
clock, never an event or an action), and the write-ahead log is checkpointed every
CHECKPOINT_EVERY seconds, so an idle drill does not grow the journal.

When the journal cannot be written (a full disk, a failing one) the drill holds: the clock
stops, what the engine delivered is kept in memory (`pending`) and shown only once written,
the team's further actions are refused, and the write is retried every RETRY_EVERY seconds;
the drill goes on by itself once it succeeds. `fault` says why meanwhile.
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from krisovning.engine import Action, ActionRefused, Drill, Event
from krisovning.scenario import Scenario
from krisovning.session.journal import TEAM, Recorder, open_for_resume
from krisovning.session.seats import SOLO, Seat
from krisovning.session.store import JournalError, now_iso

SPEEDS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
MAX_STEP = 5.0  # exercise seconds per engine step: a long pause or a slow tick is caught up in bounded steps
CLOCK_EVERY = 1.0  # wall seconds
CHECKPOINT_EVERY = 60.0  # wall seconds
RETRY_EVERY = 2.0  # wall seconds


@dataclass
class LiveDrill:
    drill: Drill
    recorder: Recorder
    history: list[Event] = field(default_factory=list)  # everything delivered so far (for a UI rebuilding itself)
    speed: float = 1.0
    paused: bool = False
    briefing: bool = False  # before the clock: paused until the facilitator's "start" (never on a resume)
    backlog: deque[Event] = field(default_factory=deque)  # delivered + committed, not yet handed to the UI
    fault: JournalError | None = None  # the last write failed: the drill holds until one succeeds
    pending: list[Event] = field(default_factory=list)  # delivered by the engine, not yet in the journal
    answers: list[tuple[str, str, str, int]] = field(default_factory=list)  # to seat requests, written with them
    _unsaved: float = 0.0  # wall seconds of clock not yet written
    _since_checkpoint: float = 0.0
    _retry_in: float = 0.0

    @classmethod
    def start(
        cls,
        db: Path | str,
        scenario: Scenario,
        scenario_text: str,
        scenario_file: str,
        seed: int,
        lang: str,
        speed: float = 1.0,
        *,
        briefing: bool = False,
    ) -> LiveDrill:
        """A new drill; with `briefing` it waits, paused at 0:00, for a `start` action (the CLI's default;
        `--start-now` and every caller in code start the clock at once)."""
        recorder = Recorder.begin(db, scenario, scenario_text, scenario_file, seed, TEAM, lang)
        live = cls(Drill(scenario, seed=seed), recorder, paused=briefing, briefing=briefing)
        if speed != 1.0:
            live.act(Action("speed", speed=speed))  # journaled, so that a resumed drill keeps its pace
        return live

    @classmethod
    def resume(cls, db: Path | str, session: str | None, speed: float | None = None) -> LiveDrill:
        recorder, _scenario, drill, history = open_for_resume(db, session, with_history=True)
        live = cls(drill, recorder, history=history, paused=True)  # resume paused: people regroup first
        journaled = [
            e.data["action"].get("speed") for e in history if e.kind == "action" and e.data["action"]["kind"] == "speed"
        ]
        live.speed = journaled[-1] if journaled else 1.0
        if speed is not None and speed != live.speed:
            live.act(Action("speed", speed=speed))
        live.take_all()  # already in the history the UI rebuilds from
        return live

    # --- what a UI reads (session/link.py: a seat of a team drill answers the same) ---

    seat: ClassVar[Seat] = SOLO
    host_lost: ClassVar[str | None] = None  # this process is the host

    @property
    def scenario(self) -> Scenario:
        return self.drill.scenario

    @property
    def session_id(self) -> str:
        return self.recorder.info.id

    @property
    def saved_clock(self) -> float:
        """The clock as last written to the journal (a resume goes on from there)."""
        return self.recorder.info.exercise_time

    def world_time(self) -> str:
        return self.drill.world_time()

    def upcoming(self) -> list[dict[str, Any]]:
        return self.drill.upcoming()

    @property
    def now(self) -> float:
        return self.drill.now

    @property
    def finished(self) -> bool:
        return self.drill.finished

    def tick(self, wall_seconds: float, limit: int = 2000) -> list[Event]:
        """Advance by `wall_seconds` × speed (unless paused); at most `limit` events are handed out."""
        if self.fault is not None:
            self._retry_in -= wall_seconds
            if self._retry_in <= 0:
                self._commit([], force=True)
        elif not self.paused and not self.drill.finished and wall_seconds > 0:
            self._unsaved += wall_seconds
            target = min(self.drill.now + wall_seconds * self.speed, self.drill.end_time)
            while self.drill.now < target:
                self.drill.advance(min(target, self.drill.now + MAX_STEP))
                if not self._commit(self.drill.drain()):
                    break
        self._since_checkpoint += wall_seconds
        if self._since_checkpoint >= CHECKPOINT_EVERY and self.fault is None:
            self._since_checkpoint = 0.0
            with contextlib.suppress(JournalError):  # the write-ahead log keeps it safe; the next one tries again
                self.recorder.checkpoint()
        out: list[Event] = []
        while self.backlog and len(out) < limit:
            out.append(self.backlog.popleft())
        return out

    def act(self, action: Action, request: int | None = None) -> list[Event]:
        """Apply and commit `action` (raises ActionRefused); returns its events, durable.

        Refused while the journal cannot be written. Should this very write fail, the action stays
        taken: it is written, and its events handed out, with the first write that succeeds.
        `request`: the seat request it carries out (session/host.py), answered in the same transaction.
        """
        if self.fault is not None:
            raise ActionRefused("journal.action_held", **self.fault.fields)
        # Replay applies an action after every event due at its time (session/journal.py); so must the
        # live drill, which has processed nothing at all before its first tick.
        self.drill.advance(self.drill.now)
        taken = self.drill.act(action)
        events = self.drill.drain()
        if request is not None:
            self.answers.append(("done", json.dumps({"seq": taken.seq}), now_iso(), request))
        self._commit(events, force=True)
        if action.kind == "pause":
            self.paused = True
        elif action.kind in ("resume", "start"):
            self.paused = self.briefing = False
        elif action.kind == "speed" and action.speed:
            self.speed = action.speed
        return self.take_all()

    def take_all(self) -> list[Event]:
        out = list(self.backlog)
        self.backlog.clear()
        return out

    def _commit(self, events: list[Event], *, force: bool = False) -> bool:
        """Journal what is pending plus `events` — with the clock when they are not empty, when the clock
        is due, or when `force`d. Durable before anyone sees it. False when the journal could not be written."""
        self.pending.extend(events)
        try:
            if self.pending or force or self._unsaved >= CLOCK_EVERY:
                self.recorder.record(self.pending, self.drill.now, self.answers)
                done, self.pending, self.answers = self.pending, [], []
                self._unsaved = 0.0
                self.history.extend(done)
                self.backlog.extend(done)
            if self.drill.finished and self.recorder.info.status != "finished":
                self.recorder.finish("finished")
        except JournalError as exc:
            self.fault, self._retry_in = exc, RETRY_EVERY
            return False
        self.fault = None
        return True

    def close(self, *, interrupted: bool) -> None:
        """Write what is still held and the clock, then leave the session (interrupted unless finished).
        Never raises: a journal that still cannot be written is left in `fault`, with `pending` what it lacks."""
        try:
            if self._commit([], force=True) and interrupted and not self.drill.finished:
                self.recorder.finish("interrupted")
        except JournalError as exc:
            self.fault = exc
        finally:
            self.recorder.close()
