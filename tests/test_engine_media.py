"""Journalists follow up when ignored, quote replies, note a declined interview (engine/media.py)."""

from __future__ import annotations

import pytest

from krisovning.engine.actions import Action, ActionRefused, decode_action
from krisovning.engine.drill import Drill
from krisovning.engine.events import digest_of
from krisovning.engine.media import declines, shorten
from tests.hostile import CONTROL, has_raw_control
from tests.scenario_factory import inject, scenario, social, thread

JOURNALISTS = {"id": "reportrar", "kind": "journalist", "size": 20, "outlets": ["Lokalbladet"]}
GENERATOR = {
    "id": "media",
    "kind": "media",
    "per_hour": 6,
    "end": "10m",
    "channels": ["email"],
    "from": ["reportrar"],
    "to": ["press"],
    "templates": ["{sender.name} på {sender.outlet} undrar hur många som berörs."],
}


def _scenario(**overrides):
    fields = {
        "persona_pools": [{"id": "folk", "kind": "citizen", "size": 50}, JOURNALISTS],
        "generators": [GENERATOR],
        "social": social(thread("grupp")),
    }
    fields.update(overrides)
    return scenario(**fields)


def _run(s, until=None, seed=3):
    drill = Drill(s, seed)
    drill.advance(until if until is not None else drill.end_time)
    return drill, drill.drain()


def _injects(events, source):
    return [e for e in events if e.kind == "inject" and e.data["source"] == source]


def test_an_ignored_generated_journalist_calls_again_then_publishes_that_the_municipality_is_silent():
    _, events = _run(_scenario())
    first = [e for e in events if e.kind == "inject" and e.data["source"] == "generated"]
    assert first, "the generator must bring at least one journalist"
    again = _injects(events, "followup")
    stories = _injects(events, "story")
    assert {e.data["id"] for e in again} == {f"{e.data['id']}+2" for e in first}
    assert {e.data["id"] for e in stories} == {f"{e.data['id']}+story" for e in first}
    for e in first:
        call = next(a for a in again if a.data["id"] == f"{e.data['id']}+2")
        assert 0.8 * 1200 <= call.t - e.t <= 1.2 * 1200
        assert call.data["channel"] == "phone" and call.data["sender"] == e.data["sender"]
    story = stories[0]
    assert "Kommunen har inte svarat på våra frågor" in story.data["text"]
    assert story.data["channel"] == "news"
    posts = [e for e in events if e.kind == "post" and e.data["id"].startswith("m")]
    assert len(posts) == len(stories) and posts[0].data["thread"] == "grupp"
    assert "Kommunen har inte svarat på våra frågor" in posts[0].data["text"]
    stirs = [e for e in events if e.kind == "social_effect" and e.data["cause"].startswith("story:")]
    assert len(stirs) == len(stories)


def test_follow_up_false_switches_it_off_and_timings_are_the_authors():
    off = dict(JOURNALISTS, follow_up=False)
    _, events = _run(_scenario(persona_pools=[{"id": "folk", "kind": "citizen", "size": 50}, off]))
    assert not _injects(events, "followup") and not _injects(events, "story")
    tuned = dict(JOURNALISTS, follow_up={"after": "5m", "then": "10m"})
    _, events = _run(_scenario(persona_pools=[{"id": "folk", "kind": "citizen", "size": 50}, tuned]))
    first = _injects(events, "generated")[0]
    story = next(e for e in _injects(events, "story") if e.data["id"] == f"{first.data['id']}+story")
    assert story.t == pytest.approx(first.t + 900)


def test_a_named_journalist_follows_up_and_a_scripted_callback_is_left_to_the_script():
    s = scenario(
        injects=[
            inject("fraga", at="1m", channel="email"),
            inject("fraga2", at="2m", channel="email"),
            inject("igen", after="fraga2", delay="10m"),
        ]
    )
    _, events = _run(s)
    ids = {e.data["id"] for e in events if e.kind == "inject"}
    assert "fraga+2" in ids and "fraga+story" in ids
    assert "fraga2+2" not in ids  # the script calls again ("igen")
    assert "igen" in ids


def test_the_story_quotes_what_the_team_told_that_journalist():
    s = scenario(injects=[inject("fraga", at="1m", channel="email")])
    drill = Drill(s, 1)
    drill.advance(120)
    long = "Vi vet att cirka 300 hushåll i Testby berörs. " + "Mer information kommer under eftermiddagen. " * 5
    drill.act(Action("reply", inject="fraga", text=long))
    drill.run_to_end()
    events = drill.drain()
    story = next(e for e in events if e.data.get("id") == "fraga+story")
    assert "”Vi vet att cirka 300 hushåll i Testby berörs." in story.data["text"]
    assert story.t == pytest.approx(120 + 900)
    assert not any(e.data.get("id") == "fraga+2" for e in events)  # answered: no call-again


