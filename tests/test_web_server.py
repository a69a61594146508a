"""The seat server without a browser: routes, tokens, the page it serves, a seat that fails, start and stop."""

from __future__ import annotations

import asyncio
import html
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer
from hostile import CONTROL, SCENARIO_SAFE, has_raw_control

from krisovning.i18n import set_language
from krisovning.textsafe import visible_line
from krisovning.web.runner import SeatCommand, WebError, is_loopback, listen_warning, new_token, parse_listen, start_web
from krisovning.web.server import STATIC, build_app

TOKEN = "k3Jd9-seat-token"
PY = sys.executable


def seat(title: str = "Dricksvatten – Presssekreterare", code: str = "pass") -> SeatCommand:
    return SeatCommand((PY, "-c", code), title)


@pytest.fixture(autouse=True)
def swedish():
    set_language("sv")
    yield
    set_language("sv")


async def client_for(seats: dict[str, SeatCommand]) -> TestClient:
    client = TestClient(TestServer(build_app(seats)))
    await client.start_server()
    return client


async def test_the_seat_page_names_drill_and_seat_and_not_the_command():
    client = await client_for({TOKEN: seat(code="print('hemlig-kommandorad')")})
    try:
        response = await client.get(f"/seat/{TOKEN}")
        text = await response.text()
        assert response.status == 200
        assert "<title>Dricksvatten – Presssekreterare</title>" in text
        assert "hemlig-kommandorad" not in text and PY not in text
        assert response.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    finally:
        await client.close()


