"""The seat server: one page per seat token, one seat process per websocket connection.

Built from textual-serve's pieces rather than its `Server`, which serves one command at "/",
lists its static folder, loads its font from a CDN and shows the command line on its splash.
`SeatService` overrides private methods of textual-serve's `AppService` (`_build_environment`,
`_open_app_process`): pyproject.toml pins textual-serve to the 1.1 series this was written for.

Routes: GET /seat/{token} (the page), GET /seat/{token}/ws (its terminal), GET /static/... (the
JS, CSS and fonts shipped with textual-serve). Any other path is 404, an unknown token 403, both
with an empty body.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hmac
import json
import logging
import os
import secrets
import shlex
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from krisovning.i18n import get_language, t
from krisovning.textsafe import visible_line
from krisovning.web.runner import SeatCommand

log = logging.getLogger("krisovning.web")

STATIC = Path(textual_serve.__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
MAX_PAGES_PER_SEAT = 4  # a reload overlaps the old connection's end; more is a runaway tab
STOP_GRACE = 3.0  # seconds a seat process gets to quit before it is killed
SIZE_LIMIT = 1000  # columns or rows a browser may ask for
STDERR_LINES = 5  # of a seat that failed to start, shown in its page

_SERVICES = web.AppKey[set["SeatService"]]("services")
_ENDING = web.AppKey[set["asyncio.Future[None]"]]("ending")
_SEATS = web.AppKey[Mapping[str, SeatCommand]]("seats")


class SeatService(AppService):
    """One connection's seat process: argv without a shell, the seat's environment, and an end the page sees.

    When the process ends, the websocket is closed (textual-serve leaves it open: the page then
    shows a frozen screen); if it ended before drawing anything, its page shows why.
    """

    def __init__(self, seat: SeatCommand, websocket: web.WebSocketResponse) -> None:
        async def close() -> None:
            await websocket.close()

        super().__init__(
            shlex.join(seat.argv),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=DownloadManager(),
        )
        self.seat, self.websocket = seat, websocket
        self.drawn = False
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=STDERR_LINES)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return {**super()._build_environment(width, height), **self.seat.env}

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.seat.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
        )
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        stderr_task = asyncio.create_task(self._read_stderr(process.stderr))
        try:
            if await self._prelude(process.stdout):
                await self._packets(process.stdout)
        except (asyncio.IncompleteReadError, ConnectionResetError):
            pass
        finally:
            code = await _ended(process)
            await stderr_task
        if code != 0:
            log.warning("seat %r ended with %s: %s", self.seat.title, code, " | ".join(self.stderr_tail))
        reason = t("web.process_ended", code=code) if code != 0 else ""
        with contextlib.suppress(ConnectionError, RuntimeError):
            if not self.drawn:  # nothing on the page but the splash: say why there, in the terminal
                lines = [t("web.seat_failed"), reason or t("web.process_ended", code=code), "", *self.stderr_tail]
                await self.websocket.send_bytes("\r\n".join(lines).encode() + b"\r\n")
            await self.websocket.close(code=WSCloseCode.OK, message=_close_reason(reason))

    async def _prelude(self, stdout: asyncio.StreamReader) -> bool:
        """Read up to textual's start line (a few lines of other output allowed, as textual-serve does)."""
        for _ in range(10):
            line = await stdout.readline()
            if not line:
                return False
            if line == b"__GANGLION__\n":
                return True
        return False

    async def _packets(self, stdout: asyncio.StreamReader) -> None:
        while True:
            kind = await stdout.readexactly(1)
            size = int.from_bytes(await stdout.readexactly(4), "big")
            payload = await stdout.readexactly(size)
            if kind == b"D":
                await self.on_data(payload)
            elif kind == b"M":
                await self.on_meta(payload)
            elif kind != b"P":  # P: a file download, which seats do not offer; anything else: not the protocol
                return

    async def _read_stderr(self, stderr: asyncio.StreamReader) -> None:
        async for line in stderr:
            text = visible_line(line.decode("utf-8", "replace").rstrip("\n"))
            if text.strip():
                self.stderr_tail.append(text[:300])

    async def on_data(self, payload: bytes) -> None:
        self.drawn = True
        with contextlib.suppress(ConnectionError, RuntimeError):  # the page went away: keep reading until the end
            await self.websocket.send_bytes(payload)

    async def on_meta(self, data: bytes) -> None:
        try:
            meta = json.loads(data)
        except ValueError:
            return
        if isinstance(meta, dict) and meta.get("type") == "exit":
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.websocket.close()

    async def stop(self) -> None:
        """Ask the seat to quit; kill it if it has not after STOP_GRACE seconds."""
        if self._task is None:
            return
        await self.send_meta({"type": "quit"})
        try:
            await asyncio.wait_for(asyncio.shield(self._task), STOP_GRACE)
        except TimeoutError:  # it does not quit (or its screen never reached textual's start)
            if self._process is not None:
                _kill(self._process)
            await self._task
        self._task = None


