"""Monte Carlo preview: how a scenario plays over many seeds with each bot team, before anyone drills it
(`krisovning preview`).

Each run is exactly the drill `simulate` plays with the same seed and bot team (tests/test_preview.py
checks it), summarised into what an author tunes: the load per role and quarter-hour, the posts, the
rumour peaks the `rumour_peak` objectives measure, how often each conditional inject arrives, and each
objective's outcome. Runs are spread over the CPUs.
"""

from __future__ import annotations

import gc
import math
import os
import statistics
from bisect import bisect_left
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from krisovning.engine import events as ev
from krisovning.engine.drill import Drill
from krisovning.engine.events import Event
from krisovning.engine.policies import make_policy
from krisovning.metrics.figures import gather, peak_rate, percentile
from krisovning.metrics.objectives import OUTCOMES, evaluate
from krisovning.scenario.model import RumourPeak, Scenario
from krisovning.vocab import PostCategory

WINDOW = 900.0
HOUR = 3600.0
MAX_RUNS = 10_000  # a heavy scenario runs for seconds: 10 000 runs is already hours on one core
RUMOUR = PostCategory.rumour.value
RUMOUR_WINDOW = RumourPeak.model_fields["window"].default  # when no objective names one


def rumour_windows(scenario: Scenario) -> list[float]:
    """The windows the scenario's `rumour_peak` objectives measure over (the default one if none)."""
    windows = {o.criterion.window for o in scenario.objectives if isinstance(o.criterion, RumourPeak)}
    return sorted(float(w) for w in windows) or [float(RUMOUR_WINDOW)]


def conditional_injects(scenario: Scenario) -> list[str]:
    """The scripted injects that arrive only if something happens (`when`) or something arrived (`after`)."""
    return [i.id for i in scenario.injects if i.when is not None or i.after is not None]


def summarise_run(scenario: Scenario, seed: int, policy: str) -> dict[str, Any]:
    """One run's figures. The drill is played only for them (`Drill(figures_only=True)`): the same drill as
    `simulate`'s, but the feed's own posts kept as (time, category) and no minute samples."""
    drill = Drill(scenario, seed=seed, policy=make_policy(policy), figures_only=True)
    drill.run_to_end()
    return summarise(scenario, seed, policy, drill.drain(), drill.post_figures)


