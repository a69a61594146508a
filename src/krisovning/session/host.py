"""The host of a team drill: the one process that runs the engine and the clock, writes the journal and
holds the session's lock, and carries out what the seats ask (session/relay.py).

Requests are taken in the order they arrived, before each engine step; each is checked against its
seat (session/seats.py: what it may do, and the role it acts in — what the seat says of itself is never
trusted), stamped with the seat and when it was sent, and handed to the drill like any action. The journal's
order (seq) is the only order: replaying it gives the same drill, whoever sat where.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from krisovning.engine import Action, ActionRefused, Event
from krisovning.engine.actions import ACTION_TYPES, decode_action
from krisovning.scenario import Scenario
from krisovning.session.listening import Listening
from krisovning.session.live import LiveDrill
from krisovning.session.relay import MAX_REQUEST, Relay, Request, SeatSeen
from krisovning.session.seats import Seat, invitations
from krisovning.session.store import JournalError

BEAT_EVERY = 0.5  # wall seconds between the host's words to its seats (at once when something changes)
SEEN_WITHIN = 5.0  # wall seconds: a seat heard from since then is connected
LOOK_ANYWAY = 1.0  # wall seconds: a host woken by NOTIFY still looks for requests this often


@dataclass
class HostDrill:
    live: LiveDrill
    relay: Relay
    tokens: dict[str, str]  # seat id → its secret (browser seats)
    expired: int = 0  # requests a restart left unanswered (told to their seats as expired)
    taken: int = 0  # requests carried out
    refused: int = 0
    web: str | None = None  # "host:port" of the browser seats' server, told with the heartbeat
    web_before: str | None = None  # where it was before this host was resumed (its pages' addresses)
    _beat_in: float = 0.0
    _said: str = ""
    _roles: frozenset[str] = field(default_factory=frozenset)
    _requests: Listening | None = None  # PostgreSQL: woken when a seat asks (a file: looked at every step)
    _looked: float = 0.0  # time.monotonic() of the last look for requests
    _heard: int = -1  # the requests listener's count at that look (-1: what was sent before it listened)

    @classmethod
    def start(
        cls,
        db: Path | str,
        scenario: Scenario,
        text: str,
        file: str,
        seed: int,
        lang: str,
        speed: float = 1.0,
        *,
        briefing: bool = False,
        group: tuple[str, str] | None = None,
    ) -> HostDrill:
        """A new team drill; with `briefing` the seats show it until the facilitator seat starts the clock.
        `group` (name, label): the session joins that group (session/group.py) and waits in its briefing
        for the group's start."""
        live = LiveDrill.start(db, scenario, text, file, seed, lang, speed, briefing=briefing or group is not None)
        if group is not None:
            from krisovning.session.group import join  # group imports this module (its SEEN_WITHIN)

            try:
                join(live.recorder.store, live.session_id, *group)
            except BaseException:
                live.close(interrupted=True)
                raise
        return cls._around(live)

    @classmethod
    def resume(cls, db: Path | str, session: str | None, speed: float | None = None) -> HostDrill:
        """Replay and verify, continue paused; requests the dead host left pending are expired."""
        live = LiveDrill.resume(db, session, speed)
        host = cls._around(live)
        host.expired = host.relay.expire()
        return host

    @classmethod
    def _around(cls, live: LiveDrill) -> HostDrill:
        relay = Relay(live.recorder.store, live.session_id)
        roles = [r.id for r in live.scenario.roles]
        try:
            tokens = relay.offer([seat.id for seat in invitations(roles)])
        except BaseException:
            live.close(interrupted=True)
            raise
        try:
            before = relay.host()
        except JournalError:
            before = None
        host = cls(live, relay, tokens, _roles=frozenset(roles), web_before=before.web if before else None)
        store = live.recorder.store
        if store.NOTIFIES:
            try:
                listener = store.listener(live.session_id, requests=True)
            except JournalError:
                listener = None  # looked at every step until the watch can open one
            host._requests = Listening(
                store, live.session_id, listener, lambda: LOOK_ANYWAY, requests=True, name="host-requests"
            )
            host._requests.start()
        host.say()
        return host

    def step(self, wall_seconds: float, limit: int = 2000) -> list[Event]:
        """Carry out what the seats asked, then advance the clock; returns what was committed."""
        out: list[Event] = []
        if self.live.fault is None and self._look_for_requests():
            with contextlib.suppress(JournalError):  # cannot read the requests now: they wait for the next step
                for request in self.relay.pending():
                    out += self.carry_out(request)
        out += self.live.tick(wall_seconds, limit)
        self._beat_in -= wall_seconds
        if out or self._beat_in <= 0:
            self.say()
        return out

    def _look_for_requests(self) -> bool:
        """Every step on a file; on PostgreSQL when a seat's request woke the host, or after LOOK_ANYWAY."""
        if self._requests is None:
            return True
        now, heard = time.monotonic(), self._requests.heard
        if heard != self._heard or now - self._looked >= LOOK_ANYWAY:
            self._looked, self._heard = now, heard
            return True
        return False

    def carry_out(self, request: Request) -> list[Event]:
        try:
            action = self._stamped(request)
            events = self.live.act(action, request=request.id)
        except ActionRefused as refused:
            self.refused += 1
            with contextlib.suppress(JournalError):
                self.relay.refuse(request.id, refused.key, refused.fields)
            return []
        self.taken += 1
        return events

    def _stamped(self, request: Request) -> Action:
        """The request as the action the host takes: checked against its seat, stamped with seat, role and time."""
        try:
            seat = Seat.parse(request.seat)
        except ValueError:
            raise ActionRefused("seat.unknown", seat=request.seat[:80]) from None
        if not all(role in self._roles for role in seat.roles):
            raise ActionRefused("seat.unknown", seat=request.seat[:80])
        if len(request.body) > MAX_REQUEST:
            raise ActionRefused("seat.bad_request")
        try:
            data = json.loads(request.body)
            if not isinstance(data, dict) or data.get("kind") not in ACTION_TYPES:
                raise ValueError
            asked = decode_action(data).to_action()
        except (ValueError, TypeError):
            raise ActionRefused("seat.bad_request") from None
        if not seat.allows(asked.kind):
            raise ActionRefused("seat.not_allowed", seat=seat.id, kind=asked.kind)
        addressed = None
        if asked.inject is not None:
            record = self.live.drill.timeline.injects.get(asked.inject)
            addressed = record.to if record is not None else None
        fields = {name: getattr(asked, name) for name in asked.__struct_fields__}
        fields.update(role=seat.role_for(asked.role, addressed), seat=seat.id, sent=request.sent_at)
        return Action(**fields)

    def say(self, **last: object) -> None:
        """Tell the seats where the drill is (the heartbeat; skipped while the journal cannot be written).
        `last` overrides fields for the host's last word (close)."""
        live = self.live
        self._beat_in = BEAT_EVERY
        state = {
            "clock": round(live.now, 3),
            "speed": live.speed,
            "paused": live.paused,
            "briefing": live.briefing,
            "finished": live.finished,
            "held": live.fault is not None,
            "upcoming": live.upcoming(),
        }
        if self.web is not None:
            state["web"] = self.web
        state.update(last)
        with contextlib.suppress(JournalError):
            self.relay.beat(state)

    def seats(self) -> list[tuple[SeatSeen, bool]]:
        """Each offered seat and whether it is connected now."""
        now = time.time()
        return [(s, s.seen_at is not None and now - s.seen_at < SEEN_WITHIN) for s in self.relay.seats()]

    def close(self, *, interrupted: bool) -> None:
        if self._requests is not None:
            self._requests.stop()
        self.say(paused=True, held=False, upcoming=[], closed=True, web=self.web)
        self.live.close(interrupted=interrupted)
