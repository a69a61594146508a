"""DOCX (python-docx): real headings, grid tables, the chart as a PNG (DOCX cannot take SVG).

Opens in Word and LibreOffice; A4 with 2 cm margins. Text is put in as text runs, so
nothing a user typed can become markup.
"""

from __future__ import annotations

import io
from datetime import UTC
from typing import Any
from xml.sax.saxutils import escape

from krisovning.i18n import t
from krisovning.report.blocks import Banner, Block, Bullets, Cell, Chart, Heading, KeyValues, Para, Table, Title
from krisovning.report.charts import render_chart

_SHADES = {"met": "E3F4E6", "partly_met": "FFF3D6", "late": "FFF3D6", "not_met": "FBE4E2", "missed": "FBE4E2"}
_STRONG = {"met", "not_met", "partly_met", "missed", "late"}
_INKS = {
    "met": "1E5B2C",
    "partly_met": "7A4B00",
    "late": "7A4B00",
    "not_met": "8A1F17",
    "missed": "8A1F17",
    "ok": "1E5B2C",
    "open": "7A4B00",
    "muted": "616E7C",
}
HEADER_SHADE = "E4EAF1"
TABLE_TEXT = "Table Text"  # a paragraph style for table cells: 8.5 pt, no spacing
TABLE_TEXT_ID = "TableText"
TEXT_WIDTH = 17.0  # cm between the margins of an A4 page


CHAR = 0.19  # cm per character at 8.5 pt, roughly (wide fonts such as DejaVu Sans)
PAD = 0.45  # cm of cell margins and borders per column


def column_widths(table: Table, total: float = TEXT_WIDTH) -> list[float]:
    """Column widths in cm, the way a browser lays out an automatic table.

    Each column gets at least its longest word (so no word is cut) and, while there is room,
    up to its longest text; the room left over goes to the columns that want more. A header's
    longest word always fits (a bold "Bedömning" is never cut to "Bedömnin-g"), while the page allows.
    """
    least, most, heads = [], [], []
    for index, header in enumerate(table.headers):
        texts = [row[index].text for row in table.rows if index < len(row)]
        words = [len(w) for x in texts for w in x.split()] + [len(w) + 1 for w in header.split()]  # bold
        longest = max((max((len(line) for line in x.split("\n")), default=0) for x in texts), default=0)
        head = PAD + CHAR * max((len(w) + 1 for w in header.split()), default=1)
        if index in table.nowrap or index in table.numeric:
            longest_word = max(longest, max(words, default=1))
        else:
            longest_word = min(max(words, default=1), 18)
        heads.append(head)
        least.append(max(head, PAD + CHAR * longest_word))
        most.append(PAD + CHAR * max(min(longest, 90), longest_word, len(header) if len(header) < 14 else 0))
    return _keep_heads(_widths(table, least, most, total), heads, total)


def _widths(table: Table, least: list[float], most: list[float], total: float) -> list[float]:
    if sum(most) <= total:
        return [w * total / sum(most) for w in most]
    if sum(least) >= total:  # too narrow: short columns (times, numbers) keep their width, the rest shrink
        fixed = {i for i in range(len(least)) if i in table.nowrap or i in table.numeric}
        kept = sum(least[i] for i in fixed)
        rest = sum(w for i, w in enumerate(least) if i not in fixed)
        if kept >= total * 0.6 or not rest:
            return [w * total / sum(least) for w in least]
        return [w if i in fixed else w * (total - kept) / rest for i, w in enumerate(least)]
    share = (total - sum(least)) / (sum(most) - sum(least))
    return [lo + (hi - lo) * share for lo, hi in zip(least, most, strict=True)]


def _keep_heads(widths: list[float], heads: list[float], total: float) -> list[float]:
    """Widen a column narrower than its header's longest word, taking the room from the others' slack."""
    if sum(heads) > total:
        return widths  # not even the headers fit side by side: nothing to take from
    short = {i: h - w for i, (w, h) in enumerate(zip(widths, heads, strict=True)) if w < h}
    if not short:
        return widths
    slack = {i: w - heads[i] for i, w in enumerate(widths) if i not in short and w > heads[i]}
    need, spare = sum(short.values()), sum(slack.values())
    take = min(1.0, need / spare) if spare else 0.0
    return [heads[i] if i in short else w - slack.get(i, 0.0) * take for i, w in enumerate(widths)]


def _text(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False, colour: str | None = None) -> None:
    from docx.shared import RGBColor

    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold or None
        run.italic = italic or None
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
        if index < len(lines) - 1:
            run.add_break()


def _cell_xml(text: str, width: int, *, bold: bool, right: bool, shade: str | None, ink: str | None) -> str:
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    align = '<w:jc w:val="right"/>' if right else ""
    props = ("<w:b/>" if bold else "") + (f'<w:color w:val="{ink}"/>' if ink else "")
    run_props = f"<w:rPr>{props}</w:rPr>" if props else ""
    runs = (
        "<w:r>"
        + run_props
        + "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
        + "</w:r>"
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{fill}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{TABLE_TEXT_ID}"/>{align}</w:pPr>{runs}</w:p></w:tc>'
    )


