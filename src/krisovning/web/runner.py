"""Starting the seat server for a host: `start_web(seats, host, port)` and the handle it returns.

The server runs in a child process (`python -m krisovning.web`), not in a thread of the host:
- the host's clock and journal never share an interpreter (and its lock) with relaying every
  seat's screen at 60 frames a second, and a fault in the web stack cannot take the drill down;
- the seat processes are the server's children, so a closed or reloaded page touches only them;
- it runs in a session of its own (no Ctrl+C from the host's terminal), reads its seats from its
  stdin (tokens never on a command line others can list), and exits when that pipe closes, so a
  host killed with -9 leaves no server holding the port for `host --resume`.
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from krisovning.i18n import get_language, t
from krisovning.textsafe import first_control, visible_line

READY_TIMEOUT = 30.0  # seconds for the server to bind (its imports take ~1 s on a busy 2-core machine)
STOP_TIMEOUT = 10.0  # seconds for it to end every seat process before it is killed


@dataclass(frozen=True)
class SeatCommand:
    """What one seat's connection runs: argv (no shell), the page title, and extra environment."""

    argv: tuple[str, ...]
    title: str
    env: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"argv": list(self.argv), "title": self.title, "env": dict(self.env)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SeatCommand:
        return cls(tuple(str(a) for a in data["argv"]), str(data["title"]), {**data.get("env", {})})


def new_token() -> str:
    """A seat's secret: 32 URL-safe characters (192 random bits); whoever has the URL has the seat."""
    return secrets.token_urlsafe(24)


class WebError(Exception):
    """The seat server could not start; the message is translated."""


def is_loopback(host: str) -> bool:
    """True if only this computer can reach `host` (so no one else on the network sees the seats)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # any other name may resolve to an address others reach


def listen_warning(host: str) -> str | None:
    """The warning to print when the seats are served beyond this computer, else None."""
    return None if is_loopback(host) else t("web.tls_warning", address=host)


def parse_listen(text: str) -> tuple[str, int]:
    """ "ADDR:PORT" (an IPv6 address in brackets) as (host, port); WebError if it is not one."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    bad_host = not host or first_control(host) is not None or any(ch.isspace() or ch in "[]/" for ch in host)
    if not sep or bad_host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise WebError(t("web.bad_listen", value=visible_line(text)))
    return host, int(port)


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):  # every interface: name this computer, as others would
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host


class WebHandle:
    """A running seat server: `url(token)` for each seat's invitation, `stop()` to end it and its seats."""

    def __init__(self, process: subprocess.Popen[bytes], host: str, port: int, tokens: set[str]) -> None:
        self.process, self.host, self.port, self._tokens = process, host, port, tokens

    def url(self, token: str) -> str:
        if token not in self._tokens:
            raise KeyError(token)
        return f"http://{_url_host(self.host)}:{self.port}/seat/{token}"

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """End the server; it ends every seat process first (a quit, then a kill after a grace period)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> WebHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_web(
    seats: Mapping[str, SeatCommand],
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    log: IO[bytes] | None = None,
    timeout: float = READY_TIMEOUT,
) -> WebHandle:
    """Serve `seats` (token → command) on host:port (0: any free port) until `stop()`; WebError if it cannot.

    `log` receives the server's diagnostics (each seat's standard error among them); by default they
    are discarded once the server has started.
    """
    config = {
        "host": host,
        "port": port,
        "language": get_language(),
        "log": log is not None,
        "seats": {token: seat.to_json() for token, seat in seats.items()},
    }
    with tempfile.TemporaryFile() as spare:  # the server's errors until it listens, when there is no log
        return _spawn(config, log if log is not None else spare, set(seats), host, port, timeout, log is None)


def _spawn(
    config: dict[str, Any], errors: IO[bytes], tokens: set[str], host: str, port: int, timeout: float, spare: bool
) -> WebHandle:
    process = subprocess.Popen(
        [sys.executable, "-m", "krisovning.web"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        start_new_session=True,  # no Ctrl+C from the host's terminal: the host decides when it stops
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(config).encode() + b"\n")
    process.stdin.flush()  # the pipe stays open: its end is the server's signal that the host is gone
    ready = _read_line(process.stdout, timeout)
    try:
        answer = json.loads(ready) if ready else {}
    except ValueError:
        answer = {}
    if "port" in answer:
        return WebHandle(process, host, int(answer["port"]), tokens)
    handle = WebHandle(process, host, port, set())
    handle.stop(timeout=2)
    if "error" in answer:
        raise WebError(str(answer["error"]))
    detail = _tail(errors) if spare else ""
    raise WebError(t("web.server_failed", detail=detail or t("web.process_ended", code=process.returncode)))


def _read_line(stream: IO[bytes], timeout: float) -> bytes:
    """One line from `stream`, or b"" after `timeout` seconds (a thread: pipes cannot be polled on Windows)."""
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return got[0] if got else b""


def _tail(stream: IO[bytes]) -> str:
    stream.seek(0)
    lines = [line for line in stream.read().decode("utf-8", "replace").splitlines() if line.strip()]
    return visible_line(lines[-1])[:300] if lines else ""
