"""Response times and social-media pressure from an event stream (no I/O, no UI)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from krisovning.engine.actions import Action
from krisovning.engine.events import INJECT, MET, MISSED, POST, Event
from krisovning.engine.typed import (
    ActionTaken,
    DrillEnd,
    Expect,
    ExpectationMet,
    ExpectationMissed,
    Inject,
    Post,
    SocialSample,
    TypedEvent,
    typed,
)
from krisovning.vocab import ActionKind, PostCategory

_TEAM = frozenset(ActionKind)  # a set: membership of any value, not only str; a claim or release is not work


@dataclass
class InjectFacts:
    id: str
    t: float
    channel: str
    to: str
    sender_kind: str
    source: str
    expect: Expect | None
    replied: float | None = None  # seconds after arrival
    met: float | None = None
    missed: bool = False
    do_not_answer: bool = False  # a reply to it is held against the team (metrics/objectives.py)
    broken: int | None = None  # a hold: the seq of the publication that broke it (engine/content.py)


@dataclass
class Facts:
    """Everything the metrics need, gathered in one pass over the events."""

    injects: dict[str, InjectFacts] = field(default_factory=dict)
    actions: list[tuple[float, Action]] = field(default_factory=list)
    covered: dict[int, tuple[str, ...]] = field(default_factory=dict)  # an action's seq → the topics it covered
    seqs: dict[int, int] = field(default_factory=dict)  # id() of an action in `actions` → its seq
    public_messages: list[float] = field(default_factory=list)
    rumour_times: list[float] = field(default_factory=list)
    posts: int = 0
    samples: list[tuple[float, SocialSample]] = field(default_factory=list)
    end: float | None = None

    @property
    def team_actions(self) -> list[tuple[float, Action]]:
        """What the team did (not the facilitator's pause, speed, injects or notes)."""
        return [(t, a) for t, a in self.actions if a.kind in _TEAM]

    def of_kind(self, kind: str) -> list[tuple[float, Action]]:
        return [(t, a) for t, a in self.actions if a.kind == kind]

    def topics_of(self, action: Action) -> tuple[str, ...]:
        """The topics an action of `actions` covered (a public publication's, a decision's)."""
        seq = self.seqs.get(id(action))
        return self.covered.get(seq, ()) if seq is not None else ()


def gather(events: Iterable[Event | TypedEvent]) -> Facts:
    """The facts of the engine's events or a journal's (`engine/typed.py` reads both as types)."""
    facts = Facts()
    injects = facts.injects
    for raw in events:
        if raw.__class__ is Event:  # the engine's own: the fields read from its dict, no typed event built
            kind, data = raw.kind, raw.data
            if kind == POST:
                facts.posts += 1
                if data["category"] == PostCategory.rumour:
                    facts.rumour_times.append(raw.t)
                continue
            if kind == INJECT:
                expect = data.get("expect")
                injects[data["id"]] = InjectFacts(
                    data["id"],
                    raw.t,
                    data["channel"],
                    data["to"],
                    data["sender"]["kind"],
                    data["source"],
                    None if expect is None else _expect(expect),
                    do_not_answer=data.get("do_not_answer", False),
                )
                continue
            if kind == MET:
                injects[data["inject"]].met = data["response"]
                continue
            if kind == MISSED:
                injects[data["inject"]].missed = True
                injects[data["inject"]].broken = data.get("broken")
                continue
        event = typed(raw)
        if isinstance(event, Post):
            facts.posts += 1
            if event.category == PostCategory.rumour:
                facts.rumour_times.append(event.t)
        elif isinstance(event, Inject):
            facts.injects[event.id] = InjectFacts(
                event.id,
                event.t,
                event.channel,
                event.to,
                event.sender.kind,
                event.source,
                event.expect,
                do_not_answer=event.do_not_answer,
            )
        elif isinstance(event, ActionTaken):
            action = event.action
            facts.actions.append((event.t, action))
            facts.seqs[id(action)] = event.seq
            if event.topics:
                facts.covered[event.seq] = event.topics
            if action.kind == ActionKind.reply and action.inject in facts.injects:
                facts.injects[action.inject].replied = event.response
            elif action.kind == ActionKind.publish and event.public:
                facts.public_messages.append(event.t)
        elif isinstance(event, ExpectationMet):
            facts.injects[event.inject].met = event.response
        elif isinstance(event, ExpectationMissed):
            facts.injects[event.inject].missed = True
            facts.injects[event.inject].broken = event.broken
        elif isinstance(event, SocialSample):
            facts.samples.append((event.t, event))
        elif isinstance(event, DrillEnd):
            facts.end = event.t
    return facts


def _expect(data: dict[str, Any]) -> Expect:
    """An engine inject's expectation as typed.Expect (its lists as tuples, as `typed` makes them)."""
    fields = data.copy()
    for name in ("channels", "topics"):
        if name in fields:
            fields[name] = tuple(fields[name])
    return Expect(**fields)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def response_stats(injects: list[InjectFacts]) -> dict[str, Any]:
    times = [i.replied for i in injects if i.replied is not None]
    return {
        "count": len(injects),
        "answered": len(times),
        "median": statistics.median(times) if times else None,
        "p90": percentile(times, 0.9) if times else None,
        "worst": max(times) if times else None,
        "missed": sum(1 for i in injects if i.missed),
    }


def response_by(facts: Facts, key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[InjectFacts]] = {}
    for inject in facts.injects.values():
        groups.setdefault(getattr(inject, key), []).append(inject)
    return {name: response_stats(items) for name, items in sorted(groups.items())}


def peak_rate(times: list[float], window: float) -> float:
    """The most posts in any window of `window` seconds, as posts per hour."""
    best = low = 0  # the window ending at each post: its first post's index (times are in order)
    for high, t in enumerate(times):
        start = t - window
        while times[low] < start:
            low += 1
        if high - low >= best:
            best = high - low + 1
    return best * 3600.0 / window


PEAK_WINDOW = 900.0  # the report's peak measure: posts per hour averaged over the busiest 15 minutes


def peak_window(times: list[float], window: float) -> tuple[float, float | None, float | None]:
    """The busiest window of `window` seconds (the measure `peak_rate` gives): its posts per hour, and when
    it began and ended (its first and last post); (0, None, None) without posts."""
    best, start, end, low = 0, None, None, 0
    for high, t in enumerate(times):
        while times[low] < t - window:
            low += 1
        if high - low + 1 > best:
            best, start, end = high - low + 1, times[low], t
    return best * 3600.0 / window, start, end


def rolling_rate(times: list[float], window: float, at: list[float]) -> list[float]:
    """Posts per hour in the `window` seconds up to each moment of `at` (ascending): the curve whose
    highest point is `peak_window`'s when `at` holds that window's end."""
    out, low, high = [], 0, 0
    for moment in at:
        while high < len(times) and times[high] <= moment:
            high += 1
        while low < high and times[low] < moment - window:
            low += 1
        out.append((high - low) * 3600.0 / window)
    return out


def pressure_curve(
    posts: list[float], rumours: list[float], window: float, rumour_window: float, end: float, step: float = 60.0
) -> list[tuple[float, float, float]]:
    """(t, posts per hour, rumour posts per hour), each averaged over its window up to t: every `step` seconds
    and at the end of each peak window, so the curve's highest points are the peaks the report states."""
    moments = {round(step * k, 3) for k in range(int(end // step) + 1)}
    for times, width in ((posts, window), (rumours, rumour_window)):
        peak_end = peak_window(times, width)[2]
        if peak_end is not None:
            moments.add(peak_end)  # exact: a rounded moment could fall before its last post
    at = sorted(moments)
    return list(zip(at, rolling_rate(posts, window, at), rolling_rate(rumours, rumour_window, at), strict=True))


def expectation_counts(facts: Facts) -> dict[str, int]:
    """What the injects expected and how it was met: `by_reply` a reply, `by_other` a publication,
    a decision or a situation picture (a reply count alone undersells a team that published)."""
    expected = [i for i in facts.injects.values() if i.expect]
    met = [i for i in expected if i.met is not None]
    by_reply = sum(1 for i in met if i.expect is not None and i.expect.action == ActionKind.reply)
    return {
        "expected": len(expected),
        "met": len(met),
        "by_reply": by_reply,
        "by_other": len(met) - by_reply,
        "missed": sum(1 for i in expected if i.missed),
    }
