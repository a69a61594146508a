"""How the drill takes actions: validation with clear refusals, then their effects.

A mixin of `Drill`, kept apart so that the simulation and the team's side each stay readable.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from krisovning.engine import events as ev
from krisovning.engine.actions import KINDS, MAX_ACTION_ITEMS, MAX_ACTION_TEXT, Action, ActionRefused
from krisovning.engine.events import Event
from krisovning.engine.records import InjectRecord
from krisovning.scenario.durations import parse_duration
from krisovning.scenario.model import Expectation, WhenAction
from krisovning.scenario.types import MAX_DURATION, PUBLIC_CHANNELS, InjectChannel, Priority, PublishChannel

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill

_PUBLISH = {c.value for c in PublishChannel}
_PUBLIC = {c.value for c in PUBLIC_CHANNELS}
_INJECT_CHANNELS = {c.value for c in InjectChannel}


def _check_bounds(action: Action) -> None:
    """What every action must be to be journaled and replayed: bounded texts the journal can store
    (UTF-8, so no lone surrogates), a finite speed."""
    if len(action.channels) > MAX_ACTION_ITEMS or len(action.fields) > MAX_ACTION_ITEMS:
        raise ActionRefused("action.too_many", limit=MAX_ACTION_ITEMS)
    texts = [action.text, action.role, action.inject, action.post, action.checklist, action.item, *action.channels,
             *action.fields, *action.fields.values()]
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


class ActionHandler:
    def act(self: Drill, action: Action) -> Event:
        """Apply `action` now; returns its event, or raises ActionRefused (nothing changes)."""
        if self.finished:
            raise ActionRefused("action.ended")
        if action.kind not in KINDS:
            raise ActionRefused("action.unknown_kind", kind=action.kind[:40])
        _check_bounds(action)
        handler = getattr(self, f"_act_{action.kind}")
        return handler(action)

    # --- the team ---

    def _need_text(self: Drill, action: Action) -> None:
        if not action.text.strip():
            raise ActionRefused("action.empty_text")

    def _record(self: Drill, action: Action, **extra: Any) -> Any:
        return self._emit(ev.ACTION, {"action": action.to_dict(), **extra})

    def _act_reply(self: Drill, action: Action) -> Any:
        record = self._known_inject(action.inject)
        if record.replied_at is not None:
            raise ActionRefused("action.already_answered", inject=record.id)
        self._need_text(action)
        record.replied_at = self.now
        event = self._record(action, response=round(self.now - record.t, 3))
        self.log.replies.append((self.now, {"inject": record.id, "text": action.text}))
        if record.status == "open" and record.expect and record.expect["action"] == "reply":
            self._met(record, event.seq)
        self._after_team_action(action)
        return event

    def _act_publish(self: Drill, action: Action) -> Any:
        self._need_text(action)
        channels = tuple(dict.fromkeys(action.channels))
        if not channels:
            raise ActionRefused("action.no_channel")
        unknown = [c for c in channels if c not in _PUBLISH]
        if unknown:
            raise ActionRefused("action.bad_channel", channel=unknown[0], channels=", ".join(sorted(_PUBLISH)))
        public = any(c in _PUBLIC for c in channels)
        event = self._record(action, public=public)
        self.log.publications.append((self.now, {"channels": list(channels), "text": action.text, "public": public}))
        if public and self.log.first_public is None:
            self.log.first_public = self.now
        self._meet_open("publish", event.seq, channels)
        if public and self.scenario.social:
            for index, reaction in enumerate(self.scenario.social.reactions):
                if reaction.on == "publish" and (
                    not reaction.channels or any(c.value in channels for c in reaction.channels)
                ):
                    self._react(index, reaction.effect, "publish")
        self._after_team_action(action)
        return event

    def _act_decision(self: Drill, action: Action) -> Any:
        self._need_text(action)
        event = self._record(action)
        self.log.decisions.append((self.now, {"text": action.text}))
        self._meet_open("decision", event.seq)
        self._after_team_action(action)
        return event

    def _act_situation_update(self: Drill, action: Action) -> Any:
        if not action.text.strip() and not any(v.strip() for v in action.fields.values()):
            raise ActionRefused("action.empty_text")
        event = self._record(action)
        self.log.situation.append((self.now, {"text": action.text, "fields": dict(action.fields)}))
        self._meet_open("situation_update", event.seq)
        self._after_team_action(action)
        return event

    def _act_checklist(self: Drill, action: Action) -> Any:
        checklist = next((c for c in self.scenario.checklists if c.id == action.checklist), None)
        if checklist is None:
            raise ActionRefused("action.unknown_checklist", checklist=action.checklist or "")
        if not any(item.id == action.item for item in checklist.items):
            raise ActionRefused("action.unknown_item", item=action.item or "", checklist=checklist.id)
        key = (checklist.id, action.item or "")
        if key in self.log.ticks:
            raise ActionRefused("action.already_ticked", item=action.item)
        self.log.ticks[key] = self.now
        event = self._record(action)
        self._after_team_action(action)
        return event

    def _known_inject(self: Drill, inject_id: str | None) -> InjectRecord:
        record = self.injects.get(inject_id or "")
        if record is None:
            raise ActionRefused("action.unknown_inject", inject=inject_id or "")
        return record

    def _meet_open(self: Drill, kind: str, seq: int, channels: tuple[str, ...] = ()) -> None:
        for record in list(self.injects.values()):
            expect = record.expect
            if record.status != "open" or expect is None or expect["action"] != kind:
                continue
            if kind == "publish":
                # Listed channels must match; without a list, the public must be reached (not just the intranet).
                wanted = set(expect["channels"]) if expect.get("channels") else _PUBLIC
                if not wanted & set(channels):
                    continue
            self._met(record, seq)

    def _after_team_action(self: Drill, action: Action) -> None:
        for inject in list(self._on_action):
            when = inject.when
            assert isinstance(when, WhenAction)
            if when.action.value != action.kind:
                continue
            if when.channels and not {c.value for c in when.channels} & set(action.channels):
                continue
            self._on_action.remove(inject)
            self._trigger([inject])

    def _has_action(self: Drill, kind: str, channels: Any, before: float) -> bool:
        entries = {
            "reply": self.log.replies,
            "publish": self.log.publications,
            "decision": self.log.decisions,
            "situation_update": self.log.situation,
        }.get(kind)
        if entries is None:  # checklist
            return any(t <= before for t in self.log.ticks.values())
        wanted = {c.value for c in channels} if channels else None
        for t, data in entries:
            if t <= before and (wanted is None or wanted & set(data.get("channels", ()))):
                return True
        return False

    # --- the facilitator ---

    def upcoming(self: Drill) -> list[dict[str, Any]]:
        """Scripted injects still to come, soonest first: the facilitator's view of the timeline."""
        out = []
        for inject_id in self.pending:
            inject = self.scripted[inject_id]
            item: dict[str, Any] = {"id": inject_id, "channel": inject.channel.value, "to": inject.to,
                                    "subject": inject.subject or inject.text.strip().splitlines()[0][:80], "at": None}
            if inject.at is not None:
                item["at"] = float(inject.at)
            elif inject.after is not None:
                arrived = self.injects.get(inject.after)
                item["after"] = inject.after
                if arrived is not None:
                    item["at"] = arrived.t + inject.delay
            elif inject.when is not None:
                item["when"] = inject.when.type
                item["ref"] = getattr(inject.when, "inject", None) or getattr(inject.when, "action", None) or getattr(
                    inject.when, "metric", None)
            out.append(item)
        return sorted(out, key=lambda i: (i["at"] is None, i["at"] or 0.0, i["id"]))

    def _act_observation(self: Drill, action: Action) -> Any:
        self._need_text(action)
        event = self._record(action)
        self.log.observations.append((self.now, {"text": action.text}))
        return event

    def _pending_inject(self: Drill, inject_id: str | None) -> str:
        if inject_id in self.pending:
            return inject_id  # type: ignore[return-value]
        if inject_id in self.scripted:
            raise ActionRefused("action.inject_not_pending", inject=inject_id)
        raise ActionRefused("action.unknown_inject", inject=inject_id or "")

    def _act_fire_inject(self: Drill, action: Action) -> Any:
        inject_id = self._pending_inject(action.inject)
        event = self._record(action)
        self._deliver_scripted(inject_id)
        return event

    def _act_skip_inject(self: Drill, action: Action) -> Any:
        inject_id = self._pending_inject(action.inject)
        self.pending.discard(inject_id)
        self.skipped.add(inject_id)
        return self._record(action)

    def _act_add_inject(self: Drill, action: Action) -> Any:
        f = action.fields
        channel = f.get("channel", "")
        if channel not in _INJECT_CHANNELS:
            raise ActionRefused("action.bad_inject_channel", channel=channel, channels=", ".join(sorted(_INJECT_CHANNELS)))
        if f.get("to") not in self.roles:
            raise ActionRefused("action.unknown_role", role=f.get("to", ""), roles=", ".join(self.roles))
        if not f.get("text", "").strip():
            raise ActionRefused("action.empty_text")
        expect = None
        if f.get("expect"):
            within = parse_duration(f.get("within", "15m"))
            if f["expect"] not in ("reply", "publish", "situation_update", "decision") or not within or within > MAX_DURATION:
                raise ActionRefused("action.bad_expectation")
            try:
                expect = Expectation(action=f["expect"], within=f.get("within", "15m"))
            except ValidationError:
                raise ActionRefused("action.bad_expectation") from None
        priority = f.get("priority", "normal")
        if priority not in {p.value for p in Priority}:
            raise ActionRefused("action.bad_priority", priority=priority)
        self._adhoc += 1
        event = self._record(action)
        sender = {"id": "adhoc", "kind": "organisation", "name": f.get("from", "").strip() or "—"}
        self._deliver(
            InjectRecord(
                id=f"adhoc#{self._adhoc}", source="adhoc", t=self.now, channel=channel, sender=sender,
                to=f["to"], text=f["text"], subject=f.get("subject") or None, priority=priority,
            ),
            expect,
            None,
        )
        return event

    def _act_end(self: Drill, action: Action) -> Any:
        event = self._record(action)
        self._end("facilitator")
        return event

    def _act_pause(self: Drill, action: Action) -> Any:
        return self._record(action)

    def _act_resume(self: Drill, action: Action) -> Any:
        return self._record(action)

    def _act_speed(self: Drill, action: Action) -> Any:
        if action.speed is None or not 0 < action.speed <= 600:
            raise ActionRefused("action.bad_speed")
        return self._record(action)
