from __future__ import annotations


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
