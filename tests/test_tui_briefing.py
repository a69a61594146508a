"""The briefing before the clock (issue #16 point 9): shown until the facilitator starts the drill, the
start journaled, never shown again on a resume; a team's seats show it until the facilitator seat starts
it; scenario text on it is data. Pilot, waiting on conditions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import SCENARIO_SAFE, has_raw_control
from test_tui_hostile import hostile_scenario
from test_tui_seats import FACILITATOR, PRESS, SCENARIO, Team, until

from krisovning.engine import Action, ActionRefused, Drill
from krisovning.scenario import load_scenario, load_scenario_bytes
from krisovning.session import SqliteStore, follower
from krisovning.session.host import HostDrill
from krisovning.session.live import LiveDrill
from krisovning.textsafe import visible
from krisovning.tui import drafts
from krisovning.tui.app import make_app
from krisovning.tui.briefing import BriefingScreen, briefing_text

STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")
SCENARIOS = sorted((Path(__file__).parents[1] / "scenarios").glob("*.yaml"))


def briefed(tmp_path: Path, text: str = STARTER) -> LiveDrill:
    scenario = load_scenario_bytes(text.encode(), "starter.yaml")
    return LiveDrill.start(tmp_path / "j.db", scenario, text, "starter.yaml", 1, "sv", briefing=True)


def journaled(db: Path) -> list[tuple[float, dict]]:
    store = SqliteStore.open(db, write=False)
    try:
        session = store.sessions()[0].id
        return [(row[1], json.loads(row[5])["action"]) for row in store.entries(session) if row[2] == "action"]
    finally:
        store.close()


def shown(app) -> str:
    return str(app.screen.query_one("#briefing-text").content)


async def test_the_clock_waits_on_the_briefing_until_enter_and_the_start_is_journaled(tmp_path):
    live = briefed(tmp_path)
    app = make_app(live, clock=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        text = shown(app)
        scenario = live.scenario
        assert scenario.title in text and scenario.description.split()[0] in text
        assert all(role.name in text for role in scenario.roles)
        app.step(120.0)
        assert live.now == 0.0 and live.paused and not app.view.inbox
        await pilot.press("f3", "f10")  # the team's keys wait behind the briefing
        assert live.paused and app.screen.id == "briefing"
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, BriefingScreen))
        assert not live.briefing and not live.paused
        app.step(90.0)
        assert live.now == 90.0
        with pytest.raises(ActionRefused):
            live.act(Action("start"))  # once only
    assert [(t, a) for t, a in journaled(tmp_path / "j.db") if a["kind"] == "start"] == [(0.0, {"kind": "start"})]


async def test_a_resumed_drill_never_shows_the_briefing_again(tmp_path):
    live = briefed(tmp_path)
    live.close(interrupted=True)  # left during the briefing
    again = LiveDrill.resume(tmp_path / "j.db", None)
    app = make_app(again, clock=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not again.briefing and not any(isinstance(s, BriefingScreen) for s in app.screen_stack)
    again.close(interrupted=True)


def test_the_briefing_shows_public_facts_only():
    scenario = load_scenario(Path(__file__).parents[1] / "scenarios" / "dricksvatten.yaml")
    text = briefing_text(scenario).plain
    hidden = {n: f for n, f in scenario.facts.items() if getattr(f, "public", True) is False}
    assert hidden, "the bundled scenario has non-public facts"
    known = [n for n in scenario.facts if n not in hidden]
    assert known and all(f"{n}:" in text for n in known)
    assert not any(f"{n}:" in text for n in hidden)


@pytest.mark.parametrize("h", SCENARIO_SAFE)
async def test_hostile_scenario_text_on_the_briefing_is_literal(tmp_path, h):
    live = briefed(tmp_path, hostile_scenario(h))
    app = make_app(live, clock=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        text = shown(app)
        assert not has_raw_control(text)
        assert visible(h.strip()) in text  # the description, whole and as written (controls as \xNN)
        await pilot.press("enter")
        await until(pilot, lambda: not live.briefing)
    live.close(interrupted=True)


async def test_a_team_seat_shows_the_briefing_until_the_facilitator_seat_starts_the_clock(tmp_path, monkeypatch):
    db = tmp_path / "j.db"
    host = HostDrill.start(
        db, load_scenario(SCENARIO), SCENARIO.read_text("utf-8"), str(SCENARIO), 7, "sv", briefing=True
    )
    host.live.speed = 60.0
    monkeypatch.setattr(follower.time, "sleep", lambda _s: host.step(0.0))  # as tests/test_tui_seats.py
    monkeypatch.setenv(drafts.ENV, str(tmp_path / "state"))
    team = Team(db, host)
    try:
        press = make_app(team.seat(PRESS), clock=False)
        async with press.run_test(size=(100, 30)) as pilot:
            team.run(2, press)
            await until(pilot, lambda: isinstance(press.screen, BriefingScreen))
            assert not press.screen.query("#briefing-start") and press.screen.query("#briefing-wait")
            await pilot.press("enter")  # not this seat's to start
            team.run(1, press)
            assert team.host.live.briefing and team.host.live.now == 0.0
            fac = make_app(team.seat(FACILITATOR), clock=False)
            async with fac.run_test(size=(100, 30)) as fpilot:
                team.run(1, fac)
                await until(fpilot, lambda: isinstance(fac.screen, BriefingScreen))
                await fpilot.press("enter")
                await until(fpilot, lambda: not team.host.live.briefing)
                await until(fpilot, lambda: fac.screen.id == "facilitator")  # its own screen, after the briefing
            team.run(3, press)
            await until(pilot, lambda: not isinstance(press.screen, BriefingScreen))
            assert team.host.live.now > 0
    finally:
        for link in team.links:
            link.close(interrupted=False)
        team.host.close(interrupted=True)
    assert [a["seat"] for _, a in journaled(tmp_path / "j.db") if a["kind"] == "start"] == ["facilitator"]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_bundled_scenario_gives_the_team_something_in_the_first_minute(path):
    scenario = load_scenario(path)
    drill = Drill(scenario, seed=scenario.seed)
    drill.advance(60.0)
    assert any(e.kind in ("inject", "post") for e in drill.drain()), path.name


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "Efter ett skyfall har\navloppsvatten trängt in.\n\nKommunen måste agera.",
            "Efter ett skyfall har avloppsvatten trängt in.\n\nKommunen måste agera.",
        ),
        (
            "Läget:\n- vattnet är förorenat\n- skolor stängda\n1. koka\n2) vänta",
            "Läget:\n- vattnet är förorenat\n- skolor stängda\n1. koka\n2) vänta",
        ),
        ("  en rad  \n", "en rad"),
    ],
)
def test_a_hand_wrapped_description_is_shown_as_paragraphs(text, shown):
    """The author's line breaks at their editor's width would be wrapped again by the screen (ragged lines)."""
    from krisovning.tui.briefing import reflow

    assert reflow(text) == shown
