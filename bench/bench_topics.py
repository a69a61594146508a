"""Does the feed answer to what the team says? Questions on a covered topic, team vs. the silent team (issue #16).

For every bundled scenario and seed: the team's drill (a bot policy) and the silent team's drill on the same
seed. For each topic a public publication covered, the questions on that topic over the 30 minutes after it,
in both (metrics/topics.py); then, per scenario, all topics and seeds together: how much fewer (target ≥ 50 %).
Run: python bench/bench_topics.py [--seeds 1 2 3 4 5] [--policy realistic] [--topics]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from krisovning.engine.headless import run_headless
from krisovning.metrics.topics import falloff, total_reduction
from krisovning.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--policy", default="realistic")
    parser.add_argument("--topics", action="store_true", help="a line per topic and seed as well")
    args = parser.parse_args()
    print(f"{'scenario':<18} {'topics':>6} {'team':>6} {'silent':>6} {'fewer':>7}")
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        rows = []
        for seed in args.seeds:
            _, team = run_headless(scenario, seed, args.policy)
            _, silent = run_headless(scenario, seed, "silent")
            found = falloff(team, silent)
            rows += found
            if args.topics:
                for r in found:
                    print(f"  {r.topic:<22} seed {seed} at T+{r.t / 60:.0f}m: {r.questions} vs {r.baseline}")
        reduction = total_reduction(rows)
        shown = f"{reduction:>7.0%}" if reduction is not None else f"{'–':>7}"
        team_q, silent_q = sum(r.questions for r in rows), sum(r.baseline for r in rows)
        print(f"{path.stem:<18} {len({r.topic for r in rows}):>6} {team_q:>6} {silent_q:>6} {shown}")


if __name__ == "__main__":
    main()