def _table(doc: Any, table: Table) -> None:
    """A grid table, written as WordprocessingML in one go: python-docx's cell-by-cell API is
    too slow for a timeline of hundreds of injects. Text is escaped; control characters were
    removed when the report was built."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    widths = [round(w * 567) for w in column_widths(table)]  # cm → twentieths of a point
    parts = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
    ]
    parts += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    parts.append("</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>")
    parts += [
        _cell_xml(h, widths[i], bold=True, right=i in table.numeric, shade=HEADER_SHADE, ink=None)
        for i, h in enumerate(table.headers)
    ]
    parts.append("</w:tr>")
    for row_index, row in enumerate(table.rows):
        last = table.total and row_index == len(table.rows) - 1
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for i in range(len(table.headers)):
            cell = row[i] if i < len(row) else Cell("")
            parts.append(
                _cell_xml(
                    cell.text,
                    widths[i],
                    bold=last or cell.style in _STRONG,
                    right=i in table.numeric,
                    shade=_SHADES.get(cell.style),
                    ink=_INKS.get(cell.style),
                )
            )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    body = doc.element.body
    body.find(qn("w:sectPr")).addprevious(parse_xml("".join(parts)))
    doc.add_paragraph()


def _setup(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt, RGBColor

    for section in doc.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin = section.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    table_text = doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(8.5)
    table_text.paragraph_format.space_before = Pt(0)
    table_text.paragraph_format.space_after = Pt(0)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].font.color.rgb = RGBColor.from_string("2F5D8A")


def _language(doc: Any, tag: str) -> None:
    """The proofing language of every run (the document defaults): Word checks a Swedish report as Swedish."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{tag}" w:eastAsia="{tag}" w:bidi="ar-SA"/>'))


def _footer(doc: Any, text: str) -> None:
    """Every page's footer: the exercise and its date on the left, "Sida n av m" on the right."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Cm, Pt

    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    _text(paragraph, text, colour="616E7C")
    _text(paragraph, f"\t{t('report.page')} ", colour="616E7C")

    def field(instr: str) -> None:
        paragraph._p.append(
            parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {instr} "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        )

    field("PAGE")
    _text(paragraph, f" {t('report.page_of')} ", colour="616E7C")
    field("NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def render_docx(
    blocks: list[Block],
    *,
    title: str = "",
    footer: str = "",
    author: str = "krisovning",
    created: str | None = None,
) -> bytes:
    """The document; `footer`: every page's footer; `created` (ISO 8601): when the report was made."""
    from datetime import datetime

    from docx import Document
    from docx.shared import Cm

    doc = Document()
    _setup(doc)
    props = doc.core_properties
    props.title = title[:255]
    props.author = props.last_modified_by = author[:255]
    props.language = t("report.docx_language")
    props.revision = 1
    moment = datetime.fromisoformat(created) if created else datetime.now(UTC)
    props.created = props.modified = moment.astimezone(UTC).replace(tzinfo=None)
    props.comments = ""
    _language(doc, t("report.docx_language"))
    _footer(doc, footer or title)
    for block in blocks:
        _block(doc, block, Cm)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _block(doc: Any, block: Block, Cm: Any) -> None:  # Cm: the docx unit, by its own name
    if isinstance(block, Title):
        _text(doc.add_heading(level=0), block.text)
        if block.subtitle:
            _text(doc.add_paragraph(), block.subtitle, italic=True, colour="616E7C")
    elif isinstance(block, Banner):
        paragraph = doc.add_paragraph()
        _text(paragraph, block.text, bold=True, colour="8A1F17")
    elif isinstance(block, Heading):
        heading = doc.add_heading(level=max(1, block.level - 1))
        heading.paragraph_format.page_break_before = block.new_page or None
        _text(heading, block.text)
    elif isinstance(block, Para):
        _text(doc.add_paragraph(), block.text, italic=block.muted, colour="616E7C" if block.muted else None)
    elif isinstance(block, KeyValues):
        _table(
            doc, Table([t("report.col.what"), t("report.col.value")], [[Cell(k, ""), Cell(v)] for k, v in block.rows])
        )
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Bullets):
        for item in block.items:
            paragraph = doc.add_paragraph(style="List Bullet")
            if item.lead:
                _text(paragraph, item.lead + ": ", bold=True)
            _text(paragraph, item.text)
            if item.note:
                _text(paragraph, " — " + item.note, colour="616E7C")
    elif isinstance(block, Chart):
        png = render_chart(block.kind, block.data, block.labels, "png")
        doc.add_picture(io.BytesIO(png), width=Cm(17.0))
        doc.inline_shapes[-1]._inline.docPr.set("descr", block.alt)  # the alt text a screen reader reads
        _text(doc.add_paragraph(), block.alt, italic=True, colour="616E7C")
        if block.table is not None:
            _table(doc, block.table)