async def test_the_page_loads_nothing_from_another_host():
    client = await client_for({TOKEN: seat()})
    try:
        page = await (await client.get(f"/seat/{TOKEN}")).text()
        css = await (await client.get("/static/css/xterm.css")).text()
        own = f"http://{client.host}:{client.port}"
        assert re.findall(r"https?://[^\s\"'<>]*", page.replace(own, "")) == []
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # its licence comment names GitHub
        for text in (page, css):  # a host without a scheme too (//host/...), where a browser would load it
            assert re.findall(r"""(?:src|href)=["']?(?:\w+:)?//|url\(["']?(?:\w+:)?//|@import""", text) == []
        # every asset the page names is served (the font instead of Google's)
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"|url\("(/static/[^"]+)"\)', page)
        paths = {a or b for a, b in assets}
        assert "/static/fonts/RobotoMono-VariableFont_wght.ttf" in paths and "/static/js/textual.js" in paths
        for path in paths:
            assert (await client.get(path)).status == 200, path
    finally:
        await client.close()


@pytest.mark.parametrize("title", SCENARIO_SAFE + CONTROL)
async def test_a_hostile_title_is_escaped_in_the_page(title):
    client = await client_for({TOKEN: seat(title=f"{title} – Presssekreterare")})
    try:
        text = await (await client.get(f"/seat/{TOKEN}")).text()
        for element in ("<title>", '<div id="seat-title">'):  # the tab and the splash
            inner = text.split(element, 1)[1].split("</", 1)[0]
            assert not set(inner) & set("<>\"'") and html.unescape(inner) == visible_line(f"{title} – Presssekreterare")
        assert "<script>alert(1)" not in text
        assert not has_raw_control(text.replace("\n", ""))
    finally:
        await client.close()


async def test_unknown_tokens_and_other_paths_get_an_empty_refusal():
    client = await client_for({TOKEN: seat()})
    try:
        for path, status in [
            ("/seat/wrong", 403),
            ("/seat/wrong/ws", 403),
            (f"/seat/{TOKEN}x", 403),
            ("/", 404),
            ("/seat/", 404),
            ("/ws", 404),
            ("/static/", 403),
            ("/static/js/", 403),
            ("/static/../server.py", 404),
        ]:
            response = await client.get(path)
            body = await response.text()
            assert (response.status, body) == (status, ""), path
            assert TOKEN not in body and "Presssekreterare" not in body
    finally:
        await client.close()


@pytest.mark.parametrize("attempt", range(3))  # its exit code raced with a kill that reaped it (then 255)
async def test_a_seat_that_ends_before_drawing_says_why_in_the_page(attempt):
    code = "import sys; print('scenariot saknas', file=sys.stderr); sys.exit(3)"
    client = await client_for({TOKEN: seat(code=code)})
    try:
        ws = await client.ws_connect(f"/seat/{TOKEN}/ws?width=80&height=24")
        shown = b""
        while (message := await ws.receive(timeout=30)).type == WSMsgType.BINARY:
            shown += message.data
        text = shown.decode()
        assert "Platsen kunde inte starta" in text and "slutkod 3" in text and "scenariot saknas" in text
        assert message.type == WSMsgType.CLOSE and message.data == 1000 and "slutkod 3" in message.extra
    finally:
        await client.close()


async def test_a_program_that_does_not_exist_is_said_in_the_page_too():
    client = await client_for({TOKEN: SeatCommand(("/finns/inte/krisovning",), "X")})
    try:
        ws = await client.ws_connect(f"/seat/{TOKEN}/ws")
        shown = b"".join([m.data async for m in ws if m.type == WSMsgType.BINARY])
        assert "Platsen kunde inte starta" in shown.decode()
    finally:
        await client.close()


# A seat that speaks textual's protocol, draws, then ignores the quit it is sent (the worst case).
STUBBORN = """
import os, sys, time
open(sys.argv[1], "w").write(str(os.getpid()))
sys.stdout.buffer.write(b"__GANGLION__\\n" + b"D" + (12).to_bytes(4, "big") + b"hej fran sat")
sys.stdout.flush()
while True:
    time.sleep(1)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").exists() or Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


async def test_closing_the_page_ends_its_seat_process(tmp_path):
    pidfile = tmp_path / "pid"
    client = await client_for({TOKEN: SeatCommand((PY, "-c", STUBBORN, str(pidfile)), "X")})
    try:
        ws = await client.ws_connect(f"/seat/{TOKEN}/ws")
        message = await ws.receive()
        assert message.data == b"hej fran sat"
        pid = int(pidfile.read_text())
        await ws.close()
        deadline = time.monotonic() + 15
        while alive(pid) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert not alive(pid)
    finally:
        await client.close()


def test_loopback_addresses():
    assert all(is_loopback(a) for a in ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"])
    assert not any(is_loopback(a) for a in ["0.0.0.0", "::", "", "192.168.1.10", "example.org", "10.0.0.1"])
    assert listen_warning("127.0.0.1") is None
    assert "TLS" in (listen_warning("0.0.0.0") or "")


def test_listen_addresses():
    assert parse_listen("0.0.0.0:8080") == ("0.0.0.0", 8080)
    assert parse_listen("[::1]:80") == ("::1", 80)
    for bad in ["8080", ":8080", "host:", "host:port", "host:70000", "\x1b[2J:1"]:
        with pytest.raises(WebError, match="ADRESS:PORT") as caught:
            parse_listen(bad)
        assert not has_raw_control(str(caught.value))


def test_start_web_serves_until_stopped():
    token = new_token()
    assert len(token) == 32 and re.fullmatch(r"[\w-]+", token) and token != new_token()
    with start_web({token: seat()}) as handle:
        assert handle.url(token) == f"http://127.0.0.1:{handle.port}/seat/{token}"
        with pytest.raises(KeyError):
            handle.url("wrong")
        with socket.create_connection(("127.0.0.1", handle.port), timeout=5):
            pass
    assert not handle.running


def test_a_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(WebError, match=f"kan inte ta emot webbanslutningar på 127.0.0.1:{port}"):
            start_web({TOKEN: seat()}, port=port)


def test_the_server_ends_when_its_host_is_gone():
    # the host killed with -9: all the server sees is its stdin closing
    handle = start_web({TOKEN: seat()})
    try:
        assert handle.process.stdin is not None
        handle.process.stdin.close()
        assert handle.process.wait(timeout=15) == 0
    finally:
        if handle.process.poll() is None:
            handle.process.kill()
        handle.stop()


def test_the_static_folder_is_textual_serves():
    assert (STATIC / "js/textual.js").is_file() and (STATIC / "fonts/RobotoMono-VariableFont_wght.ttf").is_file()


def test_the_server_module_refuses_a_bad_configuration():
    done = subprocess.run(
        [PY, "-m", "krisovning.web"], input=b"not json\n", capture_output=True, timeout=60, env=dict(os.environ)
    )
    assert done.returncode == 2 and b"error" in done.stdout


def test_stopping_the_server_ends_the_seats_it_runs(tmp_path):
    pidfile = tmp_path / "pid"
    handle = start_web({TOKEN: SeatCommand((PY, "-c", STUBBORN, str(pidfile)), "X")})

    async def connect_then_stop() -> int:
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(handle.url(TOKEN).replace("http:", "ws:") + "/ws")
            assert (await ws.receive(timeout=60)).data == b"hej fran sat"
            pid = int(pidfile.read_text())
            await asyncio.to_thread(handle.stop)  # the page is still open
            return pid

    try:
        pid = asyncio.run(connect_then_stop())
    finally:
        handle.stop()
    assert handle.process.returncode == 0  # it ended its seats itself, in time, not killed
    assert not alive(pid)
