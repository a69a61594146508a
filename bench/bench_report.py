"""Benchmark: the after-action report of a 4-hour drill with ≥ 100,000 journal events (targets: docs/performance.md).

Runs the bundled starter scenario stretched to 4 hours with a very heavy social-media feed
and busy random injects (the engine's time is not counted), then times building the report
model and rendering each format. Prints the figures; target < 3 s each. No assertions.

    python bench/bench_report.py [--events N] [--repeat R]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import statistics
import sys
import time
from datetime import datetime
from importlib import resources


def heavy_scenario(posts_per_hour: float):
    from krisovning.scenario import load_scenario_bytes

    text = resources.files("krisovning").joinpath("data/starter.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^duration: .*$", "duration: 4h", text)
    # Stationary rate = baseline / (1 - branching): with branching 0.8, five times the baseline.
    text = re.sub(
        r"(?m)^(\s+)baseline: 10\b.*$", lambda m: f"{m.group(1)}baseline: {min(posts_per_hour / 5, 10_000):.0f}", text
    )
    text = re.sub(r"(?m)^(\s+)branching: 0\.5\b.*$", lambda m: f"{m.group(1)}branching: 0.8", text)
    text = re.sub(r"(?m)^(\s+)per_hour: 6\b.*$", lambda m: f"{m.group(1)}per_hour: 60", text)
    text = text.replace("social:\n  authors: [invanare]", "social:\n  max_posts: 500000\n  authors: [invanare]")
    return load_scenario_bytes(text.encode("utf-8"), "bench-4h.yaml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="at least this many journal events")
    parser.add_argument("--repeat", type=int, default=3, help="timings per step (the median is printed)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures instead of text")
    args = parser.parse_args()
    figures: dict[str, float | int] = {}
    quiet = contextlib.ExitStack()
    if args.json:
        quiet.enter_context(contextlib.redirect_stdout(io.StringIO()))

    from krisovning.engine.headless import run_headless
    from krisovning.report import FacilitatorNotes, PlanRow, ReportMeta, build_report, render

    started = time.perf_counter()
    rate = args.events / 4 * 1.05
    scenario = heavy_scenario(rate)
    _drill, events = run_headless(scenario, 7, "realistic")
    while len(events) < args.events:  # the feed is random: push harder until the journal is big enough
        rate *= 1.2
        scenario = heavy_scenario(rate)
        _drill, events = run_headless(scenario, 7, "realistic")
    kinds: dict[str, int] = {}
    for event in events:
        kinds[event.kind] = kinds.get(event.kind, 0) + 1
    figures["events"] = len(events)
    print(
        f"drill: {len(events):,} events in {scenario.duration / 3600:.0f} h "
        f"({', '.join(f'{k} {v:,}' for k, v in sorted(kinds.items()))}); "
        f"simulated in {time.perf_counter() - started:.2f} s (not counted)"
    )

    notes = FacilitatorNotes(
        strengths=["Tydlig rollfördelning"],
        improvements=["Sen lägesbild"],
        plan=[PlanRow("Lägesbild", "Fast rytm var 30:e minut", "Kommunikationschef", "2026-06-01")],
    )
    meta = ReportMeta(
        "bench", datetime(2026, 3, 10, 9, 0), datetime(2026, 3, 10, 13, 0), "finished", 7, "realistic", notes
    )

    def timed(step, fn):
        times, result = [], None
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t0)
        first = times[0]
        figures[f"{step.replace(' ', '_')}_s"] = statistics.median(times)
        figures[f"{step.replace(' ', '_')}_max_s"] = max(times)
        figures[f"{step.replace(' ', '_')}_first_s"] = first
        print(
            f"{step:<14} median {statistics.median(times):6.3f} s   first {first:6.3f} s   "
            f"{'ok' if max(times) < 3.0 else 'SLOW'} (target < 3 s)"
        )
        return result

    report = timed("build", lambda: build_report(scenario, events, meta))
    for fmt in ("json", "md", "html", "docx"):
        data = timed(f"render {fmt}", lambda fmt=fmt: render(report, fmt))
        print(f"{'':<14} {len(data):,} bytes")
    t0 = time.perf_counter()
    fresh = build_report(scenario, events, meta)
    for fmt in ("md", "html", "docx", "json"):
        render(fresh, fmt)
    print(f"{'build + all 4':<14} {time.perf_counter() - t0:6.3f} s")
    figures["build_and_all_4_s"] = time.perf_counter() - t0
    quiet.close()
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
