"""A seat of a team drill: the drill as the journal tells it, followed as the host writes it.

The seat rebuilds everything from the journal (as a resume does, but without replaying: the host is the
one that runs the engine), reads what the host commits, and sends what its people do as requests
(session/relay.py), waiting for the host's answer. On a file it looks at every tick of its UI; on
PostgreSQL a thread of its own waits for the host's NOTIFY (`_Watch`) and a tick reads only when woken,
or once every `LOOK_EVERY` seconds in case a word went missing. It holds no state of its own
but drafts in its UI: a crashed or reloaded seat opens again exactly where it was.

The clock between two words from the host is carried forward at the host's speed, never more than
`STALE` seconds of wall time: a host that has fallen silent stops the seat's clock and is said to be
gone (`host_lost`), and nothing is sent to it until it is back (`krisovning host --resume`).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from krisovning.engine import Action, ActionRefused, Event
from krisovning.i18n import t
from krisovning.scenario import Scenario, ScenarioError, load_scenario_bytes
from krisovning.session.chain import ALTERED
from krisovning.session.journal import check_session, find_session
from krisovning.session.listening import Listening
from krisovning.session.relay import CANCELLED, DONE, HostState, Relay
from krisovning.session.seats import Seat
from krisovning.session.store import JournalError, SessionInfo, SqliteStore, open_store
from krisovning.vocab import EventKind, SeatKind

STALE = 3.0  # wall seconds without a word from the host: it is gone
SEEN_EVERY = 2.0  # wall seconds between the seat's own "still here"
WAIT = 3.0  # wall seconds a request waits for its answer before the seat withdraws it
POLL = 0.01  # wall seconds between looks for an answer
LOOK_EVERY = 1.0  # wall seconds between a woken seat's looks when nothing woke it (PostgreSQL)


class SeatLink:
    def __init__(self, store: SqliteStore, info: SessionInfo, scenario: Scenario, seat: Seat) -> None:
        self.store = store
        self.info = info
        self._scenario = scenario
        self.seat = seat
        self.relay = Relay(store, info.id)
        self.history: list[Event] = []
        self.backlog: deque[Event] = deque()
        self.state: HostState | None = None
        self.fault: JournalError | None = None  # the seat cannot read the journal now
        self._seq = 0
        self._seen_in = 0.0
        self._ended = info.status == "finished"
        self.listener = store.listener(info.id)  # PostgreSQL: woken by the host's commits (store_pg.PgListener)
        self._watch = (
            Listening(store, info.id, self.listener, lambda: LOOK_EVERY, name=f"seat-watch-{seat.id}")
            if self.listener is not None
            else None
        )
        self._looked = -1  # the watch's count of words when the seat last looked
        self._look_at = 0.0  # monotonic time of the next look that nothing woke
        self.reads = 0  # looks at the journal so far (what waking saves: tests, bench/bench_group.py)

    @classmethod
    def open(cls, db: Path | str, session: str | None, seat: Seat) -> SeatLink:
        """The seat `seat` of a session (None: the latest), rebuilt from its journal."""
        store = open_store(db, write=True)
        try:
            info = find_session(store, session)
            integrity = check_session(store, info)
            if integrity.state == ALTERED:
                raise JournalError(
                    "journal.altered_seat", path=store.path, session=info.id, problem=integrity.messages()[0]
                )
            try:
                scenario = load_scenario_bytes(info.scenario_text.encode("utf-8", "surrogatepass"), info.scenario_file)
            except ScenarioError as exc:
                raise JournalError("session.bad_scenario", session=info.id, problem=str(exc.problems[0])) from None
            known = {r.id for r in scenario.roles}
            unknown = [role for role in seat.roles if role not in known]
            if unknown:
                raise JournalError("seat.unknown_role", role=unknown[0], roles=", ".join(sorted(known)))
            link = cls(store, info, scenario, seat)
        except BaseException:
            store.close()
            raise
        try:
            link.history = link._read()
            if link._watch is not None:
                link._watch.start()
            link.backlog.clear()  # the history is what a UI rebuilds from
            link._look()
            link.relay.seen(seat.id)
        except BaseException:
            link.close(interrupted=False)  # its listener and thread too
            raise
        return link

    # --- reading the journal ---

    def _read(self) -> list[Event]:
        """What the host committed since the last look (also kept in `history` and `backlog`)."""
        rows = self.store.entries_after(self.info.id, self._seq)
        fresh = []
        for seq, at, kind, body in rows:
            data = json.loads(body)
            for key in ("seq", "t", "kind"):
                data.pop(key, None)
            fresh.append(Event(int(seq), float(at), str(kind), data))
        if fresh:
            self._seq = fresh[-1].seq
            self._ended = self._ended or any(e.kind == EventKind.drill_end for e in fresh)
            self.history.extend(fresh)
            self.backlog.extend(fresh)
        return fresh

    def _look(self) -> None:
        """Read the host's word and whatever it committed; a failed read is said (`fault`) and retried."""
        self.reads += 1
        try:
            self.state = self.relay.host()
            self._read()
        except (JournalError, ValueError) as exc:
            damaged = JournalError("journal.corrupt", path=self.store.path, reason=str(exc))
            self.fault = exc if isinstance(exc, JournalError) else damaged
            return
        self.fault = None

    def tick(self, wall_seconds: float, limit: int = 2000) -> list[Event]:
        watch = self._watch
        if watch is None:
            self._look()
        else:
            heard, now = watch.heard, time.monotonic()
            if heard != self._looked or now >= self._look_at:
                self._looked, self._look_at = heard, now + LOOK_EVERY  # a word during the read: looked at next tick
                self._look()
        self._seen_in -= wall_seconds
        if self._seen_in <= 0 and self.fault is None:
            self._seen_in = SEEN_EVERY
            with contextlib.suppress(JournalError):  # said next time it matters: reading fails the same way
                self.relay.seen(self.seat.id)
        out: list[Event] = []
        while self.backlog and len(out) < limit:
            out.append(self.backlog.popleft())
        return out

    # --- what a UI reads (session/link.py) ---

    @property
    def scenario(self) -> Scenario:
        return self._scenario

    @property
    def session_id(self) -> str:
        return self.info.id

    @property
    def finished(self) -> bool:
        return self._ended or (self.state is not None and self.state.finished)

    @property
    def speed(self) -> float:
        return self.state.speed if self.state is not None else 1.0

    @property
    def briefing(self) -> bool:
        return self.state is not None and self.state.briefing and not self.finished

    @property
    def paused(self) -> bool:
        return self.state is None or self.state.paused or self.host_lost is not None

    @property
    def saved_clock(self) -> float:
        return self.state.clock if self.state is not None else self._last_t()

    @property
    def now(self) -> float:
        state = self.state
        if state is None:
            return self._last_t()
        now = state.clock
        # between the host's words the clock runs on; a host gone silent leaves it where the host last said
        # (running on to STALE and then stopping showed a time up to STALE × speed that never happened)
        if not (state.paused or state.finished or state.held or state.closed) and state.age() <= STALE:
            now += max(state.age(), 0.0) * state.speed
        end = float(self._scenario.duration)
        return max(min(now, end), self._last_t())

    def _last_t(self) -> float:
        return self.history[-1].t if self.history else 0.0

    @property
    def host_lost(self) -> str | None:
        """Why the host cannot be reached now (None: it can, or the drill is over)."""
        if self.finished:
            return None
        state = self.state
        if state is None:
            return t("seat.host_never")
        if state.closed:
            return t("seat.host_closed")
        if state.age() > STALE:
            return t("seat.host_silent", since=datetime.fromtimestamp(state.beat).strftime("%H:%M:%S"))
        return None

    def world_time(self) -> str:
        return (self._scenario.start + timedelta(seconds=self.now)).isoformat(timespec="seconds")

    def upcoming(self) -> list[dict[str, Any]]:
        return list(self.state.upcoming) if self.state is not None and self.seat.facilitates else []

    # --- acting ---

    def act(self, action: Action) -> list[Event]:
        """Ask the host to take `action`; returns what it committed up to it, or raises ActionRefused."""
        if self.seat.kind == SeatKind.observer and action.kind != "observation":
            raise ActionRefused("seat.not_allowed", seat=self.seat.id, kind=action.kind)
        self._look()  # the host's latest word, not the one from the last tick: is it there now?
        lost = self.host_lost
        if lost is not None:
            raise ActionRefused("seat.host_gone", why=lost)
        try:
            request = self.relay.send(self.seat.id, json.dumps(action.to_dict(), ensure_ascii=False))
            answer = self._wait(request)
        except JournalError as exc:
            raise ActionRefused("seat.unsent", problem=t(exc.key, **exc.fields)) from None
        if answer.status == DONE:
            while answer.seq is not None and self._seq < answer.seq:
                if not self._read():  # in the journal with the answer (one transaction): at most one more read
                    break
            return self.tick(0.0)
        if answer.status == CANCELLED:
            raise ActionRefused("seat.host_slow")
        raise ActionRefused(answer.key or "seat.request_expired", **(answer.fields or {}))

    def _wait(self, request: int) -> Any:
        deadline = time.monotonic() + WAIT
        while True:
            answer = self.relay.answer(request)
            if answer is not None:
                return answer
            if time.monotonic() > deadline:
                if self.relay.cancel(request):
                    return self.relay.answer(request)
                deadline = time.monotonic() + WAIT  # taken just now: its answer is coming
            self.wait(POLL)

    def wait(self, timeout: float) -> None:
        """Until the host says something new (where the journal can say so: PostgreSQL) or `timeout`."""
        if self._watch is not None:
            self._watch.after(self._watch.heard, timeout)
            time.sleep(0)  # a turn for other threads (and for a test's host, tests/teamkit.py)
        else:
            time.sleep(timeout)

    def news(self, timeout: float) -> bool:
        """Until the host has said something this seat has not read (PostgreSQL), at most `timeout`;
        True when it has. A file cannot say so: it may always have news."""
        if self._watch is None:
            return True
        return self._watch.after(self._looked, timeout) != self._looked

    def on_news(self, wake: Callable[[], None] | None) -> None:
        """Call `wake` (from another thread) whenever the host says something (PostgreSQL): a UI that
        waits for its next tick can tick at once."""
        if self._watch is not None:
            self._watch.wake = wake

    def close(self, *, interrupted: bool) -> None:
        """Leave the seat (the drill goes on at the host)."""
        if self._watch is not None:
            self._watch.stop()
        elif self.listener is not None:
            self.listener.close()
        self.store.close(tidy=False)  # tidying the log would wait for the host's writes
