"""The drill: a deterministic SimPy simulation of the world around the team (the motspel).

Drive it in steps: `advance(until)` processes every event up to and including `until`,
`act(action)` applies a team or facilitator action at the current time (after the
events of that instant), and `drain()` hands out what was delivered since the last
call. Same scenario + seed + actions at the same times ⇒ the same event stream.
No I/O, no sleeping, no UI.
"""

from __future__ import annotations

import math
import random
from collections import ChainMap
from datetime import timedelta
from typing import Any, Protocol

import simpy

from krisovning import __version__
from krisovning.engine import events as ev
from krisovning.engine.actions import Action, ActionRefused
from krisovning.engine.actions_apply import ActionHandler
from krisovning.engine.events import Event
from krisovning.engine.feed import SocialFeed
from krisovning.engine.personas import FIELDS, People
from krisovning.engine.records import InjectRecord, TeamLog
from krisovning.engine.rng import stream
from krisovning.scenario.model import (
    Expectation,
    Inject,
    InjectGenerator,
    Scenario,
    SocialEffect,
    WhenAction,
    WhenMet,
    WhenMetric,
    WhenMissed,
    WhenNoAction,
)
from krisovning.scenario.templates import fill

ENGINE_VERSION = __version__
SAMPLE_EVERY = 60.0


class Policy(Protocol):
    name: str

    def start(self, drill: Drill) -> None: ...

    def on_event(self, drill: Drill, event: Event) -> None: ...


