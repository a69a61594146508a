"""Issue 17 point 2: a public message's quality — the key message's elements, LIX, sentence length and
words to avoid (metrics/quality.py) — live in the publish form and per message in the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import SCENARIO_SAFE, has_raw_control
from pilotwait import until
from scenario_factory import scenario
from test_tui_submit import actions
from test_tui_topics import start
from textual.widgets import SelectionList, Static

from krisovning.engine.actions import Action
from krisovning.engine.drill import Drill
from krisovning.metrics.quality import QualityMeter, lix, split_sentences
from krisovning.report import ReportMeta, build_report, render
from krisovning.scenario import ScenarioError, load_scenario, load_scenario_bytes
from krisovning.tui.app import make_app

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_lix_is_words_per_sentence_plus_the_share_of_long_words() -> None:
    # 5 words, 2 sentences, 2 words of more than six letters (vattnet, kranvattnet): 5/2 + 100 * 2/5
    assert lix("Koka vattnet. Drick inte kranvattnet.") == pytest.approx(42.5)
    assert lix("") == 0.0
    # "kl. 10" and "E. coli" do not end a sentence; a line (a heading, a list item) does
    assert [len(s) for s in split_sentences("Öppet kl. 10 i dag. E. coli finns.\n- Koka vattnet")] == [5, 3, 2]


def meter(**quality: object) -> QualityMeter:
    return QualityMeter(
        scenario(
            topics=[{"id": "kokning", "keywords": ["koka"]}],
            quality={
                "elements": [
                    {"id": "vad", "title": "Vad som hänt", "keywords": ["bakterier"]},
                    {"id": "gora", "title": "Vad man ska göra", "topics": ["kokning"]},
                    {"id": "mer", "title": "Läs mer", "keywords": ["testby.se"]},
                ],
                "avoid": [{"word": "E. coli-halt", "explained_by": ["bakterie"], "instead": "bakterier"}, "utgående"],
                **quality,
            },
        )
    )


def test_a_message_has_the_elements_it_matches_by_keyword_topic_or_tick() -> None:
    m = meter()
    q = m.measure("Det finns bakterier i vattnet. Koka det.")
    assert q.elements == ["vad", "gora"] and q.missing == ["mer"]
    assert m.measure("Viktigt.", ticked=("kokning",)).elements == ["gora"]
    assert m.measure("").words == 0 and m.hint(m.measure("")) == ""


def test_words_to_avoid_unless_explained() -> None:
    m = meter()
    assert m.measure("Hög E. coli-halt i utgående vatten.").avoid == ["E. coli-halt", "utgående"]
    assert m.measure("Hög E. coli-halt, det vill säga tarmbakterier.").avoid == []  # explained
    hint = m.hint(m.measure("Hög E. coli-halt."))
    assert "E. coli-halt" in hint and "bakterier" in hint


def test_the_hint_names_the_targets_and_what_is_missing() -> None:
    m = meter(lix=30, sentence_words=5)
    q = m.measure("Kommunen rekommenderar samtliga invånare i kommundelarna att koka dricksvattnet.")
    assert q.lix > 30 and q.mean_sentence > 5 and not q.readable
    hint = m.hint(q)
    assert "LIX" in hint and "30" in hint and "Vad som hänt" in hint and "Läs mer" in hint


def test_an_element_s_unknown_topic_is_named_at_its_line() -> None:
    text = """id: t
title: T
duration: 1h
start: 2026-03-10T08:00
organisation: {name: K}
roles: [{id: r, name: R}]
topics: [{id: kokning, keywords: [koka]}]
quality:
  elements:
    - {id: gora, title: Gör så här, topics: [kokningg]}
    - {id: tom, title: Tom}
