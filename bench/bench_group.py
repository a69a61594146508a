"""A county's parallel drills on one machine (issue 19): S sessions at 60×, each with its host and N seats.

S host processes (session/host.py HostDrill, stepped at 20 Hz as cli/commands_team.py does) and S × N seat
processes (session/follower.py SeatLink, headless as in bench/bench_team.py: no UI draws, but each seat
follows its host as the drill UI does — on a file it looks at every 15 Hz tick; on PostgreSQL it waits for
the host's NOTIFY and reads when woken, at most one UI tick later, with the UI's safety look once a second).
One seat of each session sends a decision every 2 s. Each host notes when it began to commit each entry (the
commit's own time is counted), each seat when it first read it: the latency per seat is host commit → the
seat has read it.
Backends: SQLite with ONE journal file that every host and seat shares (hosts on one machine share one
journal), and PostgreSQL (`--db postgresql://…`, an empty or krisovning database; without it a throwaway
server is started as tests/pgserver.py does, with fsync on, pinned with the rest).
All processes (and a throwaway server) are pinned to 2 cores (os.sched_setaffinity) when the machine has more.
Prints p50/p95/max over every read, the worst seat's p95 (target: every seat's p95 ≤ 300 ms), the hosts' and
seats' CPU (% of one core), the machine's busy share of the pinned cores and the load average.
Linux only (/proc). Run: python bench/bench_group.py [--sessions 10] [--seats 3] [--seconds 40]
                              [--backend both|sqlite|pg] [--db postgresql://…] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_team import ENV, HOST_HZ, SCENARIO, SEAT_HZ, SEND_EVERY, cpu_seconds, percentile, seat_ids

TARGET_P95_MS = 300.0
CORES = 2


# --- the processes ---------------------------------------------------------------------------------


def where(db: str) -> Path | str:
    return db if "://" in db else Path(db)


def as_host(db: str, out: Path, seconds: float, speed: float) -> None:
    from krisovning.scenario import load_scenario
    from krisovning.session.host import HostDrill

    stop: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _f: stop.append(signum))
    scenario = load_scenario(SCENARIO)
    host = HostDrill.start(where(db), scenario, SCENARIO.read_text("utf-8"), str(SCENARIO), 7, "sv", speed)
    print(host.live.session_id, flush=True)
    while not select.select([sys.stdin], [], [], 0.5)[0]:  # until every seat is open: a heartbeat for them
        host.say()
    sys.stdin.readline()
    committed: dict[int, float] = {}
    store = host.live.recorder.store
    append = store.append

    def timed(session_id: str, rows: list, *args: object, **kwargs: object) -> None:
        started = time.time()  # as the commit starts (a seat woken by it may read before the call returns)
        append(session_id, rows, *args, **kwargs)
        for row in rows:
            committed.setdefault(row[0], started)

    store.append = timed  # type: ignore[method-assign]
    last = start = time.monotonic()
    while time.monotonic() - start < seconds and not host.live.finished and not stop:
        now = time.monotonic()
        wall, last = min(now - last, 1.0), now
        host.step(wall)
        time.sleep(max(0.0, 1 / HOST_HZ - (time.monotonic() - now)))
    host.close(interrupted=True)
    out.write_text(json.dumps({"committed": committed}))


def as_seat(db: str, session: str, seat_id: str, out: Path, seconds: float, send: bool) -> None:
    from krisovning.engine import Action, ActionRefused
    from krisovning.session.follower import SeatLink
    from krisovning.session.seats import Seat

    stop: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _f: stop.append(signum))
    link = SeatLink.open(where(db), session, Seat.parse(seat_id))
    print("open", flush=True)
    sys.stdin.readline()  # go
    seen: dict[int, float] = {}
    sent = 0
    send_in = SEND_EVERY
    last = start = time.monotonic()
    while time.monotonic() - start < seconds and not stop:
        now = time.monotonic()
        # as the drill UI: a tick every 1/15 s, and on PostgreSQL at once when the host's NOTIFY wakes it
        # (tui/seat_ui.py); on a file the tick is the only look
        if link.listener is not None:
            link.news(max(0.0, 1 / SEAT_HZ - (now - last)))
        else:
            time.sleep(max(0.0, 1 / SEAT_HZ - (now - last)))
        now = time.monotonic()
        wall, last = now - last, now
        read = time.time()
        for event in link.tick(wall):
            seen.setdefault(event.seq, read)
        send_in -= wall
        if send and send_in <= 0 and link.host_lost is None and not link.finished:
            send_in = SEND_EVERY
            with contextlib.suppress(ActionRefused):
                events = link.act(Action("decision", text=f"Beslut {sent + 1}"))
                sent += 1
                read = time.time()
                for event in events:
                    seen.setdefault(event.seq, read)
    reads = link.reads
    link.close(interrupted=False)
    out.write_text(json.dumps({"seen": seen, "sent": sent, "reads": reads}))


# --- measuring -------------------------------------------------------------------------------------


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, *args], env=ENV, text=True, stdout=subprocess.PIPE, stdin=subprocess.PIPE
    )


def busy_ticks(cores: set[int]) -> tuple[int, int]:
    """(busy, total) jiffies of `cores` so far (/proc/stat)."""
    busy = total = 0
    for line in Path("/proc/stat").read_text().splitlines():
        name, *values = line.split()
        if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in cores:
            numbers = [int(v) for v in values[:8]]
            idle = numbers[3] + numbers[4]  # idle + iowait
            busy += sum(numbers) - idle
            total += sum(numbers)
    return busy, total


def group(db: str, sessions: int, seats: int, seconds: float, folder: Path, tag: str) -> dict[str, object]:
    hosts: list[subprocess.Popen[str]] = []
    followers: list[subprocess.Popen[str]] = []
    try:
        return _group(db, sessions, seats, seconds, folder, tag, hosts, followers)
    finally:  # a run that failed leaves no process behind
        for proc in [*hosts, *followers]:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _group(
    db: str,
    sessions: int,
    seats: int,
    seconds: float,
    folder: Path,
    tag: str,
    hosts: list[subprocess.Popen[str]],
    followers: list[subprocess.Popen[str]],
) -> dict[str, object]:
    ids: list[str] = []

    def started(host: subprocess.Popen[str]) -> str:
        assert host.stdout is not None
        session = host.stdout.readline().strip()
        if not session:
            raise SystemExit("a host did not start")
        return session

    for s in range(sessions):
        hosts.append(spawn("--as-host", db, str(folder / f"{tag}-host{s}.json"), str(seconds), "60"))
        if s == 0:  # the first makes the journal; the others start in it together
            ids.append(started(hosts[0]))
    ids += [started(host) for host in hosts[1:]]
    for s, session in enumerate(ids):
        for i, seat_id in enumerate(seat_ids(seats)):
            out = folder / f"{tag}-seat{s}-{i}.json"
            followers.append(spawn("--as-seat", db, session, seat_id, str(out), str(seconds), *(["--send"] * (i == 0))))
    for seat in followers:
        assert seat.stdout is not None
        if seat.stdout.readline().strip() != "open":
            raise SystemExit("a seat did not open")
    cores = os.sched_getaffinity(0)
    before_busy = busy_ticks(cores)
    for proc in [*followers, *hosts]:  # seats first: they read from the first commit on
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    started = time.monotonic()
    host_cpu_before = [cpu_seconds(h.pid) for h in hosts]
    seat_cpu_before = [cpu_seconds(s.pid) for s in followers]
    time.sleep(seconds * 0.9)  # measured while all run (the hosts stop at `seconds`)
    span = time.monotonic() - started
    host_cpu = [100 * (cpu_seconds(h.pid) - b) / span for h, b in zip(hosts, host_cpu_before, strict=True)]
    seat_cpu = [100 * (cpu_seconds(s.pid) - b) / span for s, b in zip(followers, seat_cpu_before, strict=True)]
    after_busy = busy_ticks(cores)
    load = os.getloadavg()
    for proc in [*hosts, *followers]:
        proc.wait(timeout=seconds + 120)
    delays_all: list[float] = []
    seat_p95: list[float] = []
    reads = 0
    for s in range(sessions):
        committed = {
            int(k): v for k, v in json.loads((folder / f"{tag}-host{s}.json").read_text())["committed"].items()
        }
        for i in range(seats):
            result = json.loads((folder / f"{tag}-seat{s}-{i}.json").read_text())
            reads += result["reads"]
            mine = [1000 * (at - committed[int(seq)]) for seq, at in result["seen"].items() if int(seq) in committed]
            if not mine:
                raise SystemExit(f"seat {i} of session {s} read nothing its host committed")
            delays_all += mine
            seat_p95.append(percentile(mine, 95))
    busy = 100 * (after_busy[0] - before_busy[0]) / max(1, after_busy[1] - before_busy[1])
    return {
        "sessions": sessions,
        "seats": sessions * seats,
        "reads_seen": len(delays_all),
        "journal_reads": reads,
        "p50_ms": round(statistics.median(delays_all), 1),
        "p95_ms": round(percentile(delays_all, 95), 1),
        "max_ms": round(max(delays_all), 1),
        "worst_seat_p95_ms": round(max(seat_p95), 1),
        "hosts_cpu_percent": round(sum(host_cpu), 1),
        "host_cpu_percent_mean": round(statistics.mean(host_cpu), 1),
        "seats_cpu_percent": round(sum(seat_cpu), 1),
        "cores": len(cores),
        "cores_busy_percent": round(busy, 1),
        "load_1min": round(load[0], 2),
    }


@contextlib.contextmanager
def postgresql(given: str | None) -> Iterator[str]:
    if given:
        yield given
        return
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
    import psycopg
    from pgserver import throwaway_server, with_database

    with throwaway_server(durable=True) as admin:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute('CREATE DATABASE "bench_group"')
        yield with_database(admin, "bench_group")


def pin() -> str:
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) > CORES:
        os.sched_setaffinity(0, cores[:CORES])  # what it starts from here on inherits it
        return f"pinned to cores {cores[:CORES]} of {len(cores)}"
    return f"{len(cores)} cores (no pinning needed)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seats", type=int, default=3, help="seats per session (default 3)")
    parser.add_argument("--seconds", type=float, default=40.0, help="wall seconds of the 60× run (default 40)")
    parser.add_argument("--backend", choices=("both", "sqlite", "pg"), default="both")
    parser.add_argument("--db", help="a PostgreSQL database (postgresql://…); default: a throwaway server")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    parser.add_argument("--as-host", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--as-seat", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--send", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.as_host:
        db, out, seconds, speed = args.as_host
        as_host(db, Path(out), float(seconds), float(speed))
        return 0
    if args.as_seat:
        db, session, seat_id, out, seconds = args.as_seat
        as_seat(db, session, seat_id, Path(out), float(seconds), args.send)
        return 0
    pinning = pin()
    figures: dict[str, object] = {"pinning": pinning, "target_seat_p95_ms": TARGET_P95_MS}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.backend in ("both", "sqlite"):
            shared = str(folder / "county.db")  # one journal file for every session
            figures["sqlite"] = group(shared, args.sessions, args.seats, args.seconds, folder, "sqlite")
        if args.backend in ("both", "pg"):
            with postgresql(args.db) as address:
                figures["postgresql"] = group(address, args.sessions, args.seats, args.seconds, folder, "pg")
                figures["postgresql_server"] = "given (--db): not pinned by this script" if args.db else "throwaway"
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"{args.sessions} sessions x {args.seats} seats at 60x, {args.seconds:g} s wall each; {pinning}")
    for backend, label in (("sqlite", "SQLite, one shared journal file"), ("postgresql", "PostgreSQL")):
        f = figures.get(backend)
        if not isinstance(f, dict):
            continue
        ok = "OK" if f["worst_seat_p95_ms"] <= TARGET_P95_MS else "MISSED"
        print(
            f"{label}: host commit -> seat read over {f['reads_seen']} reads: p50 {f['p50_ms']} ms, "
            f"p95 {f['p95_ms']} ms, max {f['max_ms']} ms; worst seat's p95 {f['worst_seat_p95_ms']} ms "
            f"(target <= {TARGET_P95_MS:g}) -> {ok}"
        )
        print(
            f"  CPU (% of one core): {f['sessions']} hosts {f['hosts_cpu_percent']} "
            f"(each {f['host_cpu_percent_mean']}), "
            f"{f['seats']} seats {f['seats_cpu_percent']}; the {f['cores']} cores {f['cores_busy_percent']} % busy; "
            f"load average (1 min) {f['load_1min']}; the seats looked at the journal {f['journal_reads']} times"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
