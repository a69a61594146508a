"""The host's console (tui/host_console.py): the clock, each seat's connection, requests taken and refused,
the invitations and a journal fault — driven with Pilot, waiting on conditions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import CONTROL, SCENARIO_SAFE, has_raw_control
from textual.widgets import DataTable, Static

from krisovning.scenario import load_scenario
from krisovning.session.follower import SeatLink
from krisovning.session.host import HostDrill
from krisovning.session.roster import Invitation
from krisovning.session.seats import Seat
from krisovning.session.store import JournalError
from krisovning.tui.host_console import console_class

SCENARIO = Path(__file__).parents[1] / "scenarios" / "dricksvatten.yaml"
PRESS = Seat.team(["presssekreterare"])


@pytest.fixture
def host(tmp_path):
    scenario = load_scenario(SCENARIO)
    drill = HostDrill.start(tmp_path / "j.db", scenario, SCENARIO.read_text("utf-8"), str(SCENARIO), 7, "sv", 60.0)
    yield drill
    drill.close(interrupted=True)


async def wait_until(pilot, condition, what: str, tries: int = 200) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(what)


def text(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


def seat_cells(app) -> dict[str, str]:
    table = app.query_one("#seats", DataTable)
    return {str(row.key.value): str(table.get_row(row.key)[1]) for row in table.ordered_rows}


async def test_the_console_shows_each_seat_the_clock_and_the_requests(host, tmp_path):
    invites = [Invitation("presssekreterare", "Presssekreterare", "krisovning seat s --role presssekreterare")]
    app = console_class()(host, invites, 20)
    async with app.run_test(size=(100, 30)) as pilot:
        cells = seat_cells(app)
        assert cells["presssekreterare"] == "inte ansluten" and cells["facilitator"] == "inte ansluten"
        table = app.query_one("#seats", DataTable)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert widths[0] > len("Krisledningsgruppen (kommundirektör)") and widths[1] > len("inte ansluten")
        assert "krisovning seat s --role presssekreterare" in text(app, "#invitations")
        link = SeatLink.open(tmp_path / "j.db", host.live.session_id, PRESS)
        try:
            await wait_until(pilot, lambda: seat_cells(app)["presssekreterare"] == "ansluten", "the seat never showed")
            link.relay.send(PRESS.id, json.dumps({"kind": "decision", "text": "Vi går ut med kokningsråd."}))
            link.relay.send(PRESS.id, json.dumps({"kind": "pause"}))  # not a team seat's to do
            await wait_until(pilot, lambda: "1 utförda, 1 avvisade" in text(app, "#state"), "no requests counted")
            await wait_until(pilot, lambda: host.live.now > 60, "the clock never ran")
            assert "60×" in text(app, "#state")
        finally:
            link.close(interrupted=False)


async def test_a_journal_fault_is_shown_and_goes_when_it_is_over(host, monkeypatch):
    app = console_class()(host, [], 20)
    async with app.run_test(size=(100, 30)) as pilot:
        assert not app.query_one("#fault").has_class("shown")
        host.live.fault = JournalError("journal.io", path="/full/disk/j.db", reason="inget utrymme")
        monkeypatch.setattr(host.live, "tick", lambda *_a, **_k: [])  # the retry would clear it at once
        await wait_until(pilot, lambda: app.query_one("#fault").has_class("shown"), "the fault was not shown")
        assert "/full/disk/j.db" in text(app, "#fault")
        host.live.fault = None
        await wait_until(pilot, lambda: not app.query_one("#fault").has_class("shown"), "the fault stayed")


async def test_invitations_and_labels_are_shown_literally(host):
    hostile = [Invitation("x", label, f"krisovning seat s --role {label}") for label in SCENARIO_SAFE + CONTROL]
    app = console_class()(host, hostile, 20)
    async with app.run_test(size=(200, 60)):
        shown = text(app, "#invitations")
        assert "[@click=app.quit]Avsluta[/]" in shown and "[b]fet[/b]" in shown
        assert not has_raw_control(shown)
        assert app.is_running  # no markup link quit it


async def test_the_console_ends_when_the_drill_does(host):
    app = console_class()(host, [], 20)
    async with app.run_test(size=(100, 30)) as pilot:
        host.live.speed = 600.0
        host.step(host.live.scenario.duration / 600.0 + 1)
        await wait_until(pilot, lambda: not app.is_running, "the console did not end with the drill")
    assert host.live.finished
