"""Phones ring: a call is answered, declined or missed, and a missed caller tries again or turns elsewhere."""

from __future__ import annotations

import pytest

from krisovning.engine.actions import Action, ActionRefused, decode_action
from krisovning.engine.drill import Drill
from tests.scenario_factory import inject, scenario, social, thread


def _drill(*injects, **fields):
    fields.setdefault("social", social(thread("grupp")))
    return Drill(scenario(injects=list(injects), **fields), 1)


def _missed(events):
    return [e.data["inject"] for e in events if e.kind == "call_missed"]


def test_an_unanswered_call_rings_out_and_is_journaled_as_missed():
    drill = _drill(inject("samtal", at="1m", **{"from": "tib"}))
    drill.advance(60)
    assert drill.calls.ringing() == ["samtal"]
    assert drill.calls.ends_at("samtal") == 120
    drill.advance(119)
    assert "samtal" not in _missed(drill.drain())
    drill.advance(120)
    events = drill.drain()
    assert _missed(events) == ["samtal"]
    assert next(e for e in events if e.kind == "call_missed").data["ring"] == 60
    assert drill.calls.ringing() == []


def test_the_ring_is_the_scenarios():
    drill = _drill(inject("samtal", at="1m", **{"from": "tib"}), calls={"ring": "2m"})
    drill.advance(179)
    assert not _missed(drill.drain())
    drill.advance(180)
    assert _missed(drill.drain()) == ["samtal"]


@pytest.mark.parametrize("kind", ["answer_call", "decline_call"])
def test_answered_or_declined_is_not_missed_and_cannot_be_done_twice(kind):
    drill = _drill(inject("samtal", at="1m", **{"from": "tib"}))
    drill.advance(70)
    event = drill.act(Action(kind, inject="samtal", role="press"))
    assert event.data["action"]["kind"] == kind
    with pytest.raises(ActionRefused) as refused:
        drill.act(Action("answer_call", inject="samtal"))
    assert refused.value.key == "action.call_over"
    drill.run_to_end()
    assert not _missed(drill.drain())
    assert decode_action(event.data["action"]).to_action() == Action(kind, inject="samtal", role="press")


def test_only_a_call_can_be_answered_and_a_reply_answers_it():
    drill = _drill(inject("mejl", at="1m", channel="email", **{"from": "tib"}), inject("samtal", at="1m"))
    drill.advance(60)
    with pytest.raises(ActionRefused) as refused:
        drill.act(Action("answer_call", inject="mejl"))
    assert refused.value.key == "action.not_a_call"
    drill.act(Action("reply", inject="samtal", text="Vi återkommer."))
    drill.advance(600)
    assert "samtal" not in _missed(drill.drain())


def test_a_missed_caller_tries_again_or_turns_elsewhere():
    drill = _drill(
        inject("tjansteman", at="1m", **{"from": "tib"}),
        inject("journalist", at="1m"),
        inject("invanare", at="1m", **{"from": "folk"}),
    )
    drill.run_to_end()
    events = drill.drain()
    ids = {e.data["id"]: e for e in events if e.kind == "inject"}
    again = ids["tjansteman+r"]
    assert 120 + 180 <= again.t <= 120 + 360 and again.data["channel"] == "phone"
    switchboard = ids["journalist+kc"]
    assert switchboard.t == 120 and "Anna Ek (P4 Test)" in switchboard.data["text"]
    post = next(e for e in events if e.kind == "post" and e.data["id"].startswith("c"))
    assert post.t == 120 and post.data["thread"] == "grupp"
    assert {"tjansteman", "journalist", "invanare", "tjansteman+r"} <= set(_missed(events))
    assert "tjansteman+r+r" not in ids  # once


# --- bot teams pick up the phone (engine/policies.py) ---


def _bot_run(policy: str, seed: int = 5):
    from pathlib import Path

    from krisovning.engine.policies import make_policy
    from krisovning.scenario import load_scenario

    s = load_scenario(Path(__file__).parents[1] / "scenarios" / "dricksvatten.yaml")
    drill = Drill(s, seed, make_policy(policy))
    drill.run_to_end()
    events = drill.drain()
    calls = {
        e.data["id"]: e
        for e in events
        if e.kind == "inject" and e.data["channel"] == "phone" and e.data["source"] != "story"
    }
    actions = [(e.t, e.data["action"]) for e in events if e.kind == "action"]
    return calls, actions, _missed(events), events


@pytest.mark.parametrize("seed", [1, 5, 9])
def test_the_realistic_bot_picks_up_most_calls_while_they_ring_and_replies_before_hanging_up(seed):
    calls, actions, missed, _ = _bot_run("realistic", seed)
    answered = {a["inject"]: t for t, a in actions if a["kind"] == "answer_call"}
    assert len(calls) >= 10, "the scenario should bring calls"
    assert len(answered) >= 0.6 * len(calls) and not set(answered) & set(missed)
    for inject_id, t in answered.items():
        assert calls[inject_id].t < t < calls[inject_id].t + 60  # within the ring
        reply = next((rt for rt, a in actions if a["kind"] == "reply" and a.get("inject") == inject_id), None)
        if reply is None:  # the drill ended during the call, before the reply was said
            assert t > 3 * 3600 - 4 * 60
            continue
        assert t + 60 <= reply <= t + 4 * 60  # said on the phone, before hanging up
    # a call nobody picked up rang out (unless the drill ended while it rang)
    assert set(missed) <= set(calls) - set(answered)
    assert all(calls[i].t > 3 * 3600 - 60 for i in set(calls) - set(answered) - set(missed))


def test_the_silent_bot_picks_up_nothing_and_every_call_is_missed():
    calls, actions, missed, _ = _bot_run("silent")
    assert calls and not actions
    assert sorted(missed) == sorted(i for i, e in calls.items() if e.t <= 3 * 3600 - 60)


def test_a_bots_calls_are_deterministic_and_differ_by_policy():
    from krisovning.engine.events import digest_of

    assert digest_of(_bot_run("realistic")[3]) == digest_of(_bot_run("realistic")[3])
    diligent, slow = _bot_run("diligent")[2], _bot_run("slow")[2]
    assert len(diligent) < len(slow)
