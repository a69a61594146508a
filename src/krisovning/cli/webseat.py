"""A command run as a browser seat (under textual-serve): its failure is shown in the page.

There, standard error goes to the server, and a command that just exits leaves the page on its
splash screen with no word of why; so what it wrote to standard error, and its last message, are
shown by a one-message app (tui/notice.py) until a key is pressed.
"""

from __future__ import annotations

import collections
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from krisovning.i18n import t
from krisovning.web import in_browser

_KEPT_LINES = 40  # a scenario's problems are listed one per line; the page shows the last ones


class _KeptStream(io.TextIOBase):
    """Writes through to `stream` and keeps the last lines written."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lines: collections.deque[str] = collections.deque(maxlen=_KEPT_LINES)
        self._partial = ""

    def write(self, text: str) -> int:
        self.stream.write(text)
        *done, self._partial = (self._partial + text).split("\n")
        self.lines.extend(done)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def text(self) -> str:
        return "\n".join([*self.lines, self._partial]).strip("\n")


@contextmanager
def kept_stderr() -> Iterator[_KeptStream | None]:
    """In a browser seat, sys.stderr also kept (the kept stream, else None) for `show_failure`."""
    if not in_browser():
        yield None
        return
    before = sys.stderr
    kept = _KeptStream(before)
    sys.stderr = kept
    try:
        yield kept
    finally:
        sys.stderr = before


def show_failure(kept: _KeptStream) -> None:
    """Show what the failed command wrote to standard error, in the page, until a key is pressed."""
    from krisovning.tui.notice import show_notice  # Textual only when there is a page to show it in

    show_notice(t("web.seat_failed"), kept.text())
