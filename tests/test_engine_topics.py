"""Issue #16 point 3: the feed reacts to what the team says — topics, Swedish stemming, answers, contradictions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import TYPED, has_raw_control
from scenario_factory import scenario, social, thread

from krisovning.engine import Drill
from krisovning.engine.actions import Action, ActionRefused, Publish, decode_action
from krisovning.engine.headless import run_headless
from krisovning.engine.topics import Matcher
from krisovning.engine.typed import ActionTaken, Post, decode_event, typed
from krisovning.metrics.topics import falloff, total_reduction
from krisovning.scenario import ScenarioError, load_scenario
from krisovning.scenario.loader import load_scenario_bytes
from krisovning.scenario.model import Topic

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))
DRICKSVATTEN = Path(__file__).resolve().parents[1] / "scenarios" / "dricksvatten.yaml"
MINUTE = 60.0


def play(s, seed=1, actions=()):
    drill = Drill(s, seed=seed)
    for at, action in actions:
        drill.advance(at)
        drill.act(action)
    drill.run_to_end()
    return drill.drain()


def publish(text, channels=("web", "social"), **fields):
    return Action("publish", text=text, channels=channels, **fields)


def published(events):
    return [e for e in events if e.kind == "action" and e.data["action"]["kind"] == "publish"]


# --- matching ---


def matcher(**keywords):
    return Matcher([Topic(id=k, keywords=v) for k, v in keywords.items()], ["Norra Ekebacka", "Lövsjö"])


def test_swedish_stemming_finds_a_topic_in_its_inflections_and_compounds():
    m = matcher(tandborstning=["borsta tänderna", "tand"], kokning=["koka"])
    assert m.topics("Ni kan BORSTA tänder med kokt vatten!") == {"tandborstning"}
    assert m.topics("Tandborstningen går bra med flaskvatten.") == {"tandborstning"}
    assert m.topics("Vattnet ska kokas.") == {"kokning"}
    # a word that only contains the stem, or the keyword's words spread over two sentences, is no match
    assert m.topics("Borsta håret. Tänderna är vita.") == frozenset()
    assert m.topics("Brokoka och mandel.") == frozenset()


def test_an_abbreviation_does_not_end_a_sentence():
    m = matcher(tappstalle=["hämta vatten kl 10"], bakterier=["E. coli i vattnet"])
    assert m.topics("Ni kan hämta vatten kl. 10 vid torget.") == {"tappstalle"}
    assert m.topics("Provet visar E. coli i vattnet.") == {"bakterier"}
    assert m.topics("Hämta vatten. Kl 10 öppnar torget.") == frozenset()  # a new sentence does start


def test_claims_are_times_numbers_and_places_and_an_extension_is_no_contradiction():
    m = matcher(t=["vatten"])
    first = m.claims("Vatten finns i Lövsjö från klockan 10.")
    assert first.times == {"10:00"} and first.places == {"Lövsjö"}
    assert m.claims("Vatten i Lövsjö från kl 14").contradicts(first)  # another time
    assert m.claims("Vatten i Norra Ekebacka från 10:00").contradicts(first)  # another place
    assert not m.claims("Vatten i Lövsjö och Norra Ekebacka från 10.00.").contradicts(first)  # more, not other
    assert not m.claims("Vatten finns.").contradicts(first)  # saying less contradicts nothing


# --- publishing covers topics ---


def test_a_public_publication_carries_the_topics_it_covered_and_an_internal_note_none():
    s = load_scenario(DRICKSVATTEN)
    events = play(
        s,
        actions=[
            (5 * MINUTE, publish("Internt: tänk på tandborstningen.", channels=("intranet",))),
            (6 * MINUTE, publish("Borsta tänderna med kokt vatten. Vi informerar igen i kväll.")),
            (7 * MINUTE, publish("Läget är oförändrat.", topics=("duscha",))),
        ],
    )
    internal, teeth, ticked = published(events)
    assert "topics" not in internal.data
    assert teeth.data["topics"] == ["tandborstning", "kokning"]
    assert ticked.data["topics"] == ["duscha"] and ticked.data["action"]["topics"] == ["duscha"]
    # the journaled forms read back as their types, topics and all
    read = decode_event(teeth.canonical_bytes())
    assert isinstance(read, ActionTaken) and read.topics == ("tandborstning", "kokning")
    assert typed(ticked).action.topics == ("duscha",)


def test_a_ticked_topic_must_be_the_scenarios():
    drill = Drill(load_scenario(DRICKSVATTEN), seed=1)
    drill.advance(MINUTE)
    with pytest.raises(ActionRefused) as refused:
        drill.act(publish("Besked.", topics=("tandborstnig",)))
    assert refused.value.key == "action.bad_topic"


def test_a_publish_action_with_topics_round_trips_and_one_without_is_journaled_as_before():
    action = publish("x", topics=("a", "b"))
    assert action.to_dict()["topics"] == ["a", "b"]
    assert Action.from_dict(action.to_dict()) == action
    assert decode_action(action.to_dict()) == Publish(text="x", channels=("web", "social"), topics=("a", "b"))
    assert "topics" not in publish("x").to_dict()


def test_posts_carry_their_topics_and_a_post_without_any_is_journaled_without_the_field():
    events = play(load_scenario(DRICKSVATTEN), actions=[(30 * MINUTE, publish("Borsta tänderna med kokt vatten."))])
    posts = [e for e in events if e.kind == "post"]
    with_topics = [e for e in posts if "topics" in e.data]
    assert with_topics and all(e.data["topics"] for e in with_topics)
    assert any("topics" not in e.data for e in posts)
    assert any("avlopp-i-kranen" in e.data["topics"] for e in with_topics if e.data["thread"] == "rykte")
    read = decode_event(with_topics[0].canonical_bytes())
    assert isinstance(read, Post) and read.topics == tuple(with_topics[0].data["topics"])


# --- what the feed does with it ---


def questions_on(events, topic, start, end):
    return [
        e
        for e in events
        if e.kind == "post"
        and start <= e.t < end
        and e.data["category"] == "question"
        and topic in e.data.get("topics", ())
    ]


def test_an_answered_question_falls_off_and_an_unanswered_one_does_not():
    s = load_scenario(DRICKSVATTEN)
    at = 20 * MINUTE
    answered = unanswered = 0
    for seed in range(1, 6):
        silent = play(s, seed)
        team = play(s, seed, [(at, publish("Borsta tänderna med kokt och avsvalnat vatten."))])
        answered += len(questions_on(team, "tandborstning", at, at + 3 * 3600))
        unanswered += len(questions_on(silent, "tandborstning", at, at + 3 * 3600))
        # the other topics are asked about as much as they would be (the publication did not answer them)
        assert questions_on(team, "duscha", at, at + 3 * 3600)
    assert unanswered >= 10 and answered <= unanswered * 0.2, (answered, unanswered)


def test_some_posts_quote_the_teams_own_words_once_the_topic_is_covered():
    s = load_scenario(DRICKSVATTEN)
    words = "Vatten till tandborstningen kokar du i tre minuter"
    events = play(s, 2, [(20 * MINUTE, publish(words + ". Mer info kommer."))])
    quoting = [e for e in events if e.kind == "post" and words in e.data["text"]]
    assert quoting and all(e.t > 20 * MINUTE and "tandborstning" in e.data["topics"] for e in quoting)
    citing = [e for e in events if e.kind == "post" and "borsta tänderna med kokt vatten" in e.data["text"]]
    assert citing and min(e.t for e in citing) > 20 * MINUTE


def test_a_rumour_is_damped_by_a_publication_on_that_rumour_not_by_any():
    s = load_scenario(DRICKSVATTEN)

    def damped(events):
        return [e for e in events if e.kind == "social_effect" and e.data["thread"] == "rykte" and e.t < 3600]

    other = play(s, 1, [(20 * MINUTE, publish("Borsta tänderna med kokt vatten."))])
    assert damped(other) == []
    on_it = play(s, 1, [(20 * MINUTE, publish("Det är inte avloppsvatten i kranen."))])
    causes = {e.data["cause"] for e in damped(on_it)}
    assert causes == {"publish", "covered:avlopp-i-kranen"}
    rumours = [e for e in on_it if e.kind == "post" and e.data["category"] == "rumour" and e.t > 20 * MINUTE]
    rumours_other = [e for e in other if e.kind == "post" and e.data["category"] == "rumour" and e.t > 20 * MINUTE]
    assert len(rumours) < len(rumours_other) * 0.6


def test_an_answer_that_contradicts_an_earlier_one_raises_criticism():
    s = load_scenario(DRICKSVATTEN)
    first = publish("Hämta vatten vid Folkets hus från klockan 10.")
    again = publish("Hämta vatten vid Folkets hus från klockan 10. Ta med dunkar.")
    changed = publish("Hämta vatten vid Folkets hus från klockan 14.")
    calm = play(s, 3, [(20 * MINUTE, first), (40 * MINUTE, again)])
    angry = play(s, 3, [(20 * MINUTE, first), (40 * MINUTE, changed)])
    assert "contradicts" not in published(calm)[1].data
    assert published(angry)[1].data["contradicts"] == ["tappstallen"]
    assert [e.data["cause"] for e in angry if e.kind == "social_effect" and e.data["thread"] == "kritik"].count(
        "contradiction:tappstallen"
    ) == 1

    def criticism(events):
        return [
            e
            for e in events
            if e.kind == "post" and e.data["category"] == "criticism" and 40 * MINUTE < e.t < 70 * MINUTE
        ]

    assert any("Bestäm er" in e.data["text"] or "Hallå?" in e.data["text"] for e in criticism(angry))
    assert not any("Bestäm er" in e.data["text"] or "Hallå?" in e.data["text"] for e in criticism(calm))
    more = fewer = 0
    for seed in (1, 2, 3, 4):
        calm = play(s, seed, [(20 * MINUTE, first), (40 * MINUTE, again)])
        angry = play(s, seed, [(20 * MINUTE, first), (40 * MINUTE, changed)])
        more, fewer = more + len(criticism(angry)), fewer + len(criticism(calm))
    assert more > fewer * 1.1, (more, fewer)


def test_what_the_team_typed_is_quoted_without_raw_control_characters():
    s = load_scenario(DRICKSVATTEN)
    for text in TYPED:
        events = play(s, 2, [(10 * MINUTE, publish(f"Tandborstning med kokt vatten {text}"))])
        quoting = [e for e in events if e.kind == "post" and "Tandborstning med kokt vatten" in e.data["text"]]
        assert quoting, text
        assert not any(has_raw_control(e.data["text"]) for e in quoting)


# --- the done-when figure ---


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_questions_on_a_covered_topic_are_at_least_half_fewer_than_with_the_silent_team(path):
    s = load_scenario(path)
    rows = []
    for seed in (1, 2, 3, 4):
        _, team = run_headless(s, seed, "realistic")
        _, silent = run_headless(s, seed, "silent")
        rows += falloff(team, silent)
    # the bots' message covers every topic it has an answer for (dricksvatten's friskt-vatten has none:
    # nobody knows it until the lab answers, and the scenario holds the team back from saying it)
    assert {r.topic for r in rows} == {topic.id for topic in s.topics if topic.answer}
    reduction = total_reduction(rows)
    assert reduction is not None and reduction >= 0.5, [(r.topic, r.questions, r.baseline) for r in rows]


# --- the scenario file ---

TOPIC_SCENARIO = """
format: 1
id: t
title: T
duration: 1h
start: 2026-01-01T08:00:00+01:00
organisation: {name: Ekebacka kommun}
roles: [{id: r, name: R}]
personas: [{id: a, name: A, kind: citizen}]
topics:
  - {id: tand, keywords: [tand]}
