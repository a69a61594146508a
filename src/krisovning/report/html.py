"""HTML: one self-contained file (inline CSS and SVG, no scripts, no external assets), print-ready on A4.

The Jinja2 environment escapes everything (autoescape on); the only markup not escaped
is the chart's SVG, which we draw ourselves from numbers and our own labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from krisovning import __version__
from krisovning.i18n import get_language, t
from krisovning.report.blocks import Banner, Block, Bullets, Chart, Heading, KeyValues, Para, Table, Title
from krisovning.report.charts import render_chart

_KINDS = {
    Title: "title",
    Banner: "banner",
    Heading: "heading",
    Para: "para",
    KeyValues: "keyvalues",
    Table: "table",
    Bullets: "bullets",
    Chart: "chart",
}


@dataclass
class _DrawnChart:
    svg: Any  # markupsafe.Markup
    alt: str
    table: Table | None


_LONG_WORD = re.compile(r"\S{40,}")
_SVG_ID = re.compile(r'(\bid="|url\(#|href="#)')


def own_ids(svg: str, prefix: str) -> str:
    """The chart's element ids (matplotlib numbers them from 1 in every figure) made unique in the page."""
    return _SVG_ID.sub(lambda m: m.group(1) + prefix, svg)


def soft(text: object) -> str:
    """Break opportunities (zero-width spaces) inside very long words, so they cannot widen a page."""
    return _LONG_WORD.sub(
        lambda m: "\u200b".join(m.group(0)[i : i + 20] for i in range(0, len(m.group(0)), 20)), str(text)
    )


def css_string(text: object) -> Any:
    """Text as a quoted CSS string for the page footer: everything but letters, digits and spaces as a CSS
    escape, so no text can end the string, the rule or the style element."""
    from markupsafe import Markup

    out = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):06x}" for ch in str(text))
    return Markup(f'"{out}"')


@lru_cache(maxsize=1)
def _template() -> Any:
    from jinja2 import Environment, StrictUndefined

    env = Environment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True
    )
    env.filters["soft"] = soft
    env.filters["css_string"] = css_string
    source = resources.files("krisovning.report").joinpath("templates/report.html.j2").read_text(encoding="utf-8")
    return env.from_string(source)


def render_html(blocks: list[Block], *, footer: str = "") -> bytes:
    """The page; `footer`: the running footer of a printed page (the exercise and its date)."""
    from markupsafe import Markup

    items: list[tuple[str, Any]] = []
    for block in blocks:
        kind = _KINDS[type(block)]
        item: Block | _DrawnChart = block
        if isinstance(block, Chart):
            svg = render_chart(block.kind, block.data, block.labels, "svg").decode("utf-8")
            svg = own_ids(svg, f"{block.kind}-")
            item = _DrawnChart(Markup(svg), block.alt, block.table)  # Markup: our own drawing, its texts escaped
        items.append((kind, item))
    title = next((b.text for b in blocks if isinstance(b, Title)), "krisovning")
    toc = [(b.anchor, b.text) for b in blocks if isinstance(b, Heading) and b.level == 2 and b.anchor]
    html = _template().render(
        blocks=items,
        title=title,
        toc=toc,
        lang=get_language(),
        version=__version__,
        figures_label=t("report.chart.figures"),
        running=footer or title,
        page_label=t("report.page"),
        page_of=t("report.page_of"),
    )
    return html.encode("utf-8")
