"""Comparing several drills: one row each, oldest first, in every format."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime

import docx
import pytest
from report_cases import empty_report, starter

from krisovning.engine.headless import run_headless
from krisovning.i18n import set_language
from krisovning.report import FORMATS, ReportMeta, build_comparison, build_report, render_comparison


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
        assert html.count("<svg") == 1 and html.count("<tr>") == 4 and "<script" not in html
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
