"""A group of sessions drilled in parallel (a county's municipalities), followed and steered from one place.

Membership is a row per session in the journal (`group_members`, format 3); the sessions share nothing
else but the database. Steering is the facilitator's own requests (session/relay.py), sent to each
session's host as the seat `facilitator` and answered by the host as any seat's request: no other
protocol. What a session looks like now (`look`) is read from the host's heartbeat, the seats' last
signs of life and the journal's entries, as a seat reads them (session/follower.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from krisovning.engine import Action, Event
from krisovning.scenario import Scenario, ScenarioError, load_scenario_bytes
from krisovning.session.host import SEEN_WITHIN
from krisovning.session.relay import CANCELLED, DONE, HostState, Relay
from krisovning.session.roster import seat_label
from krisovning.session.seats import FACILITATOR
from krisovning.session.store import SessionInfo, SqliteStore, now_iso
from krisovning.textsafe import first_control

MAX_NAME = 64  # characters of a group's name
MAX_LABEL = 80  # characters of a session's label in its group (a municipality's name)
SILENT = 3.0  # wall seconds without a word from a host: it cannot be reached (session/follower.py's STALE)
ANSWER_WITHIN = 10.0  # wall seconds a command waits for the hosts' answers
LATEST = 3  # latest actions shown per session

# what a session is doing, as the group's status says it
BRIEFING, RUNNING, PAUSED, ENDED, UNREACHABLE = "briefing", "running", "paused", "ended", "unreachable"
# what became of a command sent to a session
SILENT_HOST = "silent"


class GroupError(Exception):
    """A group name or label that cannot be used, or a group that is not there; `key`/`fields` name the message."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


def _checked(value: str, limit: int, keys: tuple[str, str, str]) -> str:
    """`value` stripped; GroupError (keys: empty, control character, too long) when it cannot be used."""
    empty, control, long = keys
    text = value.strip()
    if not text:
        raise GroupError(empty)
    # one line without control characters: it heads a row of a table, and names the group in commands
    at = next((i for i, c in enumerate(value) if c in "\n\t" or first_control(c) is not None), None)
    if at is not None:
        raise GroupError(control, at=at + 1)
    if len(text) > limit:
        raise GroupError(long, n=len(text), limit=limit)
    return text


def check_name(name: str) -> str:
    """A group's name as given (a `--group` value, a command's argument)."""
    return _checked(name, MAX_NAME, ("group.name_empty", "group.name_control", "group.name_long"))


def check_label(label: str) -> str:
    """A session's label in its group (`--label`, else the scenario's organisation)."""
    return _checked(label, MAX_LABEL, ("group.label_empty", "group.label_control", "group.label_long"))


@dataclass(frozen=True)
class GroupMember:
    session: str
    label: str
    joined: str  # when its host joined the group (ISO 8601)


def _has_groups(store: SqliteStore) -> bool:
    return store.format >= 3  # an older journal, read as it is, has no group (only a writer upgrades it)


def join(store: SqliteStore, session_id: str, name: str, label: str, joined: str | None = None) -> GroupMember:
    """Put a new session in group `name` under `label` (both checked here too); `joined` keeps the time
    a copied session joined (session/copy.py)."""
    member = GroupMember(session_id, check_label(label), joined or now_iso("milliseconds"))
    store._write(
        [
            (
                "INSERT INTO group_members (session_id, name, label, joined_at) VALUES (?, ?, ?, ?)",
                (session_id, check_name(name), member.label, member.joined),
            )
        ],
        durable=True,
    )
    return member


def group_of(store: SqliteStore, session_id: str) -> tuple[str, GroupMember] | None:
    """The group a session drills in (its name and the session's membership), or None."""
    if not _has_groups(store):
        return None
    _, rows = store._rows(
        "SELECT name, label, joined_at FROM group_members WHERE session_id = ?",
        (session_id,),
    )
    if not rows:
        return None
    name, label, joined = rows[0]
    return str(name), GroupMember(session_id, str(label), str(joined))


