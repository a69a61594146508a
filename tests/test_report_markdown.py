"""The Markdown report: a golden file for a fixed drill, escaping, both languages.

Regenerate the golden file after an intended change with:
    UPDATE_GOLDEN=1 pytest tests/test_report_markdown.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from report_cases import SCRIPT, empty_report, evil_report, golden_report, running_report

from krisovning import __version__
from krisovning.i18n import set_language
from krisovning.report import render
from krisovning.report.md import escape

GOLDEN = Path(__file__).parent / "golden" / "report_starter_seed7_diligent.md"


def markdown(report) -> str:
    return render(report, "md").decode("utf-8")


def test_the_markdown_matches_the_golden_file() -> None:
    text = markdown(golden_report()).replace(f"krisovning {__version__}", "krisovning VERSION")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert text == expected, f"the report changed; if intended, regenerate with UPDATE_GOLDEN=1 ({GOLDEN.name})"


def test_the_markdown_has_the_sections_in_order() -> None:
    text = markdown(golden_report())
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Utvärderingsrapport: Stormen över Sjöstad",
        "## Sammanfattning",
        "### Tre styrkor",
        "### Tre utvecklingsområden",
        "### Beslut som ledningsgruppen ombeds fatta",
        "## Måluppfyllelse",
        "## Åtgärdsförslag",
        "## Övningens förlopp",
        "### Tryck i sociala medier",
        "## Bilaga A: Inspelslogg och svarstider",
        "### Inspel och svar",
        "### Svarstider",
        "## Bilaga B: Checklistor",
        "## Bilaga C: Beslutslogg, lägesbilder och iakttagelser",
        "### Beslutslogg",
        "### Lägesbilder",
        "### Iakttagelser",
        "## Bilaga D: Besked och utdrag ur flödet",
        "### De övades besked",
        "### Budskapens läsbarhet och innehåll",
        "### Utdrag ur flödet",
        "## Bilaga E: Alla styrkor och utvecklingsområden",
        "### Styrkor",
        "### Utvecklingsområden",
        "## Bilaga F: Övningsledningens ingrepp",
        "## Bilaga G: Tekniska uppgifter",
    ]
    assert "```text\n" in text  # the pressure curve as a sparkline
    assert any(ch in text for ch in "▁▂▃▄▅▆▇█")


def test_every_table_row_has_as_many_cells_as_its_header() -> None:
    for report in (golden_report(), evil_report(), empty_report()):
        header = None
        for line in markdown(report).splitlines():
            if not line.startswith("|"):
                header = None
                continue
            cells = len(line.replace("\\|", "").split("|")) - 2
            if header is None:
                header = cells
            assert cells == header, line[:120]


def test_user_text_never_becomes_markup() -> None:
    text = markdown(evil_report())
    assert SCRIPT not in text and "\\<script\\>alert(1)\\</script\\>" in text
    assert not re.search(r"(?<!\\)<(?!br>)", text)  # every < is escaped
    assert "\\<img src=x onerror=alert(1)\\>" in text
    assert "\x00" not in text and "\x07" not in text
    assert "[länk](javascript" not in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert len(headings) == 25 and "# rubrik" not in headings  # only the report's own headings


def test_escape() -> None:
    assert escape("a|b *c* _d_ `e` [f](g) <h> &amp;") == "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\<h\\> \\&amp;"
    assert escape("# rubrik\n- punkt\n1. tal") == "\\# rubrik\n\\- punkt\n1\\. tal"
    assert escape("#1", block=False) == "#1"
    assert escape("Sjöstad & co åäö 😀") == "Sjöstad & co åäö 😀"


def test_a_running_drill_is_marked_preliminary() -> None:
    assert "> **PRELIMINÄR RAPPORT" in markdown(running_report())
    assert "PRELIMINÄR" not in markdown(golden_report())


def test_an_empty_drill_says_so() -> None:
    text = markdown(empty_report())
    assert "Inga inspel." in text and "Inga mätpunkter" in text and "Inget publicerades." in text


def test_english() -> None:
    set_language("en")
    text = markdown(golden_report())
    for heading in (
        "# After-action report: Stormen över Sjöstad",
        "## Summary",
        "## Objectives",
        "### Response times",
        "## Areas for improvement",
        "## Improvement plan",
    ):
        assert heading + "\n" in text
    for swedish in ("Sammanfattning", "Måluppfyllelse", "uppnått", "Svarstid"):
        assert swedish not in text
    assert "| met |" in text
