"""The publish form lets its author tick the topics a publication answers (issue #16 point 3)."""

from __future__ import annotations

import json
from pathlib import Path

from test_tui_submit import actions, until
from textual.widgets import SelectionList

from krisovning.scenario import load_scenario_bytes
from krisovning.session import SqliteStore
from krisovning.session.live import LiveDrill
from krisovning.tui.app import make_app

DRICKSVATTEN = Path(__file__).resolve().parents[1] / "scenarios" / "dricksvatten.yaml"


def start(tmp_path: Path) -> LiveDrill:
    text = DRICKSVATTEN.read_text(encoding="utf-8")
    scenario = load_scenario_bytes(text.encode(), "dricksvatten.yaml")
    return LiveDrill.start(tmp_path / "j.db", scenario, text, "dricksvatten.yaml", 1, "sv", 1.0)


def publish_events(db: Path) -> list[dict]:
    store = SqliteStore.open(db, write=False)
    try:
        rows = [json.loads(row[5]) for row in store.entries(store.sessions()[0].id) if row[2] == "action"]
    finally:
        store.close()
    return [r for r in rows if r["action"]["kind"] == "publish"]


async def test_a_ticked_topic_goes_with_the_publication_and_the_list_is_cleared(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("f4")
        topics = app.query_one("#publish-topics", SelectionList)
        assert [topics.get_option_at_index(i).value for i in range(topics.option_count)][:2] == [
            "tandborstning",
            "duscha",
        ]
        assert str(topics.get_option_at_index(1).prompt) == "Duscha och bada"
        topics.select("duscha")
        app.query_one("#publish-text").text = "Läget är oförändrat."
        app.query_one("#send-publish").press()
        await until(pilot, lambda: app.view.publications)
        await until(pilot, lambda: not topics.selected)
        app.shutdown(interrupted=True)
    db = tmp_path / "j.db"
    assert [a.get("topics") for a in actions(db, "publish")] == [["duscha"]]
    assert publish_events(db)[0]["topics"] == ["duscha"]  # the engine's record of what it covered