@pytest.mark.parametrize(
    "text", ["Vi avböjer intervju i dag.", "Ingen kommentar just nu.", "Kommunen vill inte kommentera det."]
)
def test_a_reply_that_says_no_becomes_kommunen_avbojer(text):
    s = scenario(injects=[inject("fraga", at="1m", channel="email")])
    drill = Drill(s, 1)
    drill.advance(120)
    drill.act(Action("reply", inject="fraga", text=text))
    drill.run_to_end()
    story = next(e for e in drill.drain() if e.data.get("id") == "fraga+story")
    assert "avböjer" in story.data["text"] and text not in story.data["text"]


def _declined(text: str):
    s = scenario(injects=[inject("fraga", at="1m", channel="email")], social=social(thread("grupp")))
    drill = Drill(s, 1)
    drill.advance(120)
    event = drill.act(Action("reply", inject="fraga", text=text, declined=True))
    drill.run_to_end()
    events = drill.drain()
    story = next(e for e in events if e.data.get("id") == "fraga+story")
    post = next(e for e in events if e.kind == "post" and e.data["id"].startswith("m"))
    return event, story, post


def test_the_forms_decline_needs_no_reason_and_is_journaled_as_a_declined_reply():
    event, story, post = _declined("")
    assert event.data["action"] == {"kind": "reply", "inject": "fraga", "declined": True}
    assert story.data["text"] == "Testby kommun avböjer att ställa upp på intervju med P4 Test."
    assert story.data["subject"] == "P4 Test: Kommunen avböjer"
    assert (
        post.data["text"].startswith("Kommunen avböjer intervju med P4 Test") and post.data["category"] == "criticism"
    )


def test_the_forms_decline_with_a_reason_gives_the_reason_and_the_story_still_says_avbojer():
    _, story, post = _declined("Vi har inget mer att säga förrän analysen är klar.")
    assert "avböjer" in story.data["text"]
    assert "”Vi har inget mer att säga förrän analysen är klar.”" in story.data["text"]
    assert "avböjer" in post.data["text"] and "analysen är klar" in post.data["text"]


def test_a_reply_without_words_is_still_refused_unless_it_declines():
    s = scenario(injects=[inject("fraga", at="1m", channel="email")])
    drill = Drill(s, 1)
    drill.advance(120)
    with pytest.raises(ActionRefused):
        drill.act(Action("reply", inject="fraga", text="  "))
    assert drill.injects["fraga"].replied_at is None


@pytest.mark.parametrize("text", CONTROL)
def test_a_hostile_decline_reason_is_quoted_literally_without_raw_control_characters(text):
    _, story, post = _declined(f"Skäl {text} {{plats}} [b]x[/b]")
    for said in (story.data["text"], post.data["text"]):
        assert "avböjer" in said and "{plats} [b]x[/b]" in said
        assert not has_raw_control(said)


def test_declines_and_shorten():
    assert declines("Vi avstår från att kommentera.") and not declines("Vi återkommer inom en timme.")
    assert shorten("Kort svar.") == "Kort svar."
    cut = shorten("ord " * 100)
    assert cut.endswith("…") and len(cut) <= 160
    assert not has_raw_control(shorten("Svar\x1b[31m med\x07 styrtecken"))


@pytest.mark.parametrize("text", CONTROL)
def test_a_hostile_reply_is_quoted_literally_without_raw_control_characters(text):
    s = scenario(injects=[inject("fraga", at="1m", channel="email")])
    drill = Drill(s, 1)
    drill.advance(120)
    drill.act(Action("reply", inject="fraga", text=f"Svar {text} {{plats}} [b]x[/b]"))
    drill.run_to_end()
    story = next(e for e in drill.drain() if e.data.get("id") == "fraga+story")
    assert "{plats} [b]x[/b]" in story.data["text"]  # not filled as a template, not markup
    assert not has_raw_control(story.data["text"])


def test_the_follow_ups_are_deterministic_and_a_reply_declined_flag_is_journaled():
    s = _scenario()
    assert digest_of(_run(s, seed=5)[1]) == digest_of(_run(s, seed=5)[1])
    assert decode_action({"kind": "reply", "inject": "x", "text": "t", "declined": True}).declined is True


def test_a_follow_up_thread_that_does_not_exist_is_reported_at_its_line(tmp_path, run_cli):
    from tests.conftest import STARTER

    text = STARTER.replace("kind: journalist\n", "kind: journalist\n    follow_up: {thread: finns-inte}\n", 1)
    assert text != STARTER
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("validate", str(path))
    line = text[: text.index("finns-inte")].count("\n") + 1
    assert code != 0 and f"s.yaml:{line}:" in out + err and "finns-inte" in out + err
    assert "Traceback" not in out + err
