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
        "Måluppfyllelse",
        "Åtgärdsförslag",
        "Övningens förlopp",
        "Bilaga A: Inspelslogg och svarstider",
        "Bilaga B: Checklistor",
        "Bilaga C: Beslutslogg, lägesbilder och iakttagelser",
        "Bilaga D: Besked och utdrag ur flödet",
        "Bilaga E: Alla styrkor och utvecklingsområden",
        "Bilaga F: Övningsledningens ingrepp",
        "Bilaga G: Tekniska uppgifter",
    ]
    assert ("Heading 2", "Tryck i sociala medier") in found and ("Heading 2", "Inspel och svar") in found
    tables = document.tables
    assert len(tables) >= 10
    assert all(t.style.name == "Table Grid" for t in tables)
    headers = {tuple(c.text for c in t.rows[0].cells) for t in tables}
    assert ("Övningsmål", "Kriterium", "Bedömning", "Underlag") in headers
    assert ("Område", "Åtgärd", "Ansvarig", "Klart senast") in headers
    objectives = next(t for t in tables if t.rows[0].cells[0].text == "Övningsmål")
    assert [r.cells[2].text for r in objectives.rows[1:]] == ["uppnått"] * 3
    assert len(document.inline_shapes) == 2  # the timeline and the pressure curve, as PNG
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


def _xml(document) -> str:
    return document.element.xml


def test_page_one_is_the_summary_and_the_objectives_start_a_page() -> None:
    document = read(golden_report())
    paragraphs = document.paragraphs
    breaks = [p.text for p in paragraphs if p.paragraph_format.page_break_before]
    assert breaks[:3] == ["Måluppfyllelse", "Övningens förlopp", "Bilaga A: Inspelslogg och svarstider"]
    before = [p.text for p in paragraphs[: [p.text for p in paragraphs].index("Måluppfyllelse")]]
    assert "Sammanfattning" in before and "Tre styrkor" in before and "Tre utvecklingsområden" in before
    assert "Beslut som ledningsgruppen ombeds fatta" in before


@pytest.mark.parametrize(("lang", "tag", "page"), [("sv", "sv-SE", "Sida"), ("en", "en-GB", "Page")])
def test_footer_page_numbers_language_author_date_and_alt_text(lang: str, tag: str, page: str) -> None:
    set_language(lang)
    report = golden_report()
    document = read(report)
    footer = document.sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert "Stormen över Sjöstad, 2026-03-10" in footer.text and f"{page} " in footer.text
    assert 'w:instr=" PAGE "' in xml and 'w:instr=" NUMPAGES "' in xml
    styles = document.styles.element.xml
    assert f'w:val="{tag}"' in styles  # the proofing language of every run
    props = document.core_properties
    assert props.language == tag and props.author == "krisovning" and props.comments == ""
    made = report.overview.created
    assert made is not None and props.created is not None
    assert props.created.isoformat()[:16] == made[:16] or props.created.year >= 2025  # not the template's 2013
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert all(descriptions) and descriptions[0].startswith(("Tidslinje", "Timeline"))


def test_the_facilitator_is_the_author() -> None:
    report = golden_report()
    named = report.model_copy(update={"overview": report.overview.model_copy(update={"facilitator": "Eva Ek"})})
    assert read(named).core_properties.author == "Eva Ek"


def test_a_header_word_is_never_cut() -> None:
    from krisovning.report.blocks import Table, cells
    from krisovning.report.docx import CHAR, PAD, column_widths

    headers = ["Tid", "Utvärderingsunderlag", "Bedömning", "Text"]
    table = Table(headers, [cells("T+0:01", "x", "uppnått", "ord " * 400)], nowrap={0})
    widths = column_widths(table)
    for header, width in zip(headers, widths, strict=True):
        assert width >= PAD + CHAR * (max(len(w) for w in header.split()) + 1) - 1e-9, (header, width)
