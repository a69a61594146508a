"""The self-exciting social-media model against its analytic properties (docs/architecture.md §5)."""

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
    s = scenario(
        duration="6h",
        social=social(thread(baseline=0, branching=0.5), spikes=[{"at": "1m", "thread": "t", "size": 400}]),
    )
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


class OneQueueEntryPerPost(Drill):
    """The reference: every post waits for its own turn in SimPy's queue (no post runs ahead)."""

    until = property(lambda self: self.env.now, lambda self, value: None)


def _busy_feed(max_posts: int):
    templates = {
        c: [f"{c} från {{author.name}}", f"{c} kl {{time}} i {{plats}}", f"{c} utan namn"]
        for c in ("information", "question", "rumour", "criticism", "support", "eyewitness")
    }
    return scenario(
        duration="1h30m",
        start="2026-03-10T08:00:30",  # so that the minute of {time} changes between two samples
        personas=[{"id": "p4", "name": "Anna Ek", "kind": "journalist", "outlet": "P4 Test", "handle": "@annaek"}],
        injects=[
            {
                "id": "ring",
                "at": "5m",
                "channel": "phone",
                "from": "p4",
                "to": "press",
                "text": "Hej",
                "expect": {"action": "reply", "within": "10m"},
            }
        ],
        generators=[
            {
                "id": "fragor",
                "kind": "citizen",
                "per_hour": 40,
                "channels": ["email"],
                "from": ["folk"],
                "to": ["kommunikation"],
                "templates": ["Fråga om {plats}"],
            }
        ],
        social=social(
            thread("allmant", baseline=900, branching=0.7, mix={"information": 0.5, "question": 0.3, "support": 0.2}),
            thread("rykte", baseline=200, branching=0.8, mix={"rumour": 0.7, "criticism": 0.3}),
            thread("tyst", baseline=0, branching=0.3, mix={"support": 1.0}),  # only a spike, which dies out
            authors=["folk", "p4"],
            max_posts=max_posts,
            templates=templates,
            spikes=[
                {"at": "2m", "thread": "allmant", "size": 3000},
                {"at": "20m", "thread": "rykte", "size": 800},
                {"at": "30m", "thread": "tyst", "size": 60},
            ],
            reactions=[
                {"on": "publish", "effect": {"thread": "rykte", "set_branching": 0.3, "scale_baseline": 0.5}},
                {"on": "missed", "effect": {"thread": "rykte", "spike": 300}},
            ],
        ),
    )


def _play(cls, s, seed: int, step: float | None):
    from krisovning.engine.actions import Action

    drill = cls(s, seed=seed)
    t = 0.0
    published = False
    while not drill.finished:
        t = drill.end_time if step is None and published else t + (step or 600.0)
        drill.advance(t)
        if not published and drill.now >= 25 * 60:
            drill.act(Action("publish", text="Läget just nu", channels=("web",)))
            published = True
    return drill.drain()


def test_posts_delivered_in_one_turn_equal_one_queue_entry_each():
    for max_posts, seed, step in ((200_000, 3, None), (200_000, 4, 5.0), (2_500, 6, 0.7), (1_000, 8, None)):
        s = _busy_feed(max_posts)
        fast = _play(Drill, s, seed, step)
        reference = _play(OneQueueEntryPerPost, s, seed, step)
        assert len(posts(fast)) >= min(2_000, max_posts)
        assert [e.canonical() for e in fast] == [e.canonical() for e in reference]
        times = [e.t for e in fast]
        assert times == sorted(times)
        if max_posts == 200_000:
            assert len(posts(fast, "tyst")) > 40
        if max_posts < 200_000:
            assert len(posts(fast)) == max_posts
            assert [e.data for e in fast if e.kind == "social_capped"] == [{"max_posts": max_posts}]


def test_a_lone_thread_that_dies_out_leaves_the_drill_running_to_its_end():
    s = scenario(
        duration="1h",
        social=social(thread(baseline=0, branching=0.5), spikes=[{"at": "1m", "thread": "t", "size": 80}]),
    )
    fast = _play(Drill, s, 3, None)
    assert 40 < len(posts(fast)) < 400
    assert fast[-1].kind == "drill_end" and fast[-1].t == 3600
    assert [e.canonical() for e in fast] == [e.canonical() for e in _play(OneQueueEntryPerPost, s, 3, None)]


def test_the_busy_feed_plays_as_it_always_has():
    # The stream of a busy feed (every template kind, effects, the cap), pinned: a change to the feed's loop or
    # to the Hawkes step that is meant to change no draw must keep these digests.
    from krisovning.engine import digest_of

    assert digest_of(_play(Drill, _busy_feed(200_000), 3, None)) == (
        "bdf8cc7e0309e74c567a46ea162676dd0445dda2daf30956d14390777fef9f1d"
    )
    assert digest_of(_play(Drill, _busy_feed(2_500), 6, 0.7)) == (
        "0a6e7150aab364645d744949f4c2f5be197d7fb55a83004bf5158df65c420c7b"
    )


def test_the_feed_times_its_posts_with_the_one_hawkes_step():
    # A lone thread, replayed from its timing stream with social.next_wait: the feed's loop and the thread
    # draw the next post with that one function, so a change to the model is made once.
    from krisovning.engine.rng import stream
    from krisovning.engine.social import next_wait

    s = scenario(duration="2h", social=social(thread(baseline=40, branching=0.6)))
    drill = Drill(s, seed=5)
    t = drill.feed.threads["t"]
    beta, mu, n_beta = t.beta, t.mu, t.n * t.beta
    drill.run_to_end()
    times = [e.t for e in posts(drill.drain())]
    random = stream(5, "thread:t").random
    expected, excitation, now = [], 0.0, 0.0
    at = next_wait(0.0, beta, mu, random)
    while at < drill.end_time:
        excitation = excitation * math.exp(-beta * (at - now)) + n_beta
        now = at
        expected.append(now)
        at = now + next_wait(excitation, beta, mu, random)
    assert len(expected) > 100
    assert times == expected


def test_the_standard_library_draws_what_the_engine_writes_out():
    # social.next_wait writes out random.expovariate's draw (the generators call it), and the feed writes out
    # random.choices(cum_weights=…) with social.Chooser's tables: the same numbers from the same stream.
    import random
    from bisect import bisect

    from krisovning.engine.social import Chooser

    chooser = Chooser(["information", "question", "rumour", "support"], [0.4, 0.3, 0.2, 0.1])
    for seed in range(500):
        ours, theirs = random.Random(seed), random.Random(seed)
        for rate in (1 / 3600, 0.05, 7.0):
            assert -math.log(1.0 - ours.random()) / rate == theirs.expovariate(rate)
        for _ in range(5):
            picked = chooser.items[bisect(chooser.cumulative, ours.random() * chooser.total)]
            assert picked == theirs.choices(chooser.items, cum_weights=chooser.cumulative)[0]
