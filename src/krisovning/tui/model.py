"""What the UI shows, kept from the delivered events, read as types (`engine/typed.py`; no Textual here:
easy to test)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from krisovning.engine.actions import Action
from krisovning.engine.events import Event
from krisovning.engine.typed import (
    ActionTaken,
    DrillEnd,
    ExpectationMet,
    ExpectationMissed,
    Inject,
    Post,
    SocialSample,
    TypedEvent,
    typed,
)
from krisovning.vocab import ActionKind, CoordinationKind, FacilitatorKind


@dataclass(frozen=True)
class Said:
    """Who did something about an inject, and when: a reply (with its text) or a claim (session/seats.py)."""

    t: float
    role: str | None  # the role it was done in (None in a solo drill)
    seat: str | None  # the seat it came from (None in a solo drill)
    text: str = ""
    declined: bool = False  # a reply that declines the interview (tui/decline.py)


@dataclass
class InboxItem:
    id: str
    t: float
    data: Inject
    status: str = (
        "new"  # new | answered | overdue | info — derived from journaled facts only, so a resume shows the same
    )
    replied: bool = False
    met: bool = False
    missed: bool = False
    replies: list[Said] = field(default_factory=list)  # the conversation, in journal order
    claim: Said | None = None  # "I'll take this one", until released

    @property
    def declined(self) -> bool:
        """The team declined the interview (a reply with `declined`)."""
        return any(said.declined for said in self.replies)

    @property
    def deadline(self) -> float | None:
        expect = self.data.expect
        return expect.deadline if expect else None

    def refresh_status(self) -> None:
        if self.replied or self.met:
            self.status = "answered"
        elif self.missed:
            self.status = "overdue"
        else:
            self.status = "new" if self.data.expect else "info"


@dataclass
class DrillView:
    """The UI's memory of the drill: inbox, logs, latest social figures."""

    inbox: dict[str, InboxItem] = field(default_factory=dict)
    decisions: list[tuple[float, Action]] = field(default_factory=list)
    situation: list[tuple[float, Action]] = field(default_factory=list)
    publications: list[tuple[float, Action]] = field(default_factory=list)
    observations: list[tuple[float, str]] = field(default_factory=list)
    observed: list[tuple[float, Action]] = field(default_factory=list)  # the same, with the objective each bears on
    ticks: dict[tuple[str, str], float] = field(default_factory=dict)
    social: SocialSample | None = None
    ended: bool = False

    def apply(self, events: Iterable[Event | TypedEvent]) -> set[str]:
        """Take in delivered events; returns which parts of the UI changed."""
        changed: set[str] = set()
        for event in map(typed, events):
            if isinstance(event, Post):
                changed.add("feed")
            elif isinstance(event, Inject):
                item = self.inbox[event.id] = InboxItem(event.id, event.t, event)
                item.refresh_status()
                changed.add("inbox")
            elif isinstance(event, ExpectationMet | ExpectationMissed):
                known = self.inbox.get(event.inject)
                if known:
                    known.met = known.met or isinstance(event, ExpectationMet)
                    known.missed = known.missed or isinstance(event, ExpectationMissed)
                    known.refresh_status()
                changed.add("inbox")
            elif isinstance(event, ActionTaken):
                changed |= self._action(event.t, event.action)
            elif isinstance(event, SocialSample):
                self.social = event
                changed.add("social")
            elif isinstance(event, DrillEnd):
                self.ended = True
                changed.add("end")
        return changed

    def _action(self, t: float, action: Action) -> set[str]:
        kind = action.kind
        if kind == ActionKind.reply:
            item = self.inbox.get(action.inject or "")
            if item:
                item.replied = True
                item.replies.append(Said(t, action.role, action.seat, action.text, bool(action.declined)))
                item.refresh_status()
            return {"inbox"}
        if kind in (CoordinationKind.claim, CoordinationKind.release):
            item = self.inbox.get(action.inject or "")
            if item:
                item.claim = Said(t, action.role, action.seat) if kind == CoordinationKind.claim else None
            return {"inbox"}
        if kind == ActionKind.publish:
            self.publications.append((t, action))
            return {"publish", "feed"}
        if kind == ActionKind.decision:
            self.decisions.append((t, action))
            return {"decisions"}
        if kind == ActionKind.situation_update:
            self.situation.append((t, action))
            return {"situation"}
        if kind == ActionKind.checklist:
            self.ticks[(action.checklist or "", action.item or "")] = t
            return {"checklists"}
        if kind == FacilitatorKind.observation:
            self.observations.append((t, action.text))
            self.observed.append((t, action))
            return {"observations"}
        return {"control"}

    def counts(self, mine: Callable[[str], bool] | None = None) -> dict[str, int]:
        """New and overdue injects (`mine`: only those to roles it holds, session/seats.py Seat.holds)."""
        statuses = [item.status for item in self.inbox.values() if mine is None or mine(item.data.to)]
        return {"new": statuses.count("new"), "overdue": statuses.count("overdue")}
