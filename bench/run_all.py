"""Run every benchmark in bench/ and write docs/performance.md (each target with its measured figure).

Each benchmark runs as its own subprocess, one after another (so they do not disturb each
other): engine, journal, report, ui, startup, team, and `krisovning preview --runs 1000` of the
reference scenario, timed here. A benchmark script that accepts `--json` prints one JSON
object with its figures; for one that does not, its text output is parsed. The machine, the
date, each target with the figure measured, the baseline measured in the same run (where
there is one), the ratio and met/missed go into docs/performance.md, with the raw figures.

    python bench/run_all.py [--only engine,startup,...] [--out docs/performance.md] [--no-write]

A benchmark that fails is reported as such in the table; the others still run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REFERENCE = ROOT / "scenarios" / "dricksvatten.yaml"
PREVIEW_RUNS = 1000
TIMEOUT = 1800.0
NAMES = ("engine", "journal", "report", "ui", "startup", "team", "preview")


# --- running ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    command: list[str]
    seconds: float = 0.0
    figures: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    error: str | None = None


def run(command: list[str], timeout: float = TIMEOUT, **kwargs: Any) -> tuple[int, str, str, float]:
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, **kwargs)
    return proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started


def accepts_json(script: Path) -> bool:
    code, out, _, _ = run([sys.executable, str(script), "--help"], timeout=120)
    return code == 0 and "--json" in out


def last_json_object(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            return json.loads(line)
    raise ValueError("no JSON object in the output")


def run_script(name: str, parse_text) -> Outcome:
    script = BENCH / f"bench_{name}.py"
    use_json = accepts_json(script)
    command = [sys.executable, str(script)] + (["--json"] if use_json else [])
    outcome = Outcome(name, command)
    print(f"[run_all] {name}: {' '.join(Path(c).name if c == sys.executable else c for c in command)}", flush=True)
    try:
        code, out, err, outcome.seconds = run(command)
    except subprocess.TimeoutExpired:
        outcome.error = f"timed out after {TIMEOUT:.0f} s"
        return outcome
    outcome.text = out
    if code != 0:
        outcome.error = f"exit {code}: {(err or out).strip()[-600:]}"
        return outcome
    try:
        outcome.figures = last_json_object(out) if use_json else parse_text(out)
        outcome.figures["_source"] = "json" if use_json else "text"
    except (ValueError, KeyError, AttributeError) as problem:
        outcome.error = f"could not read the figures ({problem}); output: {out.strip()[-600:]}"
    return outcome


def number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"no match for {pattern!r}")
    return float(match.group(1).replace(",", ""))


# Text fall-backs (used when a script has no --json).


def parse_engine(text: str) -> dict[str, Any]:
    return {
        "posts": int(number(r"(\d+) posts", text)),
        "events": int(number(r"(\d+) events", text)),
        "engine_s": number(r"engine: .*?events: (?:median )?([\d.]+) s", text),
        "engine_us_per_event": number(r"per event: engine ([\d.]+) us", text),
        "bare_same_us_per_event": number(r"re-emitting the same events: ([\d.]+) us", text),
        "ratio_same": number(r"re-emitting the same events: .*?ratio ([\d.]+)x", text),
    }


def parse_journal(text: str) -> dict[str, Any]:
    return {
        "events": int(number(r"journal: (\d+) events", text)),
        "journal_s": number(r"journal: .*?: ([\d.]+) s \(target", text),
        "resume_s": number(r"resume .*?: ([\d.]+) s", text),
    }


def parse_report(text: str) -> dict[str, Any]:
    figures: dict[str, Any] = {"events": int(number(r"drill: ([\d,]+) events", text))}
    for step in ("build", "render json", "render md", "render html", "render docx"):
        key = step.replace(" ", "_")
        figures[f"{key}_s"] = number(rf"{step}\s+median\s+([\d.]+) s", text)
        figures[f"{key}_first_s"] = number(rf"{step}\s+median\s+[\d.]+ s\s+first\s+([\d.]+) s", text)
    return figures


def parse_ui(text: str) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "p95_ms": number(r"keypress p95 ([\d.]+) ms", text),
        "rss_held_mb": number(r"50,000 posts held ([\d.]+) MB", text),
        "rss_10min_mb": number(r"after \+10 min[^;]*?([\d.]+) MB", text),
        "rss_20min_mb": number(r"after \+20 min ([\d.]+) MB", text),
    }
    rates = [float(r) for r in re.findall(r"feed (\d+) posts/s", text)]
    if rates:
        figures["feed_posts_per_s_min"] = min(rates)
    held = re.search(r"held ([\d,]+), seen ([\d,]+)", text)
    if held:
        figures["held_after"] = int(held.group(1).replace(",", ""))
        figures["seen"] = int(held.group(2).replace(",", ""))
    return figures


def parse_startup(text: str) -> dict[str, Any]:
    return {
        "startup_s": number(r"inbox drawn .*?median ([\d.]+) s", text),
        "baseline_s": number(r"baseline.*?median ([\d.]+) s", text),
        "ratio": number(r"ratio .*?: ([\d.]+)x", text),
    }


def parse_team(text: str) -> dict[str, Any]:
    return {
        "seats": int(number(r"(\d+) seats following", text)),
        "latency_p50_ms": number(r"seat read: p50 ([\d.]+) ms", text),
        "latency_p95_ms": number(r"seat read: .*?p95 ([\d.]+) ms", text),
        "round_trip_p50_ms": number(r"requests: p50 ([\d.]+) ms", text),
        "round_trip_p95_ms": number(r"requests: .*?p95 ([\d.]+) ms", text),
        "host_cpu_percent": number(r"idle seats over [\d.]+ s: ([\d.]+) %", text),
        "seat_rss_mb_mean": number(r"headless seat: mean ([\d.]+) MB", text),
        "ui_seats": int(number(r"\((\d+) seat UIs", text)),
        "ui_latency_p50_ms": number(r"seat UI's screen .*?p50 ([\d.]+) ms", text),
        "ui_latency_p95_ms": number(r"seat UI's screen .*?p95 ([\d.]+) ms", text),
        "ui_injects": int(number(r"\((\d+) injects\)", text)),
        "ui_inject_p95_ms": number(r"in its inbox: .*?p95 ([\d.]+) ms", text),
    }


def run_preview() -> Outcome:
    """`krisovning preview <reference> --runs 1000 --json`, wall time, on (at most) 2 cores."""
    script = shutil.which("krisovning", path=str(Path(sys.executable).parent))
    command = ([script] if script else [sys.executable, "-m", "krisovning"]) + [
        "preview",
        str(REFERENCE.relative_to(ROOT)),
        "--runs",
        str(PREVIEW_RUNS),
        "--policy",  # one bot team: the target's runs (the default plays every team, 4 × the runs)
        "realistic",
        "--json",
    ]
    outcome = Outcome("preview", command)
    print(f"[run_all] preview: krisovning {' '.join(command[-7:])}", flush=True)
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []

    def pin() -> None:  # the target is for 2 cores: pin the whole process tree to two of them
        os.sched_setaffinity(0, cores[:2])

    try:
        code, out, err, outcome.seconds = run(command, preexec_fn=pin if len(cores) > 2 else None)
    except subprocess.TimeoutExpired:
        outcome.error = f"timed out after {TIMEOUT:.0f} s"
        return outcome
    if code != 0:
        outcome.error = f"exit {code}: {(err or out).strip()[-600:]}"
        return outcome
    try:
        result = json.loads(out)
        outcome.figures = {
            "wall_s": outcome.seconds,
            "runs": result.get("runs"),
            "scenario": result.get("scenario"),
            "cores": min(len(cores), 2) if cores else os.cpu_count(),
        }
    except ValueError as problem:
        outcome.error = f"preview printed no JSON ({problem})"
    return outcome


# --- the machine -----------------------------------------------------------------------------------


def read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def pkg(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    cpuinfo = read("/proc/cpuinfo")
    model = re.search(r"(?m)^model name\s*:\s*(.+)$", cpuinfo)
    mem = re.search(r"(?m)^MemTotal:\s*(\d+) kB", read("/proc/meminfo"))
    pretty = re.search(r'(?m)^PRETTY_NAME="?([^"\n]+)"?', read("/etc/os-release"))
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": str(nproc),
        "cpu": model.group(1).strip() if model else platform.processor() or platform.machine(),
        "ram": f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "?",
        "os": f"{pretty.group(1) if pretty else platform.system()} (kernel {platform.release()}, {platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "textual": pkg("textual"),
        "simpy": pkg("simpy"),
        "rich": pkg("rich"),
        "pydantic": pkg("pydantic"),
        "faker": pkg("Faker"),
        "revision": revision(),
    }


def revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, timeout=30
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return f"{head} + uncommitted changes" if head and dirty else (head or "?")


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --- the table -------------------------------------------------------------------------------------


@dataclass
class Row:
    target: str
    measured: str
    baseline: str = "–"
    ratio: str = "–"
    met: bool | None = None  # None: not measured
    note: str = ""


def rows_for(results: dict[str, Outcome]) -> list[Row]:
    rows: list[Row] = []

    def failed(name: str, *targets: str) -> bool:
        outcome = results.get(name)
        if outcome is None:
            rows.extend(Row(t, "not run") for t in targets)
            return True
        if outcome.error:
            rows.extend(Row(t, "error", note=outcome.error.replace("|", "/").replace("\n", " ")[:300]) for t in targets)
            return True
        return False

    e_targets = (
        "Engine: 4-hour drill with ≥ 20,000 posts, headless, < 1 s",
        "Engine: cost per event ≤ 3× a bare SimPy loop producing the same events",
    )
    if not failed("engine", *e_targets):
        f = results["engine"].figures
        rows.append(
            Row(
                e_targets[0],
                f"{f['engine_s']:.3f} s ({f['posts']:,} posts, {f['events']:,} events)",
                met=f["posts"] >= 20_000 and f["engine_s"] < 1.0,
                note="CPU time, best of the repeats"
                + (f"; median {f['engine_median_s']:.3f} s" if "engine_median_s" in f else ""),
            )
        )
        rows.append(
            Row(
                e_targets[1],
                f"{f['engine_us_per_event']:.1f} µs/event",
                baseline=f"{f['bare_same_us_per_event']:.1f} µs/event (bare SimPy loop re-emitting the same events)",
                ratio=f"{f['ratio_same']:.2f}×",
                met=f["ratio_same"] <= 3.0,
                note=(
                    f"vs. a loop appending (time, index) only: {f['bare_minimal_us_per_event']:.1f} µs/event, "
                    f"{f['ratio_minimal']:.2f}×"
                    if "ratio_minimal" in f
                    else ""
                ),
            )
        )

    p_target = f"`preview --runs {PREVIEW_RUNS}` of the reference scenario < 60 s on 2 cores"
    if not failed("preview", p_target):
        f = results["preview"].figures
        rows.append(
            Row(
                p_target,
                f"{f['wall_s']:.1f} s ({f['runs']} runs, {f['cores']} cores)",
                met=f["wall_s"] < 60.0,
                note=f"wall time of `krisovning preview {REFERENCE.relative_to(ROOT)} --runs {PREVIEW_RUNS} "
                "--policy realistic --json`",
            )
        )

    u_targets = (
        "UI: keypress p95 < 50 ms with 100 posts/s arriving and 50,000 held",
        "UI: memory flat (bounded view) while the feed runs",
    )
    if not failed("ui", *u_targets):
        f = results["ui"].figures
        rate = f" (feed ≥ {f['feed_posts_per_s_min']:.0f} posts/s)" if "feed_posts_per_s_min" in f else ""
        rows.append(
            Row(
                u_targets[0],
                f"{f['p95_ms']:.1f} ms{rate}",
                met=f["p95_ms"] < 50.0,
                note="key posted → frame rendered, headless 120×40, FeedPanel",
            )
        )
        held, ten, twenty = f["rss_held_mb"], f["rss_10min_mb"], f["rss_20min_mb"]
        growth = (twenty - held) / held
        rows.append(
            Row(
                u_targets[1],
                f"RSS {held:.0f} → {ten:.0f} → {twenty:.0f} MB",
                met=growth < 0.10,
                note=f"50,000 held, then +10 and +20 min of feed at 100 posts/s (120,000 more posts): "
                f"{100 * growth:+.1f} % (met: < +10 %)",
            )
        )

    r_target = "Report of a 4-hour drill with 100,000 journal entries < 3 s per format"
    if not failed("report", r_target):
        f = results["report"].figures
        for fmt in ("json", "md", "html", "docx"):
            total = f["build_s"] + f[f"render_{fmt}_s"]
            first = f.get("build_first_s", f["build_s"]) + f.get(f"render_{fmt}_first_s", f[f"render_{fmt}_s"])
            rows.append(
                Row(
                    f"{r_target}: {fmt}",
                    f"{total:.2f} s ({f['events']:,} events)",
                    met=f["events"] >= 100_000 and total < 3.0,
                    note=f"build {f['build_s']:.2f} s + render {f[f'render_{fmt}_s']:.2f} s "
                    f"(medians); first, cold: {first:.2f} s",
                )
            )

    j_targets = ("Journal: 100,000 events journaled during a 4-hour drill < 3 s", "Journal: resume < 2 s")
    if not failed("journal", *j_targets):
        f = results["journal"].figures
        step = f" in {f['transactions']:,} transactions" if "transactions" in f else ""
        rows.append(
            Row(
                j_targets[0],
                f"{f['journal_s']:.2f} s ({f['events']:,} events{step})",
                met=f["events"] >= 100_000 and f["journal_s"] < 3.0,
                note=(
                    f"one transaction per {f['step_s']:g} s engine step; with one per exercise second "
                    f"{f['per_second_journal_s']:.2f} s"
                    if "per_second_journal_s" in f
                    else ""
                ),
            )
        )
        spread = f" (min {f['resume_min_s']:.2f}, max {f['resume_max_s']:.2f})" if "resume_min_s" in f else ""
        rows.append(
            Row(
                j_targets[1],
                f"{f['resume_s']:.2f} s{spread}",
                met=f["resume_s"] < 2.0,
                note="read + replay + verify every event, in a new process as after a crash; median of "
                f"{f.get('resumes', 1)}" + (f"; reading alone {f['read_s']:.2f} s" if "read_s" in f else ""),
            )
        )

    t_targets = (
        "Team drill: host commit → seat has read it, p95 ≤ 150 ms (10 seats, 60×)",
        "Team drill: a request's round trip (sent → journaled → read by every seat) p95 ≤ 300 ms",
        "Team drill: host CPU at 1× with 10 idle seats ≤ 10 % of one core",
        "Team drill: host commit → a seat's screen showing it, p95 ≤ 150 ms (seat UIs, 60×)",
    )
    if not failed("team", *t_targets):
        f = results["team"].figures
        rows.append(
            Row(
                t_targets[0],
                f"{f['latency_p95_ms']:.0f} ms (p50 {f['latency_p50_ms']:.0f} ms)",
                met=f["latency_p95_ms"] <= 150,
                note=f"{f['seats']} headless seat processes looking at 15 Hz, the host stepping at 20 Hz",
            )
        )
        rows.append(
            Row(
                t_targets[1],
                f"{f['round_trip_p95_ms']:.0f} ms (p50 {f['round_trip_p50_ms']:.0f} ms)",
                met=0 <= f["round_trip_p95_ms"] <= 300,
                note="a decision every 2 s from one seat",
            )
        )
        ui = f.get("seat_ui_rss_mb")
        rows.append(
            Row(
                t_targets[2],
                f"{f['host_cpu_percent']:.1f} %",
                met=f["host_cpu_percent"] <= 10,
                note=f"`krisovning host` (plain loop); RSS per headless seat {f['seat_rss_mb_mean']:.0f} MB"
                + (f", per seat UI {ui:.0f} MB" if ui is not None else ", seat UI not measured"),
            )
        )
        if "ui_latency_p95_ms" in f:
            rows.append(
                Row(
                    t_targets[3],
                    f"{f['ui_latency_p95_ms']:.0f} ms (p50 {f['ui_latency_p50_ms']:.0f} ms)",
                    met=f["ui_latency_p95_ms"] <= 150,
                    note=f"a second run with {f['ui_seats']} real seat UIs (`krisovning seat`, 120×40 ptys) "
                    f"after each refresh; an inject in its seat's inbox: p95 {f['ui_inject_p95_ms']:.0f} ms "
                    f"({f['ui_injects']} injects)",
                )
            )
        else:
            rows.append(Row(t_targets[3], "not measured"))

    s_target = "Start-up of `krisovning run` to the first drawn screen < 1.5 s"
    if not failed("startup", s_target):
        f = results["startup"].figures
        spread = f" (min {f['startup_min_s']:.2f}, max {f['startup_max_s']:.2f})" if "startup_min_s" in f else ""
        rows.append(
            Row(
                s_target,
                f"{f['startup_s']:.2f} s{spread}",
                baseline=f"{f['baseline_s']:.2f} s (minimal Textual app, one Static)",
                ratio=f"{f['ratio']:.2f}×",
                met=f["startup_s"] < 1.5,
                note=f"median of {f.get('runs', '?')} runs in a 120×40 pty, until the inbox tab label is on screen",
            )
        )
    return rows


def markdown(
    info: dict[str, str],
    started: datetime,
    finished: datetime,
    load_before: str,
    load_after: str,
    results: dict[str, Outcome],
    rows: list[Row],
    note: str = "",
) -> str:
    met = sum(1 for r in rows if r.met)
    measured = sum(1 for r in rows if r.met is not None)
    lines = [
        "# Performance",
        "",
        "Figures of the benchmarks in `bench/` against the project's performance targets.",
        "Written by `python bench/run_all.py`, which runs every benchmark as a subprocess, one after another;",
        "re-run it on a quiet machine to replace this file. A baseline is measured in the same run where one exists.",
        "",
        f"**Measured:** {started:%Y-%m-%d %H:%M} – {finished:%H:%M} ({started.astimezone().tzname()}). "
        f"**Result:** {met} of {measured} targets met. **Code:** {info['revision']}.",
        "",
        *([note, ""] if note else []),
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPUs (nproc) | {info['nproc']} |",
        f"| CPU model | {info['cpu']} |",
        f"| RAM | {info['ram']} |",
        f"| OS | {info['os']} |",
        f"| Python | {info['python']} |",
        f"| textual / simpy | {info['textual']} / {info['simpy']} |",
        f"| rich / pydantic / Faker | {info['rich']} / {info['pydantic']} / {info['faker']} |",
        f"| load average (1, 5, 15 min) | before {load_before}; after {load_after} |",
        "",
        "## Targets",
        "",
        "| Target | Measured | Baseline (same run) | Ratio | Met | Notes |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        verdict = "—" if r.met is None else ("met" if r.met else "**missed**")
        lines.append(f"| {r.target} | {r.measured} | {r.baseline} | {r.ratio} | {verdict} | {r.note} |")
    lines += [
        "",
        "## How each figure is taken",
        "",
        "- **engine** (`bench/bench_engine.py`): the heavy 4-hour scenario in the script, run to its end headless; "
        "CPU time (`time.process_time`), best of the repeats. Baseline: a bare SimPy process emitting the same "
        "events at the same times with their payloads made beforehand.",
        f"- **preview**: `krisovning preview {REFERENCE.relative_to(ROOT)} --runs {PREVIEW_RUNS} "
        "--policy realistic --json`, wall time "
        "from process start to exit (it spreads the runs over the CPUs; pinned to two CPUs if the machine has more).",
        "- **ui** (`bench/bench_ui.py`): a headless 120×40 app with the live `FeedPanel` holding 50,000 posts while "
        "100 posts/s arrive; latency from the key event being posted to the next rendered frame; RSS after "
        "`gc.collect()`.",
        "- **report** (`bench/bench_report.py`): the starter scenario stretched to 4 hours with ≥ 100,000 events; "
        "building the report model plus rendering one format (medians of the repeats).",
        "- **journal** (`bench/bench_journal.py`): journaling a ≥ 100,000-event drill the way a live drill does, then "
        "`resume` (read, replay, verify) in a new process each time, as after a crash (the time of `open_for_resume` "
        "there; the interpreter's start and imports are start-up's).",
        "- **startup** (`bench/bench_startup.py`): the real `krisovning run scenarios/dricksvatten.yaml` in a "
        "pseudo-terminal, from just before the process starts until the inbox tab label is written; baseline: a "
        "minimal Textual app (one `Static`) started the same way.",
        "- **team** (`bench/bench_team.py`): a host process and 10 seat processes on the reference scenario at 60×; "
        "when the host's step committed an entry (noted by the host) against when each seat first read it; one "
        "seat's requests from sending to being read by every seat; then the real `krisovning host` at 1× with 10 "
        "idle seats for 30 s, CPU from /proc; RSS of each seat process and of a `krisovning seat` UI in a pty. "
        "To the screen: a second 60× run with 3 real `krisovning seat` UIs in 120×40 pseudo-terminals; each notes "
        "(KRISOVNING_TRACE_SHOWN, tui/testscreen.py) when the refresh that draws the entries it was just given has "
        "been written to its terminal, against the host's commit.",
        "",
        "## Raw figures",
        "",
    ]
    for name in NAMES:
        outcome = results.get(name)
        if outcome is None:
            continue
        shown = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in outcome.figures.items()}
        status = f"error: {outcome.error}" if outcome.error else json.dumps(shown, ensure_ascii=False)
        lines.append(f"- `{name}` ({outcome.seconds:.1f} s wall for the whole script): `{status}`")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(NAMES), help=f"comma-separated subset of {','.join(NAMES)}")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--no-write", action="store_true", help="print the Markdown instead of writing the file")
    parser.add_argument("--note", default="", help="a remark printed under the date (e.g. how quiet the machine was)")
    args = parser.parse_args()
    chosen = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(chosen) - set(NAMES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    info = machine()
    started, load_before = datetime.now().astimezone(), load()
    parsers = {
        "engine": parse_engine,
        "journal": parse_journal,
        "report": parse_report,
        "ui": parse_ui,
        "startup": parse_startup,
        "team": parse_team,
    }
    results: dict[str, Outcome] = {}
    for name in NAMES:
        if name not in chosen:
            continue
        results[name] = run_preview() if name == "preview" else run_script(name, parsers[name])
        outcome = results[name]
        print(
            f"[run_all]   {outcome.seconds:.1f} s; "
            + (f"ERROR {outcome.error}" if outcome.error else json.dumps(outcome.figures, ensure_ascii=False)),
            flush=True,
        )
    finished, load_after = datetime.now().astimezone(), load()

    rows = rows_for(results)
    text = markdown(info, started, finished, load_before, load_after, results, rows, args.note)
    if args.no_write:
        print(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"[run_all] wrote {args.out}")
    width = max(len(r.target) for r in rows) if rows else 0
    for r in rows:
        verdict = "—" if r.met is None else ("met" if r.met else "MISSED")
        print(f"{r.target:<{width}}  {r.measured}  [{verdict}]" + (f"  ratio {r.ratio}" if r.ratio != "–" else ""))
    return 1 if any(o.error for o in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
