"""Who did what in a team drill: each seat's work, reply times and request delays, and the claims.

A team drill's host stamps every action with the seat it came from and when the seat sent it
(session/host.py); the journal says when the host wrote it (`ReportMeta.journaled`). A solo drill's
actions carry no seat: it has no seats here, and its report is as it always was.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from krisovning.engine.actions import Action
from krisovning.engine.typed import ActionTaken, Inject, TypedEvent
from krisovning.report.fmt import clean, first_line
from krisovning.report.model import ClaimRow, SeatRow
from krisovning.vocab import ActionKind, CoordinationKind, FacilitatorKind, SeatKind

# What the table counts, by action kind (a release undoes a claim: it is listed, not counted)
_COUNTED: dict[str, str] = {
    ActionKind.reply: "replies",
    ActionKind.publish: "publications",
    ActionKind.decision: "decisions",
    ActionKind.situation_update: "situation_updates",
    ActionKind.checklist: "checklist_ticks",
    CoordinationKind.claim: "claims",
    FacilitatorKind.observation: "observations",
}
_ORDER: dict[str, int] = {SeatKind.team: 0, SeatKind.solo: 1, SeatKind.facilitator: 2, SeatKind.observer: 3}


@dataclass
class _Tally:
    seat: str
    first: int  # the order seats are listed in: by kind, then by their first action
    roles: dict[str, None] = field(default_factory=dict)  # role ids, in the order it acted in them
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTED.values(), 0))
    actions: int = 0
    replies: list[float] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)

    @property
    def kind(self) -> SeatKind:
        return (
            SeatKind(self.seat)
            if self.seat in (SeatKind.facilitator, SeatKind.observer, SeatKind.solo)
            else SeatKind.team
        )


def team_work(
    events: Iterable[TypedEvent], role: Callable[[str | None], str], journaled: dict[int, str]
) -> tuple[list[SeatRow], list[ClaimRow]]:
    """Each seat that acted, with what it did, and every claim and release, in the journal's order."""
    injects: dict[str, Inject] = {}
    seats: dict[str, _Tally] = {}
    claims: list[ClaimRow] = []
    for event in events:
        if isinstance(event, Inject):
            injects[event.id] = event
            continue
        if not isinstance(event, ActionTaken) or event.action.seat is None:
            continue
        action, seat = event.action, event.action.seat
        tally = seats.get(seat)
        if tally is None:
            tally = seats[seat] = _Tally(seat, len(seats))
        tally.actions += 1
        if action.role is not None:
            tally.roles[action.role] = None
        if action.kind in _COUNTED:
            tally.counts[_COUNTED[action.kind]] += 1
        if action.kind == ActionKind.reply and event.response is not None:
            tally.replies.append(event.response)
        delay = _delay(action, journaled.get(event.seq))
        if delay is not None:
            tally.delays.append(delay)
        if action.kind in (CoordinationKind.claim, CoordinationKind.release):
            claims.append(_claim(event.t, action, injects, role))
    ordered = sorted(seats.values(), key=lambda s: (_ORDER[s.kind], s.first))
    return [_row(s, role) for s in ordered], claims


def _delay(action: Action, journaled: str | None) -> float | None:
    """Wall seconds from the seat's send to the journal entry; None when either time is unknown or unreadable."""
    if action.sent is None or journaled is None:
        return None
    try:
        seconds = (datetime.fromisoformat(journaled) - datetime.fromisoformat(action.sent)).total_seconds()
    except (TypeError, ValueError):  # TypeError: one of them without a time zone (not written by the host)
        return None
    # both are written to the second, by the same machine's clock: a step back of the clock is no delay
    return max(0.0, seconds)


def _claim(t: float, action: Action, injects: dict[str, Inject], role: Callable[[str | None], str]) -> ClaimRow:
    inject = injects.get(action.inject or "")
    subject = first_line(inject.subject or inject.text) if inject is not None else ""
    return ClaimRow(
        t=round(t, 3),
        kind="claim" if action.kind == CoordinationKind.claim else "release",
        inject=clean(action.inject),
        subject=subject or "–",
        role=role(action.role),
        seat=clean(action.seat),
    )


def _row(s: _Tally, role: Callable[[str | None], str]) -> SeatRow:
    return SeatRow(
        seat=clean(s.seat),
        kind=s.kind.value,
        roles=[role(r) for r in s.roles],
        **s.counts,
        actions=s.actions,
        median_reply=round(statistics.median(s.replies), 3) if s.replies else None,
        requests=len(s.delays),
        delay_median=round(statistics.median(s.delays), 3) if s.delays else None,
        delay_max=round(max(s.delays), 3) if s.delays else None,
    )
