"""The journal's storage: SQLite (WAL), one committed transaction per batch.

Durability follows what can be rebuilt: a batch holding a team or facilitator action is
committed with synchronous=FULL (it survives a power cut), a batch of delivered events
only with NORMAL (it survives a killed process; after a power cut the lost tail is
re-derived by deterministic replay on resume, and verified against what was kept).

All SQL lives here, behind a small interface (`SqliteStore`), so another database
(PostgreSQL for regional exercises, DESIGN §11) can stand in. A file that is not a
krisovning journal is never written to: it is inspected read-only first.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

APP = "krisovning"
FORMAT = 1  # the journal format; bump with a migration in MIGRATIONS

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    scenario_title TEXT NOT NULL,
    scenario_file TEXT NOT NULL,
    scenario_text TEXT NOT NULL,
    scenario_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    team TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    journal_format INTEGER NOT NULL,
    lang TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,
    exercise_time REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS entries (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    t REAL NOT NULL,
    kind TEXT NOT NULL,
    world_time TEXT NOT NULL,
    wall_time TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

# from-format → function(connection) bringing it one format up. Empty while FORMAT is 1.
MIGRATIONS: dict[int, Any] = {}


class JournalError(Exception):
    """A journal that cannot be used; `key` and `fields` name a translatable message."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


