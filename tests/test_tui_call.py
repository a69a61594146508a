"""Phones ring in the UI (tui/call.py): a pop-up with a countdown until answered, declined or missed.
Driven with Pilot; drill time is stepped by hand, never slept."""

from __future__ import annotations

import json

import pytest
from hostile import SCENARIO_SAFE, has_raw_control
from test_tui_app import MIN, STARTER, advance_to, journal_actions, start, until
from test_tui_seats import CHIEF, PRESS, team  # noqa: F401  (the fixture)
from textual.widgets import Label

from krisovning.engine.events import Event
from krisovning.i18n import set_language
from krisovning.tui.app import make_app
from krisovning.tui.call import CallScreen, Ringing
from krisovning.tui.inbox import InboxPane

# the starter's first call (TiB's "larm", 2m) rings out and TiB calls again around 8m: by SMS here, so that
# the P4 reporter's call (8m) is the one ringing
ONE_CALL = STARTER.replace("channel: phone", "channel: sms", 1)


pytestmark = pytest.mark.calls


def _calls(app) -> list[CallScreen]:
    return [s for s in app.screen_stack if isinstance(s, CallScreen)]


async def _ringing(pilot, app) -> CallScreen:
    advance_to(app, 8 * MIN + 1)
    await until(pilot, lambda: bool(_calls(app)) and bool(_calls(app)[0].query("#call-answer")))
    return _calls(app)[0]


def _text(screen: CallScreen, widget: str) -> str:
    return str(screen.query_one(widget, Label).render())


async def test_a_call_rings_as_a_pop_up_and_answering_opens_the_reply_as_the_ongoing_call(tmp_path):
    live = start(tmp_path, ONE_CALL)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _ringing(pilot, app)
        assert screen.inject.id == "p4-ringer"
        assert "Det ringer: Karin Ek, Sveriges Radio P4" in _text(screen, "#call-title")
        assert "59 s kvar" in _text(screen, "#call-countdown")
        advance_to(app, 8 * MIN + 31)
        await until(pilot, lambda: "29 s kvar" in _text(screen, "#call-countdown"))
        await pilot.press("s")
        await until(pilot, lambda: not _calls(app) and app.focused is not None and app.focused.id == "reply")
        assert app.team.query_one(InboxPane).selected == "p4-ringer"
        await pilot.press(*"Vi vet inte än")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.view.inbox["p4-ringer"].status == "answered")
        advance_to(app, 12 * MIN)
        await pilot.pause()
        assert not _calls(app)
    kinds = [(a["kind"], a.get("inject")) for a in journal_actions(tmp_path / "j.db")]
    assert kinds == [("answer_call", "p4-ringer"), ("reply", "p4-ringer")]
    assert "p4-ringer" not in [e.data["inject"] for e in live.drill.drain() if e.kind == "call_missed"]


async def test_a_declined_call_is_journaled_and_a_call_nobody_takes_rings_out_as_missed(tmp_path):
    live = start(tmp_path, ONE_CALL)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ringing(pilot, app)
        await pilot.press("a")
        await until(pilot, lambda: not _calls(app))
    assert journal_actions(tmp_path / "j.db") == [{"kind": "decline_call", "inject": "p4-ringer"}]

    live = start(tmp_path / "b", ONE_CALL)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ringing(pilot, app)
        advance_to(app, 9 * MIN + 1)
        await until(pilot, lambda: not _calls(app))
    assert journal_actions(tmp_path / "b" / "j.db") == []
    assert live.drill.calls.state["p4-ringer"] == "missed"


async def test_the_pop_up_speaks_english(tmp_path):
    set_language("en")
    live = start(tmp_path, ONE_CALL)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _ringing(pilot, app)
        assert "Phone ringing: Karin Ek" in _text(screen, "#call-title")
        assert "left (drill time)" in _text(screen, "#call-countdown")


@pytest.mark.parametrize("name", SCENARIO_SAFE)
async def test_a_hostile_caller_name_is_shown_literally(tmp_path, name):
    text = ONE_CALL.replace("name: Karin Ek", f"name: {json.dumps(name[:150], ensure_ascii=False)}", 1)
    live = start(tmp_path, text)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _ringing(pilot, app)
        shown = _text(screen, "#call-title")
        if "[" in name or "<" in name or "{" in name:  # markup and template syntax come out as written
            assert name[:40] in shown
        assert not has_raw_control(shown)
        assert app.is_running  # a [@click=app.quit] name quits nothing


def test_ringing_is_only_for_the_seats_roles_and_ends_on_answer_decline_reply_or_miss():
    def inject(i: str, to: str, channel: str = "phone") -> Event:
        sender = {"id": "p", "kind": "journalist", "name": "P"}
        data = {"id": i, "source": "scripted", "channel": channel, "sender": sender, "to": to}
        return Event(1, 10.0, "inject", {**data, "text": "x", "priority": "normal", "world_time": "w"})

    ringing = Ringing(60.0, lambda role: role == "press")
    ringing.apply([inject("a", "press"), inject("b", "chef"), inject("c", "press", "email"), inject("d", "press")])
    assert list(ringing.calls) == ["a", "d"] and ringing.first(10.0)[1].id == "a"
    assert ringing.first(70.0) is None  # rung out by the clock, even before the engine says so
    ringing.apply([Event(2, 20.0, "action", {"action": {"kind": "answer_call", "inject": "a"}})])
    ringing.apply([Event(3, 70.0, "call_missed", {"inject": "d", "ring": 60.0})])
    assert ringing.calls == {} and [i.id for i in ringing.take_missed()] == ["d"]


async def test_in_a_team_drill_only_the_seats_holding_the_role_get_the_pop_up(team):  # noqa: F811
    press, chief = make_app(team.seat(PRESS), clock=False), make_app(team.seat(CHIEF), clock=False)
    async with press.run_test(size=(120, 40)) as pilot_press, chief.run_test(size=(120, 40)) as pilot_chief:
        for _ in range(40):
            team.run(30, press, chief)
            await pilot_press.pause()
            await pilot_chief.pause()
            if _calls(press) or _calls(chief):
                break
        calls = _calls(press) + _calls(chief)
        assert calls, "a phone inject should ring within the first 20 minutes"
        for app in (press, chief):
            for screen in _calls(app):
                assert app.live.seat.holds(screen.inject.to)


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize(
    ("lang", "said"), [("sv", "Missat samtal från Karin Ek, Sveriges Radio P4"), ("en", "Missed call from Karin Ek")]
)
async def test_a_call_that_rings_out_leaves_a_missed_call_notice(tmp_path, lang, said):
    set_language(lang)
    live = start(tmp_path, ONE_CALL)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ringing(pilot, app)
        assert not any(said in n for n in _notices(app))
        advance_to(app, 9 * MIN + 1)
        await until(pilot, lambda: any(said in n for n in _notices(app)))
        assert not _calls(app)


@pytest.mark.parametrize("name", SCENARIO_SAFE)
async def test_a_missed_call_notice_shows_a_hostile_caller_literally(tmp_path, name):
    text = ONE_CALL.replace("name: Karin Ek", f"name: {json.dumps(name[:150], ensure_ascii=False)}", 1)
    app = make_app(start(tmp_path, text), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ringing(pilot, app)
        advance_to(app, 9 * MIN + 1)
        await until(pilot, lambda: any("Missat samtal" in n for n in _notices(app)))
        notice = next(n for n in _notices(app) if "Missat samtal" in n)
        assert not has_raw_control(notice)
        if "[" in name or "<" in name or "{" in name:
            assert name[:30] in notice
        assert app.is_running
