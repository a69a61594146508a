"""Markdown: readable as plain text in a terminal and rendered on a Git forge.

User and scenario text is escaped so that it can never become markup (a `<script>` in a
title stays text; a `|` cannot break a table); the chart becomes a sparkline and a table.
"""

from __future__ import annotations

import re

from krisovning.report.blocks import Banner, Block, Bullets, Cell, Chart, Heading, KeyValues, Para, Table, Title

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that could start
# markup inside running text. `&` only matters before an entity name.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)(?:([#+\-=>])|(\d+)([.)]))", re.MULTILINE)


def escape(text: str, *, block: bool = True) -> str:
    """Text that stays text. `block`: also escape what would start a heading, list or quote."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    if not block:
        return text
    return _LINE_START.sub(lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), text)


def _cell(cell: Cell) -> str:
    lines = [line.strip() for line in cell.text.split("\n") if line.strip()]
    # A table cell is one line in Markdown: join lines with " / ", except before an arrow, which reads on.
    out = ""
    for line in lines:
        line = escape(line, block=False)
        out += line if not out else (f" {line}" if line.startswith("→") else f" / {line}")
    return out or " "


def _table(table: Table) -> list[str]:
    align = ["---:" if i in table.numeric else "---" for i in range(len(table.headers))]
    lines = ["| " + " | ".join(escape(h, block=False) for h in table.headers) + " |", "|" + "|".join(align) + "|"]
    for index, row in enumerate(table.rows):
        texts = [_cell(c) for c in row]
        if table.total and index == len(table.rows) - 1:
            texts = [f"**{x}**" if x.strip() else x for x in texts]
        lines.append("| " + " | ".join(texts) + " |")
    return lines + [""]


def _block(block: Block) -> list[str]:
    if isinstance(block, Title):
        lines = [f"# {escape(block.text)}", ""]
        return lines + ([f"*{escape(block.subtitle)}*", ""] if block.subtitle else [])
    if isinstance(block, Banner):
        return [f"> **{escape(block.text)}**", ""]
    if isinstance(block, Heading):
        return [f"{'#' * block.level} {escape(block.text)}", ""]
    if isinstance(block, Para):
        text = "  \n".join(escape(line) for line in block.text.split("\n"))
        return [f"*{text}*" if block.muted else text, ""]
    if isinstance(block, KeyValues):
        return ["| | |", "|---|---|", *(f"| **{escape(k)}** | {_cell(Cell(v))} |" for k, v in block.rows), ""]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Bullets):
        lines = []
        for item in block.items:
            text = escape(item.text).replace("\n", " ")
            lead = f"**{escape(item.lead)}:** " if item.lead else ""
            note = f" — {escape(item.note)}" if item.note else ""
            lines.append(f"- {lead}{text}{note}")
        return lines + [""]
    if isinstance(block, Chart):
        lines = []
        if block.sparkline:
            lines += ["```text", *block.sparkline.split("\n"), "```", ""]
        lines += [f"*{escape(block.alt)}*", ""]
        if block.table is not None:
            lines += _table(block.table)
        return lines
    raise TypeError(type(block).__name__)


def render_blocks(blocks: list[Block]) -> bytes:
    lines: list[str] = []
    for block in blocks:
        lines += _block(block)
    while lines and not lines[-1]:
        lines.pop()
    return ("\n".join(lines) + "\n").encode("utf-8")
