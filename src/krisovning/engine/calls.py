"""Phones that ring: an inject on the phone channel rings for `calls.ring` of drill time until the team
answers it (an ongoing call: the reply), declines it, or lets it ring out, and then it is missed
(a `call_missed` event, journaled like everything the engine delivers).

A part of `Drill` (engine/drill.py). A missed caller does what callers do: a journalist turns to the
switchboard (kontaktcenter passes the message on), a resident turns to social media, anyone else
calls again once a few minutes later. The texts are the world's (Swedish), as in engine/media.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from krisovning.engine import events as ev
from krisovning.engine.actions import Action, ActionRefused
from krisovning.engine.records import InjectRecord
from krisovning.scenario.model import SocialEffect
from krisovning.vocab import InjectChannel, PersonaKind

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill

RINGING, ANSWERED, DECLINED, MISSED = "ringing", "answered", "declined", "missed"
RETRY_AFTER = (180.0, 360.0)  # a caller who is not a journalist nor a resident calls again within these seconds
TEXT = {
    "switchboard_subject": "Meddelande från kontaktcenter",
    "switchboard": (
        "Kontaktcenter: {name} ({outlet}) har sökt er på telefon utan att komma fram och ber om återkoppling{phone}."
    ),
    "again_subject": "Ringer igen",
    "resident_post": "Ringde kommunen kl. {time} men ingen svarar. Hur ska man få veta något?",
}


class Calls:
    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.ring = float(drill.scenario.calls.ring)
        self.state: dict[str, str] = {}  # inject id → ringing | answered | declined | missed
        self.posts = 0

    def on_inject(self, record: InjectRecord) -> None:
        if record.channel != InjectChannel.phone.value or record.source == "story":
            return
        self.state[record.id] = RINGING
        self.drill.schedule(self.drill.now + self.ring, self._ring_out, record)

    def ringing(self) -> list[str]:
        """The calls ringing now, oldest first."""
        return [inject_id for inject_id, state in self.state.items() if state == RINGING]

    def ends_at(self, inject_id: str) -> float:
        return self.drill.injects[inject_id].t + self.ring

    # --- the team's actions (engine/actions_apply.py) ---

    def answer(self, action: Action) -> None:
        self._need_ringing(action.inject)
        self.state[str(action.inject)] = ANSWERED

    def decline(self, action: Action) -> None:
        self._need_ringing(action.inject)
        self.state[str(action.inject)] = DECLINED

    def replied(self, inject_id: str) -> None:
        """A reply to a ringing call answers it (the team picked up from the inbox)."""
        if self.state.get(inject_id) == RINGING:
            self.state[inject_id] = ANSWERED

    def _need_ringing(self, inject_id: str | None) -> None:
        state = self.state.get(inject_id or "")
        if state is None:
            raise ActionRefused("action.not_a_call", inject=(inject_id or "")[:40])
        if state != RINGING:
            raise ActionRefused("action.call_over", inject=(inject_id or "")[:40])

    # --- a call nobody took ---

    def _ring_out(self, record: InjectRecord) -> None:
        drill = self.drill
        if drill.finished or self.state.get(record.id) != RINGING:
            return
        self.state[record.id] = MISSED
        drill.emit(ev.CALL_MISSED, {"inject": record.id, "ring": self.ring})
        kind = record.sender.get("kind")
        if record.replied_at is not None:
            return
        if kind == PersonaKind.journalist.value:
            if record.source != "followup":  # the call-again's story follows (engine/media.py)
                self._switchboard(record)
        elif kind == PersonaKind.citizen.value:
            self._to_the_feed(record)
        elif record.source != "retry":
            rng = drill.stream(f"call:{record.id}")
            drill.schedule(drill.now + rng.uniform(*RETRY_AFTER), self._call_again, record)

    def _switchboard(self, record: InjectRecord) -> None:
        sender = record.sender
        phone = str(sender.get("phone", ""))
        values = {
            "name": str(sender.get("name", "")),
            "outlet": str(sender.get("outlet") or sender.get("organisation") or ""),
            "phone": f" på {phone}" if phone else "",
        }
        self._deliver(
            record,
            "+kc",
            InjectChannel.internal.value,
            TEXT["switchboard"].format_map(values),
            TEXT["switchboard_subject"],
            "followup",
        )

    def _call_again(self, record: InjectRecord) -> None:
        if self.drill.finished or record.replied_at is not None:
            return
        self._deliver(record, "+r", InjectChannel.phone.value, record.text, TEXT["again_subject"], "retry")

    def _deliver(self, record: InjectRecord, suffix: str, channel: str, text: str, subject: str, source: str) -> None:
        drill = self.drill
        again = InjectRecord(
            id=f"{record.id}{suffix}",
            source=source,
            t=drill.now,
            channel=channel,
            sender=record.sender,
            to=record.to,
            text=text,
            subject=subject,
            priority=record.priority,
        )
        drill.timeline.deliver(again, None, None, fill_in=False)

    def _to_the_feed(self, record: InjectRecord) -> None:
        drill, feed = self.drill, self.drill.feed
        thread = next(iter(feed.threads), None)
        if thread is None:
            return
        sender = record.sender
        data: dict[str, Any] = {
            "id": f"c{self.posts + 1}",
            "thread": thread,
            "category": "criticism",
            "sentiment": "negative",
            "author": str(sender.get("name", "")),
            "handle": str(sender.get("handle", "")),
            "text": TEXT["resident_post"].format(time=drill.clock()),
            "facts": [],
            "repost_of": None,
        }
        if not feed.post(data):
            return
        self.posts += 1
        feed.apply(SocialEffect(thread=thread, spike=2), f"call:{record.id}")
