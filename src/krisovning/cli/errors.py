from __future__ import annotations

import errno

from krisovning.i18n import t


class CommandError(Exception):
    """A failed command: its message is shown as one line, then the exit code is returned."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class OutputError(Exception):
    """Writing to standard output or error failed (a full disk, a closed file); `stream` is "stdout" or "stderr"."""

    def __init__(self, stream: str, reason: str) -> None:
        super().__init__(f"{stream}: {reason}")
        self.stream = stream
        self.reason = reason


_OS_REASONS = {
    errno.ENOENT: "os.not_found",
    errno.EACCES: "os.permission",
    errno.EPERM: "os.permission",
    errno.EISDIR: "os.is_dir",
    errno.ENOTDIR: "os.not_dir",
    errno.ENOSPC: "os.no_space",
    errno.EDQUOT: "os.no_space",
    errno.EROFS: "os.read_only",
    errno.EIO: "os.io",
}


def os_reason(exc: OSError) -> str:
    """The system's reason in the user's language where we know it, else as the system says it."""
    key = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    return t(key) if key else exc.strerror or str(exc)
