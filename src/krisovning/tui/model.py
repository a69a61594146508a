"""What the UI shows, kept from the delivered events (no Textual here: easy to test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from krisovning.engine import events as ev
from krisovning.engine.events import Event


@dataclass
class InboxItem:
    id: str
    t: float
    data: dict[str, Any]
    status: str = "new"  # new | answered | overdue | info — derived from journaled facts only, so a resume shows the same
    replied: bool = False
    met: bool = False
    missed: bool = False

    @property
    def deadline(self) -> float | None:
        expect = self.data.get("expect")
        return expect["deadline"] if expect else None

    def refresh_status(self) -> None:
        if self.replied or self.met:
            self.status = "answered"
        elif self.missed:
            self.status = "overdue"
        else:
            self.status = "new" if self.data.get("expect") else "info"


@dataclass
class DrillView:
    """The UI's memory of the drill: inbox, logs, latest social figures."""

    inbox: dict[str, InboxItem] = field(default_factory=dict)
    decisions: list[tuple[float, str]] = field(default_factory=list)
    situation: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    publications: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    observations: list[tuple[float, str]] = field(default_factory=list)
    ticks: dict[tuple[str, str], float] = field(default_factory=dict)
    social: dict[str, Any] = field(default_factory=dict)
    ended: bool = False

    def apply(self, events: list[Event]) -> set[str]:
        """Take in delivered events; returns which parts of the UI changed."""
        changed: set[str] = set()
        for event in events:
            kind, data = event.kind, event.data
            if kind == ev.POST:
                changed.add("feed")
            elif kind == ev.INJECT:
                item = self.inbox[data["id"]] = InboxItem(data["id"], event.t, data)
                item.refresh_status()
                changed.add("inbox")
            elif kind == ev.MET or kind == ev.MISSED:
                item = self.inbox.get(data["inject"])
                if item:
                    item.met = item.met or kind == ev.MET
                    item.missed = item.missed or kind == ev.MISSED
                    item.refresh_status()
                changed.add("inbox")
            elif kind == ev.ACTION:
                changed |= self._action(event.t, data)
            elif kind == ev.SAMPLE:
                self.social = data
                changed.add("social")
            elif kind == ev.END:
                self.ended = True
                changed.add("end")
        return changed

    def _action(self, t: float, data: dict[str, Any]) -> set[str]:
        action = data["action"]
        kind = action["kind"]
        if kind == "reply":
            item = self.inbox.get(action.get("inject", ""))
            if item:
                item.replied = True
                item.refresh_status()
            return {"inbox"}
        if kind == "publish":
            self.publications.append((t, action))
            return {"publish", "feed"}
        if kind == "decision":
            self.decisions.append((t, action.get("text", "")))
            return {"decisions"}
        if kind == "situation_update":
            self.situation.append((t, action))
            return {"situation"}
        if kind == "checklist":
            self.ticks[(action.get("checklist", ""), action.get("item", ""))] = t
            return {"checklists"}
        if kind == "observation":
            self.observations.append((t, action.get("text", "")))
            return {"observations"}
        return {"control"}

    def counts(self) -> dict[str, int]:
        statuses = [item.status for item in self.inbox.values()]
        return {"new": statuses.count("new"), "overdue": statuses.count("overdue")}
