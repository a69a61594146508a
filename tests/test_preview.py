"""`krisovning preview` (issue 18 point 3): each bot team side by side, the rumour peaks the `rumour_peak`
objectives measure, how often each conditional inject arrives, each objective's outcome shares, the load
per role and quarter-hour — and each run is exactly the drill `simulate` plays with that seed."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_factory import inject, scenario, thread

from krisovning.cli.preview_text import Progress
from krisovning.engine.policies import POLICIES
from krisovning.metrics.figures import peak_rate
from krisovning.metrics.preview import _chunk, preview_policies, run_all, summarise_run
from krisovning.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
DRICKSVATTEN = ROOT / "scenarios" / "dricksvatten.yaml"


def _simulate(path: Path, seed: int, policy: str, db: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "KRISOVNING_LANG": "en"}
    out = subprocess.run(
        [sys.executable, "-m", "krisovning", "simulate", str(path), "--seed", str(seed), "--policy", policy]
        + ["--json", "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("policy", ["realistic", "slow"])
def test_each_run_is_the_drill_simulate_plays(policy: str, tmp_path: Path) -> None:
    """Runs in one process share what was compiled (engine/topics.py): still the very drill of a fresh
    `simulate` process, seed by seed."""
    loaded = load_scenario(DRICKSVATTEN)
    seeds = [loaded.seed + k for k in range(3)]
    run_all(loaded, [(policy, loaded.seed + 100)], workers=1)  # warm what a worker keeps between runs
    runs = run_all(loaded, [(policy, s) for s in seeds], workers=1)
    for seed, run in zip(seeds, runs, strict=True):
        full = _simulate(DRICKSVATTEN, seed, policy, tmp_path / "j.db")
        assert run["objectives"] == {o["id"]: o["outcome"] for o in full["objectives"]}, seed
        assert run["posts"] == full["social_posts"], seed
        assert sum(sum(per_window) for per_window in run["load"].values()) == full["injects"], seed
        rumour = [o for o in full["objectives"] if o["type"] == "rumour_peak"]
        assert rumour, "the reference scenario has a rumour_peak objective"
        for objective in rumour:
            assert round(run["rumour"][900.0], 1) == objective["evidence"]["peak"], seed


def test_workers_give_the_same_figures_as_one_process() -> None:
    loaded = load_scenario(DRICKSVATTEN)
    one = preview_policies(loaded, 4, loaded.seed, ["realistic", "silent"], workers=1)
    two = preview_policies(loaded, 4, loaded.seed, ["realistic", "silent"], workers=2)
    assert one == two


def test_chunks_are_short_so_no_worker_waits_long_at_the_end() -> None:
    # a worker left with the last chunk runs it alone: 1,000 runs on 2 workers in chunks of ~4, not ~60
    assert _chunk(999, 2) <= 4
    assert _chunk(199, 2) <= 4
    assert _chunk(3, 2) == 1


def test_garbage_is_collected_between_runs_not_during_them() -> None:
    # each collection during a run traversed the drill being played (~30 % of a run): one after each
    # run instead, and the collector left as it was found
    loaded = load_scenario(DRICKSVATTEN)
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        run_all(loaded, [("realistic", seed) for seed in range(3)], workers=1)
    finally:
        gc.callbacks.remove(count)
    assert collections == [1, 1, 1]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    run_all(loaded, [("realistic", seed) for seed in range(3)], workers=2)
    assert gc.isenabled() and gc.get_freeze_count() == 0  # what the workers inherited was frozen, then not


CONDITIONAL = scenario(
    duration="1h",
    injects=[
        inject("first", at="5m", expect={"action": "reply", "within": "10m"}),
        inject("if-missed", when={"type": "missed", "inject": "first"}),
        inject("chained", after="if-missed", delay="5m"),
        inject("always", at="20m"),
    ],
    objectives=[
        {"id": "svar", "title": "Svar", "criterion": {"type": "response_time", "within": "10m"}},
        {"id": "rykte", "title": "Rykte", "criterion": {"type": "rumour_peak", "below": 50, "window": "10m"}},
    ],
    social={
        "authors": ["folk"],
        "threads": [thread("t", baseline=120, branching=0.3, mix={"rumour": 0.5, "information": 0.5})],
        "templates": {"rumour": ["Det sägs att {plats} ljuger"], "information": ["Info om {plats}"]},
    },
)


def test_conditional_injects_are_counted_per_bot_team() -> None:
    result = preview_policies(CONDITIONAL, 6, 1, ["diligent", "silent"], workers=1)
    assert result["policies"] == ["diligent", "silent"]
    diligent, silent = (result["results"][p]["conditional"] for p in ("diligent", "silent"))
    assert [c["id"] for c in diligent] == ["if-missed", "chained"]  # `always` is not conditional
    assert [c["share"] for c in diligent] == [0.0, 0.0]  # a diligent team answers within 10 min
    assert [c["share"] for c in silent] == [1.0, 1.0]  # a silent one misses it: both follow
    assert silent[0]["at"]["median"] == pytest.approx(15 * 60)  # 5 min + the 10-min deadline
    assert silent[1]["at"]["median"] == pytest.approx(20 * 60)
    assert diligent[0]["at"] is None


def test_rumour_peak_uses_the_objective_window_and_measure() -> None:
    result = preview_policies(CONDITIONAL, 5, 3, ["silent"], workers=1)["results"]["silent"]
    (peak,) = result["rumour_peak"]
    assert peak["window"] == 600.0 and peak["objectives"] == ["rykte"]
    expected = []
    for seed in range(3, 8):
        from krisovning.engine.headless import run_headless
        from krisovning.metrics.figures import gather

        _, events = run_headless(CONDITIONAL, seed, "silent")
        expected.append(peak_rate(gather(events).rumour_times, 600.0))
    spread = peak["per_hour"]
    assert spread["min"] == min(expected) and spread["max"] == max(expected)
    assert spread["min"] <= spread["p10"] <= spread["median"] <= spread["p90"] <= spread["max"]
    rates = {o["id"]: o["rates"] for o in result["objectives"]}
    below = sum(1 for e in expected if e < 50) / 5
    assert rates["rykte"]["met"] == pytest.approx(below)


def test_default_window_without_a_rumour_objective() -> None:
    plain = scenario(duration="30m", injects=[inject("a", at="1m")])
    result = preview_policies(plain, 2, 1, ["realistic"], workers=1)["results"]["realistic"]
    assert [(p["window"], p["objectives"]) for p in result["rumour_peak"]] == [(900.0, [])]
    assert result["conditional"] == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sv", ["Botlagen i varje cell: diligent / realistic / slow / silent", "Villkorade inspel", "Ryktestopp"]),
        ("en", ["The bot teams in each cell: diligent / realistic / slow / silent", "Conditional inj", "Rumour peak"]),
    ],
)
def test_text_shows_every_bot_team_side_by_side(lang: str, words: list[str], run_cli, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(DRICKSVATTEN.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run_cli("--lang", lang, "preview", path, "--runs", "2")
    assert code == 0, err
    for word in words:
        assert word in out
    objectives = out.split("silent\n")[-1]  # the objectives table: one column per bot team
    assert objectives.count(" / ") >= 4 * 3


def test_json_carries_every_figure(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(DRICKSVATTEN.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run_cli("preview", path, "--runs", "2", "--policy", "slow", "--policy", "diligent", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["runs"] == 2 and data["policies"] == ["slow", "diligent"]
    for policy in ("slow", "diligent"):
        figures = data["results"][policy]
        assert set(figures) >= {"load", "social", "rumour_peak", "conditional", "objectives"}
        assert figures["load"][0]["roles"]["webbredaktor"]["median"] >= 0
        assert {c["id"] for c in figures["conditional"]} >= {"p4-igen", "rykte-vaxer"}
        assert all(abs(sum(o["rates"].values()) - 1) < 1e-9 for o in figures["objectives"])


def test_default_is_every_bot_team(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(DRICKSVATTEN.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run_cli("preview", path, "--runs", "1", "--json")
    assert code == 0 and json.loads(out)["policies"] == list(POLICIES)


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_bar_only_after_a_second_and_only_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    clock = _Clock()
    bar = Progress(clock, terminal=True)
    bar(1, 10)
    clock.now = 0.9
    bar(2, 10)
    assert capsys.readouterr().err == ""  # quick: nothing drawn
    clock.now = 1.2
    bar(3, 10)
    bar(10, 10)
    err = capsys.readouterr().err
    assert "3/10" in err and err.endswith("10/10\n")
    quiet = Progress(clock, terminal=False)
    clock.now = 50
    quiet(5, 10)
    assert capsys.readouterr().err == ""


def test_summary_of_one_run_is_a_plain_value() -> None:
    """What a worker sends back pickles and reads the same (no engine objects in it)."""
    import pickle

    run = summarise_run(CONDITIONAL, 2, "silent")
    assert pickle.loads(pickle.dumps(run)) == run


BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_a_drill_played_for_its_figures_is_the_whole_drill(path: Path) -> None:
    """`Drill(figures_only=True)` keeps the feed's posts as (time, category) and no minute samples: every
    figure is still the one the whole drill's events give, and the events it keeps are the whole drill's."""
    from krisovning.engine.drill import Drill
    from krisovning.engine.events import POST, SAMPLE
    from krisovning.engine.policies import make_policy
    from krisovning.metrics.preview import summarise

    loaded = load_scenario(path)
    for policy in POLICIES:
        for seed in (loaded.seed, loaded.seed + 1):
            whole = Drill(loaded, seed=seed, policy=make_policy(policy))
            whole.run_to_end()
            events = whole.drain()
            lean = Drill(loaded, seed=seed, policy=make_policy(policy), figures_only=True)
            lean.run_to_end()
            kept = lean.drain()
            own = {e.data["id"] for e in events if e.kind == POST} - {e.data["id"] for e in kept if e.kind == POST}
            assert [e for e in events if e.kind != SAMPLE and not (e.kind == POST and e.data["id"] in own)] == kept
            assert len(lean.post_figures) == len(own) > 0
            assert summarise(loaded, seed, policy, events) == summarise(loaded, seed, policy, kept, lean.post_figures)
            assert summarise_run(loaded, seed, policy) == summarise(loaded, seed, policy, events), (path.stem, seed)


def test_peak_rate_is_the_busiest_window_and_posts_by_hour_count_each_post_once() -> None:
    """peak_rate against its definition (the most posts within `window` seconds of each post, itself
    included), on seeded random times with ties and posts on the window's edge; and a run's posts by hour
    add up to its posts."""
    import random

    rng = random.Random(18)
    for _ in range(200):
        times = sorted(rng.choice([rng.uniform(0, 4000), float(rng.randrange(0, 4000, 300))]) for _ in range(60))
        window = rng.choice([60.0, 300.0, 900.0])
        naive = max((sum(1 for s in times if t - window <= s <= t) for t in times), default=0)
        assert peak_rate(times, window) == naive * 3600.0 / window
    assert peak_rate([], 900.0) == 0.0
    run = summarise_run(CONDITIONAL, 3, "silent")
    assert sum(run["posts_by_hour"]) == run["posts"] > 0
