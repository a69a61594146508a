"""What commands print: never a raw control character, whoever wrote the text.

File names, scenario and journal texts, MSEL cells and the team's typing all reach the terminal
through `print`; instead of escaping at each call, `main` swaps in streams that show every
control character (but tab and newline) as `\\xNN` (`textsafe.visible`). JSON output escapes
the ones `json` leaves raw (DEL, C1) as `\\u00NN`, so it stays valid and means the same.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from krisovning.cli.errors import OutputError
from krisovning.i18n import t
from krisovning.i18n.system import os_reason
from krisovning.textsafe import visible

_JSON_RAW = re.compile("[\x7f-\x9f]")  # json.dumps escapes C0 itself; these only occur inside strings


class VisibleStream(io.TextIOBase):
    """A text stream that writes through to `stream`, control characters made visible.

    A failed write is an OutputError naming the stream (a closed pipe stays a BrokenPipeError:
    the reader went away on purpose).
    """

    def __init__(self, stream: TextIO, name: str) -> None:
        self.stream = stream
        self.name = name

    def write(self, text: str) -> int:
        try:
            self.stream.write(visible(text))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self.name, os_reason(exc)) from None
        return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self.name, os_reason(exc)) from None

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]  # TextIOBase's is an attribute; ours is the stream's
        return getattr(self.stream, "encoding", "utf-8")


class _Closed(io.TextIOBase):
    """Standard output or error that was closed when we started (Python's None): writing to it fails."""

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        if text:
            raise OutputError(self.name, t("os.closed"))
        return 0

    def fileno(self) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


@contextmanager
def visible_output() -> Iterator[None]:
    """sys.stdout and sys.stderr as VisibleStreams for the time of a command."""
    before = sys.stdout, sys.stderr
    sys.stdout = VisibleStream(sys.stdout, "stdout") if sys.stdout is not None else _Closed("stdout")
    sys.stderr = VisibleStream(sys.stderr, "stderr") if sys.stderr is not None else _Closed("stderr")
    try:
        yield
    finally:
        sys.stdout, sys.stderr = before


def unescaped(stream: TextIO) -> TextIO:
    """The stream under a VisibleStream: for our own control characters (a progress bar's \\r)."""
    return stream.stream if isinstance(stream, VisibleStream) else stream


def json_safe(text: str) -> str:
    """JSON text with DEL and C1 characters escaped as \\u00NN (the same JSON, safe on a terminal)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_text(value: Any) -> str:
    return json_safe(json.dumps(value, ensure_ascii=False, indent=2))
