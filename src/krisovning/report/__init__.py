"""The after-action report (utvärderingsrapport): model, derived findings, renderers.

    report = build_report(scenario, events, ReportMeta(session_id=..., status="finished", seed=7, team="team"))
    data = render(report, "html")            # bytes: md | html | docx | json
    both = render_comparison(build_comparison([report_a, report_b]), "md")
    region = render_group(build_group_report([("Sjöstad", report_a), ("Åby", report_b)]), "md")

Texts are in the language current when the report is built; rendering uses the same
language. Layering: imports scenario, engine events, metrics and i18n only.
"""

from __future__ import annotations

from krisovning.i18n import t
from krisovning.report.build import build_report
from krisovning.report.compare import build_comparison, comparison_blocks
from krisovning.report.fmt import speaking
from krisovning.report.group import build_group_report
from krisovning.report.group_model import GroupReport, group_schema
from krisovning.report.group_view import group_blocks
from krisovning.report.model import (
    Comparison,
    FacilitatorNotes,
    PlanRow,
    Report,
    ReportMeta,
    report_schema,
)
from krisovning.report.view import report_blocks

FORMATS = ("md", "html", "docx", "json")


def _document(model) -> dict:
    """What a document says of itself: its running footer, author and creation date."""
    overview = getattr(model, "overview", None)
    if overview is None:
        footer = t("report.group.title") if isinstance(model, GroupReport) else t("report.cmp.title")
        return {"footer": footer, "author": "krisovning", "created": None}
    footer = t("report.running_footer", title=overview.title, date=overview.date) if overview.date else overview.title
    return {"footer": footer, "author": overview.facilitator or "krisovning", "created": overview.created}


def _render(blocks_of, model, fmt: str, title: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")
    if fmt == "json":
        return (model.model_dump_json(indent=2) + "\n").encode("utf-8")
    with speaking(model.language):
        blocks = blocks_of(model)
        document = _document(model)
        if fmt == "md":
            from krisovning.report.md import render_blocks

            return render_blocks(blocks)
        if fmt == "html":
            from krisovning.report.html import render_html

            return render_html(blocks, footer=document["footer"])
        from krisovning.report.docx import render_docx

        return render_docx(blocks, title=title, **document)


def render(report: Report, fmt: str) -> bytes:
    """The report as `fmt` ("md", "html", "docx" or "json"), ready to write to a file."""
    return _render(report_blocks, report, fmt, report.overview.title)


def render_comparison(comparison: Comparison, fmt: str) -> bytes:
    """Several drills' key figures as `fmt` ("md", "html", "docx" or "json")."""
    return _render(comparison_blocks, comparison, fmt, "krisovning")


def render_group(group: GroupReport, fmt: str) -> bytes:
    """Several municipalities' drills side by side as `fmt` ("md", "html", "docx" or "json")."""
    with speaking(group.language):
        title = t("report.group.title")
    return _render(group_blocks, group, fmt, title)


__all__ = [
    "FORMATS",
    "Comparison",
    "FacilitatorNotes",
    "GroupReport",
    "PlanRow",
    "Report",
    "ReportMeta",
    "build_comparison",
    "build_group_report",
    "build_report",
    "group_schema",
    "render",
    "render_comparison",
    "render_group",
    "report_schema",
]
