"""The drill's injects: the scripted timeline, random injects, and what becomes of each delivered one.

A part of `Drill` (engine/drill.py); it owns the scripted injects still to come (`pending`), the
skipped ones, every delivered inject's record (`injects`: open, met or missed) and the conditions
that trigger injects (`when:`, `after:`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from krisovning.engine import content
from krisovning.engine import events as ev
from krisovning.engine.actions import Action
from krisovning.engine.records import InjectRecord
from krisovning.scenario.model import (
    HOLD,
    Expectation,
    Inject,
    InjectGenerator,
    SocialEffect,
    WhenAction,
    WhenMet,
    WhenMetric,
    WhenMissed,
    WhenNoAction,
)
from krisovning.scenario.templates import fill, names_read

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill


class Timeline:
    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.scripted = {i.id: i for i in drill.scenario.injects}
        self.pending: set[str] = set(self.scripted)  # scripted injects not yet delivered nor skipped
        self.skipped: set[str] = set()
        self.injects: dict[str, InjectRecord] = {}  # every delivered inject, by id
        # those of them that ask the team to hold (`expect: hold`), in the same order: what the holds of
        # engine/content.py read, at every inject and publication, without going through every inject
        self.holds: dict[str, InjectRecord] = {}
        # injects waiting for a condition, by what they wait for
        self._after: dict[str, list[Inject]] = {}
        self._on_missed: dict[str, list[Inject]] = {}
        self._on_met: dict[str, list[Inject]] = {}
        self.on_action: list[Inject] = []
        self.on_metric: list[Inject] = []
        for inject in drill.scenario.injects:
            when = inject.when
            if inject.at is not None:
                drill.schedule(inject.at, self.deliver_scripted, inject.id)
            elif inject.after is not None:
                self._after.setdefault(inject.after, []).append(inject)
            elif isinstance(when, WhenMissed):
                self._on_missed.setdefault(when.inject, []).append(inject)
            elif isinstance(when, WhenMet):
                self._on_met.setdefault(when.inject, []).append(inject)
            elif isinstance(when, WhenAction):
                self.on_action.append(inject)
            elif isinstance(when, WhenNoAction):
                drill.schedule(when.by, self._check_no_action, inject)
            elif isinstance(when, WhenMetric):
                self.on_metric.append(inject)

    def start_generators(self) -> None:
        for generator in self.drill.scenario.generators:
            self._start_generator(generator)

    # --- delivery ---

    def deliver_scripted(self, inject_id: str) -> None:
        drill = self.drill
        if drill.finished or inject_id not in self.pending:
            return
        self.pending.discard(inject_id)
        inject = self.scripted[inject_id]
        people = drill.people
        # a named sender draws nothing: its stream is made only for a pool (an unused one changes no draw)
        sender = people.named.get(inject.sender) or people.draw(inject.sender, drill.stream(f"inject:{inject_id}"))
        self.deliver(
            InjectRecord(
                id=inject_id,
                source="scripted",
                t=drill.now,
                channel=inject.channel.value,
                sender=sender,
                to=inject.to,
                text=inject.text,
                subject=inject.subject,
                priority=inject.priority.value,
                note=inject.note,
                objectives=tuple(inject.objectives),
                do_not_answer=inject.do_not_answer,
            ),
            inject.expect,
            inject.social,
        )
        drill.world.on_inject(inject)
        self._trigger(self._after.pop(inject_id, []))

    def deliver(
        self, record: InjectRecord, expect: Expectation | None, social: SocialEffect | None, fill_in: bool = True
    ) -> None:
        """Fill the record's templates (unless its text is made already: `fill_in=False`), open its
        expectation, emit it, apply its social effect."""
        drill = self.drill
        if fill_in:  # (a text without names is still filled: "{{" is a brace)
            names = names_read(record.text) | names_read(record.subject)
            values = drill.values(names, record.sender, "sender", record.to) if names else {}
            record.text = fill(record.text, values)
            if record.subject:
                record.subject = fill(record.subject, values)
        if expect is not None:
            deadline = round(float(drill.now + expect.within), 3)
            record.expect = {"action": str(expect.action), "within": expect.within, "deadline": deadline}
            if expect.channels:
                record.expect["channels"] = [c.value for c in expect.channels]
            if expect.description:
                record.expect["description"] = expect.description
            record.expect.update(content.opened(expect))
            record.status = "open"
            drill.schedule(deadline, self._deadline, record.id)
        self.injects[record.id] = record
        if record.expect and record.expect["action"] == HOLD:
            self.holds[record.id] = record
        drill.emit(ev.INJECT, record.to_event(drill.world_time()))
        if expect is not None and expect.until is not None and expect.until in self.injects:
            content.kept(drill, record)  # a hold whose end came before it: nothing to hold
        content.release_holds(drill, record.id)
        if social is not None:
            drill.feed.apply(social, record.id)
        drill.media.on_inject(record)
        drill.calls.on_inject(record)

    def scripts_follow_up(self, inject_id: str) -> bool:
        """Whether a scripted inject waits on `inject_id` (`after:` it, or `when:` it is missed or met)."""
        return inject_id in self._after or inject_id in self._on_missed or inject_id in self._on_met

    def skip(self, inject_id: str) -> None:
        self.pending.discard(inject_id)
        self.skipped.add(inject_id)

    # --- what becomes of an expectation ---

    def _deadline(self, inject_id: str) -> None:
        drill = self.drill
        record = self.injects[inject_id]
        if drill.finished or record.status != "open":
            return
        if record.expect is not None and record.expect["action"] == HOLD:
            content.kept(drill, record)  # held to the end of its time
            return
        record.status = "missed"
        drill.emit(ev.MISSED, {"inject": inject_id, "deadline": record.deadline})
        self.after_missed(inject_id)

    def after_missed(self, inject_id: str) -> None:
        self._trigger(self._on_missed.pop(inject_id, []))
        generator = inject_id.partition("#")[0] if self.injects[inject_id].source == "generated" else None
        self.drill.feed.on_missed(inject_id, generator)

    def met(self, record: InjectRecord, action_seq: int) -> None:
        drill = self.drill
        record.status = "met"
        record.met_at = drill.now
        drill.emit(ev.MET, {"inject": record.id, "action": action_seq, "response": round(drill.now - record.t, 3)})
        self.after_met(record.id)

    def after_met(self, inject_id: str) -> None:
        self._trigger(self._on_met.pop(inject_id, []))

    # --- conditions ---

    def _trigger(self, injects: list[Inject]) -> None:
        for inject in injects:
            self.drill.schedule(self.drill.now + inject.delay, self.deliver_scripted, inject.id)

    def _check_no_action(self, inject: Inject) -> None:
        when = inject.when
        assert isinstance(when, WhenNoAction)
        if not self.drill.actions.log.has(when.action.value, when.channels, before=when.by):
            self._trigger([inject])

    def after_action(self, action: Action) -> None:
        """A team action was taken: the `when: action` injects it matches."""
        for inject in list(self.on_action):
            when = inject.when
            assert isinstance(when, WhenAction)
            if when.action.value != action.kind:
                continue
            if when.channels and not {c.value for c in when.channels} & set(action.channels):
                continue
            self.on_action.remove(inject)
            self._trigger([inject])

    def check_metrics(self, metrics: dict[str, float]) -> None:
        """A sample was taken: the `when: metric` injects whose threshold `metrics` crosses."""
        for inject in list(self.on_metric):
            when = inject.when
            assert isinstance(when, WhenMetric)
            value = metrics.get(when.key, 0.0)
            if (when.above is not None and value > when.above) or (when.below is not None and value < when.below):
                self.on_metric.remove(inject)
                self._trigger([inject])

    # --- random injects ---

    def _start_generator(self, gen: InjectGenerator) -> None:
        drill = self.drill
        timing = drill.stream(f"generator:{gen.id}")
        content = drill.stream(f"generator:{gen.id}:content")
        rate = gen.per_hour / 3600.0
        end = min(float(gen.end) if gen.end is not None else drill.end_time, drill.end_time)
        count = 0

        def next_arrival(t: float) -> None:
            t += timing.expovariate(rate)  # a Poisson process: exponential gaps
            if t <= end:
                drill.schedule(t, arrive)

        def arrive() -> None:
            nonlocal count
            if drill.finished:
                return
            count += 1
            sender = drill.people.draw(content.choice(gen.sender), content)
            self.deliver(
                InjectRecord(
                    id=f"{gen.id}#{count}",
                    source="generated",
                    t=drill.now,
                    channel=content.choice(gen.channels).value,
                    sender=sender,
                    to=content.choice(gen.to),
                    text=content.choice(gen.templates),
                    subject=content.choice(gen.subjects) if gen.subjects else None,
                    priority=gen.priority.value,
                ),
                gen.expect,
                None,
            )
            next_arrival(drill.now)

        next_arrival(float(gen.start))

    # --- the facilitator's view ---

    def upcoming(self) -> list[dict[str, Any]]:
        """Scripted injects still to come, soonest first: the facilitator's view of the timeline."""
        out = []
        for inject_id in self.pending:
            inject = self.scripted[inject_id]
            item: dict[str, Any] = {
                "id": inject_id,
                "channel": inject.channel.value,
                "to": inject.to,
                "subject": inject.subject or inject.text.strip().splitlines()[0][:80],
                "at": None,
            }
            if inject.at is not None:
                item["at"] = float(inject.at)
            elif inject.after is not None:
                arrived = self.injects.get(inject.after)
                item["after"] = inject.after
                if arrived is not None:
                    item["at"] = arrived.t + inject.delay
            elif inject.when is not None:
                item["when"] = inject.when.type
                item["ref"] = (
                    getattr(inject.when, "inject", None)
                    or getattr(inject.when, "action", None)
                    or getattr(inject.when, "metric", None)
                )
            out.append(item)
        return sorted(out, key=lambda i: (i["at"] is None, i["at"] or 0.0, i["id"]))
