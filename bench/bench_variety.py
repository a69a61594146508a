"""The feed's variety and volume on every bundled scenario (issue #16's targets), over several seeds.

Prints per scenario and seed: posts, original posts and shares, the share of original posts whose text
no other original post has (target ≥ 60 %), the most times one account posted one text (target 1),
posts using a fact before it was public (target 0), and the busiest 15 minutes as posts per hour.
Run: python bench/bench_variety.py [--seeds 1 2 3] [--policy realistic]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from krisovning.engine.headless import run_headless
from krisovning.metrics.figures import peak_rate
from krisovning.metrics.variety import variety
from krisovning.scenario.loader import load_scenario
from krisovning.scenario.model import hidden_facts

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--policy", default="realistic")
    args = parser.parse_args()
    heads = ("posts", 6), ("orig", 5), ("shares", 6), ("unique", 7), ("repeat", 6), ("early", 5), ("peak/h", 7)
    print(f"{'scenario':<18} {'seed':>4} " + " ".join(f"{h:>{w}}" for h, w in heads))
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        for seed in args.seeds:
            _, events = run_headless(scenario, seed, args.policy)
            v = variety(events, hidden_facts(scenario))
            peak = peak_rate([e.t for e in events if e.kind == "post"], 900)
            print(
                f"{path.stem:<18} {seed:>4} {v['posts']:>6} {v['originals']:>5} {v['shares']:>6} "
                f"{v['unique_share']:>7.1%} {v['worst_repeat']:>6} {v['early_facts']:>5} {peak:>7.0f}"
            )


if __name__ == "__main__":
    main()
