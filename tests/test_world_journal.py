"""The world's new fields go through the journal: export carries each post's `facts` and `repost_of` and the
`fact_public` entries, every entry is of its type, and a resumed drill replays them and verifies."""

from __future__ import annotations

import json
from pathlib import Path

from krisovning.cli import main
from krisovning.engine import Action
from krisovning.i18n import set_language
from krisovning.scenario import load_scenario_bytes
from krisovning.session.live import LiveDrill

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "dricksvatten.yaml"


def test_export_carries_facts_shares_and_fact_public_and_resume_replays_them(tmp_path: Path, capsys) -> None:
    set_language("sv")
    text = SCENARIO.read_text(encoding="utf-8")
    db = tmp_path / "j.db"
    live = LiveDrill.start(db, load_scenario_bytes(text.encode(), SCENARIO.name), text, SCENARIO.name, 5, "sv")
    while live.now < 20 * 60:
        live.tick(10.0)
    live.act(Action("publish", "Kokningsrekommendation gäller i Norra Ekebacka och Lövsjö.", channels=("web",)))
    while live.now < 50 * 60:
        live.tick(10.0)
    session = live.recorder.info.id
    live.close(interrupted=True)

    resumed = LiveDrill.resume(db, session)  # replays the journal and verifies every event
    assert resumed.now >= 50 * 60
    resumed.act(Action("resume"))  # a resumed drill starts paused
    while resumed.now < 55 * 60:
        resumed.tick(10.0)
    resumed.close(interrupted=True)

    assert main(["--lang", "en", "export", session, "--db", str(db)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    header, entries = lines[0], lines[1:]
    assert header["types"] == {"valid": True, "first_bad": None}
    public = {e["fact"]: e for e in entries if e["kind"] == "fact_public"}
    assert {"kokningsrekommendation", "drabbat_omrade"} <= set(public)
    assert public["drabbat_omrade"]["source"].startswith("action:")
    assert public["drabbat_omrade"]["t"] == 1200
    posts = [e for e in entries if e["kind"] == "post"]
    assert posts and all("facts" in p and "repost_of" in p for p in posts)
    ids = {p["id"] for p in posts}
    assert any(p["repost_of"] in ids for p in posts)
    for p in posts:
        for fact in p["facts"]:
            assert fact not in public or p["t"] >= public[fact]["t"]


def test_export_carries_each_posts_topics_and_each_publications_and_resume_replays_them(tmp_path: Path, capsys) -> None:
    set_language("sv")
    text = SCENARIO.read_text(encoding="utf-8")
    db = tmp_path / "j.db"
    live = LiveDrill.start(db, load_scenario_bytes(text.encode(), SCENARIO.name), text, SCENARIO.name, 5, "sv")
    while live.now < 20 * 60:
        live.tick(10.0)
    live.act(Action("publish", "Hämta vatten vid Folkets hus från klockan 10.", channels=("web",)))
    live.act(Action("publish", "Läget är oförändrat.", channels=("web",), topics=("duscha",)))
    live.act(Action("publish", "Hämta vatten vid Folkets hus från klockan 14.", channels=("web",)))
    while live.now < 30 * 60:
        live.tick(10.0)
    session = live.recorder.info.id
    live.close(interrupted=True)
    LiveDrill.resume(db, session).close(interrupted=True)  # replays the journal and verifies every event

    assert main(["--lang", "en", "export", session, "--db", str(db)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    header, entries = lines[0], lines[1:]
    assert header["types"] == {"valid": True, "first_bad": None}
    posts = [e for e in entries if e["kind"] == "post"]
    assert all(isinstance(p["topics"], list) for p in posts)
    assert any(p["topics"] == [] for p in posts) and any(p["topics"] for p in posts)
    publications = [e for e in entries if e["kind"] == "action" and e["action"]["kind"] == "publish"]
    assert [p.get("topics") for p in publications] == [["tappstallen"], ["duscha"], ["tappstallen"]]
    assert [p.get("contradicts") for p in publications] == [None, None, ["tappstallen"]]
    assert publications[1]["action"]["topics"] == ["duscha"]
