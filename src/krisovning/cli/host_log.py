"""The host without a terminal (started by a script, a service or `nohup`): the invitations, then a line
each time a seat comes or goes or the journal fails, while the drill runs. SIGTERM and SIGINT end it,
leaving the drill interrupted (`krisovning host --resume`)."""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from collections.abc import Iterator
from types import FrameType

from krisovning.i18n import t
from krisovning.session.host import HostDrill
from krisovning.session.roster import Invitation, seat_label, seat_state

LOOK_EVERY = 0.5  # wall seconds between looks at the seats


def print_invitations(invites: list[Invitation]) -> None:
    print(t("host.invitations"))
    for invite in invites:
        print(f"  {invite.label}:")
        print(f"    {invite.command}")
        if invite.url:
            print(f"    {invite.url}")
    sys.stdout.flush()


def run_log(drill: HostDrill, invites: list[Invitation], hz: int) -> None:
    """Step the drill until it ends or a signal stops it (the caller closes it)."""
    live = drill.live
    print(t("host.started", session=live.session_id, title=live.scenario.title), flush=True)
    if drill.expired:
        print(t("host.expired", n=drill.expired), flush=True)
    print_invitations(invites)
    states: dict[str, bool] = {}
    fault_said: object = None
    look_in = 0.0
    last = time.monotonic()
    with _stopped_by_signals() as stopped:
        while not (live.finished or stopped):
            now = time.monotonic()
            wall, last = min(now - last, 1.0), now
            drill.step(wall)
            look_in -= wall
            if look_in <= 0:
                look_in = LOOK_EVERY
                _say_seats(drill, states)
            if live.fault is not fault_said:
                fault_said = live.fault
                _say_fault(drill)
            time.sleep(max(0.0, 1 / hz - (time.monotonic() - now)))


def _say_seats(drill: HostDrill, states: dict[str, bool]) -> None:
    for seen, connected in drill.seats():
        if states.get(seen.seat, False) != connected:
            states[seen.seat] = connected
            label = seat_label(drill.live.scenario, seen.seat)
            print(t("host.seat_line", seat=label, state=seat_state(seen, connected)), flush=True)


def _say_fault(drill: HostDrill) -> None:
    fault = drill.live.fault
    if fault is None:
        print(t("ui.journal_back"), flush=True)
    else:
        print(t("host.fault", problem=t(fault.key, **fault.fields)), file=sys.stderr, flush=True)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[list[int]]:
    """A list that gets the signal's number when one comes: the loop ends between two steps, never inside one
    (a step may be in the middle of a journal write)."""
    stopped: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopped.append(signum)

    before = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stopped
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
