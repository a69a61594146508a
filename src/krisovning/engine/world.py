"""What the world knows: which facts are public, and whether a post template's conditions hold now.

A part of `Drill` (engine/drill.py). A fact declared `public: false` becomes public when a public team
publication mentions one of its keywords (or its value) or an inject that `reveals` it arrives; that
is a `fact_public` event. `version` counts the changes a post template's conditions can see (an
inject, an action, an expectation met or missed, a fact made public, a metric crossing a threshold):
the feed picks its templates again when it moved (engine/feed.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from krisovning.engine import events as ev
from krisovning.engine.memo import per_scenario
from krisovning.engine.topics import Coverage
from krisovning.scenario.model import (
    Inject,
    PostCondition,
    WhenAction,
    WhenContradicted,
    WhenCovered,
    WhenInjected,
    WhenMet,
    WhenMetric,
    WhenMissed,
    WhenNoAction,
    WhenNotYet,
    fact_value,
    hidden_facts,
)

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill

# Event kinds after which a condition may read differently.
CHANGES = frozenset({ev.INJECT, ev.ACTION, ev.MET, ev.MISSED, ev.FACT_PUBLIC})


def keyword_pattern(keywords: list[str]) -> re.Pattern[str] | None:
    """A case-insensitive match for any keyword at the start of a word ("koka" finds "kokas", not "brokoka")."""
    words = sorted({" ".join(k.split()).lower() for k in keywords if k.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")", re.I)


class World:
    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        scenario = drill.scenario
        hidden = hidden_facts(scenario)
        self.public: set[str] = {name for name in scenario.facts if name not in hidden}
        # a hidden fact without keywords is found by its value
        self._patterns = per_scenario(
            scenario,
            "fact patterns",
            lambda: {name: keyword_pattern(fact.keywords or [fact_value(fact)]) for name, fact in hidden.items()},
        )
        self.metrics = {"posts_per_hour": 0.0, "rumour_share": 0.0, "negative_share": 0.0}
        self.version = 0
        self.topics = Coverage(scenario)  # what the team's publications covered (engine/topics.py)

    # --- what makes a fact public ---

    def on_publish(self, text: str, action_seq: int) -> None:
        """A public publication: the hidden facts its text mentions become public."""
        for name, pattern in self._patterns.items():
            if name not in self.public and pattern is not None and pattern.search(text):
                self.reveal(name, f"action:{action_seq}")

    def on_inject(self, inject: Inject) -> None:
        for name in inject.reveals:
            self.reveal(name, f"inject:{inject.id}")

    def reveal(self, name: str, source: str) -> None:
        if name in self.public:
            return
        self.public.add(name)
        self.drill.emit(ev.FACT_PUBLIC, {"fact": name, "source": source})

    def on_metrics(self, metrics: dict[str, float], conditions: list[WhenMetric]) -> None:
        """A sample: a new version when a `metric` condition now reads differently."""
        if not conditions:  # most scenarios' templates have none
            self.metrics = metrics
            return
        before = [self._metric(c) for c in conditions]
        self.metrics = metrics
        if before != [self._metric(c) for c in conditions]:
            self.version += 1

    # --- conditions ---

    def holds(self, condition: PostCondition) -> bool:
        # by its `type` (one lookup, where testing its class in turn cost most of choosing templates)
        return _HOLDS[condition.type](self, condition)

    def truths(self, conditions: list[PostCondition]) -> tuple[bool, ...]:
        """Whether each of `conditions` holds now (`holds`, for many at once: the feed's _pick)."""
        return tuple([_HOLDS[condition.type](self, condition) for condition in conditions])

    def _metric(self, condition: WhenMetric) -> bool:
        value = self.metrics.get(condition.key, 0.0)
        return value > condition.above if condition.above is not None else value < (condition.below or 0.0)


# --- each kind of condition, for World.holds ---


def _injected(world: World, condition: WhenInjected) -> bool:
    return condition.inject in world.drill.timeline.injects


def _status(world: World, condition: WhenMet | WhenMissed) -> bool:
    record = world.drill.timeline.injects.get(condition.inject)
    return record is not None and record.status == condition.type


def _metric(world: World, condition: WhenMetric) -> bool:
    return world._metric(condition)


def _covered(world: World, condition: WhenCovered) -> bool:
    return condition.topic in world.topics.covered


def _contradicted(world: World, condition: WhenContradicted) -> bool:
    return condition.topic in world.topics.contradicted


def _done(world: World, condition: WhenAction | WhenNoAction, limit: float) -> bool:
    """Whether the team took the condition's action by `limit`."""
    log = world.drill.actions.log
    if condition.action == "publish" and not condition.channels:
        # a statement is what residents can read: only a public publication counts
        return log.first_public is not None and log.first_public <= limit
    return log.has(condition.action.value, condition.channels, before=limit)


def _action(world: World, condition: WhenAction) -> bool:
    return _done(world, condition, world.drill.env.now)


def _no_action(world: World, condition: WhenNoAction) -> bool:
    now = world.drill.env.now
    limit = condition.by if isinstance(condition, WhenNotYet) and condition.by else now
    return not _done(world, condition, limit) and now >= condition.by


_HOLDS: dict[str, Callable[[World, Any], bool]] = {
    "inject": _injected,
    "met": _status,
    "missed": _status,
    "metric": _metric,
    "covered": _covered,
    "contradicted": _contradicted,
    "action": _action,
    "no_action": _no_action,
}
