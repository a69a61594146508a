"""A scenario's scripted injects → an MSEL spreadsheet (CSV for Swedish Excel, or XLSX).

The columns are those `import-msel` reads back (docs/msel.md): times, channels, senders,
receivers, texts, subjects, expectations and the after/missed/met conditions survive a
round trip; the rest of a scenario has no column and is listed as lost.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from krisovning.i18n import t_in
from krisovning.msel.carry import block_rows, carries_condition, fill_personas
from krisovning.msel.keys import COLUMN_KEYS, LOST_KEYS, PRIORITY_WORD_KEYS, word
from krisovning.msel.people import parse_sender
from krisovning.msel.times import format_offset
from krisovning.msel.wording import channel_label, describe_condition, describe_expectation
from krisovning.scenario.durations import format_duration
from krisovning.scenario.model import Inject, MessageQuality, Scenario

COLUMNS = (
    "id",
    "time",
    "condition",
    "channel",
    "from",
    "to",
    "subject",
    "text",
    "expect",
    "deadline",
    "objective",
    "notes",
    "priority",
)
_FORMULA = re.compile(r"^'*[=+\-@]")  # what Excel would run (apostrophes included, so the guard is reversible)
_WIDTHS = {
    "id": 14,
    "time": 9,
    "condition": 24,
    "channel": 14,
    "from": 26,
    "to": 20,
    "subject": 28,
    "text": 60,
    "expect": 36,
    "deadline": 10,
    "objective": 24,
    "notes": 36,
    "priority": 10,
}


@dataclass
class Sheet:
    title: str
    note: str
    headers: list[str]
    rows: list[list[Any]]
    lost: list[str]
    block: list[list[Any]]  # under the injects: what else import-msel reads back (msel/carry.py)


def _sender(scenario: Scenario, ident: str, lang: str) -> str:
    """`Karin Ek, P4 Kalmar` — written so that import-msel reads the same name (and outlet) back."""
    for persona in scenario.personas:
        if persona.id == ident:
            journalist = persona.kind.value == "journalist"
            extra = persona.outlet if journalist else persona.title or persona.organisation
            shown = persona.name
            if extra and extra.casefold() not in persona.name.casefold():
                shown = f"{persona.name}, {extra}"
            name, kind, rest = parse_sender(shown)
            if journalist and persona.outlet and (name, kind, rest) != (persona.name, "journalist", persona.outlet):
                return t_in(lang, "msel.export.journalist_at", name=persona.name, outlet=persona.outlet)
            return shown if name == persona.name else persona.name
    return ident  # a persona pool: its id names the crowd


def _row(scenario: Scenario, inject: Inject, lang: str) -> list[Any]:
    roles = {r.id: r.name for r in scenario.roles}
    objectives = {o.id: o.title for o in scenario.objectives}
    expect = inject.expect
    minutes: Any = ""
    if expect:
        minutes = expect.within // 60 if expect.within % 60 == 0 else round(expect.within / 60, 2)
        if abs(minutes * 60 - expect.within) > 1e-6:  # not a round number of minutes: written exactly
            minutes = format_duration(expect.within)
    return [
        inject.id,
        format_offset(inject.at) if inject.at is not None else "",
        describe_condition(inject, lang) if inject.at is None else "",
        channel_label(inject.channel.value, lang),
        _sender(scenario, inject.sender, lang),
        roles.get(inject.to, inject.to),
        fill_personas(scenario, inject.subject or ""),
        fill_personas(scenario, inject.text).strip(),
        describe_expectation(expect, lang, inject.do_not_answer),
        minutes,
        "; ".join(objectives.get(o, o) for o in inject.objectives),
        (inject.note or "").strip(),
        word(lang, PRIORITY_WORD_KEYS, inject.priority.value) if inject.priority.value != "normal" else "",
    ]


def lost_items(scenario: Scenario, lang: str) -> list[str]:
    """What this scenario has that the spreadsheet cannot carry back into a scenario."""
    lost = []
    counts = {
        "conditions": sum(1 for i in scenario.injects if not carries_condition(i)),
        "social_effects": sum(1 for i in scenario.injects if i.social),
        "generators": len(scenario.generators),
        "social": 1 if scenario.social else 0,
        "objectives": len(scenario.objectives),
        "checklists": len(scenario.checklists),
        "reveals": sum(1 for i in scenario.injects if i.reveals),
        "pools": len(scenario.persona_pools),
        "quality": 1 if scenario.quality != MessageQuality() else 0,
        "exercise": 1 if scenario.exercise is not None else 0,
    }
    for key, n in counts.items():
        if n:
            lost.append(word(lang, LOST_KEYS, key, n=n))
    return lost


def build_sheet(scenario: Scenario, lang: str, source: str) -> Sheet:
    headers = [word(lang, COLUMN_KEYS, c) for c in COLUMNS]
    rows = [_row(scenario, inject, lang) for inject in scenario.injects]
    lost = lost_items(scenario, lang)
    note = t_in(lang, "msel.export.note", file=source)
    if lost:
        note += " " + t_in(lang, "msel.export.lost", items="; ".join(lost))
    senders = [p.id for p in scenario.personas] + [p.id for p in scenario.persona_pools]
    block = block_rows(scenario, lang, {ident: _sender(scenario, ident, lang) for ident in senders})
    return Sheet(t_in(lang, "msel.export.title", title=scenario.title), note, headers, rows, lost, block)


def _safe(value: Any) -> Any:
    """A leading ' keeps Excel from running a cell as a formula; import-msel takes it off again."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def to_csv(sheet: Sheet, lang: str) -> bytes:
    """UTF-8 with BOM and `;` (Swedish Excel opens it as it is); decimal commas in Swedish."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([sheet.title])
    writer.writerow([_safe(sheet.note)])
    writer.writerow([])
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        cells = []
        for value in row:
            if isinstance(value, float) and lang == "sv":
                value = f"{value:g}".replace(".", ",")
            cells.append(_safe(value))
        writer.writerow(cells)
    for row in sheet.block:
        writer.writerow([_safe(value) for value in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def to_xlsx(sheet: Sheet, lang: str) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = t_in(lang, "msel.export.sheet")[:31]

    def put(row: int, column: int, value: Any) -> Any:
        cell = ws.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
        else:
            cell.value = value
        return cell

    put(1, 1, sheet.title).font = Font(bold=True, size=14)
    put(2, 1, sheet.note).font = Font(italic=True)
    header_row = 4
    for column, header in enumerate(sheet.headers, start=1):
        cell = put(header_row, column, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
        ws.column_dimensions[get_column_letter(column)].width = _WIDTHS[COLUMNS[column - 1]]
    for r, row in enumerate(sheet.rows, start=header_row + 1):
        for column, value in enumerate(row, start=1):
            if value == "" or value is None:
                continue
            put(r, column, value).alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(sheet.block, start=header_row + len(sheet.rows) + 1):
        for column, value in enumerate(row, start=1):
            if value != "":
                put(r, column, value)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(sheet.headers))}{header_row + max(len(sheet.rows), 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_msel(scenario: Scenario, fmt: str, lang: str, source: str) -> tuple[bytes, Sheet]:
    sheet = build_sheet(scenario, lang, source)
    return (to_xlsx(sheet, lang) if fmt == "xlsx" else to_csv(sheet, lang)), sheet
