"""The self-exciting social-media model against its analytic properties (REFERENCES §5)."""

from __future__ import annotations

import math
import statistics

from scenario_factory import scenario, social, starter, thread

from krisovning.engine import Drill
from krisovning.engine.headless import run_headless


def posts(events, thread_id=None):
    return [e for e in events if e.kind == "post" and (thread_id is None or e.data["thread"] == thread_id)]


def run(s, seed):
    drill = Drill(s, seed=seed)
    drill.run_to_end()
    return drill.drain()


def test_stationary_rate_is_baseline_over_one_minus_branching():
    # μ = 8/h, n = 0.6 ⇒ 20 posts/h; 24 h per run, 20 seeds.
    s = scenario(duration="24h", social=social(thread(baseline=8, branching=0.6)))
    counts = [len(posts(run(s, seed))) for seed in range(20)]
    expected = 8 / (1 - 0.6) * 24
    assert abs(statistics.mean(counts) - expected) / expected < 0.08


def test_a_spike_decays_with_the_observed_half_life_and_total_size():
    # m = 400 direct reactions, n = 0.5, kernel half-life 10 min:
    # total m/(1-n) = 800; observed volume half-life ln2/(β(1-n)) = 20 min.
    s = scenario(duration="6h", social=social(thread(baseline=0, branching=0.5),
                                              spikes=[{"at": "1m", "thread": "t", "size": 400}]))
    totals, early_shares = [], []
    for seed in range(10):
        times = [e.t for e in posts(run(s, seed))]
        totals.append(len(times))
        early_shares.append(sum(1 for t in times if t <= 60 + 20 * 60) / len(times))
    assert abs(statistics.mean(totals) - 800) / 800 < 0.08
    assert 0.45 < statistics.mean(early_shares) < 0.55


def test_samples_report_the_rate_every_minute():
    s = scenario(duration="30m", social=social(thread(baseline=36, branching=0.0)))
    samples = [e for e in run(s, 1) if e.kind == "social_sample"]
    assert [e.t for e in samples] == [60.0 * k for k in range(1, 30)]
    assert all(math.isclose(e.data["rate"], 36.0) for e in samples)  # no excitation when n = 0
    assert all(e.data["rumour_share"] == 0 for e in samples)


def test_an_official_message_lowers_the_rumours():
    s = starter()
    silent = [len(posts(run_headless(s, seed, "silent")[1], "rykte")) for seed in range(8)]
    diligent = [len(posts(run_headless(s, seed, "diligent")[1], "rykte")) for seed in range(8)]
    assert statistics.mean(diligent) < 0.5 * statistics.mean(silent)


def test_rumour_share_falls_after_the_publish_reaction():
    rumour = thread("r", baseline=60, branching=0.5, mix={"rumour": 1.0})
    plain = thread("p", baseline=60, branching=0.5, mix={"information": 1.0})
    reactions = [{"on": "publish", "effect": {"thread": "r", "set_branching": 0.1, "scale_baseline": 0.2}}]
    s = scenario(duration="2h", social=social(rumour, plain, reactions=reactions))
    from krisovning.engine import Action

    drill = Drill(s, seed=2)
    drill.advance(3600)
    before = drill.social_now()["rumour_share"]
    drill.act(Action("publish", text="Dementi", channels=("web",)))
    drill.advance(3600 + 30 * 60)
    after = drill.social_now()["rumour_share"]
    assert after < before * 0.5


def test_the_post_cap_is_announced_once():
    s = scenario(duration="1h", social=social(thread(baseline=5000, branching=0.0), max_posts=100))
    events = run(s, 1)
    assert len(posts(events)) == 100
    assert [e.data for e in events if e.kind == "social_capped"] == [{"max_posts": 100}]
