"""How the drill takes actions: validation with clear refusals, then their effects.

A part of `Drill` (engine/drill.py); it owns what the team has done (`log`) and the count of the
facilitator's ad-hoc injects. Each action kind has one handler, listed in `Actions.handlers`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from krisovning.engine import content
from krisovning.engine import events as ev
from krisovning.engine.actions import MAX_ACTION_ITEMS, MAX_ACTION_TEXT, Action, ActionRefused, foreign_field
from krisovning.engine.events import Event
from krisovning.engine.records import InjectRecord, TeamLog
from krisovning.scenario.durations import parse_duration
from krisovning.scenario.model import Expectation
from krisovning.scenario.types import MAX_DURATION, PUBLIC_CHANNELS, InjectChannel, Priority, PublishChannel
from krisovning.vocab import ALL_ACTION_KINDS, EXPECTED_ACTIONS, Outcome

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill

_PUBLISH = {c.value for c in PublishChannel}
_PUBLIC = {c.value for c in PUBLIC_CHANNELS}
_INJECT_CHANNELS = {c.value for c in InjectChannel}


def _check_bounds(action: Action) -> None:
    """What every action must be to be journaled and replayed: bounded texts the journal can store
    (UTF-8, so no lone surrogates), a finite speed."""
    if max(len(action.channels), len(action.fields), len(action.topics)) > MAX_ACTION_ITEMS:
        raise ActionRefused("action.too_many", limit=MAX_ACTION_ITEMS)
    texts = [
        action.text,
        action.role,
        action.inject,
        action.post,
        action.checklist,
        action.item,
        action.rating,
        *action.channels,
        *action.topics,
        *action.fields,
        *action.fields.values(),
    ]
    for text in texts:
        if text is None:
            continue
        if len(text) > MAX_ACTION_TEXT:
            raise ActionRefused("action.too_long", limit=MAX_ACTION_TEXT)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ActionRefused("action.bad_text") from None
    if action.speed is not None and not math.isfinite(action.speed):
        raise ActionRefused("action.bad_speed")


class Actions:
    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.log = TeamLog()
        self.adhoc = 0  # ad-hoc injects added by the facilitator (their ids: adhoc#1, adhoc#2 …)
        self.handlers: dict[str, Callable[[Action], Event]] = {
            # the team
            "reply": self._reply,
            "publish": self._publish,
            "decision": self._decision,
            "situation_update": self._situation_update,
            "checklist": self._checklist,
            "claim": self._claim,
            "release": self._release,
            "answer_call": self._answer_call,
            "decline_call": self._decline_call,
            # the facilitator
            "observation": self._observation,
            "fire_inject": self._fire_inject,
            "skip_inject": self._skip_inject,
            "add_inject": self._add_inject,
            "end": self._end,
            "pause": self._record,
            "resume": self._record,
            "speed": self._speed,
            "start": self._start,
        }
        self.observed: set[int] = set()  # the seqs of the observations that stand (an edit names one)
        self.started = False  # the briefing's "start" was taken (once: a second would be a mistake)

    def act(self, action: Action) -> Event:
        """Apply `action` now; returns its event, or raises ActionRefused (nothing changes)."""
        if self.drill.finished:
            raise ActionRefused("action.ended")
        if action.kind not in ALL_ACTION_KINDS:
            raise ActionRefused("action.unknown_kind", kind=action.kind[:40])
        _check_bounds(action)
        foreign = foreign_field(action)
        if foreign is not None:  # it would be journaled, then refused on resume (session/journal.py)
            raise ActionRefused("action.foreign_field", kind=action.kind, field=foreign)
        return self.handlers[action.kind](action)

    # --- the team ---

    def _need_text(self, action: Action) -> None:
        if not action.text.strip():
            raise ActionRefused("action.empty_text")

    def _record(self, action: Action, **extra: Any) -> Event:
        return self.drill.emit(ev.ACTION, {"action": action.to_dict(), **extra})

    def _reply(self, action: Action) -> Event:
        now = self.drill.now
        record = self._known_inject(action.inject)
        if record.replied_at is not None:
            seat, role = record.replied_by
            if seat is None or seat == action.seat:
                raise ActionRefused("action.already_answered", inject=record.id)
            raise ActionRefused(
                "action.answered_by", inject=record.id, who=self._who(role, seat), at=self._at(record.replied_at)
            )
        self._not_claimed_by_another(record, action)
        if not action.declined:  # declining an interview needs no words; its reason is optional
            self._need_text(action)
        record.replied_at = now
        record.replied_by = (action.seat, action.role)
        event = self._record(action, response=round(now - record.t, 3))
        self.log.replies.append((now, {"inject": record.id, "text": action.text}))
        self.drill.calls.replied(record.id)
        self.drill.media.on_reply(record, action.text, bool(action.declined))
        if record.status == "open" and record.expect and record.expect["action"] == "reply":
            self.drill.timeline.met(record, event.seq)
        self.drill.timeline.after_action(action)
        return event

    def _publish(self, action: Action) -> Event:
        now = self.drill.now
        self._need_text(action)
        channels = tuple(dict.fromkeys(action.channels))
        if not channels:
            raise ActionRefused("action.no_channel")
        unknown = [c for c in channels if c not in _PUBLISH]
        if unknown:
            raise ActionRefused("action.bad_channel", channel=unknown[0], channels=", ".join(sorted(_PUBLISH)))
        public = any(c in _PUBLIC for c in channels)
        coverage = self.drill.world.topics
        self._known_topics(action)
        extra: dict[str, Any] = {}
        # what it is about (an internal note too, for an expectation on the intranet); only what
        # residents can read covers topics in the world
        topics, contradicts, parts = coverage.read(action.text, action.topics)
        if public:
            if topics:
                extra["topics"] = topics
            if contradicts:
                extra["contradicts"] = contradicts
        event = self._record(action, public=public, **extra)
        self.log.publications.append((now, {"channels": list(channels), "text": action.text, "public": public}))
        if public and self.log.first_public is None:
            self.log.first_public = now
        self._meet_open("publish", event.seq, channels, topics)
        if public:
            content.check_holds(self.drill, topics, event.seq)
            coverage.cover(now, event.seq, parts, contradicts)
            self.drill.world.on_publish(action.text, event.seq)
            self.drill.feed.on_publish(channels, topics, contradicts, f"a{event.seq}")
            self.drill.website.on_publish(action, event.seq, topics, contradicts)
        self.drill.timeline.after_action(action)
        return event

    def _decision(self, action: Action) -> Event:
        self._need_text(action)
        topics = self._topics(action)
        event = self._record(action, **({"topics": topics} if topics else {}))
        self.log.decisions.append((self.drill.now, {"text": action.text}))
        self._meet_open("decision", event.seq, topics=topics)
        self.drill.timeline.after_action(action)
        return event

    def _situation_update(self, action: Action) -> Event:
        if not action.text.strip() and not any(v.strip() for v in action.fields.values()):
            raise ActionRefused("action.empty_text")
        event = self._record(action)
        self.log.situation.append((self.drill.now, {"text": action.text, "fields": dict(action.fields)}))
        self._meet_open("situation_update", event.seq)
        self.drill.timeline.after_action(action)
        return event

    def _checklist(self, action: Action) -> Event:
        checklist = next((c for c in self.drill.scenario.checklists if c.id == action.checklist), None)
        if checklist is None:
            raise ActionRefused("action.unknown_checklist", checklist=action.checklist or "")
        if not any(item.id == action.item for item in checklist.items):
            raise ActionRefused("action.unknown_item", item=action.item or "", checklist=checklist.id)
        key = (checklist.id, action.item or "")
        if key in self.log.ticks:
            raise ActionRefused("action.already_ticked", item=action.item)
        self.log.ticks[key] = self.drill.now
        event = self._record(action)
        self.drill.timeline.after_action(action)
        return event

    # --- the seats of a team drill: "I'll take this one" ---

    def _claim(self, action: Action) -> Event:
        record = self._known_inject(action.inject)
        if record.replied_at is not None:
            seat, role = record.replied_by
            raise ActionRefused(
                "action.answered_by", inject=record.id, who=self._who(role, seat), at=self._at(record.replied_at)
            )
        if record.claimed_by is not None and record.claimed_by[0] == action.seat:
            raise ActionRefused("action.claimed_already", inject=record.id)
        self._not_claimed_by_another(record, action)
        record.claimed_by = (action.seat or "", action.role, self.drill.now)
        return self._record(action)

    def _answer_call(self, action: Action) -> Event:
        self._known_inject(action.inject)
        self.drill.calls.answer(action)
        return self._record(action)

    def _decline_call(self, action: Action) -> Event:
        self._known_inject(action.inject)
        self.drill.calls.decline(action)
        return self._record(action)

    def _release(self, action: Action) -> Event:
        record = self._known_inject(action.inject)
        if record.claimed_by is None:
            raise ActionRefused("action.not_claimed", inject=record.id)
        self._not_claimed_by_another(record, action)
        record.claimed_by = None
        return self._record(action)

    def _not_claimed_by_another(self, record: InjectRecord, action: Action) -> None:
        claim = record.claimed_by
        if claim is not None and claim[0] != (action.seat or ""):
            seat, role, at = claim
            raise ActionRefused("action.claimed_by", inject=record.id, who=self._who(role, seat), at=self._at(at))

    def _who(self, role: str | None, seat: str | None) -> str:
        known = self.drill.roles.get(role or "")
        return known.name if known is not None else (role or seat or "?")

    def _at(self, t: float) -> str:
        return self.drill.world_time(t)[11:16]

    def _known_inject(self, inject_id: str | None) -> InjectRecord:
        record = self.drill.timeline.injects.get(inject_id or "")
        if record is None:
            raise ActionRefused("action.unknown_inject", inject=inject_id or "")
        return record

    def _known_topics(self, action: Action) -> None:
        coverage = self.drill.world.topics
        strange = [tid for tid in action.topics if tid not in coverage.ids]
        if strange:
            raise ActionRefused("action.bad_topic", topic=strange[0][:40], topics=", ".join(coverage.ids) or "–")

    def _topics(self, action: Action) -> list[str]:
        """A decision's topics: those its text matches and those its author ticked, in the scenario's order."""
        self._known_topics(action)
        coverage = self.drill.world.topics
        found = coverage.matcher.topics(action.text) | set(action.topics)
        return [tid for tid in coverage.ids if tid in found]

    def _meet_open(self, kind: str, seq: int, channels: tuple[str, ...] = (), topics: list[str] | None = None) -> None:
        timeline = self.drill.timeline
        for record in list(timeline.injects.values()):
            expect = record.expect
            if record.status != "open" or expect is None or expect["action"] != kind:
                continue
            if kind == "publish":
                # Listed channels must match; without a list, the public must be reached (not just the intranet).
                wanted = set(expect["channels"]) if expect.get("channels") else _PUBLIC
                if not wanted & set(channels):
                    continue
            if topics is not None and not content.covers(self.drill, expect, topics):
                continue  # not what it asks to be said (engine/content.py)
            timeline.met(record, seq)

    # --- the facilitator ---

    def _observation(self, action: Action) -> Event:
        if action.withdrawn and action.replaces is None:
            raise ActionRefused("action.withdraw_what")
        if not action.withdrawn:
            self._need_text(action)  # a rating's text is its reason: required too
        if action.objective is not None and all(o.id != action.objective for o in self.drill.scenario.objectives):
            raise ActionRefused("action.unknown_objective", objective=action.objective)
        if action.rating is not None:
            if action.objective is None:
                raise ActionRefused("action.rating_objective")
            if action.rating not in set(Outcome):
                raise ActionRefused("action.bad_rating", rating=action.rating[:40], known=", ".join(Outcome))
        if action.replaces is not None and action.replaces not in self.observed:
            raise ActionRefused("action.no_observation", n=action.replaces)
        event = self._record(action)
        if action.replaces is None:
            self.observed.add(event.seq)
        elif action.withdrawn:
            self.observed.discard(action.replaces)  # gone: neither edited nor withdrawn again
        self.log.observations.append((self.drill.now, {"text": action.text}))
        return event

    def _pending_inject(self, inject_id: str | None) -> str:
        timeline = self.drill.timeline
        if inject_id is not None and inject_id in timeline.pending:
            return inject_id
        if inject_id in timeline.scripted:
            raise ActionRefused("action.inject_not_pending", inject=inject_id)
        raise ActionRefused("action.unknown_inject", inject=inject_id or "")

    def _fire_inject(self, action: Action) -> Event:
        inject_id = self._pending_inject(action.inject)
        event = self._record(action)
        self.drill.timeline.deliver_scripted(inject_id)
        return event

    def _skip_inject(self, action: Action) -> Event:
        inject_id = self._pending_inject(action.inject)
        self.drill.timeline.skip(inject_id)
        return self._record(action)

    def _add_inject(self, action: Action) -> Event:
        roles = self.drill.roles
        f = action.fields
        channel = f.get("channel", "")
        if channel not in _INJECT_CHANNELS:
            raise ActionRefused(
                "action.bad_inject_channel", channel=channel, channels=", ".join(sorted(_INJECT_CHANNELS))
            )
        if f.get("to") not in roles:
            raise ActionRefused("action.unknown_role", role=f.get("to", ""), roles=", ".join(roles))
        if not f.get("text", "").strip():
            raise ActionRefused("action.empty_text")
        expect = None
        if f.get("expect"):
            within = parse_duration(f.get("within", "15m"))
            if f["expect"] not in EXPECTED_ACTIONS or not within or within > MAX_DURATION:
                raise ActionRefused("action.bad_expectation")
            try:
                expect = Expectation.model_validate({"action": f["expect"], "within": f.get("within", "15m")})
            except ValidationError:
                raise ActionRefused("action.bad_expectation") from None
        priority = f.get("priority", "normal")
        if priority not in {p.value for p in Priority}:
            raise ActionRefused("action.bad_priority", priority=priority)
        self.adhoc += 1
        event = self._record(action)
        sender = {"id": "adhoc", "kind": "organisation", "name": f.get("from", "").strip() or "—"}
        self.drill.timeline.deliver(
            InjectRecord(
                id=f"adhoc#{self.adhoc}",
                source="adhoc",
                t=self.drill.now,
                channel=channel,
                sender=sender,
                to=f["to"],
                text=f["text"],
                subject=f.get("subject") or None,
                priority=priority,
            ),
            expect,
            None,
        )
        return event

    def _end(self, action: Action) -> Event:
        event = self._record(action)
        self.drill.end("facilitator")
        return event

    def _start(self, action: Action) -> Event:
        if self.started or self.drill.now > 0:
            raise ActionRefused("action.already_started")
        self.started = True
        return self._record(action)

    def _speed(self, action: Action) -> Event:
        if action.speed is None or not 0 < action.speed <= 600:
            raise ActionRefused("action.bad_speed")
        return self._record(action)
