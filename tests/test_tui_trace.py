"""The seat process's instrumentation (tui/testscreen.py): KRISOVNING_TEST_SCREEN's "{pid}" and
KRISOVNING_TRACE_SHOWN, which bench/bench_team.py reads for commit → screen."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from krisovning.scenario import load_scenario_bytes
from krisovning.session.live import LiveDrill
from krisovning.tui import testscreen
from krisovning.tui.app import make_app

STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_bytes()


async def until(pilot, condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached in time"
        await pilot.pause(0.02)


def traced(path: Path) -> dict[int, float]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return {int(seq): float(at) for seq, at in (line.split() for line in lines)}


def start(tmp_path: Path) -> LiveDrill:
    scenario = load_scenario_bytes(STARTER, "starter.yaml")
    return LiveDrill.start(tmp_path / "j.db", scenario, STARTER.decode(), "starter.yaml", 1, "sv", 60.0)


async def test_each_delivered_entry_is_traced_once_its_screen_is_drawn(tmp_path, monkeypatch):
    trace = tmp_path / "shown-{pid}.txt"
    monkeypatch.setattr(testscreen, "TRACE", str(trace))
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        before = time.time()
        events = app.live.tick(120.0)  # two minutes at once: the first injects
        app.deliver(events)
        written = Path(str(trace).replace("{pid}", str(os.getpid())))
        await until(pilot, lambda: len(traced(written)) == len(events))
        assert events and set(traced(written)) == {event.seq for event in events}
        assert all(at >= before for at in traced(written).values())


async def test_nothing_is_traced_unless_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(testscreen, "TRACE", None)
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.deliver(app.live.tick(120.0))
        await pilot.pause()
    assert list(tmp_path.glob("shown*")) == []


@pytest.mark.parametrize("name", ["screen-{pid}.txt", "screen.txt"])
async def test_the_screen_hook_names_its_file_after_the_process_when_asked(tmp_path, monkeypatch, name):
    monkeypatch.setenv("KRISOVNING_TEST_SCREEN", str(tmp_path / name))
    app = make_app(start(tmp_path), clock=False)
    written = tmp_path / name.replace("{pid}", str(os.getpid()))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: written.exists() and "Inkorg" in written.read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.glob("screen*")] == [written.name]