def summarise(
    scenario: Scenario, seed: int, policy: str, events: list[Event], own_posts: Sequence[tuple[float, str]] = ()
) -> dict[str, Any]:
    """The figures of a run from its events, and the feed's posts a figures-only drill kept apart from them
    (`own_posts`: (time, category), none for a drill that kept every event)."""
    windows = max(1, math.ceil(scenario.duration / WINDOW))
    load: dict[str, list[int]] = {role.id: [0] * windows for role in scenario.roles}
    arrived: dict[str, float | None] = dict.fromkeys(conditional_injects(scenario))
    post_times = []
    arrivals: dict[str, list[float]] = {role.id: [] for role in scenario.roles}
    first_journalist = None
    for event in events:
        if event.kind == ev.INJECT:
            index = min(int(event.t // WINDOW), windows - 1)
            load.setdefault(event.data["to"], [0] * windows)[index] += 1
            arrivals.setdefault(event.data["to"], []).append(event.t)
            if first_journalist is None and event.data["sender"].get("kind") == "journalist":
                first_journalist = event.t
            if event.data["id"] in arrived and arrived[event.data["id"]] is None:
                arrived[event.data["id"]] = event.t
        elif event.kind == ev.POST:
            post_times.append(event.t)
    facts = gather(events)
    if own_posts:  # both in time order: merged (a sort of two sorted runs)
        post_times = sorted(post_times + [t for t, _ in own_posts])
        facts.posts += len(own_posts)
        facts.rumour_times = sorted(facts.rumour_times + [t for t, category in own_posts if category == RUMOUR])
    # posts per hour of the drill (a post after the last whole hour counted in the last), by where each
    # hour begins among the posts in time order
    starts = [bisect_left(post_times, h * HOUR) for h in range(max(1, math.ceil(scenario.duration / HOUR)))]
    hours = [end - start for start, end in zip(starts, [*starts[1:], len(post_times)], strict=True)]
    return {
        "seed": seed,
        "policy": policy,
        "load": load,
        "posts": len(post_times),
        "posts_by_hour": hours,
        "peak": peak_rate(post_times, WINDOW),
        # the measure of objectives.py's rumour_peak, for each window an objective uses
        "rumour": {w: peak_rate(facts.rumour_times, w) for w in rumour_windows(scenario)},
        "conditional": arrived,
        "first_journalist": first_journalist,
        "quiet": {role: longest_quiet(times, float(scenario.duration)) for role, times in arrivals.items()},
        "objectives": {r.id: r.outcome for r in evaluate(scenario, facts)},
    }


def longest_quiet(times: list[float], end: float) -> tuple[float, float]:
    """(length, start) of the longest stretch without an arrival, from the drill's start to its end."""
    best, best_start, previous = 0.0, 0.0, 0.0
    for t in [*sorted(times), end]:
        if t - previous > best:
            best, best_start = t - previous, previous
        previous = t
    return best, best_start


# Python's cyclic garbage collector, left to itself, took ~30 % of a run (6.5 of 22 ms): every drill is a
# web of references (its parts refer to it), and the older collections, a full one every ~15 runs,
# traverse everything the process holds. Between runs instead: the young generations after each (~1 ms,
# the run's drill is all garbage by then), everything every FULL_COLLECT runs.
FULL_COLLECT = 50


def _collect(runs: int) -> None:
    """After a run, with automatic collection off (see above)."""
    gc.collect(2 if runs % FULL_COLLECT == 0 else 1)


_worker_state: dict[str, Any] = {}


def _init(scenario: Scenario) -> None:
    _worker_state["scenario"], _worker_state["runs"] = scenario, 0
    gc.disable()  # a worker only runs drills for the pool: collected between them


def _run(job: tuple[str, int]) -> dict[str, Any]:
    policy, seed = job
    result = summarise_run(_worker_state["scenario"], seed, policy)
    _worker_state["runs"] += 1
    _collect(_worker_state["runs"])
    return result


def run_all(
    scenario: Scenario,
    jobs: list[tuple[str, int]],
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[dict[str, Any]]:
    """Each (policy, seed) run's summary, in the order of `jobs`; uses every core."""
    workers = max(1, min(workers or _cpus(), len(jobs)))
    results: list[dict[str, Any]] = []
    if workers == 1:
        enabled = gc.isenabled()
        gc.disable()
        try:
            for policy, seed in jobs:
                results.append(summarise_run(scenario, seed, policy))
                _collect(len(results))
                if progress:
                    progress(len(results), len(jobs))
        finally:
            if enabled:
                gc.enable()
        return results
    # The first run here, before the workers fork: what it compiles and caches (the library's posts, the
    # stemmed topics, engine/topics.py) they inherit instead of each making it again.
    policy, seed = jobs[0]
    results.append(summarise_run(scenario, seed, policy))
    if progress:
        progress(1, len(jobs))
    rest = jobs[1:]
    # What the workers inherit is never garbage there: frozen, their collections do not traverse it
    gc.collect()
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, initializer=_init, initargs=(scenario,)) as pool:
            for result in pool.map(_run, rest, chunksize=_chunk(len(rest), workers)):
                results.append(result)
                if progress:
                    progress(len(results), len(jobs))
    finally:
        gc.unfreeze()
    return results


# Runs are handed to the workers in chunks (one message each way per chunk): at least this many chunks per
# worker, so that the last ones, when one worker has finished and the other has not, are short (with 8 per
# worker a chunk of 1,000 runs was ~60 runs, ~1 s, one worker idle for up to that long at the end; with 128,
# ~4 runs, ~60 ms, and a message each way costs ~0.1 ms).
CHUNKS_PER_WORKER = 128


def _chunk(runs: int, workers: int) -> int:
    return max(1, runs // (workers * CHUNKS_PER_WORKER))


def _cpus() -> int:
    if hasattr(os, "sched_getaffinity"):  # the CPUs this process may use (a pinned benchmark: fewer)
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def preview(
    scenario: Scenario,
    runs: int,
    seed: int,
    policy: str,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Run seeds seed, seed+1, … seed+runs-1 with one bot team and aggregate."""
    results = run_all(scenario, [(policy, s) for s in range(seed, seed + runs)], progress, workers)
    return aggregate(scenario, results, seed, policy)


def preview_policies(
    scenario: Scenario,
    runs: int,
    seed: int,
    policies: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """The same seeds with each bot team in `policies`, side by side."""
    jobs = [(p, s) for p in policies for s in range(seed, seed + runs)]
    results = run_all(scenario, jobs, progress, workers)
    by_policy = {p: aggregate(scenario, results[i * runs : (i + 1) * runs], seed, p) for i, p in enumerate(policies)}
    return {
        "scenario": scenario.id,
        "runs": runs,
        "seed": seed,
        "policies": list(policies),
        "window_minutes": WINDOW / 60,
        "results": by_policy,
    }


def _spread(values: Sequence[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def _distribution(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "min": ordered[0],
        "p10": percentile(ordered, 0.1),
        "median": statistics.median(ordered),
        "p90": percentile(ordered, 0.9),
        "max": ordered[-1],
    }


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
                "type": objective.criterion.type,
                "rates": {o: counts[o] / len(results) for o in OUTCOMES},
            }
        )
    volume = []
    for h in range(max(1, math.ceil(scenario.duration / HOUR))):
        start, end = h * HOUR, min((h + 1) * HOUR, float(scenario.duration))
        # posts per hour in that hour (a last part-hour counted as its rate)
        rates = [r["posts_by_hour"][h] * HOUR / max(end - start, 1.0) for r in results]
        volume.append({"start": start, "end": end, "per_hour": _spread(rates)})
    rumour = []
    for window in rumour_windows(scenario):
        measured_by = [
            o.id for o in scenario.objectives if isinstance(o.criterion, RumourPeak) and o.criterion.window == window
        ]
        peaks = [r["rumour"][window] for r in results]
        rumour.append({"window": window, "objectives": measured_by, "per_hour": _distribution(peaks)})
    conditional = []
    for inject_id in conditional_injects(scenario):
        times = [r["conditional"][inject_id] for r in results if r["conditional"][inject_id] is not None]
        conditional.append(
            {
                "id": inject_id,
                "share": len(times) / len(results),
                "at": _spread(times) if times else None,
            }
        )
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
        "rumour_peak": rumour,
        "conditional": conditional,
        "objectives": objectives,
    }
