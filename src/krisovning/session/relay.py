"""How the seats of a team drill reach the host, through the journal's own storage (no other server).

- **requests**: a seat writes what it wants done; the host takes them in the order they arrived, and
  answers each one: `done` (with the journaled action's seq, written in the same transaction as the
  action, session/store.py `append`), `refused` (a message key and its fields, said in the seat's own
  language), `expired` (the host was restarted before it got to it) or `cancelled` (the seat gave up
  waiting first — only while the host has not taken it).
- **hosts**: the host's heartbeat and state (clock, speed, pause, what is coming for the facilitator);
  a seat whose host has fallen silent says so.
- **seats**: the invitations (a secret token per seat, for the browser) and when each seat was last seen.

This is storage code beside session/store.py (its SQL runs on the store's connection, in the words
SQLite and PostgreSQL share: session/store_pg.py); the host and the seats use only the methods below.

Nothing here is part of the journal's chain: it is the conversation, not the record. What a request
achieved is in the journal (the action, stamped with the seat, its role and when it was sent).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any

from krisovning.session.store import JournalError, SqliteStore, now_iso

PENDING, DONE, REFUSED, EXPIRED, CANCELLED = "pending", "done", "refused", "expired", "cancelled"
MAX_REQUEST = 256 * 1024  # bytes of one request's JSON (an action's texts are bounded by the engine too)


@dataclass(frozen=True)
class Request:
    id: int
    seat: str
    body: str  # the action as JSON, as the seat wrote it
    sent_at: str


@dataclass(frozen=True)
class Answer:
    status: str
    seq: int | None = None  # done: the journaled action
    key: str = ""  # refused: the message
    fields: dict[str, Any] | None = None


@dataclass(frozen=True)
class HostState:
    pid: int
    beat: float  # wall time (time.time()) of the host's last word
    clock: float  # exercise seconds then
    speed: float
    paused: bool
    finished: bool
    held: bool  # the journal cannot be written: the drill holds
    closed: bool  # the host left (ended by its user, or the drill is over)
    web: str | None  # where the browser seats' server listened ("host:port"), kept for a resumed host
    upcoming: list[dict[str, Any]]
    briefing: bool = False  # the drill waits for the facilitator to start the clock

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.beat


@dataclass(frozen=True)
class SeatSeen:
    seat: str
    token: str
    seen_at: float | None
    pid: int | None


class Relay:
    def __init__(self, store: SqliteStore, session_id: str) -> None:
        self.store = store
        self.session = session_id

    # --- a seat ---

    def send(self, seat: str, body: str) -> int:
        cursor = self.store._run(
            "INSERT INTO requests (session_id, seat, body, sent_at) VALUES (?, ?, ?, ?) RETURNING id",
            (self.session, seat, body, now_iso("milliseconds")),
        )
        rows = cursor.fetchall()  # to the end: SQLite keeps the write open until the statement is done
        with contextlib.suppress(JournalError):  # the host still finds it when it next looks anyway
            self.store.notify(self.session, requests=True)  # a host on PostgreSQL looks when woken
        return int(rows[0][0]) if rows else 0

    def answer(self, request: int) -> Answer | None:
        """The host's answer, or None while it is pending."""
        _, rows = self.store._rows("SELECT status, answer FROM requests WHERE id = ?", (request,))
        if not rows or rows[0][0] == PENDING:
            return None
        status, text = rows[0]
        data = _object(text)
        if status == DONE:
            seq = data.get("seq")
            return Answer(DONE, seq=seq if isinstance(seq, int) else None)
        fields = data.get("fields")
        return Answer(str(status), key=str(data.get("key", "")), fields=fields if isinstance(fields, dict) else {})

    def cancel(self, request: int) -> bool:
        """Withdraw a request the host has not taken yet; False when it has (its answer is on the way)."""
        cursor = self.store._run(
            "UPDATE requests SET status = ?, answered_at = ? WHERE id = ? AND status = ?",
            (CANCELLED, now_iso(), request, PENDING),
        )
        return cursor.rowcount == 1

    def seen(self, seat: str) -> None:
        self.store._run(
            "UPDATE seats SET seen_at = ?, pid = ? WHERE session_id = ? AND seat = ?",
            (time.time(), os.getpid(), self.session, seat),
        )

    def host(self) -> HostState | None:
        _, rows = self.store._rows("SELECT pid, beat, state FROM hosts WHERE session_id = ?", (self.session,))
        if not rows:
            return None
        pid, beat, text = rows[0]
        state = _object(text)
        return HostState(
            pid=int(pid),
            beat=float(beat),
            clock=float(state.get("clock", 0.0)),
            speed=float(state.get("speed", 1.0)),
            paused=bool(state.get("paused", False)),
            finished=bool(state.get("finished", False)),
            held=bool(state.get("held", False)),
            closed=bool(state.get("closed", False)),
            web=state["web"] if isinstance(state.get("web"), str) else None,
            upcoming=list(state.get("upcoming", [])),
            briefing=bool(state.get("briefing", False)),
        )

    def token_seat(self, token: str) -> str | None:
        _, rows = self.store._rows("SELECT seat FROM seats WHERE session_id = ? AND token = ?", (self.session, token))
        return str(rows[0][0]) if rows else None

    # --- the host ---

    def offer(self, seats: list[str]) -> dict[str, str]:
        """A token for each seat (kept when the host is resumed); returns seat → token."""
        known = {s.seat: s.token for s in self.seats()}
        fresh = [(self.session, seat, secrets.token_urlsafe(18)) for seat in seats if seat not in known]
        if fresh:
            self.store._write([("INSERT INTO seats (session_id, seat, token) VALUES (?, ?, ?)", fresh)])
        return {s.seat: s.token for s in self.seats()}

    def seats(self) -> list[SeatSeen]:
        _, rows = self.store._rows(
            "SELECT seat, token, seen_at, pid FROM seats WHERE session_id = ? ORDER BY rowid", (self.session,)
        )
        return [SeatSeen(*row) for row in rows]

    def pending(self) -> list[Request]:
        _, rows = self.store._rows(
            "SELECT id, seat, body, sent_at FROM requests WHERE session_id = ? AND status = ? ORDER BY id",
            (self.session, PENDING),
        )
        return [Request(*row) for row in rows]

    def refuse(self, request: int, key: str, fields: dict[str, Any]) -> None:
        text = json.dumps({"key": key, "fields": {k: str(v) for k, v in fields.items()}}, ensure_ascii=False)
        self.store._run(
            "UPDATE requests SET status = ?, answer = ?, answered_at = ? WHERE id = ? AND status = ?",
            (REFUSED, text, now_iso(), request, PENDING),
        )
        self.store.notify(self.session)

    def expire(self) -> int:
        """Every request still pending (a host restarted before it took them); how many."""
        text = json.dumps({"key": "seat.request_expired", "fields": {}})
        cursor = self.store._run(
            "UPDATE requests SET status = ?, answer = ?, answered_at = ? WHERE session_id = ? AND status = ?",
            (EXPIRED, text, now_iso(), self.session, PENDING),
        )
        return cursor.rowcount

    def beat(self, state: dict[str, Any]) -> None:
        self.store._run(
            "INSERT INTO hosts (session_id, pid, beat, state) VALUES (?, ?, ?, ?) ON CONFLICT (session_id) "
            "DO UPDATE SET pid = excluded.pid, beat = excluded.beat, state = excluded.state",
            (self.session, os.getpid(), time.time(), json.dumps(state, ensure_ascii=False)),
        )
        self.store.notify(self.session)  # a seat woken by NOTIFY (session/follower.py) reads the new state now


def _object(text: Any) -> dict[str, Any]:
    try:
        data = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        data = None
    return data if isinstance(data, dict) else {}
