"""Declining a journalist's interview from the reply form (tui/decline.py), alone and at a team seat.
Driven with Pilot; drill time is stepped by hand, never slept."""

from __future__ import annotations

import json

import pytest
from hostile import SCENARIO_SAFE, has_raw_control
from pilotwait import until
from test_tui_app import MIN, STARTER, advance_to, journal_actions, start
from test_tui_seats import PRESS, select, team  # noqa: F401  (the fixture)
from textual.widgets import Button, DataTable, Label

from krisovning.i18n import set_language
from krisovning.tui.app import make_app
from krisovning.tui.decline import DeclineScreen
from krisovning.tui.fields import Composer, Field
from krisovning.tui.inbox import InboxPane

REASON = "Vi hänvisar till presskonferensen kl. 11."


def _decline_shown(app) -> bool:
    return bool(app.team.query_one("#decline", Button).display)


def _status(app, inject: str) -> str:
    return str(app.team.query_one("#inbox", DataTable).get_cell(inject, "status"))


async def _open_on(pilot, app, inject: str, reason: str = "") -> DeclineScreen:
    select(app, inject)
    await until(pilot, lambda: _decline_shown(app))
    app.team.query_one("#reply", Composer).text = reason
    await until(pilot, lambda: app.team.query_one("#decline", Button).region.width > 0)  # laid out: clickable
    await pilot.click("#decline")
    await until(pilot, lambda: isinstance(app.screen, DeclineScreen) and bool(app.screen.query("#decline-reason")))
    return app.screen


async def test_declining_with_a_reason_is_journaled_as_a_declined_reply_and_the_story_says_avbojer(tmp_path):
    live = start(tmp_path)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 9 * MIN)
        await until(pilot, lambda: "p4-ringer" in app.view.inbox and "larm" in app.view.inbox)
        select(app, "larm")  # the head of the rescue service is no journalist: nothing to decline
        await until(pilot, lambda: not _decline_shown(app))
        screen = await _open_on(pilot, app, "p4-ringer", REASON)
        assert "Avböj intervjun med Karin Ek, Sveriges Radio P4?" in str(
            screen.query_one("#decline-title", Label).render()
        )
        assert screen.query_one("#decline-reason", Field).value == REASON  # the reply box's text, to start from
        await pilot.press("enter")
        await until(pilot, lambda: app.view.inbox["p4-ringer"].status == "answered")
        assert not isinstance(app.screen, DeclineScreen)
        assert app.team.query_one("#reply", Composer).text == ""
        assert "avböjd" in _status(app, "p4-ringer")
        advance_to(app, 40 * MIN)
        await until(pilot, lambda: "p4-ringer+story" in app.view.inbox)
        story = app.view.inbox["p4-ringer+story"].data.text
        assert "avböjer" in story and REASON in story
    assert journal_actions(tmp_path / "j.db")[-1] == {
        "kind": "reply",
        "inject": "p4-ringer",
        "text": REASON,
        "declined": True,
    }


async def test_escape_cancels_and_the_reply_box_keeps_what_was_written(tmp_path):
    live = start(tmp_path)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 9 * MIN)
        await until(pilot, lambda: "p4-ringer" in app.view.inbox)
        await _open_on(pilot, app, "p4-ringer", "Ett utkast")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, DeclineScreen))
        assert app.team.query_one("#reply", Composer).text == "Ett utkast"
        assert app.view.inbox["p4-ringer"].status != "answered"
        # declined without a reason: the button, an empty field
        screen = await _open_on(pilot, app, "p4-ringer")
        screen.query_one("#decline-reason", Field).value = ""
        await pilot.click("#decline-confirm")
        await until(pilot, lambda: app.view.inbox["p4-ringer"].declined)
    assert journal_actions(tmp_path / "j.db") == [{"kind": "reply", "inject": "p4-ringer", "declined": True}]


async def test_the_decline_form_speaks_english(tmp_path):
    set_language("en")
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 9 * MIN)
        await until(pilot, lambda: "p4-ringer" in app.view.inbox)
        assert str(app.team.query_one("#decline", Button).label) == "Decline"
        screen = await _open_on(pilot, app, "p4-ringer")
        assert "Decline the interview with Karin Ek" in str(screen.query_one("#decline-title", Label).render())
        await pilot.press("enter")
        await until(pilot, lambda: "declined" in _status(app, "p4-ringer"))


@pytest.mark.parametrize("name", SCENARIO_SAFE)
async def test_a_hostile_journalist_name_and_reason_are_shown_literally(tmp_path, name):
    text = STARTER.replace("name: Karin Ek", f"name: {json.dumps(name[:150], ensure_ascii=False)}", 1)
    app = make_app(start(tmp_path, text), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 9 * MIN)
        await until(pilot, lambda: "p4-ringer" in app.view.inbox)
        screen = await _open_on(pilot, app, "p4-ringer", "[b]skäl[/b] {plats}")
        shown = str(screen.query_one("#decline-title", Label).render())
        if "[" in name or "<" in name or "{" in name:  # markup and template syntax come out as written
            assert name[:30] in shown
        assert not has_raw_control(shown)
        await pilot.press("enter")
        await until(pilot, lambda: app.view.inbox["p4-ringer"].declined)
        assert app.is_running  # a [@click=app.quit] name quits nothing
    assert journal_actions(tmp_path / "j.db")[-1]["text"] == "[b]skäl[/b] {plats}"


async def test_a_team_seat_declines_through_the_host_and_the_other_seats_see_it(team):  # noqa: F811
    app = make_app(team.seat(PRESS), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:

        def journalists() -> list[str]:
            return [
                i
                for i, item in app.view.inbox.items()
                if item.data.to == "presssekreterare" and item.data.sender.kind == "journalist"
            ]

        for _ in range(60):
            team.run(30, app)
            await pilot.pause()
            if journalists():
                break
        inject = journalists()[0]
        team.run(0, app)
        await _open_on(pilot, app, inject, "Vi återkommer efter mötet.")
        await pilot.press("enter")
        await until(pilot, lambda: app.view.inbox[inject].declined)
        record = team.host.live.drill.injects[inject]
        assert record.replied_by == ("presssekreterare", "presssekreterare")
        said = app.view.inbox[inject].replies[-1]
        assert said.declined and said.text == "Vi återkommer efter mötet."
        assert "avböjd" in _status(app, inject)
        assert "avböjer intervju" in str(app.team.query_one(InboxPane).query_one("#inject-text").render())
