"""Does the feed answer to what the team says? Questions on a topic after a publication that covered it.

From events alone (a drill's, or a journal's export): each public `publish` action carries the topics
it covered, each post the topics its text is about. For every publication and topic it covered for the
first time, the questions on that topic over the next `window` seconds are counted — in the drill, and
in another drill of the same scenario and seed (the silent team's) over the same window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from krisovning.engine import events as ev
from krisovning.engine.events import Event

WINDOW = 30 * 60.0


@dataclass(frozen=True)
class Covered:
    topic: str
    t: float  # when a publication first covered it


@dataclass(frozen=True)
class Falloff:
    topic: str
    t: float
    questions: int  # in the drill, over the window after the publication
    baseline: int  # in the other drill, over the same window

    @property
    def reduction(self) -> float | None:
        """How much fewer (0.6: 60 % fewer); None when the other drill had none either."""
        return 1.0 - self.questions / self.baseline if self.baseline else None


def first_covered(events: Iterable[Event]) -> list[Covered]:
    """Each topic with the time of the first public publication that covered it, in time order."""
    seen: dict[str, float] = {}
    for event in events:
        if event.kind == ev.ACTION and event.data.get("public"):
            for topic in event.data.get("topics", ()):
                seen.setdefault(topic, event.t)
    return [Covered(topic, t) for topic, t in seen.items()]


def questions_on(events: Iterable[Event], topic: str, start: float, end: float) -> int:
    return sum(
        1
        for event in events
        if event.kind == ev.POST
        and start <= event.t < end
        and event.data["category"] == "question"
        and topic in event.data.get("topics", ())
    )


def falloff(team: list[Event], other: list[Event], window: float = WINDOW) -> list[Falloff]:
    """Per topic the team covered: questions on it in the window after, in `team` and in `other`."""
    return [
        Falloff(
            c.topic,
            c.t,
            questions_on(team, c.topic, c.t, c.t + window),
            questions_on(other, c.topic, c.t, c.t + window),
        )
        for c in first_covered(team)
    ]


def total_reduction(rows: Iterable[Falloff]) -> float | None:
    """Over all topics together: 1 − questions / baseline (None when the baseline had no questions)."""
    rows = list(rows)
    baseline = sum(r.baseline for r in rows)
    return 1.0 - sum(r.questions for r in rows) / baseline if baseline else None
