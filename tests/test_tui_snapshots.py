"""SVG snapshots of the drill UI (pytest-textual-snapshot's `snap_compare`).

Every picture is deterministic: the starter scenario with seed 1, the app's timer off
(`clock=False`) and exercise time moved forward with `app.step`, a fixed session id,
no toasts (notifications cleared before the picture) and no blinking cursors.

Textual's rendering changes between releases, so the snapshots are compared only on the
Textual version they were recorded with (`RECORDED_WITH`); on any other version they are
skipped. After upgrading Textual: look at the pictures, then re-record with
    pytest tests/test_tui_snapshots.py --snapshot-update
and set `RECORDED_WITH` to the new version. A failing comparison writes an HTML diff
report (snapshot_report.html in the working directory).
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest

from krisovning.scenario import load_scenario_bytes
from krisovning.session.live import LiveDrill
from krisovning.tui.app import make_app

RECORDED_WITH = "8.2.8"  # textual version the SVGs in __snapshots__/test_tui_snapshots/ were recorded with
INSTALLED = version("textual")

pytestmark = pytest.mark.skipif(
    INSTALLED != RECORDED_WITH,
    reason=f"snapshots were recorded with textual {RECORDED_WITH}; installed is {INSTALLED} "
    f"(rendering differs between versions; re-record with --snapshot-update and update RECORDED_WITH)",
)

MIN = 60.0
SEED = 1
SESSION = "20260310-090000-abcd"
STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")


@pytest.fixture
def drill(tmp_path, monkeypatch):
    """A new live drill of the starter scenario, with a fixed session id (it is shown at the end)."""
    monkeypatch.setattr("krisovning.session.journal.new_session_id", lambda: SESSION)
    started: list[LiveDrill] = []

    def start(speed: float = 1.0) -> LiveDrill:
        scenario = load_scenario_bytes(STARTER.encode(), "starter.yaml")
        live = LiveDrill.start(tmp_path / "j.db", scenario, STARTER, "starter.yaml", SEED, "sv", speed)
        started.append(live)
        return live

    yield start
    for live in started:
        live.recorder.close()


def advance_to(app, seconds: float) -> None:
    """Move exercise time forward deterministically, then hand over whatever is still queued."""
    while app.live.now < seconds and not app.live.finished:
        app.step(min(5.0, (seconds - app.live.now) / app.live.speed))
    while app.live.backlog:
        app.step(0.0)


async def settle(pilot) -> None:
    """No toasts and no blinking cursors in the picture."""
    app = pilot.app
    await pilot.pause()
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    app.clear_notifications()
    await pilot.pause()


def at(minutes: float, *keys: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        advance_to(app, minutes * MIN)
        await pilot.pause()
        # toasts go before a screen opens over them: clearing them later reaches only the top screen's
        # toasts, and the one behind showed a toast or not depending on timing
        app.clear_notifications()
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await settle(pilot)

    return run_before


def test_team_screen_inbox_with_one_selected(drill, snap_compare):
    """T+30m: five injects (two overdue calls, two new questions, a radio broadcast); the third row selected."""
    app = make_app(drill(), clock=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=at(30, "down", "down"))


def test_team_screen_small_terminal(drill, snap_compare):
    """The same inbox at 80×24, the smallest supported size."""
    app = make_app(drill(), clock=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(30, "down", "down"))


def test_facilitator_screen(drill, snap_compare):
    """F9 at T+1m: the upcoming timeline, controls, observation notes and the ad-hoc inject form."""
    app = make_app(drill(), clock=False)

    async def run_before(pilot) -> None:
        await at(1, "f9")(pilot)
        screen = pilot.app.screen
        assert screen.id == "facilitator"
        for _ in range(100):  # the timeline is filled after the next refresh
            if screen.query_one("#upcoming").row_count:
                break
            await pilot.pause(0.02)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_help_screen(drill, snap_compare):
    """F1 at T+5m: the help text over the team screen."""
    app = make_app(drill(), clock=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=at(5, "f1"))


def test_end_of_drill_summary(drill, snap_compare):
    """The drill run to its end (nothing answered): objectives, response figures and the report command."""
    app = make_app(drill(speed=60.0), clock=False)

    async def run_before(pilot) -> None:
        advance_to(pilot.app, 2 * 3600)
        for _ in range(250):
            if pilot.app.screen.query("#summary-report"):
                break
            await pilot.pause(0.02)
        assert SESSION in str(pilot.app.screen.query_one("#summary-report").render())
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_team_seat(tmp_path, monkeypatch, snap_compare):
    """The press secretary's seat of a team drill at T+30m, paused by the facilitator, 100×30: only the seat's
    own injects, the first claimed by the chief's seat and answered by it (the conversation in the detail)."""
    from krisovning.engine import Action
    from krisovning.session import follower
    from krisovning.session.follower import SeatLink
    from krisovning.session.host import HostDrill
    from krisovning.session.seats import Seat

    monkeypatch.setattr("krisovning.session.journal.new_session_id", lambda: SESSION)
    monkeypatch.setattr(follower, "STALE", 24 * 3600.0)  # a slow machine must not lose the host in the picture
    monkeypatch.setenv("KRISOVNING_STATE_DIR", str(tmp_path / "state"))
    scenario = load_scenario_bytes(STARTER.encode(), "starter.yaml")
    host = HostDrill.start(tmp_path / "j.db", scenario, STARTER, "starter.yaml", SEED, "sv", 60.0)
    monkeypatch.setattr(follower.time, "sleep", lambda _s: host.step(0.0))
    for _ in range(30):
        host.step(1.0)
    chief = SeatLink.open(tmp_path / "j.db", SESSION, Seat.team(["kommunikationschef"]))
    press = SeatLink.open(tmp_path / "j.db", SESSION, Seat.team(["presssekreterare"]))
    try:
        first = next(e.data["id"] for e in chief.history if e.kind == "inject" and e.data["to"] == "presssekreterare")
        chief.act(Action("claim", inject=first))
        chief.act(Action("reply", inject=first, text="Vi återkommer med besked kl. 10.\nMvh K"))
        host.live.act(Action("pause"))
        host.say()  # the seats hear of it (a step says so only when it has something to say)
        app = make_app(press, clock=False)

        async def run_before(pilot) -> None:
            pilot.app.step(0.0)
            await pilot.pause()
            inbox = pilot.app.team.query_one("#inbox")
            inbox.move_cursor(row=inbox.get_row_index(first), animate=False)  # the answered one
            await settle(pilot)

        assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
    finally:
        chief.close(interrupted=False)
        press.close(interrupted=False)
        host.close(interrupted=True)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_briefing_before_the_clock(tmp_path, monkeypatch, snap_compare, lang):
    """The briefing at 100×30: description, roles, public facts, and the start button (solo)."""
    from krisovning.i18n import set_language

    set_language(lang)
    monkeypatch.setattr("krisovning.session.journal.new_session_id", lambda: SESSION)
    scenario = load_scenario_bytes(STARTER.encode(), "starter.yaml")
    live = LiveDrill.start(tmp_path / "j.db", scenario, STARTER, "starter.yaml", SEED, lang, briefing=True)
    try:
        assert snap_compare(make_app(live, clock=False), terminal_size=(100, 30), run_before=settle)
    finally:
        live.recorder.close()
