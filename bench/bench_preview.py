"""Preview benchmark (issue 18: 200 runs ≤ 2 s and 1,000 runs ≤ 8 s on 2 cores).

Runs the real command, `krisovning preview scenarios/dricksvatten.yaml --runs N --json`, in a new
process pinned to (at most) two CPUs, and prints its wall time from process start to exit — for one bot
team (`--policy realistic`) and for the default, every bot team side by side (4 × N runs). The machine's
load average before and after is printed too: the wall figures are only as quiet as the machine was;
the CPU time (the command and its workers) says what two idle cores would take.
Run: python bench/bench_preview.py [--runs 200 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "scenarios" / "dricksvatten.yaml"


def _pin() -> None:
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) > 2:
        os.sched_setaffinity(0, cores[:2])


def wall(runs: int, policies: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its workers)."""
    command = [sys.executable, "-m", "krisovning", "preview", str(REFERENCE), "--runs", str(runs), "--json"]
    for policy in policies:
        command += ["--policy", policy]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, preexec_fn=_pin, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"preview failed ({done.returncode}): {done.stderr.strip()[-600:]}")
    json.loads(done.stdout)  # a whole answer, not a partial one
    return seconds, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = {"cores": min(2, len(os.sched_getaffinity(0))), "load_before": os.getloadavg()[0]}
    for runs in args.runs:
        for label, policies in (("realistic", ["realistic"]), ("all", [])):
            measured = [wall(runs, policies) for _ in range(args.repeat)]
            times = [w for w, _ in measured]
            cpu = min(c for _, c in measured)
            key = f"{label}_{runs}"
            figures[f"{key}_s"] = round(min(times), 2)
            figures[f"{key}_median_s"] = round(statistics.median(times), 2)
            figures[f"{key}_cpu_s"] = round(cpu, 2)
            print(
                f"preview --runs {runs} ({label}): wall best {min(times):.2f} s,"
                f" median {statistics.median(times):.2f} s;"
                f" CPU {cpu:.2f} s (on 2 idle cores ≈ {cpu / 2:.2f} s wall)",
                flush=True,
            )
    figures["load_after"] = os.getloadavg()[0]
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