def group_sessions(store: SqliteStore, name: str) -> list[GroupMember]:
    """The sessions of group `name`, in the order they joined (empty: no such group)."""
    if not _has_groups(store):
        return []
    _, rows = store._rows(
        "SELECT session_id, label, joined_at FROM group_members WHERE name = ? ORDER BY joined_at, session_id",
        (name,),
    )
    return [GroupMember(str(s), str(label), str(joined)) for s, label, joined in rows]


def groups(store: SqliteStore) -> list[tuple[str, int]]:
    """Every group's name and how many sessions it has, by name."""
    if not _has_groups(store):
        return []
    _, rows = store._rows("SELECT name, COUNT(*) FROM group_members GROUP BY name ORDER BY name")
    return [(str(name), int(n)) for name, n in rows]


def members(store: SqliteStore, name: str, chosen: Sequence[str] = ()) -> list[GroupMember]:
    """The group's sessions, or those of them `chosen` names (an id or a unique start of one);
    GroupError for a group that is not there or a choice that is not one of its sessions."""
    everyone = group_sessions(store, name)
    if not everyone:
        raise GroupError("group.unknown", group=name)
    if not chosen:
        return everyone
    picked: list[GroupMember] = []
    for wanted in chosen:
        found = [m for m in everyone if m.session == wanted] or [m for m in everyone if m.session.startswith(wanted)]
        if len(found) != 1:
            raise GroupError("group.not_member", session=wanted, group=name)
        if found[0] not in picked:
            picked.append(found[0])
    return picked


# --- steering: the facilitator's requests ---


@dataclass(frozen=True)
class Outcome:
    """What one session's host made of a command: `done`, `refused` (key, fields) or `silent` (nobody answered)."""

    session: str
    status: str
    key: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


def reachable(state: HostState | None, now: float) -> bool:
    return state is not None and not state.closed and now - state.beat <= SILENT


def send(
    store: SqliteStore,
    sessions: Sequence[str],
    action: Action,
    *,
    within: float = ANSWER_WITHIN,
    clock: Callable[[], float] = time.time,
    pause: Callable[[float], None] = time.sleep,
) -> list[Outcome]:
    """`action` as the facilitator's request to each session's host, all at once; each host's answer,
    waited for at most `within` seconds. A host that cannot be reached is not asked (its request would
    wait for a resume that expires it); one that does not answer in time has its request withdrawn."""
    body = json.dumps(action.to_dict(), ensure_ascii=False)
    sent: dict[str, int] = {}
    out: dict[str, Outcome] = {}
    for session in sessions:
        relay = Relay(store, session)
        info = store.session(session)
        if info is not None and info.status == "finished":
            out[session] = Outcome(session, "refused", "group.ended_already")
        elif not reachable(relay.host(), clock()):
            out[session] = Outcome(session, SILENT_HOST)
        else:
            sent[session] = relay.send(FACILITATOR.id, body)
    deadline = time.monotonic() + within
    while sent:
        for session, request in list(sent.items()):
            answer = Relay(store, session).answer(request)
            if answer is None and time.monotonic() > deadline:
                if Relay(store, session).cancel(request):
                    out[session] = Outcome(session, SILENT_HOST)
                    del sent[session]
                continue  # taken just now: its answer is on the way
            if answer is None:
                continue
            if answer.status == DONE:
                out[session] = Outcome(session, DONE)
            elif answer.status == CANCELLED:
                out[session] = Outcome(session, SILENT_HOST)
            else:
                out[session] = Outcome(session, "refused", answer.key, dict(answer.fields or {}))
            del sent[session]
        if sent:
            pause(0.05)
    return [out[s] for s in sessions]


# --- following: what each session looks like now ---


@dataclass(frozen=True)
class Latest:
    t: float  # exercise time
    who: str  # the role's name (or the seat)
    kind: str  # the action's kind
    text: str  # its text (data: shown as such)


@dataclass(frozen=True)
class Snapshot:
    member: GroupMember
    info: SessionInfo | None  # None: the session is not in this journal (any more)
    scenario: Scenario | None  # None: its scenario cannot be read back
    state: str
    clock: float
    speed: float
    seats: int  # seats heard from lately
    offered: int  # seats the host offered
    latest: tuple[Latest, ...]
    events: tuple[Event, ...]  # everything the journal holds of it so far (the objectives are scored on them)


