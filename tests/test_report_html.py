"""The HTML report: well-formed, self-contained, print-ready, and every user text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from report_cases import EVIL_TITLE, SCRIPT, empty_report, evil_report, golden_report, running_report

from krisovning.i18n import set_language
from krisovning.report import render
from krisovning.report.html import soft

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "wbr", "area", "base", "source"}
ALLOWED = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "nav",
    "a",
    "h1",
    "h2",
    "h3",
    "p",
    "div",
    "table",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "li",
    "strong",
    "span",
    "figure",
    "figcaption",
}
SVG = {
    "svg",
    "g",
    "path",
    "defs",
    "use",
    "clippath",
    "rect",
    "metadata",
    "style",
    "text",
    "polyline",
    "line",
    "title",
    "desc",
}


class Checker(HTMLParser):
    """Collects tags, attributes and text; checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.errors: list[str] = []
        self.in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag == "svg":
            self.in_svg += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag == "svg":
            self.in_svg -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(report) -> tuple[str, Checker]:
    html = render(report, "html").decode("utf-8")
    checker = Checker()
    checker.feed(html)
    checker.close()
    return html, checker


@pytest.mark.parametrize("case", [golden_report, evil_report, empty_report, running_report])
def test_the_html_is_well_formed_and_uses_only_expected_tags(case) -> None:
    html, checker = parse(case())
    assert html.startswith("<!DOCTYPE html>")
    assert checker.errors == [] and checker.stack == []
    assert set(checker.tags) <= ALLOWED | SVG, set(checker.tags) - ALLOWED - SVG
    assert not [name for name, _ in checker.attrs if name.startswith("on")]


def test_the_report_has_an_inline_svg_chart_and_nothing_external() -> None:
    html, checker = parse(golden_report())
    assert html.count("<svg") == 2 and "<?xml" not in html  # the timeline and the pressure curve
    assert "<script" not in html.lower()
    links = [value for name, value in checker.attrs if name in ("href", "src", "xlink:href")]
    assert all(v and v.startswith("#") for v in links), links
    assert "@import" not in html and "url(" not in html.replace("url(#", "")
    assert "@page" in html and "size: A4" in html and "@media print" in html


def test_no_injected_markup_survives() -> None:
    html, checker = parse(evil_report())
    assert SCRIPT not in html and "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "<b>" not in html and "<i>" not in html
    text = "".join(checker.text)
    for needle in (
        EVIL_TITLE,
        SCRIPT + " Obs\\x00 med \\x07",
        "<img src=x onerror=alert(1)> svaghet",
        "Press<b>sekreterare</b> & co",
        "\"Åtgärd\" & 'citat' 🎉",
        "värde & <i>mer</i>",
    ):
        assert needle in text.replace("\u200b", ""), needle
    assert checker.tags.count("title") == 1  # the <title> element in <head> only


def test_very_long_words_get_break_opportunities() -> None:
    assert soft("kort text") == "kort text"
    long = "x" * 100
    assert soft(long).replace("\u200b", "") == long and soft(long).count("\u200b") == 4
    html, _ = parse(evil_report())
    assert "långt" * 400 not in html  # broken up, so it cannot widen the page


def test_preliminary_banner() -> None:
    html, _ = parse(running_report())
    assert 'class="banner"' in html and "PRELIMINÄR RAPPORT" in html
    assert 'class="banner"' not in parse(golden_report())[0]


def test_english_html() -> None:
    set_language("en")
    html, _ = parse(golden_report())
    assert '<html lang="en">' in html and "After-action report" in html and ">Objectives</h2>" in html
    assert "Måluppfyllelse" not in html


def test_printed_pages_have_numbers_and_a_running_footer() -> None:
    html = render(golden_report(), "html").decode()
    page = html[html.index("@page") : html.index("@media print")]
    assert "counter(page)" in page and "counter(pages)" in page and "@bottom-left" in page
    assert '"Stormen över Sjöstad\\00002c 2026\\00002d03\\00002d10"' in page  # the exercise and its date
    assert '<h2 id="objectives" class="new-page">' in html  # page one is the summary
    assert "h2.new-page { break-before: page;" in html
    # a table's header cells break between words only (its data cells may break anywhere)
    assert "table.fixed th { overflow-wrap: normal;" in html and "table.fixed td, table.fixed th" not in html


def test_the_running_footer_cannot_leave_its_css_string() -> None:
    from krisovning.report.html import css_string

    for text in (EVIL_TITLE, '"; } body { display: none } </style><script>', "a\\b\nc"):
        quoted = str(css_string(text))
        assert quoted[0] == quoted[-1] == '"'
        assert re.fullmatch(r"(?:[^\W_]| |\\[0-9a-f]{6})*", quoted[1:-1]), quoted  # letters, digits, escapes
    html = render(evil_report(), "html").decode()
    style = html[html.index("<style>") + len("<style>") : html.index("</style>")]
    assert "<" not in style and "Storm \\00003cscript\\00003e" in style
