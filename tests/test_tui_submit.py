"""One submit is one action: exactly the submitted text, the box emptied in the same step, no doubles."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from pilotwait import until
from textual import events
from textual.app import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from krisovning.scenario import load_scenario_bytes
from krisovning.session import SqliteStore
from krisovning.session.live import LiveDrill
from krisovning.tui.app import make_app
from krisovning.tui.team import InboxPane

MIN = 60.0
STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")


def start(tmp_path: Path) -> LiveDrill:
    scenario = load_scenario_bytes(STARTER.encode(), "starter.yaml")
    return LiveDrill.start(tmp_path / "j.db", scenario, STARTER, "starter.yaml", 1, "sv", 1.0)


def advance_to(app, seconds: float) -> None:
    while app.live.now < seconds and not app.live.finished:
        app.step(min(5.0, (seconds - app.live.now) / app.live.speed))


def actions(db: Path, kind: str) -> list[dict]:
    store = SqliteStore.open(db, write=False)
    try:
        session = store.sessions()[0].id
        found = [json.loads(row[5])["action"] for row in store.entries(session) if row[2] == "action"]
    finally:
        store.close()
    return [a for a in found if a["kind"] == kind]


def burst(app, *keys: str) -> None:
    """Keys as a fast typist's terminal delivers them: all queued at once (Pilot.press waits after each)."""
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def test_a_double_enter_is_one_decision(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        burst(app, "f6", *"Beslut B", "enter", "enter")
        await until(pilot, lambda: app.view.decisions)
        await pilot.pause()
        assert [action.text for _, action in app.view.decisions] == ["Beslut B"]
        assert app.query_one("#decision-text").value == ""
        assert errors(app) == []  # the second Enter found the box empty: quiet, not "write something"
        app.shutdown(interrupted=True)
    assert [a["text"] for a in actions(tmp_path / "j.db", "decision")] == ["Beslut B"]


async def test_typing_on_at_once_sends_exactly_what_each_enter_submitted(tmp_path):
    """Regression: the next entry typed right after Enter was taken as well ("Beslut BBeslut C", twice)."""
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        burst(app, "f6", *"Beslut B", "enter", *"Beslut C", "enter", *"Utkast")
        await until(pilot, lambda: len(app.view.decisions) == 2 and app.query_one("#decision-text").value == "Utkast")
        app.shutdown(interrupted=True)
    assert [a["text"] for a in actions(tmp_path / "j.db", "decision")] == ["Beslut B", "Beslut C"]


async def test_a_double_ctrl_s_is_one_reply_and_what_follows_stays_in_the_box(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 9 * MIN)
        await until(pilot, lambda: "p4-ringer" in app.view.inbox)
        table = app.query_one(InboxPane).query_one("#inbox")  # the row under the cursor is the one shown
        table.move_cursor(row=table.get_row_index("p4-ringer"), animate=False)
        await pilot.pause()
        app.query_one(InboxPane).show("p4-ringer")
        app.query_one("#reply").focus()
        burst(app, *"Svar A", "ctrl+s", "ctrl+s", *"Nästa")
        await until(
            pilot, lambda: app.view.inbox["p4-ringer"].status == "answered" and app.query_one("#reply").text == "Nästa"
        )
        assert errors(app) == []
        await pilot.press("f4", "tab")
        burst(app, *"Besked A", "ctrl+s", "ctrl+s", *"Besked B")
        await until(pilot, lambda: app.view.publications and app.query_one("#publish-text").text == "Besked B")
        assert errors(app) == []
        app.shutdown(interrupted=True)
    db = tmp_path / "j.db"
    assert [a["text"] for a in actions(db, "reply")] == ["Svar A"]
    assert [a["text"] for a in actions(db, "publish")] == ["Besked A"]


async def test_the_same_submit_again_within_a_second_is_not_a_second_action(tmp_path, monkeypatch):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        for _ in range(2):  # the same picture sent twice, by the button, as fast as hands go
            app.query_one("#sit-situation").value = "Läget är lugnt"
            await pilot.click("#send-situation")
        await until(pilot, lambda: app.view.situation)
        await pilot.pause()
        assert len(app.view.situation) == 1
        monkeypatch.setattr("krisovning.tui.fields.REPEAT_WINDOW", 0.0)  # later, the same words are a new picture
        app.query_one("#sit-situation").value = "Läget är lugnt"
        await pilot.click("#send-situation")
        await until(pilot, lambda: len(app.view.situation) == 2)
        app.shutdown(interrupted=True)
    assert [a["fields"] for a in actions(tmp_path / "j.db", "situation_update")] == [
        {"situation": "Läget är lugnt"}
    ] * 2


async def test_a_refused_submit_gives_the_text_back(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one("#reply").focus()  # no inject yet: a reply has nothing to answer
        burst(app, *"Hej", "ctrl+s")
        await until(pilot, lambda: errors(app))
        await until(pilot, lambda: app.query_one("#reply").text == "Hej")
        await pilot.press(*" då")
        await until(pilot, lambda: app.query_one("#reply").text == "Hej då")
        app.shutdown(interrupted=True)
    assert actions(tmp_path / "j.db", "reply") == []


async def test_a_facilitator_observation_is_taken_once(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f9")
        await until(pilot, lambda: app.screen.id == "facilitator")
        app.screen.query_one("#observation").focus()
        burst(app, *"Bra start", "enter", "enter", *"Sen")
        await until(pilot, lambda: app.view.observations and app.screen.query_one("#observation").value == "Sen")
        assert [text for _, text in app.view.observations] == ["Bra start"]
        app.shutdown(interrupted=True)
