"""Phone calls and the ones nobody took, per role and caller, from an event stream (engine/calls.py
journals a `call_missed` for each call that rang out). No I/O, no UI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from krisovning.engine.events import Event
from krisovning.engine.typed import CallMissed, Inject, TypedEvent, typed
from krisovning.textsafe import visible_line
from krisovning.vocab import InjectChannel


@dataclass(frozen=True)
class CallerTally:
    role: str  # the role called (an id)
    caller: str  # the caller's name, with the outlet or organisation when there is one
    calls: int
    missed: int


@dataclass
class CallTally:
    calls: int = 0
    missed: int = 0
    by_caller: list[CallerTally] = field(default_factory=list)  # most missed first, then role and caller

    @property
    def missed_by_caller(self) -> list[CallerTally]:
        return [row for row in self.by_caller if row.missed]

    def missed_by_role(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.by_caller:
            out[row.role] = out.get(row.role, 0) + row.missed
        return out


def caller_name(inject: Inject) -> str:
    sender = inject.sender
    where = sender.outlet or sender.organisation
    return visible_line(f"{sender.name} ({where})" if where else sender.name)


def tally_calls(events: Iterable[Event | TypedEvent]) -> CallTally:
    """Every call (an inject on the phone channel; a story on it does not ring) and whether it was missed."""
    calls: dict[str, tuple[str, str]] = {}  # inject id → (role, caller)
    missed: set[str] = set()
    for event in map(typed, events):
        if isinstance(event, Inject):
            if event.channel == InjectChannel.phone and event.source != "story":
                calls[event.id] = (event.to, caller_name(event))
        elif isinstance(event, CallMissed):
            missed.add(event.inject)
    counts: dict[tuple[str, str], list[int]] = {}
    for inject_id, key in calls.items():
        count = counts.setdefault(key, [0, 0])
        count[0] += 1
        count[1] += inject_id in missed
    rows = [CallerTally(role, caller, n, m) for (role, caller), (n, m) in counts.items()]
    rows.sort(key=lambda r: (-r.missed, r.role, r.caller))
    return CallTally(len(calls), sum(1 for i in calls if i in missed), rows)