class Drill(ActionHandler, SocialFeed):
    def __init__(self, scenario: Scenario, seed: int | None = None, policy: Policy | None = None) -> None:
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else int(seed)
        self.policy = policy
        self.env = simpy.Environment()
        self.end_time = float(scenario.duration)
        self.finished = False
        self._until = 0.0  # the step being taken (see advance): posts are never delivered past it
        self.end_reason: str | None = None
        self._seq = 0
        self._out: list[Event] = []
        self._streams: dict[str, random.Random] = {}
        self.people = People(scenario, self.seed)
        self.roles = {r.id: r for r in scenario.roles}
        self.injects: dict[str, InjectRecord] = {}
        self.scripted = {i.id: i for i in scenario.injects}
        self.pending: set[str] = set(self.scripted)
        self.skipped: set[str] = set()
        self.log = TeamLog()
        self.posts_total = 0
        self._posts_last_sample = 0
        self._adhoc = 0
        self._static = self._static_values()
        self._after: dict[str, list[Inject]] = {}
        self._on_missed: dict[str, list[Inject]] = {}
        self._on_met: dict[str, list[Inject]] = {}
        self._on_action: list[Inject] = []
        self._on_metric: list[Inject] = []
        self._reactions_used: set[int] = set()
        self._wire_timeline()
        self._wire_social()
        for generator in scenario.generators:
            self._start_generator(generator)
        self._schedule(SAMPLE_EVERY, self._sample)
        self._schedule(self.end_time, self._end, "time")
        if policy is not None:
            policy.start(self)

    # --- driving ---

    @property
    def now(self) -> float:
        return self.env.now

    def peek(self) -> float:
        return self.env.peek()

    def advance(self, until: float) -> None:
        """Process every event up to and including `until` (never sleeps; a no-op backwards)."""
        until = min(float(until), self.end_time)
        self._until = until
        if until > self.env.now:
            self.env.run(until=until)
        while self.env.peek() <= until:
            self.env.step()

    def run_to_end(self) -> None:
        self.advance(self.end_time)

    def drain(self) -> list[Event]:
        out, self._out = self._out, []
        return out

    def stream(self, name: str) -> random.Random:
        rng = self._streams.get(name)
        if rng is None:
            rng = self._streams[name] = stream(self.seed, name)
        return rng

    def world_time(self, t: float | None = None) -> str:
        moment = self.scenario.start + timedelta(seconds=self.now if t is None else t)
        return moment.isoformat(timespec="seconds")

    def attach_policy(self, policy: Policy) -> None:
        """Let a bot team take over from now (a resumed drill finished headless)."""
        self.policy = policy
        policy.start(self)

    def schedule_action(self, t: float, action: Action) -> None:
        """For bot teams: take `action` at exercise time `t` (refusals are ignored)."""
        self._schedule(max(t, self.now), self._bot_act, action)

    # --- internals: scheduling and output ---

    def _schedule(self, t: float, fn: Any, *args: Any) -> None:
        self.env.timeout(max(0.0, t - self.env.now)).callbacks.append(lambda _e: fn(*args))

    def _emit(self, kind: str, data: dict[str, Any]) -> Event:
        self._seq += 1
        event = Event(self._seq, self.env.now, kind, data)
        self._out.append(event)
        if self.policy is not None and kind in (ev.INJECT, ev.MISSED):
            self.policy.on_event(self, event)
        return event

    def _bot_act(self, action: Action) -> None:
        if not self.finished:
            try:
                self.act(action)
            except ActionRefused:
                pass

    def _static_values(self) -> dict[str, str]:
        s = self.scenario
        values = {name: str(value) for name, value in s.facts.items()}
        values["organisation"] = s.organisation.name
        for persona_id, person in self.people.named.items():
            for name in FIELDS:
                values[f"personas.{persona_id}.{name}"] = str(person.get(name, ""))
        return values

    def _values(self, person: dict[str, Any] | None, prefix: str, role: str | None = None,
                at: float | None = None) -> ChainMap:
        moment = self.scenario.start + timedelta(seconds=self.now if at is None else at)
        dynamic = {"time": moment.strftime("%H:%M"), "date": moment.strftime("%Y-%m-%d")}
        if role is not None:
            dynamic["role"] = self.roles[role].name if role in self.roles else role
        if person is not None:
            return ChainMap(dynamic, self.people.values(person, prefix), self._static)
        return ChainMap(dynamic, self._static)

    # --- the timeline of scripted injects ---

    def _wire_timeline(self) -> None:
        for inject in self.scenario.injects:
            when = inject.when
            if inject.at is not None:
                self._schedule(inject.at, self._deliver_scripted, inject.id)
            elif inject.after is not None:
                self._after.setdefault(inject.after, []).append(inject)
            elif isinstance(when, WhenMissed):
                self._on_missed.setdefault(when.inject, []).append(inject)
            elif isinstance(when, WhenMet):
                self._on_met.setdefault(when.inject, []).append(inject)
            elif isinstance(when, WhenAction):
                self._on_action.append(inject)
            elif isinstance(when, WhenNoAction):
                self._schedule(when.by, self._check_no_action, inject)
            elif isinstance(when, WhenMetric):
                self._on_metric.append(inject)

    def _trigger(self, injects: list[Inject]) -> None:
        for inject in injects:
            self._schedule(self.now + inject.delay, self._deliver_scripted, inject.id)

    def _deliver_scripted(self, inject_id: str) -> None:
        if self.finished or inject_id not in self.pending:
            return
        self.pending.discard(inject_id)
        inject = self.scripted[inject_id]
        sender = self.people.draw(inject.sender, self.stream(f"inject:{inject_id}"))
        self._deliver(
            InjectRecord(
                id=inject_id, source="scripted", t=self.now, channel=inject.channel.value, sender=sender,
                to=inject.to, text=inject.text, subject=inject.subject, priority=inject.priority.value,
                note=inject.note, objectives=tuple(inject.objectives),
            ),
            inject.expect,
            inject.social,
        )
        self._trigger(self._after.pop(inject_id, []))

    def _deliver(self, record: InjectRecord, expect: Expectation | None, social: SocialEffect | None) -> None:
        values = self._values(record.sender, "sender", record.to)
        record.text = fill(record.text, values)
        if record.subject:
            record.subject = fill(record.subject, values)
        if expect is not None:
            deadline = round(float(self.now + expect.within), 3)
            record.expect = {"action": expect.action.value, "within": expect.within, "deadline": deadline}
            if expect.channels:
                record.expect["channels"] = [c.value for c in expect.channels]
            if expect.description:
                record.expect["description"] = expect.description
            record.status = "open"
            self._schedule(deadline, self._deadline, record.id)
        self.injects[record.id] = record
        self._emit(ev.INJECT, record.to_event(self.world_time()))
        if social is not None:
            self._apply_social(social, record.id)

    def _deadline(self, inject_id: str) -> None:
        record = self.injects[inject_id]
        if self.finished or record.status != "open":
            return
        record.status = "missed"
        self._emit(ev.MISSED, {"inject": inject_id, "deadline": record.deadline})
        self._trigger(self._on_missed.pop(inject_id, []))
        for index, reaction in enumerate(self.scenario.social.reactions if self.scenario.social else ()):
            if reaction.on == "missed" and (not reaction.injects or inject_id in reaction.injects):
                self._react(index, reaction.effect, f"missed:{inject_id}")

    def _met(self, record: InjectRecord, action_seq: int) -> None:
        record.status = "met"
        record.met_at = self.now
        self._emit(ev.MET, {"inject": record.id, "action": action_seq, "response": round(self.now - record.t, 3)})
        self._trigger(self._on_met.pop(record.id, []))

    def _check_no_action(self, inject: Inject) -> None:
        when = inject.when
        assert isinstance(when, WhenNoAction)
        if not self._has_action(when.action.value, when.channels, before=when.by):
            self._trigger([inject])

    # --- random injects ---

    def _start_generator(self, gen: InjectGenerator) -> None:
        timing = self.stream(f"generator:{gen.id}")
        content = self.stream(f"generator:{gen.id}:content")
        rate = gen.per_hour / 3600.0
        end = min(float(gen.end) if gen.end is not None else self.end_time, self.end_time)
        count = 0

        def next_arrival(t: float) -> None:
            t += -math.log(1.0 - timing.random()) / rate
            if t <= end:
                self._schedule(t, arrive)

        def arrive() -> None:
            nonlocal count
            if self.finished:
                return
            count += 1
            sender = self.people.draw(content.choice(gen.sender), content)
            self._deliver(
                InjectRecord(
                    id=f"{gen.id}#{count}", source="generated", t=self.now, channel=content.choice(gen.channels).value,
                    sender=sender, to=content.choice(gen.to), text=content.choice(gen.templates),
                    subject=content.choice(gen.subjects) if gen.subjects else None, priority=gen.priority.value,
                ),
                gen.expect,
                None,
            )
            next_arrival(self.now)

        next_arrival(float(gen.start))

    def _sample(self) -> None:
        if self.finished:
            return
        now = self.social_now()
        posts = self.posts_total - self._posts_last_sample
        self._posts_last_sample = self.posts_total
        if self.threads:
            self._emit(ev.SAMPLE, {
                "rate": round(now["rate"], 2), "posts": posts,
                "rumour_share": round(now["rumour_share"], 4), "negative_share": round(now["negative_share"], 4),
                "threads": {k: round(v, 2) for k, v in now["threads"].items()},
            })
        metrics = {"posts_per_hour": now["rate"], "rumour_share": now["rumour_share"], "negative_share": now["negative_share"]}
        for inject in list(self._on_metric):
            when = inject.when
            assert isinstance(when, WhenMetric)
            value = metrics[when.metric]
            if (when.above is not None and value > when.above) or (when.below is not None and value < when.below):
                self._on_metric.remove(inject)
                self._trigger([inject])
        self._schedule(self.now + SAMPLE_EVERY, self._sample)

    def _end(self, reason: str) -> None:
        if not self.finished:
            self.end_reason = reason
            self._emit(ev.END, {"reason": reason, "world_time": self.world_time()})
            self.finished = True
