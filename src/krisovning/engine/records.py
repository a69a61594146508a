"""The engine's bookkeeping of delivered injects and of what the team has done."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


@dataclass
class InjectRecord:
    id: str
    source: str  # scripted | generated | adhoc
    t: float
    channel: str
    sender: dict[str, Any]
    to: str
    text: str
    priority: str
    subject: str | None = None
    expect: dict[str, Any] | None = None  # action, channels, deadline, description
    note: str | None = None
    objectives: tuple[str, ...] = ()
    status: str | None = None  # open | met | missed (None: nothing expected)
    replied_at: float | None = None
    replied_by: tuple[str | None, str | None] = (None, None)  # (seat, role) of the reply
    claimed_by: tuple[str, str | None, float] | None = None  # (seat, role, when) of a team drill's claim
    met_at: float | None = None
    do_not_answer: bool = False  # the scenario's marking: a team does not answer it

    @property
    def deadline(self) -> float | None:
        return self.expect["deadline"] if self.expect else None

    def to_event(self, world_time: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "channel": self.channel,
            "sender": self.sender,
            "to": self.to,
            "text": self.text,
            "priority": self.priority,
            "world_time": world_time,
        }
        for name in ("subject", "expect", "note"):
            value = getattr(self, name)
            if value:
                data[name] = value
        if self.objectives:
            data["objectives"] = list(self.objectives)
        if self.do_not_answer:  # only when marked, so other injects journal (and digest) as before
            data["do_not_answer"] = True
        return data


@dataclass
class TeamLog:
    """What the team did, in order; each entry is (exercise time, data)."""

    replies: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    publications: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    decisions: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    situation: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    observations: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    ticks: dict[tuple[str, str], float] = field(default_factory=dict)
    first_public: float | None = None

    def has(self, kind: str, channels: Iterable[Enum] | None, before: float) -> bool:
        """Whether the team took an action of `kind` (on one of `channels`, if any) by `before`."""
        entries = {
            "reply": self.replies,
            "publish": self.publications,
            "decision": self.decisions,
            "situation_update": self.situation,
        }.get(kind)
        if entries is None:  # checklist
            return any(t <= before for t in self.ticks.values())
        wanted = {c.value for c in channels} if channels else None
        return any(t <= before and (wanted is None or wanted & set(data.get("channels", ()))) for t, data in entries)
