"""Browser-seat benchmark: memory (RSS) of one seat process and of the seat server, and the time to a first screen.

Starts the seat server (krisovning.web, as `start_web` does for a host) with one seat running
`krisovning run` on the bundled drinking-water drill at 60×, connects to it as the page's
textual.js does (a websocket and textual-serve's messages, no browser), waits for the drill's
first screen, lets it run for a while, then reads the resident set size of the seat process and of
the server from /proc (Linux). Prints the figures; asserts nothing.
Run: python bench/bench_web.py [--seconds N] [--pages N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from krisovning.web.runner import SeatCommand, start_web

SCENARIO = Path(__file__).parent.parent / "scenarios/dricksvatten.yaml"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


async def open_page(url: str, seconds: float) -> tuple[float, aiohttp.ClientWebSocketResponse, aiohttp.ClientSession]:
    """Connect like textual.js; the seconds until the first screen arrived."""
    session = aiohttp.ClientSession()
    start = time.perf_counter()
    ws = await session.ws_connect(url.replace("http:", "ws:") + "/ws?width=120&height=40")
    await ws.send_json(["resize", {"width": 120, "height": 40}])
    drawn, first = 0, 0.0
    while drawn < 20_000:  # a full 120×40 screen with colours is well above this
        message = await ws.receive(timeout=60)
        if message.type != aiohttp.WSMsgType.BINARY:
            raise RuntimeError(f"the seat ended: {message}")
        drawn += len(message.data)
    first = time.perf_counter() - start
    end = time.monotonic() + seconds
    while time.monotonic() < end:  # keep reading, as a page does, while the drill runs
        try:
            await ws.receive(timeout=max(0.01, end - time.monotonic()))
        except TimeoutError:
            break
    return first, ws, session


async def measure(url: str, server_pid: int, seconds: float, pages: int) -> None:
    opened = [await open_page(url, seconds) for _ in range(pages)]
    seats = children(server_pid)
    sizes = [rss_mib(pid) for pid in seats]
    print(f"pages open: {pages}; seat processes: {len(seats)}")
    print(f"first screen after connecting: {', '.join(f'{first:.2f} s' for first, _, _ in opened)}")
    print(f"RSS per seat process (krisovning run, {seconds:g} s at 60×): median {statistics.median(sizes):.1f} MiB")
    print(f"RSS of the seat server: {rss_mib(server_pid):.1f} MiB")
    for _, ws, session in opened:
        await ws.close()
        await session.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each page stays open before measuring")
    parser.add_argument("--pages", type=int, default=1, help="pages (seat processes) open at once")
    args = parser.parse_args()
    if not Path("/proc/self/status").exists():
        print("needs Linux's /proc", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        env = {"KRISOVNING_DB": os.path.join(tmp, "j.db")}
        argv = (sys.executable, "-m", "krisovning", "run", str(SCENARIO), "--speed", "60")
        with start_web({"bench": SeatCommand(argv, "Dricksvatten – bänk", env)}) as server:
            asyncio.run(measure(server.url("bench"), server.process.pid, args.seconds, args.pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
