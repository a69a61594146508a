"""Writing the files a command produces: never through a symlink, never over a file without --force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from krisovning.cli.errors import CommandError
from krisovning.i18n import t
from krisovning.i18n.system import os_reason


def write_file(path: str | Path, data: bytes, *, force: bool = False) -> None:
    target = Path(path)
    if target.is_symlink():
        raise CommandError(t("files.symlink", path=target))
    if target.exists() and not force:
        raise CommandError(t("files.exists", path=target))
    if target.exists() and not target.is_file():
        raise CommandError(t("files.not_a_file", path=target))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(t("files.no_folder", folder=folder))
    try:
        # Write beside the target, then rename: a crash never leaves half a file, and a
        # symlink planted at the target name is replaced rather than followed.
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temp, 0o666 & ~_umask())  # as open() would make it; mkstemp's is 0600
            if not force and target.exists():
                raise CommandError(t("files.exists", path=target))
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CommandError(t("files.write_failed", path=target, reason=os_reason(exc))) from None


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it: put it straight back
    os.umask(mask)
    return mask


def write_if_absent(path: str | Path, data: bytes) -> bool:
    """A helper file beside the one asked for (the schema beside a scenario): written only when
    nothing is at `path` — not a file, not a folder, not even a dangling symlink. True if written."""
    if os.path.lexists(path):
        return False
    write_file(path, data)
    return True
