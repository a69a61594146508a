"""The report model: figures, derived findings, edge cases, JSON and its committed schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from report_cases import NOTES, empty_report, evil_report, golden_report, meta, running_report, starter

import krisovning
from krisovning.engine.headless import run_headless
from krisovning.report import FORMATS, Report, build_report, render, report_schema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema" / "report.schema.json"


def test_the_starter_report_has_every_section() -> None:
    r = golden_report()
    o = r.overview
    assert (o.scenario_id, o.seed, o.team, o.status, o.preliminary) == ("min-ovning", 7, "diligent", "finished", False)
    assert o.roles == ["Kommunikationschef", "Presssekreterare", "Webbredaktör"]
    assert o.duration == o.planned_duration == 5400
    assert [x.outcome for x in r.objectives] == ["met", "met", "met"]
    assert all(x.evidence_text for x in r.objectives)
    # follow-ups (a caller who tries again, a journalist's story) expect nothing: every expectation is met
    assert r.timeline and all(row.status == "met" for row in r.timeline if row.expected)
    assert r.timeline[0].inject == "larm" and r.timeline[0].receiver == "Kommunikationschef"
    assert r.response_total.count == len(r.timeline) and r.response_total.missed == 0
    assert {s.key for s in r.response_by_channel} >= {"phone"}
    assert {s.label for s in r.response_by_role} >= {"Presssekreterare"}
    assert r.first_message.first is not None and r.first_message.within_norm
    assert (r.first_message.norm, r.first_message.norm_source) == (3600, "objective")
    assert len(r.pressure.points) >= 80 and r.pressure.publications == [r.first_message.first]
    assert r.checklists[0].done == 3 and r.checklists[0].late == 0
    assert r.decisions and r.situation and r.situation[0].gap == r.situation[0].t
    assert r.strengths[0].source == "facilitator" and r.strengths[0].text == NOTES.strengths[0]
    assert any(f.source == "derived" for f in r.strengths)
    assert r.plan[0].source == "facilitator" and r.plan[0].owner == "Kommunikationschef"


def test_a_silent_team_gets_areas_for_improvement_and_suggested_plan_rows() -> None:
    scenario = starter()
    _, events = run_headless(scenario, 7, "silent")
    r = build_report(scenario, events, meta(team="silent"))
    assert [x.outcome for x in r.objectives] == ["not_met", "not_met", "not_met"]
    assert r.first_message.first is None and not r.first_message.within_norm
    assert r.response_total.missed > 0 and r.response_total.answered == 0
    areas = {f.area for f in r.improvements}
    assert {"Första beskedet inom en timme", "Tidsfrister", "Checklista: Första timmen"} <= areas
    missed = next(f for f in r.improvements if f.area == "Tidsfrister")
    assert missed.figure and "telefon" in missed.figure  # each derived finding names its figure
    suggested = [p for p in r.plan if p.source == "suggested"]
    assert {p.area for p in suggested} == areas and all(p.owner == p.due == "" for p in suggested)
    assert r.checklists[0].late == 3 and all(i.ticked is None for i in r.checklists[0].items)


def test_a_facilitator_plan_row_replaces_the_suggestion_for_its_area() -> None:
    scenario = starter()
    _, events = run_headless(scenario, 7, "silent")
    from krisovning.report import FacilitatorNotes, PlanRow

    notes = FacilitatorNotes(plan=[PlanRow("Tidsfrister", "Gemensam inkorg", "Anna", "2026-09-01")])
    r = build_report(scenario, events, meta(team="silent", notes=notes))
    rows = [p for p in r.plan if p.area == "Tidsfrister"]
    assert len(rows) == 1 and rows[0].source == "facilitator"


def test_an_empty_drill_gives_a_report_without_figures() -> None:
    r = empty_report()
    assert r.timeline == [] and r.pressure.points == [] and r.decisions == []
    assert r.response_total.count == 0 and r.response_total.median is None
    assert r.first_message.first is None and r.overview.duration == 0
    assert not r.preliminary


def test_a_running_drill_is_preliminary() -> None:
    r = running_report()
    assert r.preliminary and r.overview.status == "running"
    assert r.overview.duration <= 1500


def test_a_journal_without_an_end_is_never_called_finished() -> None:
    scenario = starter()
    _, events = run_headless(scenario, 7, "diligent")
    r = build_report(scenario, [e for e in events if e.kind != "drill_end"], meta())
    assert r.overview.status == "interrupted" and r.preliminary


def test_control_characters_are_shown_in_every_text_never_kept() -> None:
    r = evil_report()
    text = r.model_dump_json()
    assert "\\u0000" not in text and "\\u0007" not in text
    assert r.observations[0].text.startswith("<script>alert(1)</script> Obs\\x00 med \\x07 styrtecken 😀")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", [empty_report, running_report, evil_report])
def test_bad_input_renders_in_every_format(case, fmt: str) -> None:
    data = render(case(), fmt)
    assert data


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="pdf"):
        render(empty_report(), "pdf")


def test_json_is_the_full_model_and_round_trips() -> None:
    r = golden_report()
    data = json.loads(render(r, "json"))
    assert Report.model_validate(data) == r
    assert {"id", "outcome", "evidence"} <= set(data["objectives"][0])
    assert data["objectives"][0]["outcome"] in ("met", "partly_met", "not_met")


def test_the_committed_schema_matches_the_model() -> None:
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert committed == report_schema(), "regenerate schema/report.schema.json from krisovning.report.report_schema()"


@pytest.mark.parametrize("case", [golden_report, empty_report, evil_report])
def test_json_validates_against_the_committed_schema(case) -> None:
    data = json.loads(render(case(), "json"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert Report.model_validate(data).model_dump(mode="json") == data


def test_the_report_package_keeps_to_its_layer() -> None:
    source = Path(krisovning.__file__).parent / "report"
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in (
            "krisovning.tui",
            "krisovning.cli",
            "krisovning.session",
            "krisovning.journal",
            "engine.drill",
            "engine.headless",
            "engine.policies",
        ):
            assert forbidden not in text, f"{path.name} imports {forbidden}"


def test_importing_the_report_package_does_not_load_the_heavy_libraries() -> None:
    code = (
        "import sys, krisovning.report; print(sorted(m for m in ('matplotlib', 'docx', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
