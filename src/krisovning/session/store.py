"""The journal's storage: SQLite (WAL), one committed transaction per batch.

Durability follows what can be rebuilt: a batch holding a team or facilitator action is
committed with synchronous=FULL (it survives a power cut), a batch of delivered events
only with NORMAL (it survives a killed process; after a power cut the lost tail is
re-derived by deterministic replay on resume, and verified against what was kept).

All SQL lives here, behind a small interface (`SqliteStore`); session/store_pg.py runs the same
queries on PostgreSQL, and `open_store` picks the backend from the location. A file that is not a krisovning journal
is never written to: it is inspected read-only first. Rows are stored with the links and
the seal that session.chain computes (format 2); a format-1 journal is read as it is, and
upgraded (chain computed from then on, a copy of the old file kept) when it is written to.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from krisovning.session import chain

APP = "krisovning"
WAL_KEPT = 512 * 1024  # bytes of write-ahead log left on disk after a checkpoint
FORMAT = 3  # the journal format; bump with a migration in session/migrate.py
READABLE = (1, 2, 3)  # formats read as they are (a read never upgrades a file)

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
    exercise_time REAL NOT NULL DEFAULT 0,
    chained_since TEXT,
    anchor BLOB,
    seal BLOB
);
CREATE TABLE IF NOT EXISTS entries (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    t REAL NOT NULL,
    kind TEXT NOT NULL,
    world_time TEXT NOT NULL,
    wall_time TEXT NOT NULL,
    body TEXT NOT NULL,
    link BLOB,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    seat TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    answer TEXT,
    answered_at TEXT
);
CREATE INDEX IF NOT EXISTS requests_open ON requests (session_id, status);
CREATE TABLE IF NOT EXISTS seats (
    session_id TEXT NOT NULL,
    seat TEXT NOT NULL,
    token TEXT NOT NULL,
    seen_at REAL,
    pid INTEGER,
    PRIMARY KEY (session_id, seat)
);
CREATE TABLE IF NOT EXISTS hosts (
    session_id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    beat REAL NOT NULL,
    state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    link BLOB
);
"""
# Format 3: the group a session drills in (session/group.py); not part of the chain, like the relay's tables.
GROUP_SCHEMA = """
CREATE TABLE IF NOT EXISTS group_members (
    session_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    joined_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS group_members_name ON group_members (name);
"""

# What each stored value must be; a row that says otherwise is damage, reported as such.
_TEXT, _OPTIONAL_TEXT, _INT, _REAL, _ANY = "text", "optional text", "int", "real", "any"
_SESSION_COLUMNS = {
    "id": _TEXT,
    "scenario_id": _TEXT,
    "scenario_title": _TEXT,
    "scenario_file": _TEXT,
    "scenario_text": _TEXT,
    "scenario_hash": _TEXT,
    "seed": _INT,
    "team": _TEXT,
    "engine_version": _TEXT,
    "journal_format": _INT,
    "lang": _TEXT,
    "started_at": _TEXT,
    "ended_at": _OPTIONAL_TEXT,
    "status": _TEXT,
    "exercise_time": _REAL,
    "chained_since": _OPTIONAL_TEXT,
    "anchor": _ANY,
    "seal": _ANY,  # a link of the wrong type is a broken chain
}
_CHAIN_COLUMNS = ("chained_since", "anchor", "seal")  # format 2
_ENTRY_COLUMNS = (
    ("seq", _INT),
    ("t", _REAL),
    ("kind", _TEXT),
    ("world_time", _TEXT),
    ("wall_time", _TEXT),
    ("body", _TEXT),
)
_LINKED_COLUMNS = (*_ENTRY_COLUMNS, ("link", _ANY))
# A damaged file can make SQLite report text that is not UTF-8 (in a row, or in its own message).
_DAMAGED = (sqlite3.DatabaseError, UnicodeDecodeError)
SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # also names the lock file beside the journal


