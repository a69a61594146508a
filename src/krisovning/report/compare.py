"""Several drills side by side (`report --compare`): key figures per drill, each marked better, worse or
the same as the drill before; a warning when the scenarios differ; the previous drill's improvement plan
followed up in the latest; a trend chart."""

from __future__ import annotations

import math
from typing import Literal

from krisovning.i18n import get_language, t, tn
from krisovning.report.blocks import Banner, Block, Bullet, Bullets, Cell, Chart, Heading, Para, Table, Title, cells
from krisovning.report.fmt import duration, number
from krisovning.report.model import Comparison, ComparisonRow, FollowUp, Report

DEFAULT_NORM = 3600.0
# each figure compared, and whether less of it is better
FIGURES: dict[str, bool] = {
    "first_message": True,
    "median_response": True,
    "missed": True,
    "objectives": False,
    "rumour_peak": True,
}
_VERDICT_KEYS = {"better": "report.cmp.better", "worse": "report.cmp.worse", "same": "report.cmp.same"}
_FOLLOW_KEYS = {
    "done": "report.cmp.follow.done",
    "not_done": "report.cmp.follow.not_done",
    "unknown": "report.cmp.follow.unknown",
}


def _value(row: ComparisonRow, figure: str) -> float | None:
    """A figure as the comparison reads it: times to the minute shown, a first message never sent as the worst."""
    if figure == "first_message":
        return math.inf if row.first_message is None else round(row.first_message / 60.0)
    if figure == "median_response":
        return None if row.median_response is None else round(row.median_response / 60.0)
    if figure == "missed":
        return float(row.missed)
    if figure == "objectives":
        return row.objectives_met / row.objectives_total if row.objectives_total else None
    return float(round(row.rumour_peak))


Verdict = Literal["better", "worse", "same"]


def verdicts(before: ComparisonRow, now: ComparisonRow) -> dict[str, Verdict]:
    out: dict[str, Verdict] = {}
    for figure, less_is_better in FIGURES.items():
        a, b = _value(before, figure), _value(now, figure)
        if a is None or b is None:
            continue
        out[figure] = "same" if a == b else "better" if (b < a) == less_is_better else "worse"
    return out


def follow_up(before: ComparisonRow, latest: ComparisonRow) -> list[FollowUp]:
    """Each action of `before`'s plan: done when each of its areas is a strength of `latest`, not done when one
    is still an area for improvement there, not known when `latest` did not measure it."""
    strong = {a.casefold() for a in latest.strength_areas}
    weak = {a.casefold() for a in latest.improvement_areas}
    out = []
    for item in before.plan:
        areas = [a.strip().casefold() for a in item.area.split(", ") if a.strip()]
        if any(a in weak for a in areas):
            status = "not_done"
        elif areas and all(a in strong for a in areas):
            status = "done"
        else:
            status = "unknown"
        out.append(FollowUp(area=item.area, action=item.action, owner=item.owner, due=item.due, status=status))
    return out


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
                scenario_id=o.scenario_id,
                participants=o.participants,
                strength_areas=[f.area for f in r.strengths if f.source == "derived"],
                improvement_areas=[f.area for f in r.improvements if f.source == "derived"],
                plan=r.plan,
            )
        )
    for index in range(1, len(rows)):
        rows[index].verdicts = verdicts(rows[index - 1], rows[index])
    norm = reports[0].first_message.norm if reports else DEFAULT_NORM
    return Comparison(
        language=reports[0].language if reports else get_language(),
        norm=norm,
        rows=rows,
        scenarios=list(dict.fromkeys(r.scenario_id for r in rows)),
        follow_up=follow_up(rows[-2], rows[-1]) if len(rows) >= 2 else [],
    )


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
    out: list[Block] = [Title(t("report.cmp.title"), tn("report.cmp.subtitle", len(c.rows)))]
    altered = [r.session_id for r in c.rows if r.altered]
    if altered:
        out.append(Banner(t("report.cmp.altered", sessions=", ".join(altered))))
    if len(c.scenarios) > 1:
        out.append(Banner(t("report.cmp.different_scenarios", scenarios=", ".join(c.scenarios))))
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
        first = duration(r.first_message) if r.first_message is not None else t("report.never")
        rows.append(
            cells(
                f"#{index + 1}",
                name,
                r.date or "–",
                r.title,
                _team(r),
                Cell(_marked(first, r, "first_message"), "missed" if late else "met"),
                _marked(duration(r.median_response), r, "median_response"),
                Cell(_marked(str(r.missed), r, "missed"), "missed" if r.missed else ""),
                Cell(_marked(f"{r.objectives_met}/{r.objectives_total}", r, "objectives"), outcome),
                _marked(number(r.rumour_peak), r, "rumour_peak"),
            )
        )
    headers = [
        "#",
        t("report.ov.session"),
        t("report.ov.date"),
        t("report.ov.scenario"),
        t("report.cmp.team"),
        t("report.cmp.first_message"),
        t("report.cmp.median"),
        t("report.col.missed"),
        t("report.cmp.objectives"),
        t("report.cmp.rumour_peak"),
    ]
    out.append(Table(headers, rows, numeric={5, 6, 7, 8, 9}, nowrap={0, 2}))
    out.append(Para(t("report.cmp.note", norm=duration(c.norm)), muted=True))
    if len(c.rows) >= 2:
        out.append(Para(t("report.cmp.verdict_note"), muted=True))
        out += _follow_up(c)
    out += [Heading(2, t("report.cmp.h.trend"), "trend")]
    if len(c.rows) >= 2:
        out.append(Bullets(_trend_text(c)))
    out.append(Chart("trend", c, t("report.cmp.alt", n=len(c.rows)), trend_labels()))
    return out


def _team(r: ComparisonRow) -> str:
    team = t("report.team.people") if r.team == "team" else t("report.team.bot", policy=r.team)
    return "\n".join([team, *r.participants])


def _marked(text: str, r: ComparisonRow, figure: str) -> str:
    verdict = r.verdicts.get(figure)
    return f"{text}\n{t(_VERDICT_KEYS[verdict])}" if verdict else text


def _follow_up(c: Comparison) -> list[Block]:
    before = len(c.rows) - 1  # the previous drill's number, #1 = oldest
    out: list[Block] = [Heading(2, t("report.cmp.h.follow_up", n=before), "follow-up")]
    if not c.follow_up:
        return out + [Para(t("report.cmp.no_plan"), muted=True)]
    styles = {"done": "met", "not_done": "missed", "unknown": "open"}
    rows = [
        cells(f.area, f.action, f.owner or "–", f.due or "–", Cell(t(_FOLLOW_KEYS[f.status]), styles[f.status]))
        for f in c.follow_up
    ]
    headers = [
        t("report.col.area"),
        t("report.col.action"),
        t("report.col.owner"),
        t("report.col.due_date"),
        t("report.cmp.col.follow_up", n=before + 1),
    ]
    return out + [Table(headers, rows, wide={1}), Para(t("report.cmp.follow_note"), muted=True)]


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