async def _ended(process: asyncio.subprocess.Process) -> int:
    """The exit code, once the process has ended by itself within STOP_GRACE seconds or been killed."""
    try:
        return await asyncio.wait_for(asyncio.shield(process.wait()), STOP_GRACE)
    except TimeoutError:
        _kill(process)
        return await process.wait()


def _kill(process: asyncio.subprocess.Process) -> None:
    """SIGKILL by pid: Process.kill goes through Popen.send_signal, which reaps a child that has just
    exited itself, and asyncio's child watcher then reports 255 instead of its exit code. A pid is
    not reused before the watcher reaps it, so this signal reaches no other process."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, getattr(signal, "SIGKILL", signal.SIGTERM))


def _close_reason(text: str) -> bytes:
    """A websocket close reason: at most 123 bytes of UTF-8 (a character cut in two is left out)."""
    return text.encode()[:123].decode("utf-8", "ignore").encode()


def _size(value: str | None, default: int) -> int:
    try:
        return max(1, min(SIZE_LIMIT, int(value or default)))
    except ValueError:
        return default


def _seat(request: web.Request) -> tuple[str, SeatCommand]:
    given = request.match_info["token"]
    for token, seat in request.app[_SEATS].items():
        if hmac.compare_digest(token.encode(), given.encode()):
            return token, seat
    raise web.HTTPForbidden()


_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
)


async def seat_page(request: web.Request) -> web.Response:
    token, seat = _seat(request)
    nonce = secrets.token_urlsafe(16)
    html = _templates.get_template("seat.html").render(
        lang=get_language(),
        title=visible_line(seat.title),
        ws_path=f"/seat/{token}/ws",
        nonce=nonce,
        ended=t("web.session_ended"),
        restart=t("web.restart"),
        start=t("web.start"),
    )
    headers = {
        "Cache-Control": "no-store",  # the URL is the seat's key
        "Content-Security-Policy": (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'"
        ),
    }
    return web.Response(text=html, content_type="text/html", headers=headers)


async def seat_socket(request: web.Request) -> web.WebSocketResponse:
    _token, seat = _seat(request)
    services = request.app[_SERVICES]
    websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
    await websocket.prepare(request)
    open_pages = sum(1 for s in services if s.seat is seat)
    if open_pages >= MAX_PAGES_PER_SEAT:
        await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=_close_reason(t("web.too_many", n=open_pages)))
        return websocket
    service = SeatService(seat, websocket)
    services.add(service)
    try:
        await service.start(_size(request.query.get("width"), 80), _size(request.query.get("height"), 24))
        await _relay(websocket, service)
    except OSError as exc:  # the command could not be started at all (no such program)
        log.warning("seat %r could not start: %s", seat.title, exc)
        with contextlib.suppress(ConnectionError, RuntimeError):
            text = f"{t('web.seat_failed')}\r\n{visible_line(str(exc))}\r\n"
            await websocket.send_bytes(text.encode())
            await websocket.close(code=WSCloseCode.OK, message=_close_reason(t("web.seat_failed")))
    finally:
        services.discard(service)
        # aiohttp cancels this handler when the page goes away: the seat's end must not be cut short by that
        ending = asyncio.ensure_future(service.stop())
        request.app[_ENDING].add(ending)
        ending.add_done_callback(request.app[_ENDING].discard)
        await asyncio.shield(ending)
    return websocket


async def _relay(websocket: web.WebSocketResponse, service: SeatService) -> None:
    """The page's keys, size, focus and pings to the seat process (textual-serve's messages)."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
            kind, data = envelope[0], (envelope[1] if len(envelope) > 1 else None)
        except (ValueError, TypeError, IndexError, KeyError):
            continue  # not textual.js talking: ignore it
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(_size(data.get("width"), 80), _size(data.get("height"), 24))
        elif kind == "ping":
            await websocket.send_json(["pong", str(data)])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


@web.middleware
async def _plain_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Errors with an empty body (no route list, no seat names), and headers every response carries."""
    try:
        response: web.StreamResponse = await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = web.Response(status=exc.status, text="")
    if not response.prepared:  # a websocket is already under way
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


async def _stop_seats(app: web.Application) -> None:
    live: set[SeatService] = app[_SERVICES]
    services = list(live)
    for service in services:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await service.websocket.close(code=WSCloseCode.GOING_AWAY, message=_close_reason(t("web.server_stopped")))
    ending = [*(service.stop() for service in services), *app[_ENDING]]
    await asyncio.gather(*ending, return_exceptions=True)


def build_app(seats: Mapping[str, SeatCommand]) -> web.Application:
    """The aiohttp application serving `seats` (token → command)."""
    app = web.Application(middlewares=[_plain_errors])
    app[_SEATS] = dict(seats)
    app[_SERVICES] = set()
    app[_ENDING] = set()
    app.add_routes(
        [
            web.get("/seat/{token}", seat_page),
            web.get("/seat/{token}/ws", seat_socket),
            web.static("/static", STATIC, show_index=False, follow_symlinks=False),
        ]
    )
    app.on_shutdown.append(_stop_seats)
    return app
