"""The seats of a drill: who sits where, and what each may do.

A solo drill (`krisovning run`) has one seat with every role and the facilitator's tools. A team drill
(`krisovning host`) has a seat per role or group of roles, one for the facilitator and one for observers;
the host checks every request against its seat (`allows`) and stamps the role it acted in (`role_for`),
never trusting what the seat process says about itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from krisovning.vocab import ActionKind, CoordinationKind, FacilitatorKind, SeatKind

_TEAM_KINDS = frozenset({*ActionKind, *CoordinationKind})
_FACILITATOR_KINDS = frozenset(FacilitatorKind)
_OBSERVER_KINDS = frozenset({FacilitatorKind.observation})
SEAT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+-]{0,255}$")


@dataclass(frozen=True)
class Seat:
    kind: SeatKind
    roles: tuple[str, ...] = ()  # a team seat's roles (the others see every role)

    @property
    def id(self) -> str:
        """The seat's name in the journal and on the command line: `facilitator`, `observer`, `solo`, or its roles."""
        return "+".join(self.roles) if self.kind == SeatKind.team else self.kind.value

    @classmethod
    def parse(cls, seat_id: str) -> Seat:
        """The seat an id names (ValueError if none can)."""
        if seat_id in (SeatKind.facilitator, SeatKind.observer, SeatKind.solo):
            return cls(SeatKind(seat_id))
        roles = tuple(seat_id.split("+"))
        if not SEAT_ID.match(seat_id) or not all(roles):
            raise ValueError(seat_id)
        return cls(SeatKind.team, roles)

    @classmethod
    def team(cls, roles: Iterable[str]) -> Seat:
        return cls(SeatKind.team, tuple(dict.fromkeys(roles)))

    @property
    def facilitates(self) -> bool:
        """Sees what is coming and steers the drill."""
        return self.kind in (SeatKind.solo, SeatKind.facilitator)

    @property
    def read_only(self) -> bool:
        return self.kind == SeatKind.observer

    def allows(self, kind: str) -> bool:
        if self.kind == SeatKind.solo:
            return True
        if self.kind == SeatKind.team:
            return kind in _TEAM_KINDS
        if self.kind == SeatKind.facilitator:
            return kind in _FACILITATOR_KINDS
        return kind in _OBSERVER_KINDS

    def holds(self, role: str) -> bool:
        """Whether injects to `role` are this seat's own (its inbox shows them by default)."""
        return self.kind != SeatKind.team or role in self.roles

    def role_for(self, asked: str | None, addressed: str | None) -> str | None:
        """The role a team seat acts in: the one it asked for if it holds it, else the role the inject was
        addressed to if it holds that, else its first. Other seats act in no role."""
        if self.kind != SeatKind.team:
            return asked if self.kind == SeatKind.solo else None
        for role in (asked, addressed):
            if role is not None and role in self.roles:
                return role
        return self.roles[0]


SOLO = Seat(SeatKind.solo)
FACILITATOR = Seat(SeatKind.facilitator)
OBSERVER = Seat(SeatKind.observer)


def invitations(roles: Iterable[str]) -> list[Seat]:
    """The seats a host offers for a scenario: one per role, then the facilitator's and the observers'."""
    return [Seat.team([role]) for role in roles] + [FACILITATOR, OBSERVER]
