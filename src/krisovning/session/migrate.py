"""Upgrading a journal to the current format, one format at a time, each step in one transaction
with a copy of the old file kept beside it (FILE.formatN.bak). Only a writer upgrades: a read
takes the file as it is (store.READABLE)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from krisovning.session import chain
from krisovning.session.store import (
    _DAMAGED,
    FORMAT,
    GROUP_SCHEMA,
    JournalError,
    SessionInfo,
    _format_number,
    keep_copy,
    now_iso,
)


def migrate(db: sqlite3.Connection, path: Path) -> None:
    version = _format_number(dict(db.execute("SELECT key, value FROM meta").fetchall()).get("format", FORMAT), path)
    if version >= FORMAT:
        return
    backup = path.with_name(f"{path.name}.format{version}.bak")
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        keep_copy(path, backup)  # explicit: the old file is kept before anything changes
        while version < FORMAT:
            db.execute("BEGIN IMMEDIATE")
            MIGRATIONS[version](db)
            version += 1
            db.execute("UPDATE meta SET value = ? WHERE key = 'format'", (str(version),))
            db.execute("COMMIT")
    except (OSError, *_DAMAGED) as exc:
        if db.in_transaction:
            with contextlib.suppress(*_DAMAGED):
                db.execute("ROLLBACK")
        db.close()
        raise JournalError(
            "journal.upgrade_failed", path=path, reason=getattr(exc, "strerror", None) or str(exc)
        ) from None


def _chain_format_1(db: sqlite3.Connection) -> None:
    """Format 1 → 2: links and seals for what the journal holds now. Edits made before this moment
    cannot be told apart from what was recorded: `chained_since` says from when the chain holds."""
    for column in ("chained_since TEXT", "anchor BLOB", "seal BLOB"):
        db.execute(f"ALTER TABLE sessions ADD COLUMN {column}")
    db.execute("ALTER TABLE entries ADD COLUMN link BLOB")
    db.execute("ALTER TABLE notes ADD COLUMN link BLOB")
    link_all(db, since=now_iso())


def link_all(db: sqlite3.Connection, since: str | None = None) -> None:
    """Compute every link and seal from what the journal holds (`since`: set as `chained_since`)."""
    names = [d[1] for d in db.execute("PRAGMA table_info(sessions)")]
    for row in db.execute("SELECT * FROM sessions").fetchall():
        data = dict(zip(names, row, strict=True))
        if since is not None:
            data["chained_since"] = since
        data.pop("anchor", None), data.pop("seal", None)
        try:
            info = SessionInfo(**data)
            state = chain.Chain.start(chain.anchor(info))
            for seq, *rest in db.execute(
                "SELECT seq, t, kind, world_time, wall_time, body FROM entries WHERE session_id = ? ORDER BY seq",
                (info.id,),
            ).fetchall():
                linked, state = state.extended([(seq, *rest)])
                db.execute("UPDATE entries SET link = ? WHERE session_id = ? AND seq = ?", (linked[0][6], info.id, seq))
            for note_id, kind, body, created_at in db.execute(
                "SELECT id, kind, body, created_at FROM notes WHERE session_id = ? ORDER BY id", (info.id,)
            ).fetchall():
                link, state = state.with_note(kind, body, created_at)
                db.execute("UPDATE notes SET link = ? WHERE id = ?", (link, note_id))
            seal = chain.seal(state, info.exercise_time, info.status, info.ended_at)
            db.execute(
                "UPDATE sessions SET chained_since = ?, anchor = ?, seal = ? WHERE id = ?",
                (info.chained_since, state.anchor, seal, info.id),
            )
        except (TypeError, ValueError, AttributeError, KeyError):
            continue  # a row of the wrong shape is left without links: the check reports it, the read names it


def _groups_format_2(db: sqlite3.Connection) -> None:
    """Format 2 → 3: the table of session groups (session/group.py), empty: no session was in one."""
    for statement in GROUP_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


# from-format → function(connection) bringing it one format up, inside one transaction
MIGRATIONS: dict[int, Any] = {1: _chain_format_1, 2: _groups_format_2}
