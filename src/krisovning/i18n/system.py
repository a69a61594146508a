"""The operating system's reason for a failed file operation, in the user's language.

The system's own wording (`strerror`) is English whatever `--lang` says; the reasons people meet
with files are translated, any other is shown as the system says it.
"""

from __future__ import annotations

import errno

from krisovning.i18n import t

OS_REASONS = {
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
    key = OS_REASONS.get(exc.errno) if exc.errno is not None else None
    return t(key) if key else exc.strerror or str(exc)
