"""Values that validate must run: dates, durations and numbers that would overflow are refused with positions.

`start: 9999-12-31T23:59` used to validate, then `simulate` and `preview` printed "internal error
(OverflowError …)" and `run` crashed: the drill shows the date of its end and of deadlines set
just before it. Every case is the starter with one change; each is refused by `validate` at the
changed line, and every command that reads a scenario says the same instead of crashing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import STARTER
from test_scenario_bad_files import col_of, line_of, mutate

from krisovning.engine.headless import run_headless
from krisovning.i18n import set_language
from krisovning.scenario import ScenarioError, load_scenario_bytes

START = "start: 2026-11-24T08:00"
# The starter lasts 1h30m; a deadline set at its end (an expectation's, or an ad-hoc inject's) may be up to 7 days
# later.
LAST = timedelta(hours=1, minutes=30) + timedelta(days=7)
LATEST_START = datetime.max.replace(microsecond=0) - LAST

# (id, old, new, the text on the problem's line, the column's text, a word of the English message)
CASES = [
    ("end-past-9999", START, "start: 9999-12-31T23:59", "start: 9", "9999", "pass the last date"),
    ("deadline-past-9999", START, "start: 9999-12-25T22:01", "start: 9", "9999", "pass the last date"),
    ("with-offset", START, "start: 9999-12-31T23:00+01:00", "start: 9", "9999", "pass the last date"),
    ("unix-milliseconds", START, "start: 253402300799000", "start: 2", "2534", "not a date and time"),
    (
        "latest-plus-a-second",
        START,
        f"start: {(LATEST_START + timedelta(seconds=1)).isoformat()}",
        "start: 9",
        "9999",
        "pass the last date",
    ),
    ("start-5000-digits", START, "start: " + "9" * 5000, "start: 9", "9999", "5000 digits"),
    ("seed-5000-digits", "seed: 1 ", "seed: " + "9" * 5000 + " ", "seed:", "9999", "5000 digits"),
    ("duration-5000-digits", "duration: 1h30m", "duration: " + "9" * 5000 + "s", "duration:", "9999", "too long"),
    ("at-5000-digits", "at: 2m", "at: " + "9" * 5000 + "m", "at: 999", "9999", "too long"),
    ("within-5000-digits", "within: 20m", "within: " + "9" * 4400 + "h", "within: 999", "9999", "too long"),
    ("duration-beyond-a-week", "duration: 1h30m", "duration: 168h1s", "duration:", "168h", "too long"),
    ("at-after-the-end", "at: 2m", "at: 2h", "at: 2h", "2h", "after the end"),
    ("population-1e400", "population: 18000", "population: 1e400", "population:", "1e400", "population"),
    ("seed-2-to-the-64", "seed: 1 ", "seed: 18446744073709551616 ", "seed:", "1844", "seed"),
]


@pytest.mark.parametrize("case_id, old, new, line_text, column_text, en", CASES, ids=[c[0] for c in CASES])
def test_refused_at_its_position(case_id: str, old: str, new: str, line_text: str, column_text: str, en: str) -> None:
    set_language("en")
    text = mutate(old, new)
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(text.encode("utf-8"), "bad.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (line_of(text, line_text), col_of(text, line_text, column_text))
    assert en in problem.message


@pytest.mark.parametrize(
    "command", [["validate"], ["simulate"], ["preview", "--runs", "2"], ["export-msel", "-o", "out.csv"]]
)
@pytest.mark.parametrize(
    "case_id, old, new, line_text, column_text, en", CASES[:3] + CASES[5:8], ids=[c[0] for c in CASES[:3] + CASES[5:8]]
)
def test_every_command_explains_instead_of_crashing(
    run_cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    case_id: str,
    old: str,
    new: str,
    line_text: str,
    column_text: str,
    en: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KRISOVNING_DB", str(tmp_path / "journal.db"))
    text = mutate(old, new)
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    code, out, err = run_cli(command[0], "bad.yaml", *command[1:], "--lang", "en")  # debug: a crash fails the test
    assert code == 1
    assert f"bad.yaml:{line_of(text, line_text)}:{col_of(text, line_text, column_text)}: " in out + err
    assert en in out + err
    assert not (tmp_path / "out.csv").exists()


def test_the_latest_start_that_fits_runs_to_its_end_and_any_deadline_after_it() -> None:
    text = mutate(START, f"start: {LATEST_START.isoformat()}")
    scenario = load_scenario_bytes(text.encode("utf-8"), "late.yaml")
    drill, _events = run_headless(scenario, 1, "realistic")
    assert drill.finished
    assert drill.world_time() == (LATEST_START + timedelta(hours=1, minutes=30)).isoformat()
    assert drill.world_time(drill.now + 7 * 24 * 3600) == datetime.max.replace(microsecond=0).isoformat()


def test_the_starter_is_untouched_by_the_range_checks() -> None:
    assert load_scenario_bytes(STARTER.encode("utf-8"), "starter.yaml").start == datetime(2026, 11, 24, 8, 0)
