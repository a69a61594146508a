"""Finding the MSEL in a spreadsheet: the sheet, and the header row (which may stand below a title)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from krisovning.i18n import t
from krisovning.msel import columns as col
from krisovning.msel.draft import Column
from krisovning.msel.problems import MselError
from krisovning.msel.table import Sheet

HEADER_SEARCH_ROWS = 30


def cell_text(value: Any) -> str | None:
    """A cell as text, the way the spreadsheet shows it."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def find_header(sheet: Sheet) -> tuple[int, list[Column], set[str]] | None:
    best: tuple[int, list[Column], set[str]] | None = None
    seen = 0
    for index, (_, cells) in enumerate(sheet.rows):
        if not any(c is not None for c in cells):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            break
        found = [col.header_field(c) if isinstance(c, str) else None for c in cells]
        fields = {f for f in found if f}
        if len(fields) >= 2 and (best is None or len(fields) > len(best[2])):
            taken: set[str] = set()
            columns = []
            for i, (cell, field) in enumerate(zip(cells, found, strict=True)):
                header = cell_text(cell) or t("msel.column_n", n=i + 1)
                columns.append(Column(i, header, field if field not in taken else None))
                taken.add(field or "")
            best = (index, columns, fields)
    return best


def choose_sheet(sheets: list[Sheet], name: str, wanted: str | None, kind: str) -> tuple[Sheet, int, list[Column]]:
    if wanted is not None:
        matching = [s for s in sheets if s.name == wanted] or [
            s for s in sheets if col.norm(s.name) == col.norm(wanted)
        ]
        if not matching:
            raise MselError(name, t("msel.no_sheet", sheet=wanted, sheets=", ".join(s.name for s in sheets)))
        sheets = matching
    candidates = []
    for sheet in sheets:
        found = find_header(sheet)
        if found is None:
            continue
        index, columns, fields = found
        if col.REAL_TIME in fields:
            fields = fields | {col.TIME}  # a send time alone times the injects (read.py)
        if col.TIME in fields and (col.TEXT in fields or col.SYNOPSIS in fields):
            return sheet, index, columns
        candidates.append((len(fields), sheet, index, columns, fields))
    if not candidates:
        where = t("msel.no_header_sheets", sheets=", ".join(s.name for s in sheets)) if kind == "xlsx" else ""
        raise MselError(name, t("msel.no_header") + where)
    _, sheet, index, columns, fields = max(candidates, key=lambda c: c[0])
    fields = fields | ({col.TIME} if col.REAL_TIME in fields else set())
    row = sheet.rows[index][0]
    headers = ", ".join(f'"{c.header}"' for c in columns if c.header)
    key = "msel.no_time_column" if col.TIME not in fields else "msel.no_text_column"
    raise MselError(name, t(key, headers=headers), row=row)
