"""A team drill's seats following their host (issue #15): N seats as real processes on one machine.

1. Latency at 60× on scenarios/dricksvatten.yaml: a host process steps the drill at 20 Hz (cli/commands_team.py)
   and notes when each entry was committed (the moment its step returned: a side channel, since the
   journal's wall_time is kept to the second); N seat processes (session/follower.py SeatLink, headless)
   look at the journal at 15 Hz as the drill UI does (tui/app.py TICK_HZ) and note when they first read each
   entry. Seat 0 also sends a decision every 2 s: its round trip is sent → journaled → read by every seat.
2. Host CPU at 1× with N idle seats: the real `krisovning host` (its plain loop) for --cpu-seconds, with
   N idle seat processes; CPU from /proc/PID/stat; RSS of each seat process from /proc/PID/status, and of
   a real `krisovning seat` drill UI in a pseudo-terminal when it starts.
Targets: commit → seat p95 ≤ 150 ms; round trip p95 ≤ 300 ms; host CPU ≤ 10 % of one core at 1×.
Linux only (/proc). Run: python bench/bench_team.py [--seats 10] [--seconds 40] [--cpu-seconds 30] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "dricksvatten.yaml"
HOST_HZ = 20  # cli/commands_team.py
SEAT_HZ = 15  # tui/app.py TICK_HZ: a seat looks at the journal when its UI ticks
SEND_EVERY = 2.0  # wall seconds between seat 0's requests
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


# --- the processes ---------------------------------------------------------------------------------


def as_host(db: Path, out: Path, seconds: float, speed: float) -> None:
    from krisovning.scenario import load_scenario
    from krisovning.session.host import HostDrill

    scenario = load_scenario(SCENARIO)
    host = HostDrill.start(db, scenario, SCENARIO.read_text("utf-8"), str(SCENARIO), 7, "sv", speed)
    print(host.live.session_id, flush=True)
    while not select.select([sys.stdin], [], [], 0.5)[0]:  # until the seats are open: a heartbeat for them
        host.say()
    sys.stdin.readline()
    committed: dict[int, float] = {}
    last = start = time.monotonic()
    while time.monotonic() - start < seconds and not host.live.finished:
        now = time.monotonic()
        wall, last = min(now - last, 1.0), now
        events = host.step(wall)
        done = time.time()
        for event in events:
            committed.setdefault(event.seq, done)
        time.sleep(max(0.0, 1 / HOST_HZ - (time.monotonic() - now)))
    host.close(interrupted=True)
    out.write_text(json.dumps({"committed": committed, "taken": host.taken, "refused": host.refused}))


def as_seat(db: Path, session: str, seat_id: str, out: Path, seconds: float, send: bool) -> None:
    from krisovning.engine import Action, ActionRefused
    from krisovning.session.follower import SeatLink
    from krisovning.session.seats import Seat

    stop: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _f: stop.append(signum))
    link = SeatLink.open(db, session, Seat.parse(seat_id))
    print("open", flush=True)
    seen: dict[int, float] = {}
    requests: list[tuple[float, int]] = []
    refused = 0
    send_in = SEND_EVERY
    last = start = time.monotonic()
    while time.monotonic() - start < seconds and not stop:
        now = time.monotonic()
        wall, last = now - last, now
        for event in link.tick(wall):
            seen.setdefault(event.seq, time.time())
        send_in -= wall
        if send and send_in <= 0 and link.host_lost is None and not link.finished:
            send_in = SEND_EVERY
            sent = time.time()
            try:
                events = link.act(Action("decision", text=f"Beslut {len(requests) + 1}"))
            except ActionRefused:
                refused += 1
            else:
                read = time.time()
                for event in events:
                    seen.setdefault(event.seq, read)
                actions = [e.seq for e in events if e.kind == "action"]
                if actions:
                    requests.append((sent, actions[-1]))
        time.sleep(max(0.0, 1 / SEAT_HZ - (time.monotonic() - now)))
    link.close(interrupted=False)
    out.write_text(json.dumps({"seen": seen, "requests": requests, "refused": refused}))


# --- measuring -------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def spawn(*args: str, **kwargs) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args], env=ENV, text=True, stdout=subprocess.PIPE, stdin=subprocess.PIPE, **kwargs
    )


def seat_ids(n: int) -> list[str]:
    from krisovning.scenario import load_scenario

    roles = [role.id for role in load_scenario(SCENARIO).roles]
    return [roles[i % len(roles)] for i in range(n)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def latency(n: int, seconds: float, folder: Path) -> dict[str, float | int]:
    db = folder / "latency.db"
    host = spawn(__file__, "--as-host", str(db), str(folder / "host.json"), str(seconds + 5), "60")
    assert host.stdout is not None and host.stdin is not None
    session = host.stdout.readline().strip()
    seats = []
    for i, seat_id in enumerate(seat_ids(n)):
        args = ["--as-seat", str(db), session, seat_id, str(folder / f"seat{i}.json"), str(seconds)]
        seats.append(spawn(__file__, *args, *(["--send"] if i == 0 else [])))
    for seat in seats:
        assert seat.stdout is not None
        seat.stdout.readline()  # open
    host.stdin.write("go\n")
    host.stdin.flush()
    for proc in [*seats, host]:
        proc.wait(timeout=seconds + 120)
    committed = {int(k): v for k, v in json.loads((folder / "host.json").read_text())["committed"].items()}
    results = [json.loads((folder / f"seat{i}.json").read_text()) for i in range(n)]
    delays = []
    for result in results:
        for seq, at in result["seen"].items():
            if int(seq) in committed:
                delays.append(1000 * (at - committed[int(seq)]))
    trips = []
    for sent, seq in results[0]["requests"]:
        everywhere = [r["seen"].get(str(seq)) for r in results]
        if all(at is not None for at in everywhere):
            trips.append(1000 * (max(everywhere) - sent))
    return {
        "seats": n,
        "entries": len(committed),
        "reads": len(delays),
        "latency_p50_ms": round(statistics.median(delays), 1),
        "latency_p95_ms": round(percentile(delays, 95), 1),
        "latency_max_ms": round(max(delays), 1),
        "requests": len(trips),
        "requests_refused": results[0]["refused"],
        "round_trip_p50_ms": round(statistics.median(trips), 1) if trips else -1,
        "round_trip_p95_ms": round(percentile(trips, 95), 1) if trips else -1,
        "round_trip_max_ms": round(max(trips), 1) if trips else -1,
    }


class SeatUI:
    """A real `krisovning seat` drill UI in a 120×40 pseudo-terminal, its output drained by a thread."""

    def __init__(self, db: Path, session: str, role: str, env: dict[str, str]) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        command = ["-m", "krisovning", "seat", session, "--role", role, "--db", str(db)]
        self.proc = subprocess.Popen(
            [sys.executable, *command], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.drawn = threading.Event()  # its clock bar is on the screen
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        seen = b""
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            if not self.drawn.is_set():
                seen += chunk
                if b"T+" in seen:
                    self.drawn.set()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        os.close(self.master)
        self._reader.join(timeout=5)


def screen_latency(n: int, seconds: float, folder: Path) -> dict[str, float | int]:
    """Host commit → a real seat UI's screen drawn with it (tui/testscreen.py trace_shown, after the refresh)."""
    db = folder / "screen.db"
    host = spawn(__file__, "--as-host", str(db), str(folder / "screen-host.json"), str(seconds + 5), "60")
    assert host.stdout is not None and host.stdin is not None
    session = host.stdout.readline().strip()
    roles = seat_ids(n)
    env = {**ENV, "TERM": "xterm-256color", "KRISOVNING_LANG": "sv"}
    seats = [
        SeatUI(db, session, role, {**env, "KRISOVNING_TRACE_SHOWN": str(folder / f"shown{i}.txt")})
        for i, role in enumerate(roles)
    ]
    try:
        for seat in seats:
            if not seat.drawn.wait(60):
                raise SystemExit("a seat UI did not draw its screen within 60 s")
        host.stdin.write("go\n")
        host.stdin.flush()
        host.wait(timeout=seconds + 120)
        time.sleep(1)  # the seats' last ticks after the host's last commit
    finally:
        for seat in seats:
            seat.stop()
        if host.poll() is None:
            host.kill()
    committed = {int(k): v for k, v in json.loads((folder / "screen-host.json").read_text())["committed"].items()}
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT seq, body FROM entries WHERE kind = 'inject'").fetchall()
    addressed = {seq: json.loads(body)["to"] for seq, body in rows}
    delays: list[float] = []
    inbox: list[float] = []
    for i, role in enumerate(roles):
        shown: dict[int, float] = {}
        trace = folder / f"shown{i}.txt"
        for line in trace.read_text().splitlines() if trace.exists() else []:
            seq, at = line.split()
            shown.setdefault(int(seq), float(at))
        for seq, at in shown.items():
            if seq in committed:
                delays.append(1000 * (at - committed[seq]))
                if addressed.get(seq) == role:
                    inbox.append(1000 * (at - committed[seq]))
    if not delays or not inbox:
        raise SystemExit("the seat UIs showed nothing the host committed")
    return {
        "ui_seats": n,
        "ui_shown": len(delays),
        "ui_latency_p50_ms": round(statistics.median(delays), 1),
        "ui_latency_p95_ms": round(percentile(delays, 95), 1),
        "ui_latency_max_ms": round(max(delays), 1),
        "ui_injects": len(inbox),
        "ui_inject_p50_ms": round(statistics.median(inbox), 1),
        "ui_inject_p95_ms": round(percentile(inbox, 95), 1),
        "ui_inject_max_ms": round(max(inbox), 1),
    }


