"""The engine: timeline, conditions, expectations, actions and their refusals."""

from __future__ import annotations

import pytest
from scenario_factory import inject, scenario, social, starter, thread

from krisovning.engine import Action, ActionRefused, Drill, digest_of

MIN = 60.0


def kinds(events, kind):
    return [e for e in events if e.kind == kind]


def delivered(events):
    return [e.data["id"] for e in events if e.kind == "inject"]


def test_scripted_injects_arrive_at_their_time_with_filled_templates():
    s = scenario(injects=[inject("a", at="5m"), inject("b", at="1m", subject="Om {plats}")])
    drill = Drill(s, seed=1)
    drill.advance(4 * MIN)
    first = drill.drain()
    assert [i for i in delivered(first) if "+" not in i] == ["b"]  # "b+kc": the missed caller's message
    drill.run_to_end()
    events = first + drill.drain()
    a = next(e for e in events if e.kind == "inject" and e.data["id"] == "a")
    assert a.t == 5 * MIN
    assert a.data["text"] == "Inspel a i Testby"
    assert a.data["world_time"] == "2026-03-10T08:05:00"
    assert a.data["sender"]["outlet"] == "P4 Test"
    b = next(e for e in events if e.kind == "inject" and e.data["id"] == "b")
    assert b.data["subject"] == "Om Testby"
    assert events[-1].kind == "drill_end" and events[-1].t == 2 * 3600


def test_after_fires_relative_to_delivery_and_never_if_the_first_never_comes():
    s = scenario(
        injects=[
            inject("a", at="10m"),
            inject("b", after="a", delay="5m"),
            inject("c", when={"type": "met", "inject": "x"}),
            inject("x", at="1m", expect={"action": "reply", "within": "5m"}),
            inject("d", after="c"),
        ]
    )
    drill = Drill(s, seed=1)
    drill.run_to_end()
    events = drill.drain()
    times = {e.data["id"]: e.t for e in kinds(events, "inject")}
    assert times["b"] == 15 * MIN
    assert "c" not in times and "d" not in times  # x was never answered, so never met


def test_missed_expectation_fires_the_follow_up_and_a_reply_prevents_it():
    s = scenario(
        injects=[
            inject("call", at="5m", expect={"action": "reply", "within": "15m"}),
            inject("callback", when={"type": "missed", "inject": "call"}, delay="5m", channel="radio"),
        ]
    )
    ignored = Drill(s, seed=1)
    ignored.run_to_end()
    events = ignored.drain()
    missed = kinds(events, "expectation_missed")
    assert [e.data["inject"] for e in missed] == ["call"] and missed[0].t == 20 * MIN
    assert next(e.t for e in events if e.kind == "inject" and e.data["id"] == "callback") == 25 * MIN

    answered = Drill(s, seed=1)
    answered.advance(12 * MIN)
    answered.act(Action("reply", inject="call", text="Vi återkommer."))
    answered.run_to_end()
    events = answered.drain()
    met = kinds(events, "expectation_met")
    assert met[0].data == {"inject": "call", "action": met[0].data["action"], "response": 7 * MIN}
    assert "callback" not in delivered(events)
    assert not kinds(events, "expectation_missed")


def test_publish_expectation_needs_a_matching_channel():
    s = scenario(
        injects=[
            inject("krav", at="1m", expect={"action": "publish", "within": "30m", "channels": ["web"]}),
        ]
    )
    drill = Drill(s, seed=1)
    drill.advance(2 * MIN)
    drill.act(Action("publish", text="Intranät", channels=("intranet",)))
    drill.advance(3 * MIN)
    drill.act(Action("publish", text="Webb", channels=("web", "social")))
    drill.run_to_end()
    met = kinds(drill.drain(), "expectation_met")
    assert len(met) == 1 and met[0].t == 3 * MIN


def test_when_action_no_action_and_metric_conditions():
    s = scenario(
        injects=[
            inject("efter-beslut", when={"type": "action", "action": "decision"}, delay="2m"),
            inject("tystnad", when={"type": "no_action", "action": "publish", "by": "30m"}),
            inject("inget", when={"type": "no_action", "action": "decision", "by": "30m"}),
            inject("tryck", when={"type": "metric", "metric": "posts_per_hour", "above": 500}),
        ],
        social=social(thread(baseline=0, branching=0.5), spikes=[{"at": "40m", "thread": "t", "size": 300}]),
    )
    drill = Drill(s, seed=3)
    drill.advance(10 * MIN)
    drill.act(Action("decision", text="Vi samordnar."))
    drill.run_to_end()
    times = {e.data["id"]: e.t for e in kinds(drill.drain(), "inject")}
    assert times["efter-beslut"] == 12 * MIN
    assert times["tystnad"] == 30 * MIN
    assert "inget" not in times
    assert 40 * MIN <= times["tryck"] <= 41 * MIN  # checked every minute


