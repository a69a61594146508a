"""The drill UI driven with Textual's Pilot: waits on conditions, never on fixed sleeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pilotwait import until

from krisovning.i18n import set_language
from krisovning.scenario import load_scenario_bytes
from krisovning.session import SqliteStore
from krisovning.session.live import LiveDrill
from krisovning.tui.app import make_app
from krisovning.tui.feed import FeedPanel
from krisovning.tui.team import InboxPane

MIN = 60.0


STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")


def start(tmp_path: Path, text: str = STARTER, speed: float = 1.0) -> LiveDrill:
    scenario = load_scenario_bytes(text.encode(), "starter.yaml")
    return LiveDrill.start(tmp_path / "j.db", scenario, text, "starter.yaml", 1, "sv", speed)


def advance_to(app, seconds: float) -> None:
    """Move exercise time forward deterministically (the app's timer is off in tests)."""
    while app.live.now < seconds and not app.live.finished:
        app.step(min(5.0, (seconds - app.live.now) / app.live.speed))


async def hang_up(pilot, app) -> None:
    """Decline every call ringing now (tui/call.py): a test about something else gets its screen back."""
    from krisovning.tui.call import CallScreen

    while (app._ringing is not None and app._ringing.first(app.live.now) is not None) or isinstance(
        app.screen, CallScreen
    ):
        if isinstance(app.screen, CallScreen) and app.screen.query("#call-decline"):
            await pilot.press("a")
        await pilot.pause(0.02)


def journal_actions(db: Path) -> list[dict]:
    store = SqliteStore.open(db, write=False)
    try:
        session = store.sessions()[0].id
        return [json.loads(row[5])["action"] for row in store.entries(session) if row[2] == "action"]
    finally:
        store.close()


async def test_answering_an_inject_marks_it_answered_and_meets_its_expectation(tmp_path):
    live = start(tmp_path)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 9 * MIN)
        await until(pilot, lambda: "p4-ringer" in app.view.inbox)
        await hang_up(pilot, app)
        table = app.query_one(InboxPane).query_one("#inbox")  # the row under the cursor is the one shown
        table.move_cursor(row=table.get_row_index("p4-ringer"), animate=False)
        await pilot.pause()
        app.query_one(InboxPane).show("p4-ringer")
        await pilot.click("#reply")
        await pilot.press(*"Vi vet inte än")
        app.query_one("#reply").insert(" – åter 🙂")  # keys cannot type an emoji; the widget can
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.view.inbox["p4-ringer"].status == "answered")
        assert live.drill.injects["p4-ringer"].status == "met"
        assert app.query_one("#reply").text == ""
    actions = journal_actions(tmp_path / "j.db")
    assert actions[-1] == {"kind": "reply", "inject": "p4-ringer", "text": "Vi vet inte än – åter 🙂"}


async def test_an_ignored_inject_turns_overdue_and_its_follow_up_arrives(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 24 * MIN)
        await until(pilot, lambda: app.view.inbox["p4-ringer"].status == "overdue")
        advance_to(app, 29 * MIN)
        await until(pilot, lambda: "p4-igen" in app.view.inbox)
        assert app.view.counts()["overdue"] >= 1


async def test_pause_stops_the_clock_and_speed_changes_are_journaled(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 1 * MIN)
        await pilot.press("f10")
        await until(pilot, lambda: app.live.paused)
        before = app.live.now
        app.step(30.0)
        assert app.live.now == before
        await pilot.press("f10")
        await until(pilot, lambda: not app.live.paused)
        app.action_faster()
        await until(pilot, lambda: app.live.speed == 2.0)
        app.step(10.0)
        assert app.live.now == before + 20.0
    kinds = [a["kind"] for a in journal_actions(tmp_path / "j.db")]
    assert kinds == ["pause", "resume", "speed"]


async def test_the_facilitator_fires_and_adds_injects(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 1 * MIN)
        await pilot.press("f9")
        await until(pilot, lambda: app.screen.id == "facilitator")
        await until(pilot, lambda: app.screen.query_one("#upcoming").row_count > 0)
        table = app.screen.query_one("#upcoming")
        table.move_cursor(row=[str(k.value) for k in table.rows].index("p4-ringer"))
        await pilot.click("#fire")
        await until(pilot, lambda: "p4-ringer" in app.view.inbox)
        assert app.view.inbox["p4-ringer"].t == 1 * MIN
        app.screen.query_one("#adhoc-text").text = "Expressen: stämmer det att äldreboendet saknar vatten?"
        await pilot.click("#adhoc")
        await until(pilot, lambda: "adhoc#1" in app.view.inbox)
        await pilot.press("f9")
        await until(pilot, lambda: app.screen.id != "facilitator")


