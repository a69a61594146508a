"""Several drills side by side (`report --compare`): key figures per drill and a trend chart."""

from __future__ import annotations

from krisovning.i18n import get_language, t
from krisovning.report.blocks import Banner, Block, Bullet, Bullets, Cell, Chart, Heading, Para, Table, Title, cells
from krisovning.report.fmt import duration, number
from krisovning.report.model import Comparison, ComparisonRow, Report

DEFAULT_NORM = 3600.0


def build_comparison(reports: list[Report]) -> Comparison:
    """Key figures of each drill, oldest first (drills without a date keep their given order, last)."""
    ordered = sorted(
        enumerate(reports), key=lambda pair: (pair[1].overview.started is None, pair[1].overview.started or "", pair[0])
    )
    rows = []
    for _, r in ordered:
        o = r.overview
        rows.append(
            ComparisonRow(
                session_id=o.session_id,
                title=o.title,
                date=o.date,
                seed=o.seed,
                team=o.team,
                preliminary=r.preliminary,
                altered=r.integrity.state == "altered",
                first_message=r.first_message.first,
                median_response=r.response_total.median,
                missed=r.response_total.missed,
                objectives_met=sum(1 for x in r.objectives if x.outcome == "met"),
                objectives_total=len(r.objectives),
                rumour_peak=r.pressure.rumour_peak,
                posts=r.pressure.posts,
            )
        )
    norm = reports[0].first_message.norm if reports else DEFAULT_NORM
    return Comparison(language=reports[0].language if reports else get_language(), norm=norm, rows=rows)


def trend_labels() -> dict[str, str]:
    return {
        "first_message": t("report.cmp.first_message"),
        "median": t("report.cmp.median"),
        "norm": t("report.cmp.norm"),
        "minutes": t("report.cmp.minutes"),
        "objectives": t("report.cmp.objectives_share"),
        "rumour_peak": t("report.cmp.rumour_peak"),
    }


def comparison_blocks(c: Comparison) -> list[Block]:
    out: list[Block] = [Title(t("report.cmp.title"), t("report.cmp.subtitle", n=len(c.rows)))]
    altered = [r.session_id for r in c.rows if r.altered]
    if altered:
        out.append(Banner(t("report.cmp.altered", sessions=", ".join(altered))))
    out.append(Heading(2, t("report.cmp.h.figures"), "figures"))
    if not c.rows:
        return out + [Para(t("report.cmp.none"), muted=True)]
    rows = []
    for index, r in enumerate(c.rows):
        late = r.first_message is None or r.first_message > c.norm
        name = r.session_id + (f" ({t('report.cmp.preliminary')})" if r.preliminary else "")
        outcome = (
            "met"
            if r.objectives_total and r.objectives_met == r.objectives_total
            else (
                "not_met" if r.objectives_total and not r.objectives_met else "partly_met" if r.objectives_total else ""
            )
        )
        rows.append(
            cells(
                f"#{index + 1}",
                name,
                r.date or "–",
                r.title,
                Cell(
                    duration(r.first_message) if r.first_message is not None else t("report.never"),
                    "missed" if late else "met",
                ),
                duration(r.median_response),
                Cell(str(r.missed), "missed" if r.missed else ""),
                Cell(f"{r.objectives_met}/{r.objectives_total}", outcome),
                number(r.rumour_peak),
            )
        )
    headers = [
        "#",
        t("report.ov.session"),
        t("report.ov.date"),
        t("report.ov.scenario"),
        t("report.cmp.first_message"),
        t("report.cmp.median"),
        t("report.col.missed"),
        t("report.cmp.objectives"),
        t("report.cmp.rumour_peak"),
    ]
    out.append(Table(headers, rows, numeric={4, 5, 6, 7, 8}, nowrap={0, 2}))
    out.append(Para(t("report.cmp.note", norm=duration(c.norm)), muted=True))
    out += [Heading(2, t("report.cmp.h.trend"), "trend")]
    if len(c.rows) >= 2:
        out.append(Bullets(_trend_text(c)))
    out.append(Chart("trend", c, t("report.cmp.alt", n=len(c.rows)), trend_labels()))
    return out


def _trend_text(c: Comparison) -> list[Bullet]:
    first, last = c.rows[0], c.rows[-1]
    items = []

    def when(value: float | None) -> str:
        return duration(value) if value is not None else t("report.never")

    items.append(
        Bullet(
            t("report.cmp.first_message"),
            t("report.cmp.from_to", first=when(first.first_message), last=when(last.first_message)),
        )
    )
    if first.median_response is not None and last.median_response is not None:
        items.append(
            Bullet(
                t("report.cmp.median"),
                t("report.cmp.from_to", first=duration(first.median_response), last=duration(last.median_response)),
            )
        )
    met_first = f"{first.objectives_met}/{first.objectives_total}"
    met_last = f"{last.objectives_met}/{last.objectives_total}"
    items.append(Bullet(t("report.cmp.objectives"), t("report.cmp.from_to", first=met_first, last=met_last)))
    return items
