"""Writes the preview table in scenarios/README.md, with krisovning's own preview.

Run from the repository root:  python scenarios/preview_table.py [--runs 100]
Every figure comes from `krisovning preview` (seeds = each scenario's seed, seed+1, …).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from krisovning.i18n import set_language
from krisovning.metrics.objectives import minutes
from krisovning.metrics.preview import preview
from krisovning.scenario import load_scenario

HERE = Path(__file__).parent
POLICIES = ("diligent", "realistic", "slow", "silent")


def row(path: Path, runs: int) -> str:
    scenario = load_scenario(path)
    results = {p: preview(scenario, runs, scenario.seed, p) for p in POLICIES}
    realistic = results["realistic"]
    busiest = max(w["total"]["median"] for w in realistic["load"])
    posts = realistic["social"]["posts"]
    peak = realistic["social"]["peak_per_hour"]
    percents = [
        100 * sum(o["rates"]["met"] for o in results[p]["objectives"]) / max(1, len(results[p]["objectives"]))
        for p in POLICIES
    ]
    met = " / ".join(f"{percent:.0f} %" for percent in percents)
    return (
        f"| [{scenario.title}]({path.name}) | {minutes(scenario.duration)} | {len(scenario.objectives)} | "
        f"{busiest:.0f} | {posts['median']:.0f} ({posts['min']:.0f}–{posts['max']:.0f}) | "
        f"{peak['median']:.0f} | {met} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    set_language("sv")
    print(
        "| Scenario | Längd | Mål | Inspel i värsta kvarten (median) | Inlägg per övning, median (min–max) "
        "| Topp inlägg/timme (median) | Mål uppnådda: diligent / realistic / slow / silent |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for path in sorted(HERE.glob("*.yaml")):
        print(row(path, args.runs), flush=True)
    print(f"\n*{args.runs} körningar per scenario och botlag; inspel och inlägg med botlaget realistic.*")
    return 0


if __name__ == "__main__":
    sys.exit(main())
