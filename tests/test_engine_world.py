"""The world of issue #16: composed posts, facts that become public, template conditions, volume by population."""

from __future__ import annotations

import random
from pathlib import Path

import msgspec
import pytest
from hostile import SCENARIO_SAFE, has_raw_control
from scenario_factory import BASE, scenario, social, thread

from krisovning.engine import Drill
from krisovning.engine.actions import Action
from krisovning.engine.headless import run_headless
from krisovning.engine.typed import FactPublic, Post, decode_event, typed
from krisovning.metrics.figures import peak_rate
from krisovning.metrics.variety import variety
from krisovning.scenario import load_scenario
from krisovning.scenario.model import REFERENCE_POPULATION, hidden_facts
from krisovning.scenario.templates import TemplateSyntaxError, Variants, parse_variants

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))
CATEGORIES = ("information", "question", "rumour", "criticism", "support", "eyewitness")


def posts(events):
    return [e for e in events if e.kind == "post"]


def play(s, seed=1, actions=()):
    """Run `s` to its end, taking each (time, action) on the way; the whole stream."""
    drill = Drill(s, seed=seed)
    for at, action in actions:
        drill.advance(at)
        drill.act(action)
    drill.run_to_end()
    return drill.drain()


# --- alternations ---


def test_an_alternation_draws_each_of_its_alternatives_and_keeps_placeholders_working():
    v = Variants("{Hur länge|Hur länge ungefär|Vet någon hur länge} ska man koka? {|Hämta vid {plats}.} {{x}}")
    rng = random.Random(3)
    texts = {v.render(rng.random, {}, {"plats": "Torget"}) for _ in range(200)}
    assert {t.split(" ska")[0] for t in texts} == {"Hur länge", "Hur länge ungefär", "Vet någon hur länge"}
    assert any(t.endswith("? Hämta vid Torget. {x}") for t in texts)
    assert any(t.endswith("?  {x}") for t in texts)  # the empty alternative
    assert v.names == {"plats"}


@pytest.mark.parametrize("bad", ["{a b}", "{a|b", "x}", "{a|{b c}}", "{}", "{a|{b}"])
def test_a_broken_alternation_is_a_syntax_error(bad):
    with pytest.raises(TemplateSyntaxError):
        parse_variants(bad)


# --- variety (the targets on every bundled scenario) ---


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_bundled_scenario_meets_the_variety_targets(path):
    s = load_scenario(path)
    for seed in (1, 2, 3):
        _, events = run_headless(s, seed, "realistic")
        v = variety(events, hidden_facts(s))
        assert v["originals"] >= 40, (seed, v)
        assert v["unique_share"] >= 0.6, (seed, v)
        assert v["worst_repeat"] == 1, (seed, v)
        assert v["early_facts"] == 0, (seed, v)
        assert v["shares"] > 0


def test_no_account_posts_one_text_twice_even_with_one_template_and_one_author():
    s = scenario(
        duration="3h",
        social=social(
            thread(baseline=300, branching=0.3, mix={"question": 1}),
            authors=["tib"],
            templates={"question": ["Vet någon?"]},
            generic=False,
        ),
    )
    texts = [p.data["text"] for p in posts(play(s))]
    assert len(texts) > 200
    assert len(set(texts)) == len(texts)


def test_a_share_repeats_an_earlier_post_of_another_account_and_says_which():
    events = play(scenario(social=social(thread(baseline=400, branching=0.3, mix={"rumour": 1}))), seed=4)
    by_id = {p.data["id"]: p for p in posts(events)}
    shares = [p for p in by_id.values() if p.data["repost_of"]]
    assert len(shares) > 20
    for share in shares:
        original = by_id[share.data["repost_of"]]
        assert original.seq < share.seq and original.data["repost_of"] is None
        assert original.data["text"] == share.data["text"]
        assert original.data["author"] != share.data["author"] or original.data["handle"] != share.data["handle"]


def test_the_texture_layer_and_the_library_can_be_switched_off():
    templates = {c: [f"{c} ett"] for c in CATEGORIES}
    s = scenario(social=social(thread(baseline=300), templates=templates, texture=False, generic=False))
    originals = [p for p in posts(play(s)) if not p.data["repost_of"]]
    assert originals and all(p.data["text"].startswith("information ett") for p in originals)
    with_library = scenario(social=social(thread(baseline=300), templates=templates))
    texts = [p.data["text"] for p in posts(play(with_library))]
    assert any("information ett" not in t for t in texts)  # the generic library speaks too


