"""Journal benchmark (targets: docs/performance.md): a 4-hour drill with ≥ 100,000 events + actions.

Journals it the way a live drill does (session.live.LiveDrill): one transaction per engine
step of at most MAX_STEP exercise seconds, each row chained (session/chain.py) — then resumes
it (the chain checked, the stored scenario replayed, every event verified). A step of one
exercise second is measured too, for scale.
The resume runs in a new process each time, as after a crash (`krisovning resume`): the time
of `open_for_resume` there (the interpreter's start and imports belong to start-up), the
median of RESUMES runs, each on a fresh copy of the journal.
Prints the figures; targets: journaling < 3 s in total, resume < 2 s.
With `--db postgresql://…` (a database that is empty or holds krisovning journals) the same runs
go to PostgreSQL (session/store_pg.py); each resume then resumes the same session again (a resume
re-reads, checks and replays all of it whatever it finds, so each starts alike).
Run: python bench/bench_journal.py [--db postgresql://user@host/db]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from bench_engine import HEAVY

from krisovning.engine import Drill
from krisovning.engine.policies import make_policy
from krisovning.scenario import load_scenario_bytes
from krisovning.session import Recorder
from krisovning.session.live import MAX_STEP
from krisovning.session.store import open_store


def heavy_text() -> str:
    data = copy.deepcopy(HEAVY)
    data["social"]["threads"][0]["baseline"] = 8000
    data["social"]["threads"][0]["branching"] = 0.5
    data["social"]["threads"][1]["baseline"] = 6000
    data["social"]["threads"][1]["branching"] = 0.5
    data["social"]["max_posts"] = 200000
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def journal(scenario, text: str, where: Path | str, step: float) -> tuple[Path | str, str, int, int, float, float]:
    db = where if isinstance(where, str) else where / f"bench-{step:g}.db"
    recorder = Recorder.begin(db, scenario, text, "heavy.yaml", 1, "realistic", "sv")
    session = recorder.info.id
    drill = Drill(scenario, seed=1, policy=make_policy("realistic"))
    engine_time = journal_time = 0.0
    events = steps = 0
    while not drill.finished:
        started = time.perf_counter()
        drill.advance(drill.now + step)
        batch = drill.drain()
        middle = time.perf_counter()
        recorder.record(batch, drill.now)
        ended = time.perf_counter()
        engine_time += middle - started
        journal_time += ended - middle
        events += len(batch)
        steps += 1
    recorder.finish("interrupted")
    recorder.close()
    return db, session, events, steps, journal_time, engine_time


RESUMES = 5
RESUME = """
import sys, time
from pathlib import Path
from krisovning.session import open_for_resume
started = time.perf_counter()
where = sys.argv[1] if "://" in sys.argv[1] else Path(sys.argv[1])
recorder, _, _ = open_for_resume(where, sys.argv[2])
print(time.perf_counter() - started)
recorder.close()
"""


def resume_in_new_processes(db: Path | str, session: str) -> list[float]:
    times = []
    for n in range(RESUMES):
        if isinstance(db, Path):
            copy_of: Path | str = db.with_name(f"resume-{n}.db")
            shutil.copyfile(db, copy_of)  # a resume journals that the session runs again: each starts alike
        else:
            copy_of = db
        argv = [sys.executable, "-c", RESUME, str(copy_of), session]
        out = subprocess.run(argv, capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures instead of text")
    parser.add_argument(
        "--db", help="a PostgreSQL database (postgresql://…) instead of SQLite files in a temporary folder"
    )
    args = parser.parse_args()
    figures: dict[str, float | int] = {}
    quiet = contextlib.ExitStack()
    if args.json:
        quiet.enter_context(contextlib.redirect_stdout(io.StringIO()))
    text = heavy_text()
    scenario = load_scenario_bytes(text.encode(), "heavy.yaml")
    with tempfile.TemporaryDirectory() as folder:
        where: Path | str = args.db or Path(folder)
        print(f"backend: {'PostgreSQL' if args.db else 'SQLite'}")
        _, _, events, steps, journal_time, _ = journal(scenario, text, where, 1.0)
        figures.update(per_second_journal_s=journal_time, per_second_transactions=steps)
        print(f"for scale: {events} events in {steps} transactions of one exercise second each: {journal_time:.2f} s")
        db, session, events, steps, journal_time, engine_time = journal(scenario, text, where, MAX_STEP)
        figures.update(events=events, transactions=steps, step_s=MAX_STEP, journal_s=journal_time, engine_s=engine_time)
        print(
            f"journal: {events} events in {steps} transactions (one per live engine step of {MAX_STEP:g} s): "
            f"{journal_time:.2f} s (target < 3 s) -> {'OK' if journal_time < 3 else 'MISSED'}"
        )
        print(f"  engine time for the same run: {engine_time:.2f} s")

        times = resume_in_new_processes(db, session)
        resume_time = statistics.median(times)
        figures.update(resume_s=resume_time, resume_min_s=min(times), resume_max_s=max(times), resumes=len(times))
        print(
            f"resume (read + check the chain + replay + verify {events} events, in a new process): "
            f"{resume_time:.2f} s, median of {len(times)} (min {min(times):.2f}, max {max(times):.2f}) "
            f"(target < 2 s) -> {'OK' if resume_time < 2 else 'MISSED'}"
        )
        store = open_store(db, write=False)
        started = time.perf_counter()
        count = sum(1 for _ in store.linked_entries(session))  # what a resume reads (and chains)
        figures["read_s"] = read_time = time.perf_counter() - started
        print(f"  of which reading the {count} entries: {read_time:.2f} s")
        store.close()
    quiet.close()
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
