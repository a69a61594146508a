"""The drill: a deterministic SimPy simulation of the world around the team (the motspel).

Drive it in steps: `advance(until)` processes every event up to and including `until`,
`act(action)` applies a team or facilitator action at the current time (after the
events of that instant), and `drain()` hands out what was delivered since the last
call. Same scenario + seed + actions at the same times ⇒ the same event stream.
No I/O, no sleeping, no UI.

`Drill` holds what every part shares (the SimPy clock, the event stream, random streams, the
people, template values) and is composed of three parts, each owning the state it creates:
`timeline` (engine/timeline.py: injects), `actions` (engine/actions_apply.py: what the team and
the facilitator do), `feed` (engine/feed.py: social media), `media` (engine/media.py: journalists
that follow up), `calls` (engine/calls.py: phones that ring) and `website` (engine/website.py: the
crisis page the world refers to).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from contextlib import suppress
from datetime import timedelta
from typing import Any, Protocol

import simpy
from simpy.events import Timeout

from krisovning import __version__
from krisovning.engine import content
from krisovning.engine import events as ev
from krisovning.engine.actions import Action, ActionRefused
from krisovning.engine.actions_apply import Actions
from krisovning.engine.calls import Calls
from krisovning.engine.events import Event, new_event
from krisovning.engine.feed import SocialFeed
from krisovning.engine.media import Media
from krisovning.engine.memo import per_scenario
from krisovning.engine.personas import FIELDS, People
from krisovning.engine.records import InjectRecord, TeamLog
from krisovning.engine.rng import stream
from krisovning.engine.timeline import Timeline
from krisovning.engine.website import Website
from krisovning.engine.world import CHANGES, World
from krisovning.scenario.model import Scenario, fact_value

ENGINE_VERSION = __version__
_TO_POLICY = frozenset({ev.INJECT, ev.MISSED})  # what a bot team reacts to
SAMPLE_EVERY = 60.0


class Policy(Protocol):
    name: str

    def start(self, drill: Drill) -> None: ...

    def on_event(self, drill: Drill, event: Event) -> None: ...


class Drill:
    def __init__(
        self, scenario: Scenario, seed: int | None = None, policy: Policy | None = None, figures_only: bool = False
    ) -> None:
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else int(seed)
        self.policy = policy
        self.env = simpy.Environment()
        self.end_time = float(scenario.duration)
        self.finished = False
        self.end_reason: str | None = None
        self.until = 0.0  # the step being taken (see advance): posts are never delivered past it
        self.seq = 0  # the last event's number
        self.delivered: list[Event] = []  # since the last drain()
        # A drill played only for its figures (metrics/preview.py) plays exactly the same, but the feed's
        # own posts are kept as (t, category) here instead of as events, and no minute samples are emitted:
        # nothing in a drill reads them back, and they were ~7 % of a preview run's work
        self.figures_only = figures_only
        self.post_figures: list[tuple[float, str]] = []
        self._streams: dict[str, random.Random] = {}
        self.people = People(scenario, self.seed)
        self.roles = {r.id: r for r in scenario.roles}
        self.static = per_scenario(scenario, "static values", self._static_values)  # shared: never changed
        self.world = World(self)
        # The order matters: each part schedules SimPy events as it is made, and SimPy runs events
        # of the same instant in the order they were scheduled.
        self.timeline = Timeline(self)
        self.feed = SocialFeed(self)
        self.actions = Actions(self)
        self.media = Media(self)
        self.calls = Calls(self)
        self.website = Website(self)
        self.timeline.start_generators()
        self.schedule(SAMPLE_EVERY, self._sample)
        self.schedule(self.end_time, self.end, "time")
        if policy is not None:
            policy.start(self)

    # --- driving ---

    @property
    def now(self) -> float:
        return self.env.now

    def advance(self, until: float) -> None:
        """Process every event up to and including `until` (never sleeps; a no-op backwards)."""
        until = min(float(until), self.end_time)
        self.until = until
        if until > self.env.now:
            self.env.run(until=until)
        while self.env.peek() <= until:
            self.env.step()

    def run_to_end(self) -> None:
        self.advance(self.end_time)

    def act(self, action: Action) -> Event:
        """Apply `action` now; returns its event, or raises ActionRefused (nothing changes)."""
        return self.actions.act(action)

    def drain(self) -> list[Event]:
        out, self.delivered = self.delivered, []
        return out

    def attach_policy(self, policy: Policy) -> None:
        """Let a bot team take over from now (a resumed drill finished headless)."""
        self.policy = policy
        policy.start(self)

    def schedule_action(self, t: float, action: Action) -> None:
        """For bot teams: take `action` at exercise time `t` (refusals are ignored)."""
        self.schedule(max(t, self.now), self._bot_act, action)

    # --- what the UI, the journal and the tests read ---

    @property
    def injects(self) -> dict[str, InjectRecord]:
        """Every delivered inject, by id."""
        return self.timeline.injects

    @property
    def pending(self) -> set[str]:
        return self.timeline.pending

    @property
    def skipped(self) -> set[str]:
        return self.timeline.skipped

    @property
    def log(self) -> TeamLog:
        return self.actions.log

    def upcoming(self) -> list[dict[str, Any]]:
        return self.timeline.upcoming()

    def social_now(self) -> dict[str, Any]:
        return self.feed.now()

    def clock(self, t: float | None = None) -> str:
        """The scenario's clock at `t` (now), "HH:MM": the `{time}` a template reads."""
        return (self.scenario.start + timedelta(seconds=self.now if t is None else t)).strftime("%H:%M")

    def world_time(self, t: float | None = None) -> str:
        moment = self.scenario.start + timedelta(seconds=self.now if t is None else t)
        return moment.isoformat(timespec="seconds")

    # --- for the parts: scheduling, the event stream, random streams, template values ---

    def schedule(self, t: float, fn: Any, *args: Any) -> None:
        env = self.env  # Timeout itself: env.timeout is the same through one more call
        delay = t - env.now
        Timeout(env, delay if delay > 0.0 else 0.0).callbacks.append(lambda _e: fn(*args))

    def emit(self, kind: str, data: dict[str, Any]) -> Event:
        self.seq += 1
        event = new_event((self.seq, self.env.now, kind, data))
        self.delivered.append(event)
        if kind in CHANGES:
            self.world.version += 1
        if kind in _TO_POLICY and self.policy is not None:
            self.policy.on_event(self, event)
        return event

    def stream(self, name: str) -> random.Random:
        rng = self._streams.get(name)
        if rng is None:
            rng = self._streams[name] = stream(self.seed, name)
        return rng

    def values(
        self, names: Iterable[str], person: dict[str, Any] | None, prefix: str, role: str | None = None
    ) -> dict[str, str]:
        """What a template reading `names` may name: the clock, `role`, `person`'s fields as `{prefix}.…`, and
        the static values (only those of `names`: a scenario has ~150), each name read from the first of those
        that has it (one dict: `fill` reads it per name)."""
        moment = self.scenario.start + timedelta(seconds=self.now)
        static = self.static
        values = {name: static[name] for name in names if name in static}
        if person is not None:
            values.update(self.people.values(person, prefix))
        values["time"], values["date"] = moment.strftime("%H:%M %Y-%m-%d").split(" ")  # one call, not two
        if role is not None:
            values["role"] = self.roles[role].name if role in self.roles else role
        return values

    def _static_values(self) -> dict[str, str]:
        s = self.scenario
        values = {name: fact_value(value) for name, value in s.facts.items()}
        values["organisation"] = s.organisation.name
        for persona_id, person in self.people.named.items():
            for name in FIELDS:
                values[f"personas.{persona_id}.{name}"] = str(person.get(name, ""))
        return values

    def _bot_act(self, action: Action) -> None:
        if not self.finished:
            with suppress(ActionRefused):
                self.act(action)

    def _sample(self) -> None:
        if self.finished:
            return
        metrics = self.feed.sample()  # each thread's own rate too, for a `metric` condition naming it
        self.timeline.check_metrics(metrics)
        self.world.on_metrics(metrics, self.feed.metric_conditions)
        self.schedule(self.now + SAMPLE_EVERY, self._sample)

    def end(self, reason: str) -> None:
        """End the drill now (`time` or `facilitator`); nothing happens after."""
        if not self.finished:
            self.end_reason = reason
            content.end_holds(self)
            self.emit(ev.END, {"reason": reason, "world_time": self.world_time()})
            self.finished = True
