"""One number for one thing (issue 17 point 5): the peaks in the summary, the chart, the pressure table and the
rumour objective are one measure (the busiest window's average, the objective's window); the objective's
threshold is on the chart; the situation picture is said once with labelled fields; each count says what it
counts; nothing to measure is "not assessed"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from krisovning.engine import Action
from krisovning.engine.drill import Drill
from krisovning.engine.headless import run_headless
from krisovning.i18n import set_language
from krisovning.report import ReportMeta, build_report, render
from krisovning.report.blocks import Bullets, Chart, Para, Table
from krisovning.report.fmt import number
from krisovning.report.view import report_blocks
from krisovning.scenario import load_scenario_bytes
from krisovning.scenario.model import RumourPeak

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def _report(path: Path, policy: str = "diligent", seed: int = 3):
    scenario = load_scenario_bytes(path.read_bytes(), path.name)
    _, events = run_headless(scenario, seed, policy)
    return scenario, build_report(scenario, events, ReportMeta(session_id="s", status="finished", seed=seed))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_summary_chart_table_and_objective_state_the_same_peaks(path) -> None:
    set_language("sv")
    scenario, report = _report(path)
    p = report.pressure
    assert p.posts and p.curve
    # the chart draws the curve: its highest points are the peaks stated in words
    assert max(c.rate for c in p.curve) == pytest.approx(p.peak_rate)
    assert max(c.rumour for c in p.curve) == pytest.approx(p.rumour_peak)
    rumour = next(o for o in scenario.objectives if isinstance(o.criterion, RumourPeak))
    row = next(o for o in report.objectives if o.id == rumour.id)
    # the objective measures what the report measures, and says over which window
    assert p.rumour_window == rumour.criterion.window and p.rumour_below == rumour.criterion.below
    assert row.evidence["peak"] == pytest.approx(round(p.rumour_peak, 1))
    assert "medel över värsta" in row.evidence_text
    blocks = report_blocks(report)
    said = [item.text for b in blocks if isinstance(b, Bullets) for item in b.items]
    said += [b.text for b in blocks if isinstance(b, Para)]  # page one's summary says the figures in sentences
    social = next(text for text in said if "ryktestopp" in text)
    assert f"topp {number(p.peak_rate)} inlägg/timme" in social and f"ryktestopp {number(p.rumour_peak)}" in social
    chart = next(b for b in blocks if isinstance(b, Chart) and b.kind == "pressure")
    assert isinstance(chart.table, Table)
    peaks = [float(row[2].text.replace("\u00a0", "").replace(" ", "").replace(",", ".")) for row in chart.table.rows]
    assert max(peaks) == pytest.approx(round(p.peak_rate), abs=0.5)  # the table's column is the same measure
    assert "kvartsmedel" in chart.table.headers[2]
    assert chart.labels["threshold"].startswith("Målets gräns")


def test_the_chart_draws_the_objectives_threshold_and_the_measure() -> None:
    set_language("sv")
    _, report = _report(ROOT / "scenarios" / "dricksvatten.yaml")
    html = render(report, "html").decode("utf-8")
    below = number(report.pressure.rumour_below or 0)
    assert f"Målets gräns för rykten ({below}/timme)" in html
    assert "Inlägg/timme (medel över 15 min)" in html


def test_the_situation_picture_is_said_once_with_labelled_fields() -> None:
    text = (ROOT / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")
    scenario = load_scenario_bytes(text.encode(), "starter.yaml")
    fields = {
        "situation": "Vattnet är förorenat",
        "actions": "Tankbilar ute",
        "needs": "Fler tankbilar",
        "next_update": "kl 12",
    }
    drill = Drill(scenario, seed=1)
    drill.advance(60.0)
    drill.act(Action("situation_update", " / ".join(fields.values()), fields=fields))
    drill.advance(120.0)
    events = drill.drain()
    for lang, labels in (
        ("sv", ("Läge: Vattnet", "Åtgärder: Tankbilar", "Behov och resurser: Fler", "Nästa uppdatering: kl 12")),
        ("en", ("Situation: Vattnet", "Actions: Tankbilar", "Needs and resources: Fler", "Next update: kl 12")),
    ):
        set_language(lang)
        report = build_report(scenario, events, ReportMeta(session_id="s", status="running"))
        for fmt in ("md", "html"):
            out = render(report, fmt).decode("utf-8")
            assert out.count("Vattnet är förorenat") == 1, (lang, fmt)
            assert not re.search(r"\b(actions|needs|next_update|situation):", out), (lang, fmt)
            for label in labels:
                assert label in out, (lang, fmt, label)
    set_language("sv")


def test_each_count_says_what_it_counts() -> None:
    set_language("sv")
    _, report = _report(ROOT / "scenarios" / "dricksvatten.yaml")
    md = render(report, "md").decode("utf-8")
    line = next(x for x in md.splitlines() if "fick ett svar" in x)
    expected = [r for r in report.timeline if r.expected]
    met = [r for r in expected if r.status == "met"]
    assert f"{len(met)} av {len(expected)} förväntningar uppfyllda" in line
    by_reply = sum(1 for r in met if r.expected == "reply")
    assert f"({by_reply} med svar, {len(met) - by_reply} genom publicering, beslut eller lägesbild)" in line
    assert len(met) - by_reply > 0  # the diligent team meets some by publishing or logging: they are counted


def test_nothing_to_measure_is_not_assessed_never_not_met() -> None:
    text = (ROOT / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")
    # a response-time objective over a channel no inject uses: nothing to measure
    text = text.replace(
        "      type: response_time\n", "      type: response_time\n      sender_kinds: [organisation]\n", 1
    )
    scenario = load_scenario_bytes(text.encode(), "starter.yaml")
    _, events = run_headless(scenario, 1, "silent")
    for lang, word in (("sv", "ej bedömt"), ("en", "not assessed")):
        set_language(lang)
        report = build_report(scenario, events, ReportMeta(session_id="s", status="finished"))
        row = next(o for o in report.objectives if o.type == "response_time")
        assert row.evidence["count"] == 0
        assert row.outcome == row.automatic == "not_assessed"
        assert f"| {word} |" in render(report, "md").decode("utf-8")
        assert row.title not in [f.area for f in report.improvements]  # no verdict: no area for improvement
    set_language("sv")