"""
    with pytest.raises(ScenarioError) as caught:
        load_scenario_bytes(text.encode(), "t.yaml")
    lines = sorted(p.line for p in caught.value.problems)
    assert lines == [11], caught.value.problems  # the shape first: an element needs keywords or topics
    with pytest.raises(ScenarioError) as caught:
        load_scenario_bytes(text.replace("    - {id: tom, title: Tom}\n", "").encode(), "t.yaml")
    assert [(p.line, "kokning" in p.message) for p in caught.value.problems] == [(10, True)]


def test_the_report_gives_each_public_message_its_quality_in_every_format() -> None:
    s = load_scenario(SCENARIOS / "dricksvatten.yaml")
    drill = Drill(s)
    drill.advance(600)
    drill.act(Action("publish", text="Förhöjd E. coli-halt i utgående vatten.", channels=("web",)))
    drill.act(Action("publish", text="Intern notis.", channels=("intranet",)))
    drill.run_to_end()
    report = build_report(s, drill.drain(), ReportMeta("x", seed=1, team="team"))
    public, internal = report.publications
    assert internal.quality is None
    assert public.quality is not None and public.quality.avoid == ["E. coli-halt", "utgående vatten"]
    assert "Vad man ska göra" in public.quality.missing
    data = json.loads(render(report, "json"))
    assert data["publications"][0]["quality"]["lix"] == public.quality.lix
    assert "quality" not in data["publications"][1]
    for fmt in ("md", "html"):
        text = render(report, fmt).decode()
        assert "Budskapens läsbarhet" in text and "E. coli-halt" in text
    assert render(report, "docx")  # the same blocks, written as a document


@pytest.mark.parametrize("hostile", SCENARIO_SAFE[:6])
def test_a_hostile_element_title_is_data_in_the_hint(hostile: str) -> None:
    s = scenario(quality={"elements": [{"id": "e", "title": hostile, "keywords": ["zzz"]}]})
    hint = QualityMeter(s).hint(QualityMeter(s).measure("Hej."))
    assert hostile in hint or not has_raw_control(hint)


async def test_the_publish_form_hints_while_typing_and_never_blocks(tmp_path) -> None:
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("f4")
        hint = app.query_one("#publish-quality", Static)
        assert not hint.display  # nothing written, nothing said
        await pilot.click("#publish-text")
        await pilot.press(*"Hög E. coli-halt.")
        await until(pilot, lambda: hint.display and "E. coli-halt" in str(hint.render()))
        assert "LIX" in str(hint.render()) and hint.has_class("advice")
        app.query_one("#send-publish").press()  # a hint, not a refusal
        await until(pilot, lambda: app.view.publications)
        await until(pilot, lambda: not hint.display)
        app.shutdown(interrupted=True)
    assert [a["text"] for a in actions(tmp_path / "j.db", "publish")] == ["Hög E. coli-halt."]


async def test_the_decision_form_lets_its_author_tick_topics(tmp_path) -> None:
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("f6")
        topics = app.query_one("#decision-topics", SelectionList)
        topics.select("kokning")
        app.query_one("#decision-text").value = "Vi går ut med beskedet nu."
        app.query_one("#send-decision").press()
        await until(pilot, lambda: app.view.decisions)
        await until(pilot, lambda: not topics.selected)
        app.shutdown(interrupted=True)
    assert [a.get("topics") for a in actions(tmp_path / "j.db", "decision")] == [["kokning"]]


async def test_the_inbox_says_what_a_hold_asks(tmp_path) -> None:
    """A hold is not "by" a time: the inject's detail says what not to publish, and until when at most."""
    from test_tui_app import advance_to

    from krisovning.tui.inbox import InboxPane

    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(140, 45)) as pilot:
        advance_to(app, 26 * 60)
        await until(pilot, lambda: "va-ingen-tidpunkt" in app.query_one("#inbox").rows)
        app.query_one(InboxPane).show("va-ingen-tidpunkt")
        shown = str(app.query_one("#inject-text", Static).render())
        assert "publicera inget om När vattnet går att dricka igen" in shown and "11:05" in shown, shown
        assert "senast" not in shown.splitlines()[1]
        app.shutdown(interrupted=True)
