"""How far each session of a group has come: its objectives scored on the events so far (session/group.py
reads the sessions; the group's status command and control view show this)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from krisovning.i18n import t
from krisovning.i18n.fmt import exercise_time
from krisovning.metrics.figures import gather
from krisovning.metrics.objectives import MET, NOT_MET, PARTLY, ObjectiveResult, evaluate
from krisovning.session.group import BRIEFING, ENDED, PAUSED, RUNNING, UNREACHABLE, Outcome, Snapshot, Watch
from krisovning.textsafe import visible_line

STATE_KEYS = {
    BRIEFING: "group.state.briefing",
    RUNNING: "group.state.running",
    PAUSED: "group.state.paused",
    ENDED: "group.state.ended",
    UNREACHABLE: "group.state.unreachable",
}
KIND_KEYS = {
    "reply": "group.kind.reply",
    "publish": "group.kind.publish",
    "decision": "group.kind.decision",
    "situation_update": "group.kind.situation_update",
    "checklist": "group.kind.checklist",
    "claim": "group.kind.claim",
    "release": "group.kind.release",
    "answer_call": "group.kind.answer_call",
    "decline_call": "group.kind.decline_call",
    "observation": "group.kind.observation",
    "fire_inject": "group.kind.fire_inject",
    "skip_inject": "group.kind.skip_inject",
    "add_inject": "group.kind.add_inject",
    "end": "group.kind.end",
    "pause": "group.kind.pause",
    "resume": "group.kind.resume",
    "speed": "group.kind.speed",
    "start": "group.kind.start",
}


@dataclass(frozen=True)
class Progress:
    snapshot: Snapshot
    objectives: tuple[ObjectiveResult, ...]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.objectives if r.outcome == outcome)

    def to_dict(self) -> dict[str, Any]:
        s = self.snapshot
        info = s.info
        return {
            "session": s.member.session,
            "label": s.member.label,
            "joined": s.member.joined,
            "scenario": info.scenario_id if info is not None else None,
            "scenario_title": info.scenario_title if info is not None else None,
            "state": s.state,
            "clock": round(s.clock, 1),
            "clock_text": exercise_time(s.clock),
            "speed": s.speed,
            "seats_connected": s.seats,
            "seats_offered": s.offered,
            "latest": [{"t": round(a.t, 1), "who": a.who, "kind": a.kind, "text": a.text} for a in s.latest],
            "objectives": [{"id": r.id, "title": r.title, "outcome": r.outcome} for r in self.objectives],
            "objectives_count": {o: self.count(o) for o in (MET, PARTLY, NOT_MET)},
        }


def so_far(snapshot: Snapshot) -> tuple[ObjectiveResult, ...]:
    """The session's objectives scored on what has happened up to its clock (a deadline not yet reached
    counts as not met so far; a finished drill is scored as its report scores it)."""
    if snapshot.scenario is None:
        return ()
    facts = gather(snapshot.events)
    if facts.end is None:
        facts.end = max(snapshot.clock, snapshot.events[-1].t if snapshot.events else 0.0)
    return tuple(evaluate(snapshot.scenario, facts))


class ProgressWatch:
    """A group's Watch with each session's objectives, scored again only when its journal grew."""

    def __init__(self, watch: Watch) -> None:
        self.watch = watch
        self._scored: dict[str, tuple[int, tuple[ObjectiveResult, ...]]] = {}

    def look(self) -> list[Progress]:
        out = []
        for snapshot in self.watch.look():
            seen = len(snapshot.events)
            kept = self._scored.get(snapshot.member.session)
            if kept is None or kept[0] != seen:
                kept = self._scored[snapshot.member.session] = (seen, so_far(snapshot))
            out.append(Progress(snapshot, kept[1]))
        return out


# --- said to people (the status command and the control view) ---


def state_text(progress: Progress) -> str:
    return t(STATE_KEYS[progress.snapshot.state])


def objectives_text(progress: Progress) -> str:
    if not progress.objectives:
        return t("group.objectives_none")
    # a running drill's "not met" may still be met: said as "not yet" until it has ended
    key = "group.objectives" if progress.snapshot.state == ENDED else "group.objectives_running"
    return t(
        key,
        met=progress.count(MET),
        partly=progress.count(PARTLY),
        not_met=progress.count(NOT_MET),
    )


def action_text(kind: str, text: str, limit: int = 50) -> str:
    """An action in a few words: its kind, and the start of its text on one line (data, escaped)."""
    what = t(KIND_KEYS[kind]) if kind in KIND_KEYS else visible_line(kind)
    shown = visible_line(" ".join(text.split()))
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"{what} «{shown}»" if shown else what


def outcome_text(outcome: Outcome) -> str:
    """What a session's host made of a command."""
    if outcome.status == "done":
        return t("group.outcome.done")
    if outcome.status == "refused":
        try:
            reason = t(outcome.key, **outcome.fields)
        except (KeyError, IndexError, ValueError):  # a message this version words otherwise: its key
            reason = outcome.key
        return t("group.outcome.refused", reason=visible_line(reason))
    return t("group.outcome.silent")
