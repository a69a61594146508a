"""A seat's unsent texts, kept on disk so that a reloaded or crashed seat opens with them again.

One JSON file per session and seat under the user's state directory (platformdirs; the environment
variable KRISOVNING_STATE_DIR overrides it, for tests and for a portable install). Written whole to a
temporary file and renamed over the old one, so a crash leaves either the old drafts or the new, never
half of them. Nothing here imports Textual: the app collects the texts and hands them over.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

from krisovning.i18n.system import os_reason

ENV = "KRISOVNING_STATE_DIR"


def state_dir() -> Path:
    override = os.environ.get(ENV)
    return Path(override) if override else Path(platformdirs.user_state_dir("krisovning"))


class DraftError(Exception):
    """The drafts could not be written (`where`: the file; `why`: the system's reason, translated)."""

    def __init__(self, where: Path, why: str) -> None:
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = why


class Drafts:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.written = ""  # the JSON last written (or read): an unchanged draft is not written again

    @classmethod
    def for_seat(cls, session: str, seat: str) -> Drafts:
        # both are safe in a file name: a session id is digits, letters and '-', a seat id is checked
        # against session/seats.py's SEAT_ID
        return cls(state_dir() / "drafts" / f"{session}-{seat}.json")

    def load(self) -> dict[str, Any]:
        """What was left unsent ({} when nothing was, or the file cannot be read as drafts)."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="surrogatepass")
            data = json.loads(text)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        self.written = text
        return clean(data)

    def save(self, data: dict[str, Any]) -> None:
        """Keep `data` (empty texts are dropped; nothing left removes the file). Raises DraftError."""
        data = clean(data)
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) if data else ""
        if text == self.written:
            return
        try:
            if not data:
                self.path.unlink(missing_ok=True)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=".draft-", suffix=".tmp", dir=self.path.parent)
                try:
                    with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as out:
                        out.write(text)
                        out.flush()
                        os.fsync(out.fileno())
                    os.replace(tmp, self.path)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
                    raise
        except OSError as exc:
            raise DraftError(self.path, os_reason(exc)) from None
        self.written = text


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Only strings that are not blank, at most one level of names down (reply per inject, situation per field)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str) and value.strip():
            out[str(key)] = value
        elif isinstance(value, dict):
            inner = {str(k): v for k, v in value.items() if isinstance(v, str) and v.strip()}
            if inner:
                out[str(key)] = inner
    return out
