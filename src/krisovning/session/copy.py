"""Copying a session to another journal — a laptop's SQLite file to the county's PostgreSQL, or back.

Rows are copied as stored, links and seal included: the chain is checked before (an altered
session is not copied) and again in the target, so the copy is the record, not a rewrite of it.
A copy that fails half-way is removed from the target again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from krisovning.session.chain import ALTERED
from krisovning.session.group import group_of, join
from krisovning.session.journal import check_session, effective_status
from krisovning.session.store import FORMAT, JournalError, SessionInfo, SqliteStore, open_store

BATCH = 5000  # entries per transaction in the target
_TABLES = ("entries", "notes", "group_members")  # a session's own rows besides its row in `sessions` (a
# target is always of this format: opened to be written, it is upgraded)


def copy_session(source: SqliteStore, info: SessionInfo, target: Path | str) -> int:
    """Copy `info`'s session from `source` to the journal at `target` (made when there is none);
    returns how many entries were copied. Raises JournalError when it cannot, the target unchanged."""
    if source.format < FORMAT:  # links are computed when a writer upgrades the journal
        raise JournalError("copy.old_format", path=source.path, session=info.id)
    if effective_status(source, info) == "running":
        raise JournalError("copy.running", session=info.id)
    integrity = check_session(source, info)
    if integrity.state == ALTERED:
        raise JournalError("copy.altered", session=info.id, problem=integrity.messages()[0])
    store = open_store(target, write=True, create=True)
    try:
        if store.session(info.id) is not None:
            raise JournalError("copy.exists", session=info.id, path=store.path)
        count = _copy(source, info, store, integrity.state)
    finally:
        store.close()
    return count


def _copy(source: SqliteStore, info: SessionInfo, store: SqliteStore, state: str) -> int:
    """The rows as stored; then the target's chain must check as the source's did."""
    seal = info.seal or b""
    store.create_session(info)
    count = 0
    try:
        batch = []
        for row in source.linked_entries(info.id):
            batch.append(row)
            if len(batch) == BATCH:
                store.append(info.id, batch, info.exercise_time, seal)
                count, batch = count + len(batch), []
        store.append(info.id, batch, info.exercise_time, seal, durable=True)
        count += len(batch)
        for note in source.linked_notes(info.id):
            store.add_note(info.id, note, seal)
        membership = group_of(source, info.id)
        if membership is not None:  # a municipality's drill archived centrally stays in its county's group
            name, member = membership
            join(store, info.id, name, member.label, member.joined)
        copied = store.session(info.id)
        if copied is None or check_session(store, copied).state != state:
            raise JournalError("copy.not_verified", session=info.id, path=store.path)
    except BaseException:
        _remove(store, info.id)
        raise
    return count


def _remove(store: SqliteStore, session_id: str) -> None:
    """Take a half-made copy out of the target again (its own rows only)."""
    with contextlib.suppress(JournalError):  # the target cannot be written at all: the first fault is said
        store._write(
            [(f"DELETE FROM {table} WHERE session_id = ?", (session_id,)) for table in _TABLES]
            + [("DELETE FROM sessions WHERE id = ?", (session_id,))],
            durable=True,
        )
