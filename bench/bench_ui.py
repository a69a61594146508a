"""UI benchmark (targets: docs/performance.md): keypress latency and memory of the live social feed, headless.

Setup: a headless Textual app (`App.run_test`, 120×40) whose whole screen is one `FeedPanel`
holding 50,000 posts. A Textual interval timer at 20 Hz adds 5 posts per tick — 100 posts/s
in real time — plus a `social_sample` every 60 s of exercise time, while keys are pressed.

Keypress latency ("key event posted → next frame rendered"):
  * t0 = `perf_counter()` just before the key event is handed to the headless driver
    (`driver.send_message`, the same path a real terminal's input thread uses);
  * the FeedView's `select_row` (which every cursor key ends in) is wrapped to note that the key
    has been handled;
  * the app's `_display` is wrapped: Textual calls it once per frame, right after the compositor
    has rendered the frame's dirty lines (`render_update`). The first frame after the handler ran
    carries the key's change (dirty regions accumulate until the next frame), so latency =
    (entry to that `_display`) − t0. It includes queueing behind feed batches, the handler,
    Textual's frame pacing (≤ 60 fps) and rendering; headless skips only the terminal write.
  * Presses are spaced 20–60 ms apart (random, seeded) so they land at every phase of the feed timer.
  `pilot.press` is not used for timing: it waits for idle/animations and costs 40–80 ms by itself;
  its round trip is printed separately for comparison only.

Memory: RSS (VmRSS from /proc, after `gc.collect()`) once 50,000 posts are held, then after
10 and 20 minutes of simulated feed time at 100 posts/s (60,000 posts each). Those minutes are
accelerated 60× in wall-clock time: the same 20 Hz timer adds 300 posts per tick, and the posts'
exercise time advances 10 ms per post as at 100 posts/s. The view is bounded, so RSS should stay flat.

    python bench/bench_ui.py [--presses N]
Prints figures, asserts nothing. Targets: p95 < 50 ms, memory flat.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import random
import sys
import time
from importlib.metadata import version
from typing import Any

from textual import events
from textual.app import App, ComposeResult

from krisovning.engine.events import Event
from krisovning.tui.feed import FeedPanel, FeedView

CATEGORIES = ("information", "question", "rumour", "criticism", "support", "eyewitness")
WORDS = (
    "vattnet",
    "bron",
    "skolan",
    "kommunen",
    "räddningstjänsten",
    "översvämning",
    "stämmer",
    "det",
    "att",
    "ingen",
    "svarar",
    "varför",
    "vet",
    "någon",
    "mer",
    "🔥",
    "😡",
    "👍",
    "Åsa",
    "säger",
    "förgiftat",
    "stängt",
)


def rss_mb() -> float:
    gc.collect()
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # peak, not current: a fallback off Linux

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


class Feed:
    """Synthetic engine events: posts with varied text, 100 per exercise second."""

    def __init__(self) -> None:
        self.rng = random.Random(7)
        self.seq = 0
        self.posts = 0

    def batch(self, count: int) -> list[Event]:
        rng, out = self.rng, []
        for _ in range(count):
            self.seq += 1
            self.posts += 1
            t = self.posts / 100
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30)))
            out.append(
                Event(
                    self.seq,
                    t,
                    "post",
                    {
                        "id": f"p{self.posts}",
                        "thread": "t",
                        "category": rng.choice(CATEGORIES),
                        "sentiment": rng.choice(("negative", "neutral", "positive")),
                        "author": f"Person {self.posts % 2000}",
                        "handle": f"user{self.posts % 2000}",
                        "text": text,
                    },
                )
            )
            if self.posts % 6000 == 0:  # every 60 s of exercise time
                self.seq += 1
                out.append(
                    Event(
                        self.seq,
                        t,
                        "social_sample",
                        {
                            "rate": 6000 * rng.uniform(0.8, 1.2),
                            "posts": 6000,
                            "rumour_share": rng.uniform(0.1, 0.4),
                            "negative_share": rng.uniform(0.3, 0.6),
                            "threads": {},
                        },
                    )
                )
        return out


class BenchApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.feed = Feed()
        self.per_tick = 5  # × 20 Hz = 100 posts/s
        self.key_t0: float | None = None
        self.handled_at: float | None = None
        self.latencies: list[float] = []
        self.handler_times: list[float] = []
        self.frames = 0

    def compose(self) -> ComposeResult:
        yield FeedPanel()

    def on_mount(self) -> None:
        view = self.query_one(FeedView)
        view.focus()
        select_row = view.select_row

        def timed_select_row(row: int) -> None:
            select_row(row)
            if self.key_t0 is not None and self.handled_at is None:
                self.handled_at = time.perf_counter()

        view.select_row = timed_select_row  # type: ignore[method-assign]  # times each call

    def tick(self) -> None:
        self.query_one(FeedPanel).add_events(self.feed.batch(self.per_tick))

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            now = time.perf_counter()
            self.frames += 1
            if self.key_t0 is not None and self.handled_at is not None:
                self.latencies.append(now - self.key_t0)
                self.handler_times.append(self.handled_at - self.key_t0)
                self.key_t0 = self.handled_at = None
        super()._display(screen, renderable)

    async def press(self, key: str) -> None:
        """Send one key as the terminal driver would; return once its frame has been rendered."""
        event = events.Key(key, None)
        event.set_sender(self)
        done = len(self.latencies)
        self.key_t0, self.handled_at = time.perf_counter(), None
        assert self._driver is not None
        self._driver.send_message(event)
        deadline = time.perf_counter() + 5
        while len(self.latencies) == done:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no frame after {key!r}")
            await asyncio.sleep(0.0005)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name:<38} n={len(values):<4} p50 {pct(values, 0.5):6.1f} ms  p95 {pct(values, 0.95):6.1f} ms  "
        f"max {max(values) * 1000:6.1f} ms"
    )


async def run(presses: int, freeze: bool) -> None:
    app = BenchApp()
    rng = random.Random(11)
    async with app.run_test(size=(120, 40)) as pilot:
        panel, view = app.query_one(FeedPanel), app.query_one(FeedView)
        rss_empty = rss_mb()
        started = time.perf_counter()
        for _ in range(50):
            panel.add_events(app.feed.batch(1_000))
        load_s = time.perf_counter() - started
        await pilot.pause()
        if freeze:  # what an app can do once it has started: the start-up objects leave the GC's scans
            gc.freeze()
        rss_start = rss_mb()
        print(f"load 50,000 posts (batches of 1,000)     {load_s:.2f} s; held {view.post_count:,}")

        timer = app.set_interval(1 / 20, app.tick)
        await pilot.pause(0.5)
        phases = {
            "browsing (up/down/pageup, scrolled up)": ["up", "up", "down", "pageup", "up", "down"],
            "following (end/up/down at the bottom)": ["end", "up", "down", "up"],
        }
        all_latencies: list[float] = []
        for name, pattern in phases.items():
            app.latencies.clear()
            app.handler_times.clear()
            posts_before, frames_before, t_start = app.feed.posts, app.frames, time.perf_counter()
            for k in range(presses):
                await app.press(pattern[k % len(pattern)])
                await asyncio.sleep(rng.uniform(0.02, 0.06))
            elapsed = time.perf_counter() - t_start
            rate = (app.feed.posts - posts_before) / elapsed
            print(f"\n{name}: feed {rate:.0f} posts/s, {(app.frames - frames_before) / elapsed:.0f} frames/s")
            print(summary("  key posted → frame rendered", app.latencies))
            print(summary("  key posted → handler done", app.handler_times))
            all_latencies += app.latencies
        rss_live = rss_mb()

        overhead = []
        for key in ("up", "down") * 10:
            started = time.perf_counter()
            await pilot.press(key)
            overhead.append(time.perf_counter() - started)
        print("\n" + summary("pilot.press round trip (not app latency)", overhead))

        app.per_tick = 300  # 60× accelerated: 6,000 posts/s wall clock, still 100 posts per exercise second
        rss_after = []
        for _minutes in (10, 20):
            target = app.feed.posts + 60_000
            while app.feed.posts < target:
                await asyncio.sleep(0.05)
            await pilot.pause()
            rss_after.append(rss_mb())
        timer.stop()

        print(
            f"\nRSS: empty app {rss_empty:.1f} MB; 50,000 posts held {rss_start:.1f} MB; "
            f"after the live phases {rss_live:.1f} MB"
        )
        print(
            f"RSS after +10 min of feed (60,000 posts) {rss_after[0]:.1f} MB; after +20 min {rss_after[1]:.1f} MB "
            f"(Δ vs 50k held: {rss_after[0] - rss_start:+.1f} / {rss_after[1] - rss_start:+.1f} MB); "
            f"held {view.post_count:,}, seen {app.feed.posts:,}"
        )
        p95 = pct(all_latencies, 0.95)
        print(f"\nkeypress p95 {p95:.1f} ms (target < 50 ms): {'OK' if p95 < 50 else 'OVER'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=300, help="key presses per phase (default 300)")
    parser.add_argument("--gc-freeze", action="store_true", help="call gc.freeze() once the 50,000 posts are loaded")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"machine: {platform.machine()}, nproc {cores}, Python {platform.python_version()} "
        f"({platform.python_implementation()}), textual {version('textual')}, rich {version('rich')}"
    )
    if hasattr(os, "getloadavg"):  # other work on the machine shows up in the latency tail
        print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"gc.freeze() after start-up: {'yes' if args.gc_freeze else 'no'}; gc thresholds {gc.get_threshold()}")
    asyncio.run(run(args.presses, args.gc_freeze))
    if hasattr(os, "getloadavg"):
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
