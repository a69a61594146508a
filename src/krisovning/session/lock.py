"""One driver per session: an exclusive lock on a file that the OS drops when a process dies.

The lock is filelock's native one (`flock` on POSIX, `LockFileEx` on Windows) taken on a file
descriptor we own, so the same code holds on every platform. The lock file a killed process
leaves behind is removed the next time any lock of the same journal is taken. On POSIX, removing
a lock file while another process opens it is safe because a lock only counts when the locked
file is still the one at the path (checked after locking); on Windows a file that any process
has open cannot be removed at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
from pathlib import Path
from typing import Any

from filelock import lock_descriptor, unlock_descriptor

_SESSION = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"  # store.SESSION_ID
# POSIX removes an open file's name at once; Windows refuses while any process has the file open.
_REMOVE_WHILE_OPEN = sys.platform != "win32"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX only; Windows' os.open follows no symlink of ours


class SessionBusy(Exception):
    pass


def _try_lock(fd: int) -> bool:
    """Lock `fd` exclusively without waiting: False when another open file holds it."""
    return lock_descriptor(fd, blocking=False)


class SessionLock:
    def __init__(self, db_path: Path, session_id: str) -> None:
        self.db_path = Path(db_path)
        self.path = Path(f"{db_path}.{session_id}.lock")
        self.fd: int | None = None

    def acquire(self) -> SessionLock:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                locked = _try_lock(fd)
            except OSError:
                os.close(fd)
                raise
            if not locked:
                os.close(fd)
                raise SessionBusy(str(self.path))
            if _still_there(fd, self.path):
                break
            os.close(fd)  # removed as stale between open and lock: take the new one
        try:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError:
            _remove(fd, self.path)
            raise
        self.fd = fd
        self.sweep()
        return self

    def release(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            _remove(fd, self.path)

    def sweep(self) -> None:
        """Remove the lock files of this journal's sessions that no live process holds."""
        pattern = re.compile(re.escape(self.db_path.name) + r"\." + _SESSION + r"\.lock")
        try:
            names = [n for n in os.listdir(self.path.parent) if pattern.fullmatch(n) and n != self.path.name]
        except OSError:
            return
        for name in names:
            path = self.path.parent / name
            try:
                fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
            except OSError:
                continue
            try:
                stale = _try_lock(fd) and _still_there(fd, path)
            except OSError:
                stale = False
            if stale:
                with contextlib.suppress(OSError):  # gone already, or opened by a process just now: leave it
                    _remove(fd, path)
            else:
                os.close(fd)  # held by a live process (or gone already): leave it

    def held_elsewhere(self) -> bool:
        """True when another live process holds this session (used by `sessions`)."""
        if not self.path.exists():
            return False
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return False
        try:
            if not _try_lock(fd):
                return True
            unlock_descriptor(fd)
            return False
        except OSError:  # the file system cannot tell: as if held, so no live session is called interrupted
            return True
        finally:
            os.close(fd)


def _remove(fd: int, path: Path) -> None:
    """Remove the lock file `fd` holds and close it. On POSIX the name goes while the lock is held,
    so no other process can lock the file being removed; on Windows an open file cannot be removed,
    and once closed, removing fails while another process has it open (then that process keeps it)."""
    if _REMOVE_WHILE_OPEN:
        try:
            path.unlink(missing_ok=True)
        finally:
            os.close(fd)
    else:
        os.close(fd)
        with contextlib.suppress(PermissionError):
            path.unlink(missing_ok=True)


def _still_there(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


class PgSessionLock:
    """The same promise on a PostgreSQL journal: a session-level advisory lock, held by a connection
    of its own that the server drops (and the lock with it) when the process dies."""

    def __init__(self, address: str, session_id: str) -> None:
        self.address = address
        self.key = int.from_bytes(
            hashlib.blake2b(f"krisovning:{session_id}".encode(), digest_size=8).digest(), "big", signed=True
        )
        self.connection: Any = None

    def acquire(self) -> PgSessionLock:
        from krisovning.session.store_pg import connect

        connection = connect(self.address)
        if not _locked(connection, self.key):
            connection.close()
            raise SessionBusy(self.key)
        self.connection = connection
        return self

    def release(self) -> None:
        if self.connection is not None:
            connection, self.connection = self.connection, None
            with contextlib.suppress(Exception):  # closing the connection drops the lock in any case
                connection.close()

    def sweep(self) -> None:
        """Nothing is left behind: the server holds the lock, not a file."""

    def held_elsewhere(self) -> bool:
        from krisovning.session.store_pg import connect

        try:
            connection = connect(self.address)
        except Exception:  # the server cannot tell: as if held, so no live session is called interrupted
            return True
        try:
            if not _locked(connection, self.key):
                return True
            connection.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
            return False
        except Exception:
            return True
        finally:
            connection.close()


def session_lock(location: Path | str, session_id: str) -> SessionLock | PgSessionLock:
    """The lock for a session of the journal at `location` (a file, or a PostgreSQL address)."""
    from krisovning.session.store import is_address

    if is_address(location):
        return PgSessionLock(str(location), session_id)
    return SessionLock(Path(location), session_id)


def _locked(connection: Any, key: int) -> bool:
    row = connection.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
    return bool(row and row[0])
