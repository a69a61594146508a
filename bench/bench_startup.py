"""Start-up benchmark (targets: docs/performance.md): `krisovning run` to the first drawn screen in < 1.5 s.

Starts the real `krisovning run scenarios/dricksvatten.yaml` in a pseudo-terminal (120×40,
TERM=xterm-256color, Swedish) and measures from just before the process is started until the
inbox tab's label ("Inkorg") has been written to the terminal — i.e. the first screen is
drawn. Each run uses a new journal database in a temporary folder and is killed afterwards.

Baseline, measured in the same run and started the same way: a minimal Textual app whose
only widget is a Static showing one word. The ratio shows what krisovning adds to Textual's
own start-up (imports of pydantic, simpy, Faker…, loading the scenario, opening the journal).

One untimed warm-up run of each comes first (byte-code compilation, disk cache); then the
two alternate, N runs each, and the median is printed.

    python bench/bench_startup.py [--runs N] [--json]
Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "dricksvatten.yaml"
TARGET = 1.5
SIZE = (120, 40)
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[a-zA-Z~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07")
BASELINE_WORD = "Baslinjeord"
BASELINE_APP = f"""
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static({BASELINE_WORD!r})

Minimal().run()
"""


def krisovning_command() -> list[str]:
    """The installed `krisovning` console script next to this interpreter (what users run)."""
    script = shutil.which("krisovning", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "krisovning"]


def time_to_text(args: list[str], needle: str, env: dict[str, str], timeout: float = 60.0) -> float:
    """Seconds from just before starting `args` in a pty until `needle` is on its screen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    wanted = needle.encode()
    seen = b""
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True, start_new_session=True
    )
    os.close(slave)
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                seen += chunk
                if wanted in ANSI.sub(b"", seen):
                    return time.perf_counter() - started
            if proc.poll() is not None and not ready:
                tail = ANSI.sub(b"", seen).decode("utf-8", "replace")[-800:]
                raise RuntimeError(f"{args[0]} exited ({proc.returncode}) before {needle!r} appeared: {tail!r}")
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"{needle!r} did not appear within {timeout:.0f} s")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        os.close(master)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (default 9; the median is printed)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures instead of text")
    args = parser.parse_args()

    env = {**os.environ, "TERM": "xterm-256color", "KRISOVNING_LANG": "sv"}
    env.pop("KRISOVNING_DEBUG", None)
    env.pop("TEXTUAL", None)  # no devtools
    app_times: list[float] = []
    base_times: list[float] = []
    with tempfile.TemporaryDirectory() as folder:

        def run_app(k: int) -> float:
            db = Path(folder) / f"startup-{k}.db"
            return time_to_text(
                [*krisovning_command(), "run", str(SCENARIO)], "Inkorg", {**env, "KRISOVNING_DB": str(db)}
            )

        def run_base() -> float:
            return time_to_text([sys.executable, "-c", BASELINE_APP], BASELINE_WORD, env)

        run_app(0)  # warm-up
        run_base()
        for k in range(1, args.runs + 1):
            app_times.append(run_app(k))
            base_times.append(run_base())

    app, base = statistics.median(app_times), statistics.median(base_times)
    figures = {
        "runs": args.runs,
        "startup_s": round(app, 4),
        "startup_min_s": round(min(app_times), 4),
        "startup_max_s": round(max(app_times), 4),
        "baseline_s": round(base, 4),
        "baseline_min_s": round(min(base_times), 4),
        "baseline_max_s": round(max(base_times), 4),
        "ratio": round(app / base, 3),
        "target_s": TARGET,
        "met": app < TARGET,
    }
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"krisovning run {SCENARIO.relative_to(ROOT)} → inbox drawn ({SIZE[0]}×{SIZE[1]} pty): "
        f"median {app:.3f} s over {args.runs} runs (min {min(app_times):.3f}, max {max(app_times):.3f}) "
        f"(target < {TARGET} s) -> {'OK' if app < TARGET else 'MISSED'}"
    )
    print(
        f"baseline, minimal Textual app (one Static) → its word drawn: median {base:.3f} s "
        f"(min {min(base_times):.3f}, max {max(base_times):.3f})"
    )
    print(f"ratio krisovning / minimal Textual app: {app / base:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
