"""Monte Carlo preview: how heavy a scenario plays over many seeds, before anyone drills it (`krisovning preview`)."""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from krisovning.engine import events as ev
from krisovning.engine.headless import run_headless
from krisovning.metrics.figures import gather, peak_rate
from krisovning.metrics.objectives import OUTCOMES, evaluate
from krisovning.scenario.model import Scenario

WINDOW = 900.0
HOUR = 3600.0
MAX_RUNS = 10_000  # a heavy scenario runs for seconds: 10 000 runs is already hours on one core


def summarise_run(scenario: Scenario, seed: int, policy: str) -> dict[str, Any]:
    _, events = run_headless(scenario, seed, policy)
    windows = max(1, math.ceil(scenario.duration / WINDOW))
    load: dict[str, list[int]] = {role.id: [0] * windows for role in scenario.roles}
    post_times = []
    for event in events:
        if event.kind == ev.INJECT:
            index = min(int(event.t // WINDOW), windows - 1)
            load.setdefault(event.data["to"], [0] * windows)[index] += 1
        elif event.kind == ev.POST:
            post_times.append(event.t)
    facts = gather(events)
    hours = [0] * max(1, math.ceil(scenario.duration / HOUR))
    for t in post_times:
        hours[min(int(t // HOUR), len(hours) - 1)] += 1
    return {
        "seed": seed,
        "load": load,
        "posts": len(post_times),
        "posts_by_hour": hours,
        "peak": peak_rate(post_times, WINDOW),
        "objectives": {r.id: r.outcome for r in evaluate(scenario, facts)},
    }


_worker_state: dict[str, Any] = {}


def _init(scenario: Scenario, policy: str) -> None:
    _worker_state["scenario"] = scenario
    _worker_state["policy"] = policy


def _run(seed: int) -> dict[str, Any]:
    return summarise_run(_worker_state["scenario"], seed, _worker_state["policy"])


def preview(
    scenario: Scenario,
    runs: int,
    seed: int,
    policy: str,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Run seeds seed, seed+1, … seed+runs-1 and aggregate; uses every core."""
    seeds = list(range(seed, seed + runs))
    workers = max(1, min(workers or os.cpu_count() or 1, runs))
    results: list[dict[str, Any]] = []
    if workers == 1:
        for s in seeds:
            results.append(summarise_run(scenario, s, policy))
            if progress:
                progress(len(results), runs)
    else:
        with ProcessPoolExecutor(workers, initializer=_init, initargs=(scenario, policy)) as pool:
            for result in pool.map(_run, seeds, chunksize=max(1, runs // (workers * 8))):
                results.append(result)
                if progress:
                    progress(len(results), runs)
    return aggregate(scenario, results, seed, policy)


def _spread(values: list[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def aggregate(scenario: Scenario, results: list[dict[str, Any]], seed: int, policy: str) -> dict[str, Any]:
    windows = max(1, math.ceil(scenario.duration / WINDOW))
    roles = list(results[0]["load"])
    load = []
    for w in range(windows):
        row: dict[str, Any] = {"start": w * WINDOW, "end": min((w + 1) * WINDOW, float(scenario.duration))}
        row["total"] = _spread([sum(r["load"][role][w] for role in r["load"]) for r in results])
        row["roles"] = {role: _spread([r["load"].get(role, [0] * windows)[w] for r in results]) for role in roles}
        load.append(row)
    objectives = []
    for objective in scenario.objectives:
        counts = {o: sum(1 for r in results if r["objectives"][objective.id] == o) for o in OUTCOMES}
        objectives.append(
            {
                "id": objective.id,
                "title": objective.title,
                "rates": {o: counts[o] / len(results) for o in OUTCOMES},
            }
        )
    volume = []
    for h in range(max(1, math.ceil(scenario.duration / HOUR))):
        start, end = h * HOUR, min((h + 1) * HOUR, float(scenario.duration))
        # posts per hour in that hour (a last part-hour counted as its rate)
        rates = [r["posts_by_hour"][h] * HOUR / max(end - start, 1.0) for r in results]
        volume.append({"start": start, "end": end, "per_hour": _spread(rates)})
    return {
        "scenario": scenario.id,
        "runs": len(results),
        "seed": seed,
        "policy": policy,
        "window_minutes": WINDOW / 60,
        "load": load,
        "social": {
            "posts": _spread([r["posts"] for r in results]),
            "peak_per_hour": _spread([r["peak"] for r in results]),
            "by_hour": volume,
            "population": scenario.organisation.population,
        },
        "objectives": objectives,
    }
