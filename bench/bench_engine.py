"""Engine benchmark (targets: docs/performance.md): a 4-hour drill with ≥ 20,000 social posts, headless.

Prints the engine's time, the time of a bare SimPy loop producing the same number of
events at the same times (measured in the same run), and their ratio per event.
Times are CPU time of this process (time.process_time), the minimum over the repeats —
as timeit does — so that other work on a shared machine disturbs the figures least.
It also prints the digest of the stream it timed: two runs compare only if it is the same.
Run: python bench/bench_engine.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import simpy

from krisovning.engine import Drill, Event, digest_of
from krisovning.engine.policies import make_policy
from krisovning.scenario import Scenario

HEAVY = {
    "id": "bench-heavy",
    "title": "Benchmark: tung övning",
    "duration": "4h",
    "start": "2026-03-10T08:00",
    "organisation": {"name": "Benchby kommun"},
    "roles": [{"id": "press", "name": "Press"}, {"id": "webb", "name": "Webb"}],
    "facts": {"plats": "Benchby"},
    "personas": [{"id": "p4", "name": "Anna Ek", "kind": "journalist", "outlet": "P4"}],
    "persona_pools": [{"id": "folk", "kind": "citizen", "size": 2000}],
    "injects": [
        {
            "id": f"i{k}",
            "at": f"{5 + 10 * k}m",
            "channel": "phone",
            "from": "p4",
            "to": "press",
            "text": "Hej, {sender.name} på {sender.outlet}. Vad händer i {plats}?",
            "expect": {"action": "reply", "within": "15m"},
        }
        for k in range(20)
    ],
    "generators": [
        {
            "id": "fragor",
            "kind": "citizen",
            "per_hour": 30,
            "channels": ["email", "social"],
            "from": ["folk"],
            "to": ["webb"],
            "templates": ["Fråga från {sender.name} om {plats}"],
            "expect": {"action": "reply", "within": "30m"},
        }
    ],
    "social": {
        "authors": ["folk"],
        "half_life": "10m",
        "max_posts": 200000,
        "threads": [
            {
                "id": "allmant",
                "baseline": 220,
                "branching": 0.6,
                "mix": {"information": 0.4, "question": 0.3, "eyewitness": 0.2, "support": 0.1},
            },
            {"id": "rykte", "baseline": 20, "branching": 0.85, "mix": {"rumour": 0.8, "criticism": 0.2}},
        ],
        "spikes": [{"at": "5m", "thread": "allmant", "size": 6000}, {"at": "1h10m", "thread": "rykte", "size": 1500}],
        "reactions": [{"on": "publish", "effect": {"thread": "rykte", "set_branching": 0.5}}],
        "templates": {
            "information": ["{author.name}: strömmen är borta i {plats}"],
            "question": ["Vet någon vad som händer i {plats}?"],
            "eyewitness": ["Ser rök över {plats} just nu"],
            "support": ["Tack till alla som jobbar i natt!"],
            "rumour": ["Hört att det är mycket värre än kommunen säger"],
            "criticism": ["Varför säger {organisation} ingenting?"],
        },
    },
}


def run_engine(scenario: Scenario, seed: int) -> tuple[float, list[Event]]:
    started = time.process_time()
    drill = Drill(scenario, seed=seed, policy=make_policy("realistic"))
    drill.run_to_end()
    events = drill.drain()
    return time.process_time() - started, events


def run_bare(events: list[Event], same_payload: bool) -> float:
    """A bare SimPy loop emitting as many events at the same times.

    same_payload=False appends (time, index) only — the least any loop can do;
    same_payload=True re-emits the same events (their payloads made beforehand), i.e.
    the cost of delivering this stream with no simulation logic at all.
    """
    plan = [(e.t, e.kind, e.data) for e in events]
    started = time.process_time()
    env = simpy.Environment()
    out: list = []

    def producer():
        now = 0.0
        for i, (t, kind, data) in enumerate(plan):
            yield env.timeout(t - now)
            now = t
            out.append(Event(i + 1, env.now, kind, dict(data)) if same_payload else (env.now, i))

    env.process(producer())
    env.run()
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures instead of text")
    args = parser.parse_args()
    scenario = Scenario.model_validate(HEAVY)
    run_engine(scenario, 0)  # warm-up: imports, name tables
    engine_times, minimal_times, same_times = [], [], []
    for _ in range(args.repeat):
        elapsed, events = run_engine(scenario, 1)  # the same drill each time: a fair minimum
        engine_times.append(elapsed)
        minimal_times.append(run_bare(events, same_payload=False))
        same_times.append(run_bare(events, same_payload=True))
    n = len(events)
    posts = sum(1 for e in events if e.kind == "post")
    engine, minimal, same = (min(x) for x in (engine_times, minimal_times, same_times))
    digest = digest_of(events)
    if args.json:
        print(
            json.dumps(
                {
                    "posts": posts,
                    "events": n,
                    "digest": digest,
                    "repeat": args.repeat,
                    "engine_s": engine,
                    "engine_median_s": statistics.median(engine_times),
                    "engine_us_per_event": engine / n * 1e6,
                    "bare_same_us_per_event": same / n * 1e6,
                    "ratio_same": engine / same,
                    "bare_minimal_us_per_event": minimal / n * 1e6,
                    "ratio_minimal": engine / minimal,
                }
            )
        )
        return 0
    print(
        f"engine: 4-hour drill, {posts} posts, {n} events: {engine:.3f} s CPU (best of {args.repeat};"
        f" median {statistics.median(engine_times):.3f} s)"
        f" (target < 1 s) -> {'OK' if engine < 1 else 'MISSED'}"
    )
    print(f"per event: engine {engine / n * 1e6:.1f} us")
    print(
        f"bare SimPy loop re-emitting the same events: {same / n * 1e6:.1f} us/event;"
        f" ratio {engine / same:.2f}x (target <= 3x) -> {'OK' if engine / same <= 3 else 'MISSED'}"
    )
    print(
        f"bare SimPy loop appending (time, index) only: {minimal / n * 1e6:.1f} us/event; ratio {engine / minimal:.2f}x"
    )
    print(f"stream digest: {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
