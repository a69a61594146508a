"""One driver per session: an exclusive advisory lock that the OS drops when a process dies.

The lock file a killed process leaves behind is removed the next time any lock of the same
journal is taken. Removing a lock file while another process opens it is safe because a lock
only counts when the locked file is still the one at the path (checked after locking).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_SESSION = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"  # store.SESSION_ID


class SessionBusy(Exception):
    pass


class SessionLock:
    def __init__(self, db_path: Path, session_id: str) -> None:
        self.db_path = Path(db_path)
        self.path = Path(f"{db_path}.{session_id}.lock")
        self.fd: int | None = None

    def acquire(self) -> SessionLock:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(fd)
                    raise SessionBusy(str(self.path)) from None
                if not _still_there(fd, self.path):  # removed as stale between open and lock: take the new one
                    os.close(fd)
                    continue
            break
        try:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError:
            self._drop(fd)
            raise
        self.fd = fd
        self.sweep()
        return self

    def _drop(self, fd: int) -> None:
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(fd)

    def release(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            self._drop(fd)

    def sweep(self) -> None:
        """Remove the lock files of this journal's sessions that no live process holds."""
        if fcntl is None:
            return
        pattern = re.compile(re.escape(self.db_path.name) + r"\." + _SESSION + r"\.lock")
        try:
            names = [n for n in os.listdir(self.path.parent) if pattern.fullmatch(n) and n != self.path.name]
        except OSError:
            return
        for name in names:
            path = self.path.parent / name
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if _still_there(fd, path):
                    path.unlink()
            except OSError:
                pass  # held by a live process (or gone already): leave it
            finally:
                os.close(fd)

    def held_elsewhere(self) -> bool:
        """True when another live process holds this session (used by `sessions`)."""
        if fcntl is None or not self.path.exists():
            return False
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)


def _still_there(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)