@dataclass
class _Followed:
    info: SessionInfo | None
    scenario: Scenario | None
    events: list[Event] = field(default_factory=list)
    seq: int = 0


class Watch:
    """The sessions of a group as they are now; each look reads only what is new since the last."""

    def __init__(self, store: SqliteStore, name: str, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.name = name
        self.clock = clock
        self._followed: dict[str, _Followed] = {}

    def members(self) -> list[GroupMember]:
        return members(self.store, self.name)

    def look(self) -> list[Snapshot]:
        """Each session of the group now (JournalError, GroupError when the journal or the group cannot be read)."""
        now = self.clock()
        return [self._look(member, now) for member in self.members()]

    def _look(self, member: GroupMember, now: float) -> Snapshot:
        followed = self._followed.get(member.session)
        if followed is None:
            info = self.store.session(member.session)
            followed = self._followed[member.session] = _Followed(info, _scenario(info))
        else:
            followed.info = self.store.session(member.session) or followed.info
        relay = Relay(self.store, member.session)
        state = relay.host()
        for seq, at, kind, body in self.store.entries_after(member.session, followed.seq):
            try:
                data = json.loads(body)
            except ValueError:
                data = {}
            if not isinstance(data, dict):
                data = {}
            for key in ("seq", "t", "kind"):
                data.pop(key, None)
            followed.events.append(Event(int(seq), float(at), str(kind), data))
            followed.seq = int(seq)
        seats = relay.seats()
        live = sum(1 for s in seats if s.seen_at is not None and now - s.seen_at < SEEN_WITHIN)
        info, scenario = followed.info, followed.scenario
        clock, what = _where(info, state, now, scenario)
        return Snapshot(
            member=member,
            info=info,
            scenario=scenario,
            state=what,
            clock=clock,
            speed=state.speed if state is not None else 1.0,
            seats=live,
            offered=len(seats),
            latest=_latest(followed.events, scenario),
            events=tuple(followed.events),
        )


def _scenario(info: SessionInfo | None) -> Scenario | None:
    if info is None:
        return None
    try:
        return load_scenario_bytes(info.scenario_text.encode("utf-8", "surrogatepass"), info.scenario_file)
    except (ScenarioError, UnicodeError):
        return None


def _where(
    info: SessionInfo | None, state: HostState | None, now: float, scenario: Scenario | None
) -> tuple[float, str]:
    """The session's clock and what it is doing."""
    saved = info.exercise_time if info is not None else 0.0
    if (info is not None and info.status == "finished") or (state is not None and state.finished):
        return (state.clock if state is not None else saved), ENDED
    if not reachable(state, now):
        return (state.clock if state is not None else saved), UNREACHABLE
    assert state is not None
    if state.briefing:
        return state.clock, BRIEFING
    if state.paused or state.held:
        return state.clock, PAUSED
    clock = state.clock + max(now - state.beat, 0.0) * state.speed  # runs on between the host's words
    end = float(scenario.duration) if scenario is not None else clock
    return min(clock, end), RUNNING


def _latest(events: list[Event], scenario: Scenario | None) -> tuple[Latest, ...]:
    names = {role.id: role.name for role in scenario.roles} if scenario is not None else {}
    found: list[Latest] = []
    for event in reversed(events):
        if event.kind != "action":
            continue
        action = event.data.get("action")
        if not isinstance(action, dict):
            continue
        role, seat = action.get("role"), action.get("seat")
        if isinstance(role, str) and role in names:
            who = names[role]
        elif isinstance(seat, str):
            who = seat_label(scenario, seat) if scenario is not None else seat
        else:
            who = role if isinstance(role, str) else ""
        text = action.get("text")
        if not text and isinstance(action.get("fields"), dict):
            text = action["fields"].get("text", "")
        found.append(Latest(event.t, str(who), str(action.get("kind", "")), str(text or "")))
        if len(found) == LATEST:
            break
    return tuple(found)