def test_hostile_scenario_text_comes_out_as_it_was_written():
    templates = {c: list(SCENARIO_SAFE[:5]) for c in CATEGORIES}
    s = scenario(
        social=social(thread(baseline=300), templates=templates, places=list(SCENARIO_SAFE[5:10]), texture=True)
    )
    texts = [p.data["text"] for p in posts(play(s))]
    assert len(texts) > 100
    assert not any(has_raw_control(t) for t in texts)
    assert any("[@click=app.quit]Avsluta[/]" in t for t in texts)  # not eaten by anything


# --- facts that are not public yet ---


def _hidden_scenario(**extra):
    facts = {
        "plats": "Testby",
        "omrade": {"value": "Norra Testby", "public": False, "keywords": ["Norra Testby", "norra delen"]},
        "antal": {"value": "1 200", "public": False},  # found by its value
    }
    templates = {
        "information": [
            "Det gäller {omrade}.",
            {"text": "Kokningsrådet gäller hela {plats}.", "facts": ["antal"]},
            "Allmän info.",
        ]
    }
    return scenario(facts=facts, social=social(thread(baseline=600, branching=0.2), templates=templates), **extra)


def test_a_post_never_uses_a_fact_before_a_publication_mentions_it():
    s = _hidden_scenario()
    events = play(s, actions=[(1800, Action("publish", text="Det gäller NORRA  testby.", channels=("web",)))])
    public = [e for e in events if e.kind == "fact_public"]
    assert [(e.t, e.data["fact"]) for e in public] == [(1800, "omrade")]
    action = next(e for e in events if e.kind == "action")
    assert public[0].data["source"] == f"action:{action.seq}"
    using = [p for p in posts(events) if "omrade" in p.data["facts"]]
    assert using and all(p.t >= 1800 for p in using)
    assert not any("antal" in p.data["facts"] for p in posts(events))  # never mentioned: never used
    assert variety(events, hidden_facts(s))["early_facts"] == 0


def test_an_internal_publication_reveals_nothing_and_a_value_is_a_keyword():
    events = play(
        _hidden_scenario(),
        actions=[
            (600, Action("publish", text="Norra Testby, 1 200 hushåll", channels=("intranet",))),
            (1200, Action("publish", text="Det gäller 1 200 hushåll.", channels=("social",))),
        ],
    )
    assert [(e.t, e.data["fact"]) for e in events if e.kind == "fact_public"] == [(1200, "antal")]


def test_an_inject_that_reveals_a_fact_makes_it_public_when_it_arrives():
    inject = {"id": "p4", "at": "40m", "channel": "radio", "from": "p4", "to": "press", "text": "P4 sänder"}
    s = _hidden_scenario(injects=[{**inject, "reveals": ["omrade"]}])
    events = play(s)
    public = [e for e in events if e.kind == "fact_public"]
    assert [(e.t, e.data) for e in public] == [(2400, {"fact": "omrade", "source": "inject:p4"})]
    arrived = next(e for e in events if e.kind == "inject")
    assert arrived.seq < public[0].seq
    using = [p for p in posts(events) if "omrade" in p.data["facts"]]
    assert using and min(p.t for p in using) >= 2400


def test_fact_public_and_the_post_fields_read_as_their_types():
    events = play(_hidden_scenario(), actions=[(600, Action("publish", text="norra delen", channels=("web",)))])
    for event in events:
        if event.kind in ("post", "fact_public"):
            read = decode_event(event.canonical())
            assert msgspec.structs.replace(read, t=event.t) == typed(event)  # t is journaled to the millisecond
    first = next(e for e in events if e.kind == "fact_public")
    assert decode_event(first.canonical()) == FactPublic(first.seq, first.t, "omrade", f"action:{first.seq - 1}")
    old = '{"kind":"post","seq":1,"t":1.0,"id":"p1","thread":"t","category":"question","sentiment":"neutral",'
    old += '"author":"A","handle":"","text":"x"}'
    assert decode_event(old) == Post(1, 1.0, "p1", "t", "question", "neutral", "A", "", "x", (), None)


