"""NOTIFY wake-up on a PostgreSQL journal (session/store_pg.py): from the host starting to commit a
batch (the commit's own time included) to a listening seat's wait returning, over the commits of a
real drill's event batches (at most SAMPLES).
Target (issue 19): p95 ≤ 20 ms locally.
Run: python bench/bench_notify.py --db postgresql://user@host/db   (an empty or krisovning database)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

from krisovning.engine import Drill
from krisovning.scenario import load_scenario
from krisovning.session import TEAM, Recorder

SAMPLES = 300
STARTER = Path(__file__).parents[1] / "src/krisovning/data/starter.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL database (postgresql://…)")
    args = parser.parse_args()
    scenario = load_scenario(STARTER)
    recorder = Recorder.begin(args.db, scenario, STARTER.read_text("utf-8"), str(STARTER), 1, TEAM, "sv")
    listener = recorder.store.listener(recorder.info.id)
    drill = Drill(scenario, seed=1)
    woken_at: list[float] = []
    ready = threading.Event()

    def seat() -> None:
        while True:
            ready.set()
            if listener.wait(5.0):
                woken_at.append(time.perf_counter())
            elif stop.is_set():
                return

    stop = threading.Event()
    thread = threading.Thread(target=seat, daemon=True)
    thread.start()
    delays: list[float] = []
    missed = 0
    for _ in range(SAMPLES):
        drill.advance(drill.now + 30)
        batch = drill.drain()
        if not batch:  # only a commit with entries wakes the seats: a clock write has nothing to read
            recorder.record(batch, drill.now)
            if drill.finished:
                break
            continue
        ready.wait()
        ready.clear()
        before = len(woken_at)
        sent = time.perf_counter()
        recorder.record(batch, drill.now)
        deadline = time.perf_counter() + 2.0
        while len(woken_at) == before and time.perf_counter() < deadline:
            time.sleep(0.0002)
        if len(woken_at) > before:
            delays.append((woken_at[before] - sent) * 1000)
        else:
            missed += 1
        if drill.finished:
            break
    stop.set()
    recorder.finish("finished")
    recorder.close()
    listener.close()
    delays.sort()
    p95 = delays[int(len(delays) * 0.95) - 1]
    print(
        f"NOTIFY wake-up after a commit: {len(delays)} commits, median {statistics.median(delays):.2f} ms, "
        f"p95 {p95:.2f} ms, max {delays[-1]:.2f} ms, {missed} not woken within 2 s "
        f"(target p95 <= 20 ms) -> {'OK' if p95 <= 20 and not missed else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
