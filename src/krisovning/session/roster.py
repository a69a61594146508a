"""What a host says about its seats: the invitations (the command, or the browser address, to open each
seat) and whether each seat is connected — the same words on the host's console and in its plain log."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from krisovning.i18n import t
from krisovning.scenario import Scenario
from krisovning.session.relay import SeatSeen
from krisovning.session.seats import Seat
from krisovning.vocab import SeatKind


@dataclass(frozen=True)
class Invitation:
    seat: str  # the seat's id (session/seats.py)
    label: str  # who sits there, in words
    command: str  # the command that opens the seat in a terminal
    url: str | None = None  # the browser address (krisovning host --web)


def seat_label(scenario: Scenario, seat_id: str) -> str:
    """A seat in words: its roles' names (as the scenario calls them), the facilitator or the observers."""
    try:
        seat = Seat.parse(seat_id)
    except ValueError:
        return seat_id
    if seat.kind == SeatKind.facilitator:
        return t("host.seat_facilitator")
    if seat.kind == SeatKind.observer:
        return t("host.seat_observer")
    if seat.kind == SeatKind.solo:
        return t("host.seat_solo")
    names = {role.id: role.name for role in scenario.roles}
    return " + ".join(names.get(role, role) for role in seat.roles)


def seat_options(seat_id: str) -> list[str]:
    """The `krisovning seat` options that open this seat."""
    seat = Seat.parse(seat_id)
    if seat.kind == SeatKind.team:
        return [word for role in seat.roles for word in ("--role", role)]
    return [f"--{seat.kind.value}"]


def invitations(
    scenario: Scenario, session: str, seats: list[SeatSeen], db: Path | str | None, urls: dict[str, str] | None = None
) -> list[Invitation]:
    """One invitation per offered seat; `db`: the journal when it is not the default (then it is named)."""
    out = []
    for seen in seats:
        try:
            options = seat_options(seen.seat)
        except ValueError:  # not a seat this version can name (a newer one offered it)
            continue
        words = ["krisovning", "seat", session, *options]
        if db is not None:
            words += ["--db", str(db)]
        url = (urls or {}).get(seen.seat)
        out.append(Invitation(seen.seat, seat_label(scenario, seen.seat), shlex.join(words), url))
    return out


def seat_state(seen: SeatSeen, connected: bool) -> str:
    """connected / not connected / last seen HH:MM:SS."""
    if connected:
        return t("host.connected")
    if seen.seen_at is None:
        return t("host.not_connected")
    return t("host.last_seen", at=datetime.fromtimestamp(seen.seen_at).strftime("%H:%M:%S"))
