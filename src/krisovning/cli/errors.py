from __future__ import annotations


class CommandError(Exception):
    """A failed command: its message is shown as one line, then the exit code is returned."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