# --- conditions on templates ---


def _conditional(**extra):
    templates = {
        "criticism": [
            {"text": "Varför säger kommunen ingenting?", "when": [{"type": "no_action", "action": "publish"}]},
            {"text": "Varför så sent?", "when": [{"type": "action", "action": "publish"}]},
            {"text": "Efter P4.", "when": [{"type": "inject", "inject": "p4"}]},
        ]
    }
    inject = {"id": "p4", "at": "1h", "channel": "radio", "from": "p4", "to": "press", "text": "P4"}
    return scenario(
        injects=[inject],
        social=social(thread(baseline=500, branching=0.2, mix={"criticism": 1}), templates=templates, **extra),
    )


def _starts(events, text):
    return [p.t for p in posts(events) if p.data["text"].startswith(text) and not p.data["repost_of"]]


def test_silence_is_criticised_until_the_first_public_statement_and_then_it_is_too_late():
    events = play(_conditional(texture=False), actions=[(1500, Action("publish", text="Besked", channels=("web",)))])
    silent, late, after_p4 = (
        _starts(events, "Varför säger"),
        _starts(events, "Varför så sent"),
        _starts(events, "Efter"),
    )
    assert silent and max(silent) <= 1500
    assert late and min(late) >= 1500
    assert after_p4 and min(after_p4) >= 3600
    # the library's own posts keep to the same phases: none of its "before" texts after the statement
    library = play(_conditional(), actions=[(1500, Action("publish", text="Besked", channels=("web",)))])
    assert not [t for t in _starts(library, "Varför säger") if t > 1500]
    assert not any("inget besked från kommunen" in p.data["text"].lower() for p in posts(library) if p.t > 1500)


def test_an_internal_publication_is_no_statement_to_the_public():
    events = play(
        _conditional(texture=False), actions=[(1500, Action("publish", text="Internt", channels=("intranet",)))]
    )
    assert max(_starts(events, "Varför säger")) > 1500
    assert not _starts(events, "Varför så sent")


def test_a_metric_condition_holds_while_the_latest_sample_says_so():
    templates = {
        "rumour": [
            {"text": "Ryktet lever!", "when": [{"type": "metric", "metric": "posts_per_hour", "above": 1500}]},
            "Vanligt rykte.",
        ]
    }
    s = scenario(
        social=social(
            thread(baseline=300, branching=0.5, mix={"rumour": 1}),
            templates=templates,
            texture=False,
            spikes=[{"at": "30m", "thread": "t", "size": 600}],
        )
    )
    events = play(s)
    loud = _starts(events, "Ryktet lever")
    samples = {e.t: e.data["rate"] for e in events if e.kind == "social_sample"}
    assert loud
    for t in loud:  # the sample before each such post was above the threshold
        before = max(st for st in samples if st <= t)
        assert samples[before] > 1500


# --- volume by population ---


def test_population_scales_baselines_and_spikes():
    def drill(population):
        data = {**BASE["organisation"], "population": population}
        s = scenario(
            organisation=data,
            social=social(thread(baseline=40), spikes=[{"at": "10m", "thread": "t", "size": 200}]),
        )
        d = Drill(s, seed=1)
        d.run_to_end()
        return d, d.drain()

    small, small_events = drill(25_000)
    full, full_events = drill(REFERENCE_POPULATION)
    assert small.feed.threads["t"].mu == pytest.approx(full.feed.threads["t"].mu / 4)
    spikes = [e.data["spike"] for e in small_events if e.kind == "social_effect"]
    assert spikes == [50]
    assert [e.data["spike"] for e in full_events if e.kind == "social_effect"] == [200]
    assert len(posts(small_events)) < len(posts(full_events)) / 2


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_small_town_sees_tens_to_a_few_hundred_posts_an_hour(path):
    s = load_scenario(path)
    assert s.organisation.population and s.organisation.population <= 50_000
    for seed in (1, 2):
        _, events = run_headless(s, seed, "realistic")
        times = [p.t for p in posts(events)]
        hours = s.duration / 3600
        assert 10 <= len(times) / hours <= 300, len(times) / hours
        assert peak_rate(times, 900) < 500
