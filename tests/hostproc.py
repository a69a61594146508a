"""`krisovning host ...` as a process with pipes (not a terminal), for the team drill's tests."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import krisovning

SRC = str(Path(krisovning.__file__).resolve().parent.parent)
SCENARIO = str(Path(__file__).parents[1] / "scenarios" / "dricksvatten.yaml")


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("KRISOVNING_")}
    out.update(PYTHONPATH=SRC, KRISOVNING_LANG="sv")
    return out


class Host:
    """`krisovning host ...` as a process with pipes (not a terminal), its output collected as it comes."""

    def __init__(self, *args: str, extra_env: Mapping[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "krisovning", "host", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**env(), **(extra_env or {})},
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > deadline or (self.proc.poll() is not None and not self._reader.is_alive()):
                raise AssertionError(f"{needle!r} never appeared in the host's output:\n{self.text()}")
            time.sleep(0.05)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=30)
        self._reader.join(timeout=10)
        return code

    def session(self) -> str:
        self.wait_for("krisovning seat ")
        line = next(line for line in self.lines if "krisovning seat " in line)
        return shlex.split(line)[2]
