"""The drill UI at the seats of a team drill: a host and its seats in one process (as tests/test_team_core.py
runs them), the seat's app driven with Pilot, the host stepped by hand. Waits on conditions, never sleeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import CONTROL, SCENARIO_SAFE, has_raw_control
from pilotwait import until
from teamkit import CHIEF, PRESS, SCENARIO, Team, start_team
from textual.widgets import Button, DataTable, Select, Static

from krisovning.engine import Action
from krisovning.session import follower
from krisovning.session.seats import FACILITATOR, OBSERVER
from krisovning.tui import drafts
from krisovning.tui.app import make_app
from krisovning.tui.fields import Composer, Field
from krisovning.tui.inbox import InboxPane


def _start(tmp_path: Path, monkeypatch, text: str | None = None) -> Team:
    monkeypatch.setenv(drafts.ENV, str(tmp_path / "state"))
    return start_team(tmp_path / "j.db", monkeypatch, text, speed=60.0)


@pytest.fixture
def team(tmp_path, monkeypatch):
    made = _start(tmp_path, monkeypatch)
    yield made
    made.close()


def rows(app) -> list[str]:
    table = app.team.query_one("#inbox", DataTable)
    return [str(key.value) for key in table.rows]


def detail(app) -> str:
    return str(app.team.query_one("#inject-text", Static).render())


def select(app, inject: str) -> None:
    pane = app.team.query_one(InboxPane)
    table = pane.query_one("#inbox", DataTable)
    table.move_cursor(row=table.get_row_index(inject), animate=False)
    pane.show(inject)


def to_role(app, role: str) -> list[str]:
    return [i for i, item in app.view.inbox.items() if item.data.to == role]


async def test_a_team_seat_shows_its_own_injects_and_all_on_request(team):
    app = make_app(team.seat(PRESS), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        team.run(60, app)
        await until(pilot, lambda: len(app.view.inbox) >= 3 and to_role(app, "presssekreterare"))
        others = [i for i, item in app.view.inbox.items() if item.data.to != "presssekreterare"]
        assert others, "the drill should have sent injects to other roles by now"
        assert set(rows(app)) == set(to_role(app, "presssekreterare"))
        assert "Presssekreterare" in str(app.team.query_one("#clock-bar", Static).render())
        await pilot.press("ctrl+o")
        await until(pilot, lambda: set(rows(app)) == set(app.view.inbox))
        await pilot.press("ctrl+o")
        await until(pilot, lambda: set(rows(app)) == set(to_role(app, "presssekreterare")))


async def test_a_team_seat_has_no_facilitator_view_and_the_facilitator_seat_opens_on_it(team):
    press = make_app(team.seat(PRESS), clock=False)
    async with press.run_test(size=(120, 40)) as pilot:
        team.run(1, press)
        await pilot.press("f9")
        await pilot.pause()
        assert press.screen.id != "facilitator"
        assert press.check_action("facilitator", ()) is False and press.check_action("toggle_pause", ()) is False
        await pilot.press("f10")
        await pilot.pause()
        team.run(0, press)
        assert not team.host.live.paused
        shown = {active.binding.action for active in press.active_bindings.values()}
        assert "facilitator" not in shown and "toggle_pause" not in shown and "claim" in shown
    fac = make_app(team.seat(FACILITATOR), clock=False)
    async with fac.run_test(size=(120, 40)) as pilot:
        team.run(1, fac)
        await until(pilot, lambda: fac.screen.id == "facilitator")
        await until(pilot, lambda: any(t.row_count for t in fac.screen.query("#upcoming").results(DataTable)))
        team.run(0, fac)
        await pilot.press("f10")  # through the host
        await until(pilot, lambda: team.host.live.paused)


async def test_claiming_an_inject_and_another_seats_reply_appear_live(team):
    chief_link, press_link = team.seat(CHIEF), team.seat(PRESS)
    app = make_app(press_link, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        team.run(60, app)
        await until(pilot, lambda: bool(to_role(app, "presssekreterare")))
        inject = to_role(app, "presssekreterare")[0]
        select(app, inject)
        team.run(0, app)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: app.view.inbox[inject].claim is not None)
        assert "Presssekreterare tog det kl." in detail(app)
        assert str(app.team.query_one("#claim", Button).label) == "Släpp den"
        team.run(0, app)
        await pilot.press("ctrl+t")  # released again
        await until(pilot, lambda: app.view.inbox[inject].claim is None)
        # the chief answers it from another seat: the press seat sees it within a tick
        team.run(0, app)
        chief_link.tick(0.0)
        chief_link.act(Action("reply", inject=inject, text="Vi återkommer kl. 10."))
        team.run(0, app)
        await until(pilot, lambda: app.view.inbox[inject].status == "answered")
        assert "Svar från Kommunikationschef kl." in detail(app) and "Vi återkommer kl. 10." in detail(app)
        status = str(app.team.query_one("#inbox", DataTable).get_cell(inject, "status"))
        assert "Kommunikationschef" in status
        # now the press seat tries to answer: the refusal is the translated message
        app.team.query_one("#reply", Composer).text = "Mitt svar"
        team.run(0, app)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("Kommunikationschef besvarade redan" in n.message for n in app._notifications))
        assert app.team.query_one("#reply", Composer).text == "Mitt svar"  # given back


async def test_an_observer_cannot_send_but_notes_an_observation_on_an_objective(team):
    app = make_app(team.seat(OBSERVER), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        team.run(60, app)
        assert "Bara läsning" in str(app.team.query_one("#seat-note", Static).render())
        for selector in ("#reply", "#send-reply", "#publish-text", "#decision-text", "#sit-situation"):
            assert app.team.query_one(selector).disabled, selector
        assert not app.submit("decision", text="x")  # and refused before the host is asked
        assert not [e for e in team.host.live.history if e.kind == "action" and e.data["action"]["kind"] == "decision"]
        assert app.check_action("facilitator", ()) is False
        await pilot.press("f8")  # objectives
        objective = team.host.live.scenario.objectives[1].id
        app.team.query_one("#observe-objective", Select).value = objective
        box = app.team.query_one("#observe-text", Field)
        box.focus()
        box.value = "Samordnat budskap"
        team.run(0, app)
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.view.observed))
        taken = [e.data["action"] for e in team.host.live.history if e.kind == "action"][-1]
        assert taken["kind"] == "observation" and taken["objective"] == objective and taken["seat"] == "observer"
        assert "Samordnat budskap" in str(app.team.query_one("#observe-log", Static).render())


async def test_the_host_lost_banner_comes_and_goes(team, monkeypatch):
    link = team.seat(PRESS)
    app = make_app(link, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        team.run(1, app)
        assert link.host_lost is None
        monkeypatch.setattr(type(link.state), "age", lambda self, now=None: 3600.0)
        app.step(0.0)
        bar = app.team.query_one("#clock-bar", Static)
        await until(pilot, lambda: "VÄRDEN NÅS INTE" in str(bar.render()) and bar.has_class("lost"))
        await until(pilot, lambda: any("Värden nås inte" in n.message for n in app._notifications))
        assert not app.submit("decision", text="Beslut")
        await until(pilot, lambda: any("skickades inte" in n.message for n in app._notifications))
        monkeypatch.undo()
        monkeypatch.setattr(follower.time, "sleep", lambda _s: team.host.step(0.0))
        monkeypatch.setattr(follower, "STALE", 60.0)
        team.run(1, app)
        await until(pilot, lambda: "VÄRDEN NÅS INTE" not in str(bar.render()) and not bar.has_class("lost"))
        assert not any("Värden nås inte" in n.message for n in app._notifications)
        assert app.submit("decision", text="Beslut")


async def test_the_facilitators_control_view_says_the_host_is_gone_and_the_clock_stays_where_it_was(team, monkeypatch):
    link = team.seat(FACILITATOR)
    app = make_app(link, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        team.run(1, app)
        await until(pilot, lambda: app.screen.id == "facilitator")
        clock = app.screen.query_one("#facilitator-clock", Static)
        await until(pilot, lambda: "pågår" in str(clock.render()))
        last = link.state.clock
        monkeypatch.setattr(type(link.state), "age", lambda self, now=None: 3600.0)
        app.step(0.0)
        await until(pilot, lambda: "VÄRDEN NÅS INTE" in str(clock.render()))
        assert link.now == last  # not run on past what the host last said


async def test_drafts_come_back_when_the_seat_opens_again(team, tmp_path):
    hostile = " ".join(SCENARIO_SAFE[:4] + SCENARIO_SAFE[9:])
    app = make_app(team.seat(PRESS), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        team.run(60, app)
        await until(pilot, lambda: len(to_role(app, "presssekreterare")) >= 1)
        inject = to_role(app, "presssekreterare")[0]
        select(app, inject)
        app.team.query_one("#reply", Composer).text = "Svar på gång " + hostile
        app.team.query_one("#publish-text", Composer).text = "Pressmeddelande"
        app.team.query_one("#sit-needs", Field).value = "Tankbilar"
        app.team.query_one("#decision-text", Field).value = "Beslut om kokning"
        await pilot.pause()
        app.step(1.0)  # the debounce has passed: written
        path = drafts.state_dir() / "drafts" / f"{team.host.live.session_id}-presssekreterare.json"
        await until(pilot, lambda: path.exists())
        saved = json.loads(path.read_text("utf-8"))
        assert saved["reply"] == {inject: "Svar på gång " + hostile}
        # the seat crashes: no shutdown, nothing more written
    again = make_app(team.seat(PRESS), clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        team.run(0, again)
        select(again, inject)
        await until(pilot, lambda: again.team.query_one("#reply", Composer).text == "Svar på gång " + hostile)
        assert again.team.query_one("#publish-text", Composer).text == "Pressmeddelande"
        assert again.team.query_one("#sit-needs", Field).value == "Tankbilar"
        assert again.team.query_one("#decision-text", Field).value == "Beslut om kokning"
        await pilot.press("f6")
        again.team.query_one("#decision-text", Field).focus()
        team.run(0, again)
        await pilot.press("enter")  # sent: no longer a draft
        await until(pilot, lambda: "decision" not in json.loads(path.read_text("utf-8")))
        assert json.loads(path.read_text("utf-8"))["reply"] == {inject: "Svar på gång " + hostile}


async def test_a_draft_file_holding_a_control_character_comes_back_written_out(team):
    link = team.seat(PRESS)
    path = drafts.Drafts.for_seat(link.session_id, PRESS.id)
    path.save({"publish": "Rubrik " + CONTROL[0], "decision": CONTROL[4]})
    app = make_app(link, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        publish = app.team.query_one("#publish-text", Composer).text
        decision = app.team.query_one("#decision-text", Field).value
        assert publish == "Rubrik \\x1b]2;PWNED\\x07 titel" and not has_raw_control(publish + decision)


async def test_hostile_replies_and_role_names_are_shown_literally(tmp_path, monkeypatch):
    text = SCENARIO.read_text("utf-8").replace("name: Presssekreterare", f"name: {json.dumps(SCENARIO_SAFE[3])}", 1)
    made = _start(tmp_path, monkeypatch, text)
    chief = made.seat(CHIEF)
    app = make_app(made.seat(PRESS), clock=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            made.run(60, app)
            await until(pilot, lambda: bool(to_role(app, "presssekreterare")))
            inject = to_role(app, "presssekreterare")[0]
            select(app, inject)
            made.run(0, app)
            await pilot.press("ctrl+t")
            await until(pilot, lambda: app.view.inbox[inject].claim is not None)
            assert f"{SCENARIO_SAFE[3]} tog det kl." in detail(app)
            assert SCENARIO_SAFE[3] in str(app.team.query_one("#clock-bar", Static).render())
            made.run(0, app)
            await pilot.press("ctrl+t")
            await until(pilot, lambda: app.view.inbox[inject].claim is None)
            made.run(0, app)
            reply = "\n".join(SCENARIO_SAFE[:6]) + "\n" + CONTROL[1]
            chief.tick(0.0)
            chief.act(Action("reply", inject=inject, text=reply))
            made.run(0, app)
            await until(pilot, lambda: app.view.inbox[inject].status == "answered")
            shown = detail(app)
            for line in SCENARIO_SAFE[:6]:
                assert line in shown
            assert not has_raw_control(shown) and "\\x1b[2J" in shown
    finally:
        made.close()


async def test_drafts_that_cannot_be_written_are_said_once_with_where(team, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("x")
    monkeypatch.setenv(drafts.ENV, str(blocked))  # drafts/ cannot be made under a file
    app = make_app(team.seat(PRESS), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        team.run(1, app)
        app.team.query_one("#decision-text", Field).value = "Beslut"
        await pilot.pause()
        app.step(1.0)
        await until(pilot, lambda: any("kunde inte sparas" in n.message for n in app._notifications))
        told = [n.message for n in app._notifications if "kunde inte sparas" in n.message]
        assert len(told) == 1 and str(blocked) in told[0]
        app.team.query_one("#decision-text", Field).value = "Beslut 2"
        await pilot.pause()
        app.step(6.0)
        await pilot.pause()
        assert len([n for n in app._notifications if "kunde inte sparas" in n.message]) == 1
        assert app.team.query_one("#decision-text", Field).value == "Beslut 2"  # kept where it was written


async def test_the_shared_logs_name_who_wrote_each_entry(tmp_path, monkeypatch):
    """A decision, a situation picture and a publication from another seat carry its role, literally."""
    text = SCENARIO.read_text("utf-8").replace("name: Kommunikationschef", f"name: {json.dumps(SCENARIO_SAFE[3])}", 1)
    made = _start(tmp_path, monkeypatch, text)
    chief = made.seat(CHIEF)
    app = make_app(made.seat(PRESS), clock=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            made.run(1, app)
            chief.tick(0.0)
            chief.act(Action("decision", text="Kokningsrekommendation [b]nu[/b]"))
            chief.act(Action("situation_update", fields={"situation": "Norra Ekebacka"}))
            chief.act(Action("publish", channels=("web",), text="Koka vattnet"))
            made.run(0, app)

            def log(pane: str) -> str:
                return str(app.team.query_one(pane, Static).render())

            await until(pilot, lambda: "Koka vattnet" in log("#publish-log"))
            assert f"{SCENARIO_SAFE[3]}: Kokningsrekommendation [b]nu[/b]" in log("#decision-log")
            assert f"{SCENARIO_SAFE[3]}: " in log("#situation-log") and "Norra Ekebacka" in log("#situation-log")
            assert f"{SCENARIO_SAFE[3]}: " in log("#publish-log")
    finally:
        made.close()
