"""`python -m krisovning.web`: the seat server as the host's child process (web/runner.py says why).

Reads one JSON line from stdin: {"host", "port", "language", "seats": {token: SeatCommand as JSON}};
answers one JSON line on stdout: {"port": N} once it listens, or {"error": message}; then serves
until stdin closes (the host ended, however) or SIGTERM, and ends every seat process on its way out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from typing import Any

from aiohttp import web

from krisovning.i18n import set_language, t
from krisovning.i18n.system import os_reason
from krisovning.web.runner import SeatCommand
from krisovning.web.server import build_app


def _answer(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def _host_gone(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.read(4096):
        pass
    stop.set()


async def serve(config: dict[str, Any]) -> int:
    seats = {str(token): SeatCommand.from_json(seat) for token, seat in config["seats"].items()}
    host, port = str(config.get("host") or "127.0.0.1"), int(config.get("port") or 0)
    runner = web.AppRunner(build_app(seats), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        _answer({"error": t("web.bind_failed", address=f"{host}:{port}", reason=os_reason(exc))})
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows: the closed stdin still ends it
            loop.add_signal_handler(signum, stop.set)
    watcher = asyncio.create_task(_host_gone(stop))
    _answer({"port": runner.addresses[0][1]})
    with contextlib.suppress(OSError):  # nothing more for the host on stdout: a full pipe must never block us
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if not config.get("log"):  # stderr was a temporary file for a failed start only
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stderr.fileno())
    await stop.wait()
    watcher.cancel()
    await runner.cleanup()
    return 0


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="krisovning.web: %(message)s", stream=sys.stderr)
    line = sys.stdin.readline()
    try:
        config = json.loads(line)
        set_language(str(config.get("language") or "sv"))
    except (ValueError, AttributeError) as exc:
        _answer({"error": t("web.server_failed", detail=type(exc).__name__)})
        return 2
    return asyncio.run(serve(config))


if __name__ == "__main__":
    sys.exit(main())