@dataclass
class SessionInfo:
    id: str
    scenario_id: str
    scenario_title: str
    scenario_file: str
    scenario_text: str
    scenario_hash: str
    seed: int
    team: str
    engine_version: str
    journal_format: int
    lang: str
    started_at: str
    ended_at: str | None
    status: str
    exercise_time: float

    def public(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("scenario_text")
        return out


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


class SqliteStore:
    def __init__(self, connection: sqlite3.Connection, path: Path, writable: bool) -> None:
        self.db = connection
        self.path = path
        self.writable = writable

    @classmethod
    def open(cls, path: str | Path, *, write: bool) -> SqliteStore:
        path = Path(path)
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not write:
            raise JournalError("journal.missing", path=path)
        if path.exists() and not path.is_file():
            raise JournalError("journal.not_a_file", path=path)
        if exists:
            _inspect(path)  # read-only: a foreign or newer file is refused before any write
        if write:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, isolation_level=None, timeout=10)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("PRAGMA wal_autocheckpoint=10000")  # ~40 MB: fewer checkpoint fsyncs in a busy drill
                db.executescript(SCHEMA)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('app', ?), ('format', ?)", (APP, str(FORMAT)))
            except sqlite3.OperationalError as exc:
                raise JournalError("journal.unwritable", path=path, reason=str(exc)) from None
            except sqlite3.DatabaseError as exc:
                raise JournalError("journal.corrupt", path=path, reason=str(exc)) from None
            _migrate(db, path)
        else:
            db = _connect_ro(path)
        return cls(db, path, write)

    def close(self) -> None:
        if self.writable:
            try:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # leave one tidy file behind
            except sqlite3.DatabaseError:
                pass
        self.db.close()

    def _run(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise JournalError("journal.io", path=self.path, reason=str(exc)) from None
        except sqlite3.DatabaseError as exc:
            raise JournalError("journal.corrupt", path=self.path, reason=str(exc)) from None

    # --- sessions ---

    def create_session(self, info: SessionInfo) -> None:
        row = asdict(info)
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self._run(f"INSERT INTO sessions ({names}) VALUES ({marks})", tuple(row.values()))

    def sessions(self) -> list[SessionInfo]:
        cursor = self._run("SELECT * FROM sessions ORDER BY rowid DESC")  # newest first, even within a second
        names = [d[0] for d in cursor.description]
        return [SessionInfo(**dict(zip(names, row))) for row in cursor.fetchall()]

    def session_ids(self) -> list[str]:
        return [row[0] for row in self._run("SELECT id FROM sessions ORDER BY rowid DESC").fetchall()]

    def session(self, session_id: str) -> SessionInfo | None:
        cursor = self._run("SELECT * FROM sessions WHERE id = ?", (session_id,))
        row = cursor.fetchone()
        return SessionInfo(**dict(zip([d[0] for d in cursor.description], row))) if row else None

    def set_status(self, session_id: str, status: str, ended_at: str | None = None) -> None:
        self._run("UPDATE sessions SET status = ?, ended_at = COALESCE(?, ended_at) WHERE id = ?",
                  (status, ended_at, session_id))

    # --- entries ---

    def append(self, session_id: str, rows: list[tuple[int, float, str, str, str, str]], exercise_time: float,
               *, durable: bool = False) -> None:
        """Rows (seq, t, kind, world_time, wall_time, body) and the clock, in one transaction.

        `durable`: fsync before returning (for actions; see the module's note).
        """
        try:
            if durable:
                self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("BEGIN IMMEDIATE")
            if rows:
                self.db.executemany(
                    "INSERT INTO entries (session_id, seq, t, kind, world_time, wall_time, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(session_id, *row) for row in rows],
                )
            self.db.execute("UPDATE sessions SET exercise_time = ? WHERE id = ?", (exercise_time, session_id))
            self.db.execute("COMMIT")
            if durable:
                self.db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise JournalError("journal.io", path=self.path, reason=str(exc)) from None

    def entries(self, session_id: str) -> Iterator[tuple[int, float, str, str, str, str]]:
        cursor = self._run(
            "SELECT seq, t, kind, world_time, wall_time, body FROM entries WHERE session_id = ? ORDER BY seq",
            (session_id,),
        )
        while True:
            try:
                batch = cursor.fetchmany(5000)
            except sqlite3.DatabaseError as exc:
                raise JournalError("journal.corrupt", path=self.path, reason=str(exc)) from None
            if not batch:
                return
            yield from batch

    # --- facilitator notes (hot wash) ---

    def add_note(self, session_id: str, kind: str, body: dict[str, Any]) -> None:
        self._run("INSERT INTO notes (session_id, kind, body, created_at) VALUES (?, ?, ?, ?)",
                  (session_id, kind, json.dumps(body, ensure_ascii=False), now_iso()))

    def notes(self, session_id: str) -> list[tuple[str, dict[str, Any]]]:
        rows = self._run("SELECT kind, body FROM notes WHERE session_id = ? ORDER BY id", (session_id,)).fetchall()
        return [(kind, json.loads(body)) for kind, body in rows]


def _connect_ro(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.DatabaseError as exc:
        raise JournalError("journal.unreadable", path=path, reason=str(exc)) from None


def _inspect(path: Path) -> None:
    """Refuse a file that is not a krisovning journal, or is from a newer format — without writing."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise JournalError("journal.unreadable", path=path, reason=exc.strerror or str(exc)) from None
    if header != b"SQLite format 3\x00":
        raise JournalError("journal.foreign", path=path)
    db = _connect_ro(path)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            raise JournalError("journal.foreign", path=path)
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise JournalError("journal.corrupt", path=path, reason=str(exc)) from None
    finally:
        db.close()
    if meta.get("app") != APP:
        raise JournalError("journal.foreign", path=path)
    version = int(meta.get("format", "0"))
    if version > FORMAT:
        raise JournalError("journal.newer", path=path, found=version, supported=FORMAT)
    if version < FORMAT and version not in MIGRATIONS:
        raise JournalError("journal.older", path=path, found=version, supported=FORMAT)


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    version = int(dict(db.execute("SELECT key, value FROM meta").fetchall()).get("format", FORMAT))
    if version >= FORMAT:
        return
    backup = path.with_name(f"{path.name}.format{version}.bak")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy2(path, backup)  # explicit: the old file is kept before anything changes
    while version < FORMAT:
        MIGRATIONS[version](db)
        version += 1
        db.execute("UPDATE meta SET value = ? WHERE key = 'format'", (str(version),))
