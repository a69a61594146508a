"""Real terminals for end-to-end tests: a private tmux server, one window per program, at a fixed size.

Never a fixed sleep: every wait polls the window's screen (capture-pane) for a condition, with a deadline.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

# Keys as tmux names them.
F9, F10, ENTER, TAB, UP, DOWN = "F9", "F10", "Enter", "Tab", "Up", "Down"
CTRL_O, CTRL_Q, CTRL_S, CTRL_T = "C-o", "C-q", "C-s", "C-t"


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


class Tmux:
    def __init__(self, folder: Path, size: tuple[int, int] = (120, 40)) -> None:
        self.socket = folder / "tmux.sock"
        self.size = size
        self.windows: list[str] = []

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, timeout=30, check=False
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def open(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        """Start `argv` in a new window `name` (the first one starts the server, with a clean environment)."""
        command = "exec env -i " + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
        command += " " + shlex.join(argv)
        width, height = self.size
        # The server, with a window that waits (options are set before any program runs); with no client
        # attached, every window keeps the session's size.
        if not self.windows:
            self.tmux(
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-n",
                "keeper",
                "-x",
                str(width),
                "-y",
                str(height),
                "cat",
            )
            self.tmux("set-option", "-g", "remain-on-exit", "on")  # a program that fails leaves its last screen
        self.tmux("new-window", "-d", "-t", "e2e", "-n", name, command)
        self.windows.append(name)

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", f"e2e:{name}")

    def dead(self, name: str) -> bool:
        return self.tmux("display-message", "-p", "-t", f"e2e:{name}", "#{pane_dead}").strip() == "1"

    def keys(self, name: str, *keys: str) -> None:
        self.tmux("send-keys", "-t", f"e2e:{name}", *keys)

    def type(self, name: str, text: str) -> None:
        self.tmux("send-keys", "-t", f"e2e:{name}", "-l", text)

    def wait(self, name: str, condition: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(name)
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}: {what} did not happen within {timeout:g} s; its screen:\n{screen}")
            if self.dead(name):
                raise AssertionError(f"{name}: the program ended before {what}; its last screen:\n{screen}")
            time.sleep(0.05)

    def wait_for(self, name: str, needle: str, timeout: float = 30.0) -> str:
        return self.wait(name, lambda screen: needle in screen, repr(needle), timeout)

    def close(self) -> None:
        self.tmux("kill-server", check=False)
