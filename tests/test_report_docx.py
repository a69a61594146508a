"""The DOCX report read back with python-docx: headings, tables, the chart as an inline image."""

from __future__ import annotations

import io

import docx
import pytest
from report_cases import EVIL_TITLE, SCRIPT, empty_report, evil_report, golden_report, running_report

from krisovning.i18n import set_language
from krisovning.report import render


def read(report):
    return docx.Document(io.BytesIO(render(report, "docx")))


def headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]


def test_headings_tables_and_chart() -> None:
    document = read(golden_report())
    found = headings(document)
    assert found[0] == ("Title", "Utvärderingsrapport: Stormen över Sjöstad")
    level1 = [text for style, text in found if style == "Heading 1"]
    assert level1 == [
        "Sammanfattning",
        "Beskrivning av övningen",
        "Måluppfyllelse",
        "Genomförande",
        "Styrkor",
        "Utvecklingsområden",
        "Åtgärdsförslag",
    ]
    assert ("Heading 2", "Tryck i sociala medier") in found and ("Heading 2", "Inspel och svar") in found
    tables = document.tables
    assert len(tables) >= 10
    assert all(t.style.name == "Table Grid" for t in tables)
    headers = {tuple(c.text for c in t.rows[0].cells) for t in tables}
    assert ("Övningsmål", "Bedömning", "Underlag") in headers
    assert ("Område", "Åtgärd", "Ansvarig", "Klart senast") in headers
    objectives = next(t for t in tables if t.rows[0].cells[0].text == "Övningsmål")
    assert [r.cells[1].text for r in objectives.rows[1:]] == ["uppnått"] * 3
    assert len(document.inline_shapes) == 1  # the pressure curve, as PNG
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_user_text_is_text() -> None:
    document = read(evil_report())
    assert headings(document)[0][1] == f"Utvärderingsrapport: {EVIL_TITLE}"
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert SCRIPT + " Obs\\x00 med" in cells and "\x00" not in cells
    assert "\"Åtgärd\" & 'citat' 🎉" in cells


@pytest.mark.parametrize("case", [empty_report, running_report])
def test_edge_cases_open(case) -> None:
    document = read(case())
    assert headings(document)


def test_preliminary_note() -> None:
    texts = [p.text for p in read(running_report()).paragraphs]
    assert any(t.startswith("PRELIMINÄR RAPPORT") for t in texts)


def test_english_docx() -> None:
    set_language("en")
    found = headings(read(golden_report()))
    assert ("Heading 1", "Improvement plan") in found and ("Heading 1", "Åtgärdsförslag") not in found
