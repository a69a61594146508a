"""Issue 18 point 6: `missed` reactions by generator, a thread's own rate in `metric` conditions,
`scale_baseline` on a thread without baseline, and injects a team must not answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from krisovning.engine.drill import Drill
from krisovning.engine.headless import run_headless
from krisovning.engine.policies import make_policy
from krisovning.metrics.figures import gather
from krisovning.metrics.objectives import evaluate, evidence_text
from krisovning.scenario import ScenarioError, load_scenario, load_scenario_bytes
from tests.scenario_factory import inject, scenario, social, thread

ROOT = Path(__file__).resolve().parent.parent


def _problems(data: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario_bytes(data.encode("utf-8"), "x.yaml")
    return [str(p) for p in caught.value.problems]


HEAD = """\
format: 1
id: x
title: X
duration: 2h
start: 2026-03-10T08:00
organisation: {name: Testby}
roles: [{id: press, name: Press}]
personas: [{id: p4, name: Anna Ek, kind: journalist, outlet: P4}]
"""


# --- missed reactions filtered by generator ---


def _generated(reaction: dict) -> Drill:
    gen = {
        "id": "samtal",
        "per_hour": 30,
        "channels": ["phone"],
        "from": ["p4"],
        "to": ["press"],
        "templates": ["Hallå?"],
        "expect": {"action": "reply", "within": "5m"},
    }
    other = {**gen, "id": "mejl", "channels": ["email"]}
    s = scenario(
        duration="1h",
        generators=[gen, other],
        social=social(thread("kritik", baseline=1), reactions=[{"on": "missed", **reaction}]),
    )
    drill = Drill(s, seed=3, policy=make_policy("silent"))
    drill.run_to_end()
    return drill


def test_missed_reaction_fires_only_for_its_generator():
    drill = _generated({"generators": ["samtal"], "effect": {"thread": "kritik", "spike": 5}})
    events = drill.drain()
    missed = [e.data["inject"] for e in events if e.kind == "expectation_missed"]
    assert any(m.startswith("samtal#") for m in missed) and any(m.startswith("mejl#") for m in missed)
    causes = [e.data["cause"] for e in events if e.kind == "social_effect"]
    assert causes and all(c.startswith("missed:samtal#") for c in causes)
    assert len(causes) == sum(1 for m in missed if m.startswith("samtal#"))


def test_missed_reaction_by_inject_or_generator():
    drill = _generated({"generators": ["mejl"], "injects": ["nothing-here"], "effect": {"thread": "kritik"}})
    causes = {e.data["cause"].split("#")[0] for e in drill.drain() if e.kind == "social_effect"}
    assert causes == {"missed:mejl"}


def test_generators_are_checked():
    text = HEAD + (
        "injects: [{id: a, at: 1m, channel: phone, from: p4, to: press, text: x}]\n"
        "social:\n  authors: [p4]\n  threads: [{id: t, mix: {question: 1}, templates: {question: [x]}}]\n"
        "  reactions:\n"
    )
    unknown = "\n".join(_problems(text + "    - {on: missed, generators: [mediesamtal], effect: {thread: t}}\n"))
    assert "okänd generator: mediesamtal" in unknown or ("mediesamtal" in unknown and "generator" in unknown)
    wrong_on = _problems(text + "    - {on: publish, generators: [mediesamtal], effect: {thread: t}}\n")
    assert wrong_on == ["x.yaml:14:7: generators gäller bara on: missed"]


# --- a thread's own rate ---


def _rate_scenario(**when: object) -> object:
    return scenario(
        duration="1h",
        injects=[
            inject("start", at="20m", social={"thread": "rykte", "spike": 200}),
            inject("tv", when={"type": "metric", "metric": "posts_per_hour", "above": 200, **when}),
        ],
        social=social(thread("allmant", baseline=400), thread("rykte", baseline=0, branching=0.3)),
    )


def test_metric_on_one_thread():
    delivered = {}
    for label, when in (("feed", {}), ("thread", {"thread": "rykte"})):
        drill = Drill(_rate_scenario(**when), seed=5, policy=make_policy("silent"))
        drill.run_to_end()
        events = drill.drain()
        samples = [e for e in events if e.kind == "social_sample"]
        arrived = [e.t for e in events if e.kind == "inject" and e.data["id"] == "tv"]
        delivered[label] = arrived[0] if arrived else None
        if label == "thread":
            # it comes with the first sample where the rumour thread alone is above 200 posts an hour
            first = next(s.t for s in samples if s.data["threads"]["rykte"] > 200)
            assert first >= 20 * 60 and delivered["thread"] == first
    # the whole feed is above 200 an hour from the first sample (the general thread's baseline is 400)
    assert delivered["feed"] is not None and delivered["feed"] < delivered["thread"]


def test_thread_needs_posts_per_hour_and_a_known_thread():
    base = HEAD + "social:\n  authors: [p4]\n  threads: [{id: t, mix: {question: 1}, templates: {question: [x]}}]\n"
    wrong_metric = base + (
        "injects:\n"
        "  - {id: a, when: {type: metric, metric: rumour_share, above: 0.5, thread: t},"
        " channel: phone, from: p4, to: press, text: x}\n"
    )
    assert _problems(wrong_metric) == [
        "x.yaml:13:42: thread gäller bara metric: posts_per_hour (en tråds inlägg per timme)"
    ]
    unknown = base + (
        "injects:\n"
        "  - {id: b, when: {type: metric, metric: posts_per_hour, above: 5, thread: rykten},"
        " channel: phone, from: p4, to: press, text: x}\n"
    )
    assert any("rykten" in p and "tråd" in p for p in _problems(unknown))


# --- scale_baseline on a thread without baseline ---


def _zero(factor: float | None) -> list:
    later = {"social": {"thread": "r", "scale_baseline": factor}} if factor is not None else {}
    s = scenario(
        duration="1h",
        injects=[
            inject("rykte", at="10m", channel="email", social={"thread": "r", "spike": 60}, **{"from": "tib"}),
            inject("besked", at="15m", channel="email", **later, **{"from": "tib"}),
        ],
        social=social(thread("r", baseline=0, branching=0.3)),
    )
    drill = Drill(s, seed=2, policy=make_policy("silent"))
    drill.run_to_end()
    return drill.drain()


def test_scale_baseline_on_zero_baseline_scales_what_is_going_on():
    from krisovning.engine.social import Thread
    from krisovning.scenario.model import SocialEffect, SocialModel

    model = SocialModel.model_validate(social(thread("r", baseline=0)))
    th = Thread(model.threads[0], model, __import__("random").Random(1), __import__("random").Random(2))
    th.apply(SocialEffect(thread="r", spike=40), 0.0)
    before = th.intensity(60.0)
    th.apply(SocialEffect(thread="r", scale_baseline=0.5), 60.0)
    assert th.mu == 0 and th.intensity(60.0) == pytest.approx(before * 0.5)
    th.apply(SocialEffect(thread="r", scale_baseline=2), 60.0)
    assert th.intensity(60.0) == pytest.approx(before)

    def after(events):  # the rumour's posts once the municipality has spoken
        return sum(1 for e in events if e.kind == "post" and e.t > 15 * 60)

    as_before, quieter, louder = after(_zero(None)), after(_zero(0.25)), after(_zero(2))
    assert quieter < as_before < louder


def test_scale_baseline_still_multiplies_a_baseline():
    s = scenario(
        duration="1h",
        injects=[inject("a", at="10m", social={"thread": "r", "scale_baseline": 3})],
        social=social(thread("r", baseline=10)),
    )
    drill = Drill(s, seed=2, policy=make_policy("silent"))
    drill.run_to_end()
    effect = next(e for e in drill.drain() if e.kind == "social_effect")
    assert effect.data == {"thread": "r", "cause": "a", "baseline_factor": 3}
    assert drill.feed.threads["r"].mu * 3600 == pytest.approx(30)


# --- do not answer ---


def _extortion() -> object:
    return scenario(
        duration="1h",
        personas=[
            {"id": "p4", "name": "Anna Ek", "kind": "journalist", "outlet": "P4 Test"},
            {"id": "nordlock", "name": "Nordlock", "kind": "organisation"},
        ],
        injects=[
            inject("fraga", at="5m", expect={"action": "reply", "within": "15m"}),
            inject(
                "krav",
                at="10m",
                channel="email",
                **{"from": "nordlock"},
                do_not_answer=True,
                expect={"action": "decision", "within": "15m"},
            ),
        ],
        objectives=[
            {"id": "svar", "title": "Svar", "criterion": {"type": "response_time", "within": "15m"}},
            {
                "id": "nyckel",
                "title": "Nyckelinspel",
                "criterion": {"type": "expectations_met", "injects": ["fraga", "krav"]},
            },
        ],
    )


def test_bots_do_not_answer_it():
    s = _extortion()
    _, events = run_headless(s, 1, "diligent")
    replies = [
        e.data["action"].get("inject") for e in events if e.kind == "action" and e.data["action"]["kind"] == "reply"
    ]
    assert "fraga" in replies and "krav" not in replies
    krav = next(e for e in events if e.kind == "inject" and e.data["id"] == "krav")
    assert krav.data["do_not_answer"] is True
    assert "do_not_answer" not in next(e for e in events if e.kind == "inject" and e.data["id"] == "fraga").data
    results = {r.id: r for r in evaluate(s, gather(events))}
    assert results["svar"].outcome == "met" and "answered_wrongly" not in results["svar"].evidence
    assert results["nyckel"].outcome == "met"


def test_a_reply_to_it_counts_against_the_team():
    from krisovning.engine.actions import Action

    s = _extortion()
    drill = Drill(s, seed=1, policy=make_policy("diligent"))
    drill.advance(11 * 60)
    drill.act(Action("reply", inject="krav", text="Vi betalar inte.", role="press"))
    drill.run_to_end()
    facts = gather(drill.drain())
    results = {r.id: r for r in evaluate(s, facts)}
    svar, nyckel = results["svar"], results["nyckel"]
    e = svar.evidence
    assert e["answered_wrongly"] == 1 and e["share"] == round(e["in_time"] / (e["count"] + 1), 3) < 1
    assert e["count"] == len([i for i in facts.injects.values() if not i.do_not_answer])
    assert svar.outcome != "met"
    assert nyckel.evidence["answered_wrongly"] == 1 and nyckel.outcome != "met"
    assert "Svar på inspel som inte skulle besvaras: 1." in evidence_text(svar)


def test_do_not_answer_cannot_expect_a_reply():
    text = HEAD + (
        "injects:\n  - {id: a, at: 1m, channel: email, from: p4, to: press, text: x, do_not_answer: true,"
        " expect: {action: reply, within: 5m}}\n"
    )
    assert any("do_not_answer: true kan inte förvänta sig ett svar" in p for p in _problems(text))


def test_ransomware_marks_the_extortion_mail():
    s = load_scenario(ROOT / "scenarios" / "ransomware.yaml")
    mail = next(i for i in s.injects if i.id == "hackare-mejl")
    assert mail.do_not_answer
    _, events = run_headless(s, s.seed, "diligent")
    replied = {e.data["action"].get("inject") for e in events if e.kind == "action"}
    assert "hackare-mejl" not in replied
