"""Idle-drill journal growth (issue #13): a live drill at 1× where the team does nothing.

Drives session.live.LiveDrill the way the UI does — a tick every 1/15 s of wall time — for
MINUTES minutes of wall time (simulated: LiveDrill only knows the wall seconds it is given, so
the journal sees exactly what a real run of that length would write), and prints how much the
journal file plus its write-ahead log grew per second, the number of transactions, and how many
of them carried only the clock. The first minute is left out (the journal's first pages, the
first checkpoint). Target: at most 2 KB/s at 1×.
Run: python bench/bench_idle.py [--minutes N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from krisovning.scenario import load_scenario
from krisovning.session.live import LiveDrill

TICK_HZ = 15  # tui/app.py
STARTER = Path(__file__).parent.parent / "src/krisovning/data/starter.yaml"


def size(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="wall minutes to drive (default 30)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    args = parser.parse_args()
    scenario = load_scenario(STARTER)
    text = STARTER.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "idle.db"
        live = LiveDrill.start(db, scenario, text, "starter.yaml", 1, "sv")
        writes = {"all": 0, "clock_only": 0, "events": 0}
        append = live.recorder.store.append

        def counting(session_id, rows, *rest, **kw):
            writes["all"] += 1
            writes["clock_only"] += not rows
            writes["events"] += len(rows)
            return append(session_id, rows, *rest, **kw)

        live.recorder.store.append = counting  # type: ignore[method-assign]  # counts the transactions
        ticks = int(args.minutes * 60 * TICK_HZ)
        warm = 60 * TICK_HZ
        for n in range(ticks):
            if n == warm:
                start_size, start_writes = size(db), dict(writes)
            live.tick(1 / TICK_HZ)
        seconds = (ticks - warm) / TICK_HZ
        grown = size(db) - start_size
        wal = Path(f"{db}-wal").stat().st_size if Path(f"{db}-wal").exists() else 0
        figures = {
            "wall_s": seconds,
            "grown_bytes": grown,
            "kb_per_s": round(grown / seconds / 1000, 3),
            "transactions": writes["all"] - start_writes["all"],
            "clock_only": writes["clock_only"] - start_writes["clock_only"],
            "events": writes["events"] - start_writes["events"],
            "wal_bytes_at_end": wal,
            "target_kb_per_s": 2.0,
        }
        live.close(interrupted=True)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"idle drill at 1x, {seconds / 60:.0f} min of wall time after the first minute:")
    print(
        f"  journal + WAL grew {grown / 1000:.1f} KB = {figures['kb_per_s']:.2f} KB/s (target <= 2 KB/s) -> "
        f"{'OK' if figures['kb_per_s'] <= 2.0 else 'MISSED'}"
    )
    print(
        f"  {figures['transactions']} transactions ({figures['transactions'] / seconds:.2f}/s), "
        f"{figures['clock_only']} of them only the clock; {figures['events']} events from the engine; "
        f"WAL at the end {wal / 1000:.0f} KB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
