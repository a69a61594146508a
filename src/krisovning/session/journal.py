"""Recording a drill as it runs, and opening it again (docs/journal.md; replay: docs/architecture.md §4).

Every batch of delivered events — an engine step, or one action and what it caused —
is committed in one transaction before the caller shows it as done, chained to what came
before (session.chain); whatever opens a session again checks that chain first.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import json
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from krisovning.engine import ENGINE_VERSION, Action, ActionRefused, Drill, Event
from krisovning.engine.actions import ACTION_TYPES, decode_action
from krisovning.engine.policies import POLICIES, make_policy
from krisovning.i18n import t
from krisovning.scenario import Scenario, ScenarioError, load_scenario_bytes
from krisovning.session.chain import ALTERED, Chain, Check, Integrity, anchor, scenario_hash, seal
from krisovning.session.lock import PgSessionLock, SessionBusy, SessionLock, session_lock
from krisovning.session.store import FORMAT, JournalError, SessionInfo, SqliteStore, now_iso, open_store

TEAM = "team"  # a session played by people, not by a bot policy


def new_session_id() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


@dataclass
class Recorder:
    """Writes one session's journal; holds its lock while alive."""

    store: SqliteStore
    info: SessionInfo
    lock: SessionLock | PgSessionLock
    start: datetime
    chain: Chain  # where the session's chains end, as stored
    _world: dict[int, str] = field(default_factory=dict)

    @classmethod
    def begin(
        cls,
        db_path: Path | str,
        scenario: Scenario,
        scenario_text: str,
        scenario_file: str,
        seed: int,
        team: str,
        lang: str,
    ) -> Recorder:
        store = open_store(db_path, write=True, create=True)
        info = SessionInfo(
            id=new_session_id(),
            scenario_id=scenario.id,
            scenario_title=scenario.title,
            scenario_file=scenario_file,
            scenario_text=scenario_text,
            scenario_hash=scenario_hash(scenario_text),
            seed=seed,
            team=team,
            engine_version=ENGINE_VERSION,
            journal_format=FORMAT,
            lang=lang,
            started_at=now_iso(),
            ended_at=None,
            status="running",
            exercise_time=0.0,
        )
        info.anchor = anchor(info)
        chain = Chain.start(info.anchor)
        info.seal = seal(chain, info.exercise_time, info.status, info.ended_at)
        try:
            lock = _lock(db_path, info.id)
            try:
                store.create_session(info)
            except BaseException:
                lock.release()
                raise
        except BaseException:
            store.close()
            raise
        return cls(store, info, lock, scenario.start, chain)

    def world_time(self, t: float) -> str:
        second = int(t)
        cached = self._world.get(second)
        if cached is None:
            if len(self._world) > 4096:
                self._world.clear()
            cached = self._world[second] = (self.start + timedelta(seconds=second)).isoformat(timespec="seconds")
        return cached

    def record(
        self, events: list[Event], exercise_time: float, answers: Sequence[tuple[str, str, str, int]] = ()
    ) -> None:
        """Commit `events` and the clock (and the answers to the seat requests they carry out, session/relay.py);
        returns only once they are durable."""
        wall = now_iso("milliseconds")  # a seat's request delay is measured against it (report/seats.py)
        # The clock is kept exactly (the event's own JSON rounds it to milliseconds): replay acts at
        # the very moment the action was taken, after exactly the events that came before it.
        rows = [(e.seq, float(e.t), e.kind, self.world_time(e.t), wall, e.canonical()) for e in events]
        durable = any(e.kind == "action" for e in events)
        linked, after = self.chain.extended(rows)
        clock = float(exercise_time)
        sealed = seal(after, clock, self.info.status, self.info.ended_at)
        self.store.append(self.info.id, linked, clock, sealed, durable=durable, answers=answers)
        self.chain = after  # only once stored: a failed write is retried from the same place
        self.info.exercise_time, self.info.seal = clock, sealed

    def finish(self, status: str) -> None:
        """Set the status (`finished` also stamps the end)."""
        ended = now_iso() if status == "finished" else self.info.ended_at
        sealed = seal(self.chain, self.info.exercise_time, status, ended)
        self.store.set_status(self.info.id, status, ended, sealed)
        self.info.status, self.info.ended_at, self.info.seal = status, ended, sealed

    def checkpoint(self) -> None:
        self.store.checkpoint()

    def close(self) -> None:
        self.lock.release()
        self.store.close()


