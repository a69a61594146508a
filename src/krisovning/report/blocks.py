"""A report as a list of plain blocks (headings, tables, bullets, charts).

Every renderer walks the same blocks, so Markdown, HTML and DOCX say the same thing in the
same order; only how they draw it differs. Texts here are already translated and formatted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Cell:
    text: str
    style: str = ""  # met | partly_met | not_met | missed | late | ok | open | muted


@dataclass
class Title:
    text: str
    subtitle: str = ""


@dataclass
class Banner:
    text: str


@dataclass
class Heading:
    level: int  # 2 = section, 3 = subsection
    text: str
    anchor: str = ""
    new_page: bool = False  # printed (HTML) and DOCX: the section starts a page


@dataclass
class Para:
    text: str
    muted: bool = False


@dataclass
class KeyValues:
    rows: list[tuple[str, str]]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    wide: set[int] = field(default_factory=set)  # columns holding running text
    nowrap: set[int] = field(default_factory=set)  # short columns (times) that must not wrap
    total: bool = False  # the last row is a total
    widths: list[int] | None = None  # relative column widths (HTML and DOCX); None: automatic


@dataclass
class Bullet:
    lead: str
    text: str
    note: str = ""


@dataclass
class Bullets:
    items: list[Bullet]


@dataclass
class Chart:
    kind: str  # pressure | trend | timeline
    data: Any  # the model object the chart is drawn from
    alt: str  # what the chart shows, in words
    labels: dict[str, str]
    sparkline: str = ""  # for text formats
    table: Table | None = None  # the chart's figures, for text formats


Block = Title | Banner | Heading | Para | KeyValues | Table | Bullets | Chart


def cells(*texts: str | Cell) -> list[Cell]:
    return [c if isinstance(c, Cell) else Cell(str(c)) for c in texts]


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    top = max(values, default=0.0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, int(v / top * (len(SPARKS) - 1) + 0.5))] for v in values)