class JournalError(Exception):
    """A journal that cannot be used; `key` and `fields` name a translatable message.

    For a failed read or write, `fields` hold `path` and `reason` (the operating system's words
    where it gave any) and `errno` the error number when known (ENOSPC for a full disk).
    """

    def __init__(self, key: str, errno: int | None = None, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields
        self.errno = errno


def io_error(exc: BaseException, path: Path) -> JournalError:
    """A failed read or write of the journal at `path`, said as the operating system would."""
    if isinstance(exc, OSError):
        code = exc.errno
        reason = exc.strerror or str(exc)
    else:  # sqlite3 names the condition, not the system call's errno
        name = getattr(exc, "sqlite_errorname", "") or ""
        code = errno.ENOSPC if name == "SQLITE_FULL" else errno.EIO if name.startswith("SQLITE_IOERR") else None
        reason = os.strerror(code) if code is not None else str(exc)
    if code == errno.ENOSPC:
        return JournalError("journal.full", errno=code, path=path, folder=path.parent, reason=reason)
    return JournalError("journal.io", errno=code, path=path, reason=reason)


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
    chained_since: str | None = None  # upgraded from format 1 then: the chain holds from that time
    anchor: bytes | None = None  # session.chain
    seal: bytes | None = None

    def public(self) -> dict[str, Any]:
        out = asdict(self)
        for private in ("scenario_text", "anchor", "seal"):
            out.pop(private)
        return out


def now_iso(timespec: str = "seconds") -> str:
    """Local wall time with its offset; `milliseconds` where a delay is measured from it (an entry, a request)."""
    return datetime.now(UTC).astimezone().isoformat(timespec=timespec)


class SqliteStore:
    NOTIFIES = False  # a file cannot wake its readers: they look (PostgreSQL: LISTEN/NOTIFY, store_pg.py)

    def __init__(
        self, connection: sqlite3.Connection, path: Path, writable: bool, journal_format: int = FORMAT
    ) -> None:
        self.db = connection
        self.path = path
        self.location: Path | str = path  # what to open again (a lock, another connection): session/backend
        self.writable = writable
        self.format = journal_format

    @classmethod
    def open(cls, path: str | Path, *, write: bool, create: bool = False) -> SqliteStore:
        """`create`: start a new journal when there is none (only commands that record a new drill)."""
        path = Path(path)
        try:
            exists = path.exists()
            if exists and not path.is_file():
                raise JournalError("journal.not_a_file", path=path)
            empty = exists and path.stat().st_size == 0
        except OSError as exc:
            raise JournalError("journal.unreadable", path=path, reason=exc.strerror or str(exc)) from None
        if empty:  # not a journal, whoever made it: adopting it would hide a mistyped path
            raise JournalError("journal.empty", path=path)
        if not exists and not (write and create):
            raise JournalError("journal.missing", path=path)
        version = _inspect(path) if exists else FORMAT  # read-only: a foreign or newer file is refused before any write
        if write:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise JournalError("journal.unwritable", path=path, reason=exc.strerror or str(exc)) from None
            try:
                db = sqlite3.connect(path, isolation_level=None, timeout=10)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                # A burst's bound; a live drill also checkpoints on its own every minute or so
                # (`checkpoint`), and after one the log file is cut back to a small size.
                db.execute("PRAGMA wal_autocheckpoint=10000")
                db.execute(f"PRAGMA journal_size_limit={WAL_KEPT}")
                db.executescript(SCHEMA)
                if not exists:  # an older file gets it from its migration (session/migrate.py)
                    db.executescript(GROUP_SCHEMA)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('app', ?), ('format', ?)", (APP, str(FORMAT)))
            except sqlite3.OperationalError as exc:
                name = getattr(exc, "sqlite_errorname", "") or ""
                if name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR"):
                    raise io_error(exc, path) from None
                raise JournalError("journal.unwritable", path=path, reason=str(exc)) from None
            except _DAMAGED as exc:
                raise JournalError("journal.corrupt", path=path, reason=str(exc)) from None
            from krisovning.session.migrate import migrate  # only a writer upgrades

            migrate(db, path)
            version = FORMAT
        else:
            db = _connect_ro(path)
            # One read transaction for the store's life: every read sees the same moment, so a chain
            # and its seal are never read half before and half after a live drill's commit.
            try:
                db.execute("BEGIN")
            except _DAMAGED as exc:
                db.close()
                raise JournalError("journal.unreadable", path=path, reason=str(exc)) from None
        return cls(db, path, write, version)

    def close(self, *, tidy: bool = True) -> None:
        """`tidy`: fold the write-ahead log back into the file (the one that drives the drill does)."""
        if self.writable and tidy:
            with contextlib.suppress(*_DAMAGED):
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # leave one tidy file behind
        self.db.close()

    def listener(self, session_id: str, *, requests: bool = False) -> Any:
        """What wakes a reader when the session's journal grows (with `requests`: a host when a seat asks
        something): none for a file (readers look)."""
        return None

    def notify(self, session_id: str, *, requests: bool = False) -> None:
        """Wake the session's listeners (a relay answer; with `requests`: its host); a file has none."""

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the journal without waiting for anyone (a live drill's
        clock writes would otherwise grow the log to the autocheckpoint's tens of megabytes)."""
        self._run("PRAGMA wal_checkpoint(PASSIVE)")

    def _run(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise io_error(exc, self.path) from None
        except _DAMAGED as exc:
            raise JournalError("journal.corrupt", path=self.path, reason=str(exc)) from None

    def _rows(self, sql: str, params: Any = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and every row; reading a damaged page fails here, not in the caller."""
        cursor = self._run(sql, params)
        try:
            return [d[0] for d in cursor.description], cursor.fetchall()
        except sqlite3.OperationalError as exc:  # e.g. text that is not UTF-8
            raise io_error(exc, self.path) from None
        except _DAMAGED as exc:
            raise JournalError("journal.corrupt", path=self.path, reason=str(exc)) from None

    def _bad(self, table: str, column: str, value: Any) -> JournalError:
        shown = repr(value)
        return JournalError(
            "journal.bad_value",
            path=self.path,
            table=table,
            column=column,
            value=shown if len(shown) <= 60 else shown[:59] + "…",
        )

    def _session(self, names: list[str], row: tuple[Any, ...]) -> SessionInfo:
        data = dict(zip(names, row, strict=True))
        expected = set(_SESSION_COLUMNS) - (set() if self.format >= 2 else set(_CHAIN_COLUMNS))
        for column in expected ^ set(data):
            raise self._bad("sessions", column, data.get(column))
        for column in expected:
            if not _fits(data[column], _SESSION_COLUMNS[column]):
                raise self._bad("sessions", column, data[column])
        if not SESSION_ID.match(data["id"]):
            raise self._bad("sessions", "id", data["id"])
        data["exercise_time"] = float(data["exercise_time"])
        return SessionInfo(**data)

    # --- sessions ---

    def create_session(self, info: SessionInfo) -> None:
        row = asdict(info)
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self._run(f"INSERT INTO sessions ({names}) VALUES ({marks})", tuple(row.values()))

    def sessions(self) -> list[SessionInfo]:
        names, rows = self._rows("SELECT * FROM sessions ORDER BY rowid DESC")  # newest first, even within a second
        return [self._session(names, row) for row in rows]

    def session_ids(self) -> list[str]:
        return [info.id for info in self.sessions()]

    def session(self, session_id: str) -> SessionInfo | None:
        names, rows = self._rows("SELECT * FROM sessions WHERE id = ?", (session_id,))
        return self._session(names, rows[0]) if rows else None

    def set_status(self, session_id: str, status: str, ended_at: str | None, seal: bytes) -> None:
        self._write(
            [
                (
                    "UPDATE sessions SET status = ?, ended_at = ?, seal = ? WHERE id = ?",
                    (status, ended_at, seal, session_id),
                )
            ]
        )

    def _write(self, statements: list[tuple[str, Any]], *, durable: bool = False) -> None:
        """The statements in one transaction; `durable`: fsync before returning (see the module's note)."""
        try:
            if durable:
                self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                if isinstance(params, list):
                    self.db.executemany(sql, params)
                else:
                    self.db.execute(sql, params)
            self.db.execute("COMMIT")
        except _DAMAGED as exc:
            if self.db.in_transaction:
                with contextlib.suppress(*_DAMAGED):
                    self.db.execute("ROLLBACK")
            raise io_error(exc, self.path) from None
        finally:  # once committed, nothing here may say the write failed (the caller would write it again)
            if durable:
                with contextlib.suppress(*_DAMAGED):
                    self.db.execute("PRAGMA synchronous=NORMAL")

    # --- entries ---

    def append(
        self,
        session_id: str,
        rows: list[chain.LinkedEntry],
        exercise_time: float,
        seal: bytes,
        *,
        durable: bool = False,
        answers: Sequence[tuple[str, str, str, int]] = (),
    ) -> None:
        """Rows (seq, t, kind, world_time, wall_time, body, link), the clock and the seal, in one transaction;
        with the answers (status, answer, answered_at, request id) to the seat requests these rows carry out,
        so that a seat is never told "taken" for an action the journal lacks, nor the reverse."""
        statements: list[tuple[str, Any]] = []
        if answers:
            statements.append(
                ("UPDATE requests SET status = ?, answer = ?, answered_at = ? WHERE id = ?", list(answers))
            )
        if rows:
            statements.append(
                (
                    "INSERT INTO entries (session_id, seq, t, kind, world_time, wall_time, body, link) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(session_id, *row) for row in rows],
                )
            )
        statements.append(
            ("UPDATE sessions SET exercise_time = ?, seal = ? WHERE id = ?", (exercise_time, seal, session_id))
        )
        self._write(statements, durable=durable)

    def entries(self, session_id: str) -> Iterator[tuple[int, float, str, str, str, str]]:
        """Every entry: (seq, t, kind, world_time, wall_time, body), in order."""
        return self._entries(session_id, _ENTRY_COLUMNS)

    def entries_after(self, session_id: str, seq: int) -> list[tuple[int, float, str, str]]:
        """(seq, t, kind, body) of the entries after `seq`, in order: what a seat following the host reads."""
        _, rows = self._rows(
            "SELECT seq, t, kind, body FROM entries WHERE session_id = ? AND seq > ? ORDER BY seq", (session_id, seq)
        )
        return rows

    def linked_entries(self, session_id: str) -> Iterator[chain.LinkedEntry]:
        """Every entry with its stored link (None before format 2), in order: what a check reads."""
        return self._entries(session_id, _LINKED_COLUMNS)

    def _entries(self, session_id: str, columns: tuple[tuple[str, str], ...]) -> Iterator[tuple[Any, ...]]:
        names = ", ".join(name if name != "link" or self.format >= 2 else "NULL" for name, _ in columns)
        cursor = self._run(f"SELECT {names} FROM entries WHERE session_id = ? ORDER BY seq", (session_id,))
        # the shape SQLite gives for what the recorder wrote, checked in one go (a resume reads every
        # entry); anything else is looked at column by column
        shape = tuple(
            int if kind == _INT else float if kind == _REAL else bytes if kind == _ANY else str for _, kind in columns
        )
        while True:
            try:
                batch = cursor.fetchmany(5000)
            except sqlite3.OperationalError as exc:
                raise io_error(exc, self.path) from None
            except _DAMAGED as exc:
                raise JournalError("journal.corrupt", path=self.path, reason=str(exc)) from None
            if not batch:
                return
            for row in batch:
                if tuple(map(type, row)) == shape and -math.inf < row[1] < math.inf:
                    continue
                for value, (column, kind) in zip(row, columns, strict=True):
                    if not _fits(value, kind):
                        raise self._bad("entries", column, value)
            yield from batch

    # --- facilitator notes (hot wash) ---

    def add_note(self, session_id: str, note: chain.LinkedNote, seal: bytes) -> None:
        """A note (kind, body as JSON text, created_at, link) and the session's new seal, in one transaction."""
        self._write(
            [
                (
                    "INSERT INTO notes (session_id, kind, body, created_at, link) VALUES (?, ?, ?, ?, ?)",
                    (session_id, *note),
                ),
                ("UPDATE sessions SET seal = ? WHERE id = ?", (seal, session_id)),
            ]
        )

    def linked_notes(self, session_id: str) -> list[chain.LinkedNote]:
        """(kind, body, created_at, link) of each note as stored, in order: what a check reads."""
        link = "link" if self.format >= 2 else "NULL"
        _, rows = self._rows(
            f"SELECT kind, body, created_at, {link} FROM notes WHERE session_id = ? ORDER BY id", (session_id,)
        )
        for kind, body, created_at, _link in rows:
            for column, value in (("kind", kind), ("body", body), ("created_at", created_at)):
                if not isinstance(value, str):
                    raise self._bad("notes", column, value)
        return rows

    def notes(self, session_id: str) -> list[tuple[str, dict[str, str]]]:
        """(kind, body) of each note; a body is an object of texts, with `text` for a strength or improvement."""
        _, rows = self._rows("SELECT kind, body FROM notes WHERE session_id = ? ORDER BY id", (session_id,))
        notes = []
        for kind, body in rows:
            try:
                data = json.loads(body) if isinstance(body, str) else None
            except ValueError:
                data = None
            if (
                not isinstance(kind, str)
                or not isinstance(data, dict)
                or not all(isinstance(v, str) for v in data.values())
                or (kind in ("strength", "improvement") and "text" not in data)
            ):
                raise self._bad("notes", "body", body)
            notes.append((kind, data))
        return notes


def _fits(value: Any, kind: str) -> bool:
    if kind == _TEXT:
        return isinstance(value, str)
    if kind == _OPTIONAL_TEXT:
        return value is None or isinstance(value, str)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _ANY:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _format_number(value: Any, path: Path) -> int:
    """meta's `format`: a whole number, written as text."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,9}", value.strip()):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9:
        return value
    shown = repr(value)
    raise JournalError("journal.bad_format", path=path, found=shown if len(shown) <= 40 else shown[:39] + "…")


def _connect_ro(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except _DAMAGED as exc:
        raise JournalError("journal.unreadable", path=path, reason=str(exc)) from None


def _inspect(path: Path) -> int:
    """Refuse a file that is not a krisovning journal, or is from a newer format — without writing.
    Returns its format."""
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
    except _DAMAGED as exc:
        raise JournalError("journal.corrupt", path=path, reason=str(exc)) from None
    finally:
        db.close()
    if meta.get("app") != APP:
        raise JournalError("journal.foreign", path=path)
    version = _format_number(meta.get("format", "0"), path)
    if version > FORMAT:
        raise JournalError("journal.newer", path=path, found=version, supported=FORMAT)
    if version not in READABLE:
        raise JournalError("journal.older", path=path, found=version, supported=FORMAT)
    return version


PG_SCHEMES = ("postgresql", "postgres")


def is_address(location: object) -> bool:
    """A `postgresql://…` address (a Path never is one: it folds the `//`)."""
    return isinstance(location, str) and "://" in location and location.split("://", 1)[0].lower() in PG_SCHEMES


def shown(address: str) -> str:
    """A database address as messages name it: no password, no query (it may carry one too)."""
    parts = urlsplit(address)
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a number: not repeated either
        port = ""
    netloc = (f"{parts.username}@" if parts.username else "") + (parts.hostname or "") + port
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def open_store(location: Path | str, *, write: bool, create: bool = False) -> SqliteStore:
    """The journal at `location`: a `postgresql://` address (session/store_pg.py), else a SQLite file."""
    if is_address(location):
        try:
            from krisovning.session.store_pg import PgStore  # psycopg is imported only for an address
        except ImportError:
            raise JournalError("journal.pg_missing") from None

        return PgStore.open(location, write=write, create=create)
    return SqliteStore.open(location, write=write, create=create)


def keep_copy(path: Path, backup: Path) -> None:
    """The journal as it is, copied beside it before an upgrade changes it (the one file the store
    writes other than the journal)."""
    shutil.copy2(path, backup)
