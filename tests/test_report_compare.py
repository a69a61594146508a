"""Comparing several drills: one row each, oldest first, in every format."""

from __future__ import annotations

import io
import itertools
import json
import re
from datetime import datetime

import docx
import pytest
from report_cases import STARTER, empty_report, starter

from krisovning.engine.headless import run_headless
from krisovning.i18n import set_language
from krisovning.report import FORMATS, ReportMeta, build_comparison, build_report, render_comparison
from krisovning.scenario import load_scenario_bytes


def three_runs() -> list:
    scenario = starter()
    reports = []
    for seed, month in ((3, 5), (1, 1), (2, 3)):  # given out of order
        _, events = run_headless(scenario, seed, "realistic")
        reports.append(
            build_report(
                scenario,
                events,
                ReportMeta(f"s{seed}", datetime(2026, month, 10, 9), None, "finished", seed, "realistic"),
            )
        )
    return reports


def test_three_runs_give_three_rows_oldest_first() -> None:
    comparison = build_comparison(three_runs())
    assert [r.session_id for r in comparison.rows] == ["s1", "s2", "s3"]
    assert [r.date for r in comparison.rows] == ["2026-01-10", "2026-03-10", "2026-05-10"]
    assert all(r.objectives_total == 3 for r in comparison.rows)
    assert comparison.norm == 3600


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format(fmt: str) -> None:
    data = render_comparison(build_comparison(three_runs()), fmt)
    if fmt == "md":
        rows = [line for line in data.decode().splitlines() if re.match(r"\| #\d", line)]
        assert len(rows) == 3
    elif fmt == "html":
        html = data.decode()
        follow = len(build_comparison(three_runs()).follow_up)  # the previous plan, followed up in a table
        assert html.count("<svg") == 1 and html.count("<tr>") == 4 + 1 + follow and "<script" not in html
    elif fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        assert len(document.tables[0].rows) == 4 and len(document.inline_shapes) == 1
    else:
        assert len(json.loads(data)["rows"]) == 3


def test_no_reports_and_empty_drills() -> None:
    for fmt in FORMATS:
        assert render_comparison(build_comparison([]), fmt)
        assert render_comparison(build_comparison([empty_report(), empty_report()]), fmt)


def test_english_comparison() -> None:
    set_language("en")
    reports = three_runs()
    text = render_comparison(build_comparison(reports), "md").decode()
    assert text.startswith("# Comparison of drills") and "Median response time" in text


def test_each_figure_is_marked_better_worse_or_same_against_the_drill_before() -> None:
    rows = build_comparison(three_runs()).rows
    assert rows[0].verdicts == {}
    for before, now in itertools.pairwise(rows):
        assert set(now.verdicts) >= {"first_message", "missed", "objectives", "rumour_peak"}
        worse_missed = now.missed > before.missed
        assert now.verdicts["missed"] == (
            "worse" if worse_missed else "better" if now.missed < before.missed else "same"
        )
    text = render_comparison(build_comparison(three_runs()), "md").decode()
    assert re.search(r"\| #2 \|.*/ (bättre|sämre|oförändrat) \|", text)


def test_a_first_message_never_sent_is_worse_than_a_late_one() -> None:
    from krisovning.report.compare import verdicts

    a, b = build_comparison(three_runs()).rows[:2]
    never = b.model_copy(update={"first_message": None})
    assert verdicts(a, never)["first_message"] == "worse" and verdicts(never, a)["first_message"] == "better"
    assert verdicts(a, a) == dict.fromkeys(verdicts(a, a), "same")


def test_different_scenarios_are_warned_about_and_the_team_is_shown() -> None:
    other = load_scenario_bytes(STARTER.replace("id: min-ovning", "id: annan-ovning", 1).encode(), "annan.yaml")
    _, events = run_headless(other, 4, "diligent")
    later = build_report(other, events, ReportMeta("s9", datetime(2026, 9, 1, 9), None, "finished", 4, "team"))
    comparison = build_comparison([*three_runs(), later])
    assert comparison.scenarios == ["min-ovning", "annan-ovning"]
    text = render_comparison(comparison, "md").decode()
    assert "> **OLIKA SCENARIER: övningarna spelade min-ovning, annan-ovning." in text
    assert "| #4 | s9 | 2026-09-01 | Stormen över Sjöstad | övade lag |" in text
    assert "| botlag (realistic) |" in text
    same = render_comparison(build_comparison(three_runs()), "md").decode()
    assert "OLIKA SCENARIER" not in same


def test_the_previous_plan_is_followed_up_done_not_done_or_not_known() -> None:
    from krisovning.report.compare import follow_up
    from krisovning.report.model import PlanItem

    before, latest = build_comparison(three_runs()).rows[:2]
    before = before.model_copy(
        update={
            "plan": [
                PlanItem(
                    area="Tidsfrister", action="Gemensam inkorg", owner="Anna", due="2026-02-01", source="facilitator"
                ),
                PlanItem(area="Lägesbild", action="Fast rytm", source="suggested"),
                PlanItem(area="Utbildning", action="Kurs i klarspråk", source="facilitator"),
            ]
        }
    )
    latest = latest.model_copy(update={"improvement_areas": ["Tidsfrister"], "strength_areas": ["Lägesbild"]})
    assert [f.status for f in follow_up(before, latest)] == ["not_done", "done", "unknown"]
    comparison = build_comparison(three_runs())
    assert [f.action for f in comparison.follow_up] == [p.action for p in comparison.rows[-2].plan]
    text = render_comparison(comparison, "md").decode()
    assert "## Uppföljning av åtgärdsplanen från övning #2" in text


def test_the_comparison_says_what_it_says_in_english() -> None:
    set_language("en")
    text = render_comparison(build_comparison(three_runs()), "md").decode()
    assert "## Follow-up of the improvement plan of drill #2" in text
    assert re.search(r"/ (better|worse|same) \|", text)
