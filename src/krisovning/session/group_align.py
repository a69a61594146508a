"""Bringing a group's drills to one clock again (`krisovning group align`, the control view's `j`).

A host that was down comes back behind the others (its drill stood still meanwhile), and a county's
common injects — a press conference at 09.00 — only make sense when every municipality is at the same
time. The drills cannot jump ahead (the engine plays every second), so the ones ahead wait: every drill
is paused, the ones behind run on at their own speed and are paused when they reach the one furthest
on. All of it goes through the facilitator's own requests (session/group.py `send`); at the end every
drill is paused at (about) the same clock and `resume` lets them go on together.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from krisovning.engine import Action
from krisovning.session.group import (
    ANSWER_WITHIN,
    BRIEFING,
    DONE,
    ENDED,
    PAUSED,
    RUNNING,
    UNREACHABLE,
    Outcome,
    Snapshot,
    Watch,
    members,
    send,
)
from krisovning.session.store import SqliteStore

NEAR = 1.0  # exercise seconds: a drill this close to the target is there
AHEAD = 0.1  # wall seconds a pause takes to reach a host (stepped at 20 Hz): asked this much before the target
LOOK_EVERY = 0.1  # wall seconds between looks while the ones behind catch up
SLACK = 30.0  # wall seconds allowed beyond the catching up itself
SETTLE = 3.0  # wall seconds a host may take to say in its heartbeat what it just did
_LEFT = {  # why a drill was left as it was, by its state
    BRIEFING: "group.align.briefing",
    ENDED: "group.align.ended",
    UNREACHABLE: "group.align.unreachable",
}


@dataclass(frozen=True)
class Aligned:
    """What became of one drill: its outcome (`done`; `refused`, also when it was left as it was: not
    started, ended, its host gone; `silent`) and its clock before and after."""

    session: str
    outcome: Outcome
    before: float
    after: float


def align(
    store: SqliteStore,
    name: str,
    chosen: Sequence[str] = (),
    *,
    within: float = ANSWER_WITHIN,
    clock: Callable[[], float] = time.time,
    pause: Callable[[float], None] = time.sleep,
) -> tuple[float, list[Aligned]]:
    """The clock the drills were brought to, and what became of each (GroupError, JournalError as `look`)."""
    wanted = {m.session for m in members(store, name, chosen)}
    watch = Watch(store, name, clock=clock)

    def look() -> dict[str, Snapshot]:
        return {s.member.session: s for s in watch.look() if s.member.session in wanted}

    def settled(sessions: list[str], state: str) -> dict[str, Snapshot]:
        """A look once the hosts' heartbeats say `state` for `sessions` (a host answers a request in the
        transaction that journals it and says so in its heartbeat right after): at most SETTLE seconds."""
        deadline = time.monotonic() + SETTLE
        while True:
            seen = look()
            if all(seen[s].state == state for s in sessions) or time.monotonic() > deadline:
                return seen
            pause(LOOK_EVERY / 4)

    first = look()
    steerable = [s for s, snap in first.items() if snap.state in (RUNNING, PAUSED)]
    outcomes: dict[str, Outcome] = {  # not started, ended, its host gone: left as it is
        s: Outcome(s, "refused", _LEFT[snap.state]) for s, snap in first.items() if s not in steerable
    }
    running = [s for s in steerable if first[s].state == RUNNING]
    for outcome in send(store, running, Action("pause"), within=within, clock=clock, pause=pause):
        if outcome.status != DONE:
            outcomes[outcome.session] = outcome
    now = settled([s for s in steerable if s not in outcomes], PAUSED)
    steerable = [s for s in steerable if s not in outcomes and now[s].state == PAUSED]
    target = max((now[s].clock for s in steerable), default=0.0)
    behind = [s for s in steerable if now[s].clock < target - NEAR]
    for outcome in send(store, behind, Action("resume"), within=within, clock=clock, pause=pause):
        if outcome.status != DONE:
            outcomes[outcome.session] = outcome
    catching = [s for s in behind if s not in outcomes]
    settled(catching, RUNNING)  # else a heartbeat from before the resume would have it paused at once
    wait = max(((target - now[s].clock) / max(now[s].speed, 0.01) for s in catching), default=0.0)
    deadline = time.monotonic() + wait + SLACK
    while catching:
        seen = look()
        there = [s for s in catching if seen[s].state != RUNNING or seen[s].clock >= target - seen[s].speed * AHEAD]
        for outcome in send(store, there, Action("pause"), within=within, clock=clock, pause=pause):
            if outcome.status != DONE:
                outcomes[outcome.session] = outcome
        catching = [s for s in catching if s not in there]
        if catching and time.monotonic() > deadline:
            for s in catching:  # still not there: paused where it is, and said so
                send(store, [s], Action("pause"), within=within, clock=clock, pause=pause)
                outcomes[s] = Outcome(s, "refused", "group.align.late", {})
            break
        if catching:
            pause(LOOK_EVERY)
    last = look()
    result = [
        Aligned(s, outcomes.get(s, Outcome(s, DONE)), first[s].clock, last[s].clock if s in last else first[s].clock)
        for s in first
    ]
    return target, result