async def test_the_feed_keeps_up_with_a_spike(tmp_path):
    # without a population the spike is not scaled down to the starter's 18,000 residents
    heavy = STARTER.replace("      spike: 40\n", "      spike: 5000\n").replace("  population: 18000\n", "")
    app = make_app(start(tmp_path, heavy, speed=10.0), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        advance_to(app, 20 * MIN)
        posts = sum(1 for e in app.live.history if e.kind == "post")
        assert posts > 3000
        feed = app.query_one(FeedPanel)
        await until(pilot, lambda: feed.query_one("FeedView").post_count >= posts)
        await pilot.press("down")  # still responsive


async def test_quitting_and_resuming_restores_the_same_inbox(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 12 * MIN)
        await until(pilot, lambda: "p4-ringer" in app.view.inbox)
        await hang_up(pilot, app)
        table = app.query_one(InboxPane).query_one("#inbox")  # the row under the cursor is the one shown
        table.move_cursor(row=table.get_row_index("p4-ringer"), animate=False)
        await pilot.pause()
        app.query_one(InboxPane).show("p4-ringer")
        await pilot.click("#reply")
        await pilot.press(*"Svar")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.view.inbox["p4-ringer"].status == "answered")
        before = {k: v.status for k, v in app.view.inbox.items()}
        clock = app.live.now
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.screen.query("#yes"))
        await pilot.click("#yes")
    assert app.live.recorder.info.status == "interrupted"

    resumed = LiveDrill.resume(tmp_path / "j.db", None)
    assert resumed.paused and resumed.now == clock
    again = make_app(resumed, clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: len(again.view.inbox) == len(before))
        assert {k: v.status for k, v in again.view.inbox.items()} == before
        await pilot.press("ctrl+q")
        await until(pilot, lambda: again.screen.query("#yes"))
        await pilot.click("#yes")


async def test_the_end_shows_the_summary_with_the_report_command(tmp_path):
    app = make_app(start(tmp_path, speed=60.0), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 2 * 3600)
        await until(pilot, lambda: app.screen.query("#summary-report"))
        session = app.live.recorder.info.id
        assert session in str(app.screen.query_one("#summary-report").render())
        await pilot.click("#quit")
    assert app.live.recorder.info.status == "finished"


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (200, 60)])
async def test_small_and_large_terminals_and_resizing_do_not_crash(tmp_path, size):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=size) as pilot:
        advance_to(app, 10 * MIN)
        for key in ("f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f1", "escape", "f9"):
            await pilot.press(key)
        await pilot.resize_terminal(30, 10)
        await pilot.resize_terminal(*size)
        await pilot.pause()


async def test_english_throughout(tmp_path):
    set_language("en")
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 3 * MIN)
        await pilot.pause()
        labels = [str(tab.label) for tab in app.query("Tab")]
        assert "Inbox" in labels and "Decision log" in labels
        footer = " ".join(str(b.binding.description) for b in app.active_bindings.values() if b.binding.show)
        assert "Help" in footer and "Hjälp" not in footer


async def test_the_clock_keeps_running_while_other_screens_are_open(tmp_path):
    """Regression: a tick right after F9 (before that screen had mounted) crashed the app."""
    app = make_app(start(tmp_path, speed=30.0), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for open_screen in (app.action_facilitator, app.action_help, app.action_end_drill):
            open_screen()
            for _ in range(20):  # ticks before the new screen has mounted, with no await in between
                app.step(0.5)
            await pilot.pause()
            for _ in range(5):  # and while it is on top
                app.step(0.5)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.team)
        assert "p4-ringer" in app.view.inbox and app.live.now >= 8 * MIN
        assert app.query_one(InboxPane).items.keys() == app.view.inbox.keys()


async def test_a_function_key_sends_the_keys_that_follow_to_the_tab_it_opened(tmp_path):
    """Regression: after F4 the focus stayed on a hidden widget of the inbox, so space and typing got lost."""
    app = make_app(start(tmp_path, speed=60.0), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 3 * MIN)
        await until(pilot, lambda: "larm" in app.view.inbox)
        await pilot.press("enter", "f4", "space", "tab", *"Hej")  # no pause between keys, as in a fast typist's hands
        await until(pilot, lambda: app.query_one("#publish-text").text == "Hej")
        assert set(app.query_one("#publish-channels").selected) == {"web", "press_release"}


async def test_a_resumed_drill_keeps_its_speed(tmp_path):
    live = start(tmp_path, speed=30.0)
    live.tick(10.0)
    live.close(interrupted=True)
    resumed = LiveDrill.resume(tmp_path / "j.db", None)
    assert resumed.speed == 30.0 and resumed.paused and resumed.now == 300.0
    resumed.close(interrupted=True)
    faster = LiveDrill.resume(tmp_path / "j.db", None, speed=60.0)
    assert faster.speed == 60.0
    faster.close(interrupted=True)
    assert [a["speed"] for a in journal_actions(tmp_path / "j.db") if a["kind"] == "speed"] == [30.0, 60.0]


async def test_answering_a_post_from_the_feed_publishes_a_reply_to_it(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        advance_to(app, 20 * MIN)
        view = app.query_one(FeedPanel).feed
        await until(pilot, lambda: view.row_count > 0)
        view.select_row(0)
        post = app.query_one(FeedPanel).selected_post
        assert post is not None
        await pilot.click("#answer-post")
        await until(pilot, lambda: app.team.query_one("TabbedContent").active == "tab-publish")
        shown = str(app.query_one("#answering").render())
        assert (post.handle or post.author) in shown and post.text[:20] in shown
        app.query_one("#publish-text").insert("Vi svarar")
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: (
                journal_actions(tmp_path / "j.db")[-1:] != []
                and journal_actions(tmp_path / "j.db")[-1]["kind"] == "publish"
            ),
        )
        assert str(app.query_one("#answering").render()) == ""
    action = journal_actions(tmp_path / "j.db")[-1]
    assert action["post"] == post.id and action["text"] == "Vi svarar" and action["channels"] == ["social"]