social:
  authors: [a]
  threads:
    - id: x
      topic: %s
      mix: {question: 1}
      templates:
        question: ["%s"]
"""


def test_a_thread_naming_an_unknown_topic_is_refused_with_its_line():
    with pytest.raises(ScenarioError) as error:
        load_scenario_bytes((TOPIC_SCENARIO % ("tnad", "Hur?")).encode(), "t.yaml")
    text = str(error.value) + " ".join(str(p) for p in error.value.problems)
    assert "tnad" in text and "tand" in text


def test_answer_needs_a_topic():
    s = TOPIC_SCENARIO.replace("      topic: %s\n", "") % "Kommunen skriver: {answer}"
    with pytest.raises(ScenarioError) as error:
        load_scenario_bytes(s.encode(), "t.yaml")
    assert "{answer}" in " ".join(str(p) for p in error.value.problems)
    load_scenario_bytes((TOPIC_SCENARIO % ("tand", "Kommunen skriver: {answer}")).encode(), "t.yaml")


def test_a_scenario_without_topics_plays_as_before():
    s = scenario(duration="1h", social=social(thread(baseline=200, mix={"question": 1})))
    events = play(s, 1, [(10 * MINUTE, publish("Borsta tänderna."))])
    assert not any("topics" in e.data for e in events)