def find_session(store: SqliteStore, wanted: str | None, *, unfinished: bool = False) -> SessionInfo:
    """A session by id, unique prefix or `latest`; None means the latest one — with `unfinished`,
    the latest interrupted one (not one that another process is driving right now)."""
    sessions = store.sessions()
    if wanted in (None, "latest"):
        if not unfinished:
            if not sessions:
                raise JournalError("session.none", path=store.path)
            return sessions[0]
        open_ = [s for s in sessions if s.status != "finished"]
        candidates = [s for s in open_ if effective_status(store, s) == "interrupted"]
        if candidates:
            return candidates[0]
        if open_:
            raise JournalError("session.all_running", path=store.path, sessions=", ".join(s.id for s in open_[:3]))
        raise JournalError("session.none_unfinished", path=store.path)
    exact = [s for s in sessions if s.id == wanted]
    if exact:
        return exact[0]
    prefixed = [s for s in sessions if s.id.startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    ids = [s.id for s in sessions]
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.4) or [i for i in ids if wanted in i][:3] or ids[:3]
    raise JournalError("session.unknown", session=wanted, near=", ".join(close) or "-")


def effective_status(store: SqliteStore, info: SessionInfo) -> str:
    """`running` only while a live process holds the session; a dead driver left it interrupted."""
    if info.status == "running" and not session_lock(store.location, info.id).held_elsewhere():
        return "interrupted"
    return info.status


class ReplayMismatch(JournalError):
    pass


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Reading and replaying a journal makes ~10 objects per event that all stay alive, which sets
    off the cyclic collector again and again for nothing (a tenth of a big resume): it waits."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _lock(db_path: Path | str, session_id: str) -> SessionLock | PgSessionLock:
    try:
        return session_lock(db_path, session_id).acquire()
    except SessionBusy:
        raise JournalError("session.busy", session=session_id) from None
    except OSError as exc:  # the journal's folder is read-only, full, or gone
        raise JournalError(
            "journal.unwritable", errno=exc.errno, path=db_path, reason=exc.strerror or str(exc)
        ) from None


def _stored_action(info: SessionInfo, seq: int, body: str) -> Action:
    """The journal's action, read as its kind's struct (engine/actions.py); the engine takes its broad
    form. An unknown kind is left to the engine, which refuses it by name (session.refused_action)."""
    try:
        data = json.loads(body)["action"]
        if isinstance(data, dict) and data.get("kind") not in ACTION_TYPES:
            return Action.from_dict(data)
        return decode_action(data).to_action()
    except (ValueError, TypeError, KeyError):
        raise JournalError("session.bad_action", session=info.id, seq=seq) from None