def test_facilitator_fires_skips_and_adds_injects():
    s = scenario(injects=[inject("a", at="30m"), inject("b", at="40m")])
    drill = Drill(s, seed=1)
    drill.advance(5 * MIN)
    drill.act(Action("fire_inject", inject="a"))
    drill.act(Action("skip_inject", inject="b"))
    drill.act(
        Action(
            "add_inject",
            fields={
                "channel": "email",
                "to": "press",
                "text": "Ad hoc",
                "from": "SVT",
                "expect": "reply",
                "within": "10m",
            },
        )
    )
    drill.run_to_end()
    events = drill.drain()
    injects = {e.data["id"]: e for e in kinds(events, "inject")}
    assert injects["a"].t == 5 * MIN and "b" not in injects
    adhoc = injects["adhoc#1"]
    assert adhoc.data["sender"]["name"] == "SVT" and adhoc.data["expect"]["deadline"] == 15 * MIN
    with pytest.raises(ActionRefused) as refused:
        drill.act(Action("fire_inject", inject="a"))
    assert refused.value.key == "action.ended"


@pytest.mark.parametrize(
    ("action", "key"),
    [
        (Action("reply", inject="nope", text="x"), "action.unknown_inject"),
        (Action("reply", inject="a", text="  "), "action.empty_text"),
        (Action("publish", text="x"), "action.no_channel"),
        (Action("publish", text="x", channels=("fax",)), "action.bad_channel"),
        (Action("checklist", checklist="nope", item="x"), "action.unknown_checklist"),
        (Action("checklist", checklist="forsta-timmen", item="nope"), "action.unknown_item"),
        (Action("fire_inject", inject="a"), "action.inject_not_pending"),
        (Action("fire_inject", inject="zzz"), "action.unknown_inject"),
        (Action("add_inject", fields={"channel": "fax", "to": "press", "text": "x"}), "action.bad_inject_channel"),
        (Action("add_inject", fields={"channel": "sms", "to": "chef", "text": "x"}), "action.unknown_role"),
        (Action("speed", speed=0), "action.bad_speed"),
        (Action("dance"), "action.unknown_kind"),
        (Action("decision", text="x" * 10_001), "action.too_long"),
    ],
)
def test_actions_are_validated_with_a_clear_refusal(action, key):
    s = scenario(
        injects=[inject("a", at="1m")],
        checklists=[{"id": "forsta-timmen", "title": "Första timmen", "items": [{"id": "samla", "text": "Samla"}]}],
    )
    drill = Drill(s, seed=1)
    drill.advance(2 * MIN)
    before = drill.drain()
    with pytest.raises(ActionRefused) as refused:
        drill.act(action)
    assert refused.value.key == key
    assert drill.drain() == []  # a refused action leaves no trace
    assert before


def test_twice_is_refused_for_replies_and_checklist_ticks():
    s = scenario(
        injects=[inject("a", at="1m")],
        checklists=[{"id": "c", "title": "C", "items": [{"id": "i", "text": "I"}]}],
    )
    drill = Drill(s, seed=1)
    drill.advance(2 * MIN)
    drill.act(Action("reply", inject="a", text="Svar"))
    drill.act(Action("checklist", checklist="c", item="i"))
    for action, key in (
        (Action("reply", inject="a", text="Igen"), "action.already_answered"),
        (Action("checklist", checklist="c", item="i"), "action.already_ticked"),
    ):
        with pytest.raises(ActionRefused) as refused:
            drill.act(action)
        assert refused.value.key == key


def test_advance_never_goes_backwards_and_never_past_the_end():
    drill = Drill(scenario(injects=[inject("a", at="1m")]), seed=1)
    drill.advance(10 * MIN)
    drill.advance(5 * MIN)  # a no-op, not a ValueError
    assert drill.now == 10 * MIN
    drill.advance(99 * 3600)
    assert drill.now == 2 * 3600 and drill.finished


def test_small_steps_equal_one_big_step_with_the_same_actions():
    s = starter()
    big = Drill(s, seed=5)
    big.advance(9 * MIN)
    big.act(Action("reply", inject="p4-ringer", text="Svar"))
    big.run_to_end()
    small = Drill(s, seed=5)
    t = 0.0
    acted = False
    while not small.finished:
        t = round(t + 0.1, 1)
        small.advance(t)
        if not acted and t >= 9 * MIN:
            small.act(Action("reply", inject="p4-ringer", text="Svar"))
            acted = True
    assert digest_of(big.drain()) == digest_of(small.drain())


def test_every_action_kind_has_one_handler_in_the_table():
    # Actions are dispatched by an explicit table (engine/actions_apply.py), not by name: every kind is
    # in it, and act() goes through it.
    from krisovning.vocab import ALL_ACTION_KINDS as KINDS

    drill = Drill(starter(), seed=1)
    assert set(drill.actions.handlers) == set(KINDS)
    taken = []
    drill.actions.handlers["decision"] = lambda action: taken.append(action) or "taken"
    action = Action("decision", text="Vi samlar krisledningen")
    assert drill.act(action) == "taken" and taken == [action]