def seat_ui_rss(db: Path, session: str) -> float | None:
    """RSS of a real `krisovning seat` drill UI in a 120×40 pseudo-terminal, once it has drawn its clock bar."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    command = ["-m", "krisovning", "seat", session, "--role", "presssekreterare", "--db", str(db)]
    proc = subprocess.Popen(
        [sys.executable, *command], stdin=slave, stdout=slave, stderr=slave, env=ENV, start_new_session=True
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 30
    try:
        while b"T+" not in seen and time.monotonic() < deadline and proc.poll() is None:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
        if proc.poll() is not None or b"T+" not in seen:
            return None
        end = time.monotonic() + 3  # settled: a few seconds of ticks
        while time.monotonic() < end:
            if select.select([master], [], [], 0.2)[0]:
                os.read(master, 65536)
        return rss_mb(proc.pid)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        os.close(master)


def idle_cpu(n: int, seconds: float, folder: Path) -> dict[str, float | int | None]:
    db = folder / "idle.db"
    host = subprocess.Popen(
        [sys.executable, "-m", "krisovning", "host", str(SCENARIO), "--seed", "7", "--db", str(db)],
        env=ENV,
        text=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
    )
    assert host.stdout is not None
    session = ""
    while not session:
        line = host.stdout.readline()
        if not line:
            raise SystemExit("the host ended before it invited any seat")
        if "krisovning seat " in line:
            session = line.split()[2]
    seats = [
        spawn(__file__, "--as-seat", str(db), session, seat_id, str(folder / f"idle{i}.json"), str(seconds + 60))
        for i, seat_id in enumerate(seat_ids(n))
    ]
    for seat in seats:
        assert seat.stdout is not None
        seat.stdout.readline()
    time.sleep(3)  # warm: the seats' first looks, the host's first beats
    host_before = cpu_seconds(host.pid)
    seats_before = [cpu_seconds(s.pid) for s in seats]
    started = time.monotonic()
    time.sleep(seconds)
    span = time.monotonic() - started
    host_cpu = 100 * (cpu_seconds(host.pid) - host_before) / span
    seat_cpu = [100 * (cpu_seconds(s.pid) - b) / span for s, b in zip(seats, seats_before, strict=True)]
    rss = [rss_mb(s.pid) for s in seats]
    host_rss = rss_mb(host.pid)
    ui = seat_ui_rss(db, session)
    for proc in [*seats, host]:
        proc.send_signal(signal.SIGTERM)
    for proc in [*seats, host]:
        proc.wait(timeout=60)
    return {
        "idle_seconds": round(span, 1),
        "host_cpu_percent": round(host_cpu, 2),
        "host_rss_mb": round(host_rss, 1),
        "seat_cpu_percent_mean": round(statistics.mean(seat_cpu), 2),
        "seat_rss_mb_mean": round(statistics.mean(rss), 1),
        "seat_rss_mb_max": round(max(rss), 1),
        "seat_ui_rss_mb": round(ui, 1) if ui is not None else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=40.0, help="wall seconds of the 60× run (default 40)")
    parser.add_argument("--cpu-seconds", type=float, default=30.0, help="wall seconds of the idle 1× run")
    parser.add_argument("--ui-seats", type=int, default=3, help="real seat UIs for commit -> screen (default 3)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    parser.add_argument("--as-host", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--as-seat", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--send", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.as_host:
        db, out, seconds, speed = args.as_host
        as_host(Path(db), Path(out), float(seconds), float(speed))
        return 0
    if args.as_seat:
        db, session, seat_id, out, seconds = args.as_seat
        as_seat(Path(db), session, seat_id, Path(out), float(seconds), args.send)
        return 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        figures = latency(args.seats, args.seconds, folder)
        figures.update(screen_latency(args.ui_seats, args.seconds, folder))
        figures.update(idle_cpu(args.seats, args.cpu_seconds, folder))
    figures.update(target_latency_p95_ms=150, target_round_trip_p95_ms=300, target_host_cpu_percent=10)
    if args.json:
        print(json.dumps(figures))
        return 0
    f = figures
    print(f"{f['seats']} seats following a host at 60x on {SCENARIO.name} ({f['entries']} entries, {f['reads']} reads)")
    print(
        f"  host commit -> seat read: p50 {f['latency_p50_ms']} ms, p95 {f['latency_p95_ms']} ms "
        f"(target <= 150), max {f['latency_max_ms']} ms"
    )
    print(
        f"  request round trip (sent -> journaled -> read by every seat), {f['requests']} requests: "
        f"p50 {f['round_trip_p50_ms']} ms, p95 {f['round_trip_p95_ms']} ms (target <= 300), "
        f"max {f['round_trip_max_ms']} ms"
    )
    print(
        f"  host commit -> shown on a seat UI's screen ({f['ui_seats']} seat UIs in 120x40 ptys, after the refresh "
        f"that draws it): p50 {f['ui_latency_p50_ms']} ms, p95 {f['ui_latency_p95_ms']} ms, "
        f"max {f['ui_latency_max_ms']} ms "
        f"({f['ui_shown']} entries); an inject to the seat's role in its inbox: p50 {f['ui_inject_p50_ms']} ms, "
        f"p95 {f['ui_inject_p95_ms']} ms, max {f['ui_inject_max_ms']} ms ({f['ui_injects']} injects)"
    )
    print(
        f"  host CPU at 1x with {f['seats']} idle seats over {f['idle_seconds']} s: {f['host_cpu_percent']} % "
        f"of one core (target <= 10), RSS {f['host_rss_mb']} MB; each seat {f['seat_cpu_percent_mean']} %"
    )
    ui = f"{f['seat_ui_rss_mb']} MB" if f["seat_ui_rss_mb"] is not None else "not measured (the seat UI did not start)"
    print(f"  RSS per headless seat: mean {f['seat_rss_mb_mean']} MB, max {f['seat_rss_mb_max']} MB; seat UI: {ui}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