def replay(info: SessionInfo, stored: list[tuple[int, float, str, str]]) -> tuple[Scenario, Drill, list[Event]]:
    """Rebuild the drill from the stored scenario text, seed and actions; verify it against the journal.

    `stored`: the journal's (seq, t, kind, body) rows. Returns the scenario, the drill at the
    journal's clock, and every event the replay produced: the journal's, then those delivered
    but not committed when the process died.
    """
    try:
        scenario = load_scenario_bytes(info.scenario_text.encode("utf-8", "surrogatepass"), info.scenario_file)
    except ScenarioError as exc:
        raise JournalError("session.bad_scenario", session=info.id, problem=str(exc.problems[0])) from None
    bot = info.team in POLICIES
    drill = Drill(scenario, seed=info.seed, policy=make_policy(info.team) if bot else None)
    produced: list[Event] = []
    if not bot:
        for seq, at, kind, body in stored:
            if kind == "action":
                action = _stored_action(info, seq, body)
                drill.advance(at)
                produced += drill.drain()
                try:
                    drill.act(action)
                except ActionRefused as exc:  # the journal says it was taken: this engine disagrees
                    raise ReplayMismatch(
                        "session.refused_action", session=info.id, seq=seq, reason=t(exc.key, **exc.fields)
                    ) from None
                produced += drill.drain()
    drill.advance(info.exercise_time)
    produced += drill.drain()
    for index, row in enumerate(stored):
        if index >= len(produced) or produced[index].canonical() != row[3]:
            got = produced[index].canonical() if index < len(produced) else "—"
            raise ReplayMismatch(
                "session.mismatch",
                seq=row[0],
                expected=row[3][:160],
                got=got[:160],
                journal_version=info.engine_version,
                version=ENGINE_VERSION,
            )
    return scenario, drill, produced


def open_for_resume(db_path: Path | str, wanted: str | None, *, with_history: bool = False):
    """Lock an unfinished session, check its chain, replay and verify it, and journal what the crash lost.

    Returns (recorder, scenario, drill), plus every event so far when `with_history`.
    """
    store = open_store(db_path, write=True)
    try:
        info = find_session(store, wanted, unfinished=True)
        lock = _lock(db_path, info.id)
    except BaseException:
        store.close()
        raise
    try:
        with _no_cyclic_gc():
            check = Check(info, store.format)
            stored = [(row[0], row[1], row[2], row[5]) for row in check.entries(store.linked_entries(info.id))]
            for _ in check.notes(store.linked_notes(info.id)):
                pass
            _refuse_altered(store, info, check.finish(), "journal.altered_resume")  # before trusting its status
            if info.status == "finished":
                raise JournalError("session.finished", session=info.id)
            scenario, drill, produced = replay(info, stored)
        recorder = Recorder(store, info, lock, scenario.start, check.chain())
        recorder.record(produced[len(stored) :], drill.now)
        recorder.finish("running")
    except BaseException:
        lock.release()
        store.close()
        raise
    if with_history:
        return recorder, scenario, drill, produced
    return recorder, scenario, drill


def _refuse_altered(store: SqliteStore, info: SessionInfo, integrity: Integrity, key: str) -> None:
    if integrity.state == ALTERED:
        messages = integrity.messages()
        raise JournalError(key, path=store.path, session=info.id, problem=messages[0], n=len(messages))


def _check(store: SqliteStore, info: SessionInfo) -> Check:
    check = Check(info, store.format)
    for _ in check.entries(store.linked_entries(info.id)):
        pass
    for _ in check.notes(store.linked_notes(info.id)):
        pass
    return check


def check_session(store: SqliteStore, info: SessionInfo) -> Integrity:
    """Whether the session's journal is as it was recorded (reads every row)."""
    return _check(store, info).finish()


def add_notes(
    db_path: Path | str, store: SqliteStore, info: SessionInfo, notes: list[tuple[str, dict[str, str]]]
) -> None:
    """Add hot-wash notes (kind, fields) to a session that no process is driving, each chained on."""
    lock = _lock(db_path, info.id)  # the driver's recorder seals what it knows: no notes behind its back
    try:
        check = _check(store, info)
        _refuse_altered(store, info, check.finish(), "journal.altered_notes")
        state = check.chain()
        for kind, body in notes:
            text, created = json.dumps(body, ensure_ascii=False), now_iso()
            link, after = state.with_note(kind, text, created)
            sealed = seal(after, info.exercise_time, info.status, info.ended_at)
            store.add_note(info.id, (kind, text, created, link), sealed)
            state, info.seal = after, sealed
    finally:
        lock.release()
