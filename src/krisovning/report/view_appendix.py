"""The report's appendices: the logs behind the figures (report/view.py puts them after the timeline).

Inject log and response times, checklists, decision log, situation pictures, public messages and an
extract of the feed, observations, the facilitator's interventions; the technical facts come last.
"""

from __future__ import annotations

import math

from krisovning.i18n import t, tn
from krisovning.report.blocks import Block, Cell, Chart, Heading, Para, Table, cells, sparkline
from krisovning.report.derive import situation_text
from krisovning.report.fmt import channel, channels, clock, duration, first_line, number, percent
from krisovning.report.keys import EXPECT_KEYS, INJECT_STATUS_KEYS, NORM_KEYS, POST_KEYS, label
from krisovning.report.model import LogEntry, Pressure, PressurePoint, Report, Stats
from krisovning.report.view_messages import missed_calls, quality_blocks
from krisovning.report.view_team import is_team, observation_table, who

BUCKET = 900.0  # the pressure table's rows: 15 minutes
SPARK_BUCKET = 300.0  # the sparkline's characters: 5 minutes


def first_message_text(r: Report) -> str:
    fm = r.first_message
    source = label(NORM_KEYS, fm.norm_source)
    if fm.first is None:
        return t("report.first.none", norm=duration(fm.norm), source=source)
    key = "report.first.ok" if fm.within_norm else "report.first.late"
    return t(
        key,
        first=duration(fm.first),
        at=clock(fm.first),
        norm=duration(fm.norm),
        source=source,
        channels=channels(fm.channels),
    )


def _publications(r: Report) -> list[Block]:
    out: list[Block] = [Heading(3, t("report.h.publications"), "publications")]
    if not r.publications:
        return out + [Para(t("report.no_publications"), muted=True)]
    team = is_team(r)
    rows = [
        cells(
            clock(p.t),
            channels(p.channels),
            who(p.role, p.seat) if team else p.role,
            Cell(t("report.yes") if p.public else t("report.internal"), "" if p.public else "muted"),
            p.text,
        )
        for p in r.publications
    ]
    headers = [
        t("report.col.time"),
        t("report.col.channels"),
        t("report.col.role_seat") if team else t("report.col.role"),
        t("report.col.public"),
        t("report.col.text"),
    ]
    return out + [Table(headers, rows, wide={4}, nowrap={0})]


def _feed(r: Report) -> list[Block]:
    out: list[Block] = [Heading(3, t("report.h.feed"), "feed")]
    if not r.feed:
        return out + [Para(t("report.no_feed"), muted=True)]
    rows = [
        cells(clock(p.t), f"{p.author}\n{p.handle}" if p.handle else p.author, label(POST_KEYS, p.category), p.text)
        for p in r.feed
    ]
    headers = [t("report.col.time"), t("report.col.author"), t("report.col.category"), t("report.col.text")]
    return [
        *out,
        Para(t("report.feed_note", at=clock(r.pressure.peak_at)), muted=True),
        Table(headers, rows, wide={3}, nowrap={0}),
    ]


def messages_appendix(r: Report) -> list[Block]:
    return [Heading(2, t("report.app.messages"), "messages"), *_publications(r), *quality_blocks(r), *_feed(r)]


def _stats_table(first: str, stats: list[Stats], total: Stats | None, label) -> Table:
    def row(s: Stats, name: str) -> list[Cell]:
        return cells(
            name,
            str(s.count),
            str(s.answered),
            duration(s.median),
            duration(s.p90),
            duration(s.worst),
            Cell(str(s.missed), "missed" if s.missed else ""),
        )

    rows = [row(s, label(s)) for s in stats]
    if total is not None:
        rows.append(row(total, t("report.total")))
    headers = [
        first,
        t("report.col.injects"),
        t("report.col.answered"),
        t("report.col.median"),
        t("report.col.p90"),
        t("report.col.worst"),
        t("report.col.missed"),
    ]
    return Table(headers, rows, numeric={1, 2, 3, 4, 5, 6}, total=total is not None)


def _responses(r: Report) -> list[Block]:
    out: list[Block] = [Heading(3, t("report.h.responses"), "responses")]
    if not r.response_total.count:
        return out + [Para(t("report.no_injects"), muted=True)]
    return out + [
        Para(t("report.responses_note"), muted=True),
        _stats_table(t("report.col.channel"), r.response_by_channel, r.response_total, lambda s: channel(s.key)),
        _stats_table(t("report.col.role"), r.response_by_role, None, lambda s: s.label),
        *missed_calls(r),
    ]


def pressure_labels(p: Pressure | None = None) -> dict[str, str]:
    window = duration(p.window if p is not None else 900.0)
    return {
        "rate": t("report.chart.rate_window", window=window),
        "rumour": t("report.chart.rumour_rate"),
        "threshold": t("report.chart.threshold", below=number(p.rumour_below or 0) if p is not None else "–"),
        "posts": t("report.chart.posts"),
        "share": t("report.chart.share"),
        "rumour_share": t("report.chart.rumour_share"),
        "negative_share": t("report.chart.negative_share"),
        "publication": t("report.chart.publication"),
        "time": t("report.chart.time"),
        "per_hour": t("report.chart.per_hour"),
    }


def pressure_blocks(r: Report) -> list[Block]:
    p = r.pressure
    out: list[Block] = [Heading(3, t("report.h.pressure"), "pressure")]
    if not p.points:
        return out + [Para(t("report.no_social"), muted=True)]
    out.append(
        Para(
            t(
                "report.pressure.text",
                posts=number(p.posts),
                peak=number(p.peak_rate),
                at=clock(p.peak_at),
                rumour_posts=number(p.rumour_posts),
                rumour=number(p.rumour_peak),
                share=percent(p.max_rumour_share),
                published=len(p.publications),
            )
        )
    )
    last = max(max(x.t for x in p.points), r.overview.duration)
    size = _step(last, SPARK_BUCKET, 72)
    groups = _groups(p, size, last)
    spark_values = [float(sum(x.posts for x in g)) for g in groups]
    marked = {min(len(groups) - 1, int(x // size)) for x in p.publications}
    marks = "".join("▲" if i in marked else " " for i in range(len(groups)))
    spark = f"{sparkline(spark_values)}\n{marks.rstrip()}"
    alt = t("report.chart.alt", peak=number(p.peak_rate), at=clock(p.peak_at), published=len(p.publications))
    out.append(Chart("pressure", p, alt, pressure_labels(p), spark, _pressure_table(p, last)))
    return out


def _step(last: float, least: float, most: int) -> float:
    """A bucket size (a multiple of `least`: 5 min, 15 min, 1 h…) giving at most `most` buckets."""
    for factor in (1, 2, 3, 4, 6, 8, 12, 16, 24, 48, 96, 192, 288, 576, 2016):
        if last / (least * factor) <= most:
            return least * factor
    return last / most


def _groups(p: Pressure, size: float, last: float) -> list[list[PressurePoint]]:
    """The samples in buckets (start, start + size]: a sample at t covers the minute before t."""
    count = max(1, math.ceil(last / size))
    groups: list[list[PressurePoint]] = [[] for _ in range(count)]
    for x in p.points:
        groups[min(count - 1, max(0, math.ceil(x.t / size) - 1))].append(x)
    return groups


def _pressure_table(p: Pressure, last: float) -> Table:
    size = _step(last, BUCKET, 24)
    published = [0] * max(1, math.ceil(last / size))
    for x in p.publications:
        published[min(len(published) - 1, int(x // size))] += 1
    # the peak measure's highest value in each bucket (the chart's curve), not the model's momentary rate
    top = [0.0] * len(published)
    for c in p.curve:
        index = min(len(top) - 1, max(0, math.ceil(c.t / size) - 1))
        top[index] = max(top[index], c.rate)
    rows = []
    for index, pts in enumerate(_groups(p, size, last)):
        if pts:
            start = index * size
            rows.append(
                cells(
                    f"{clock(start)}–{clock(min(start + size, last))}",
                    number(sum(x.posts for x in pts)),
                    number(top[index] if p.curve else max(x.rate for x in pts)),
                    percent(max(x.rumour_share for x in pts)),
                    percent(max(x.negative_share for x in pts)),
                    "▲ " * published[index] or "",
                )
            )
    headers = [
        t("report.col.window"),
        t("report.col.posts"),
        t("report.col.peak_measure"),
        t("report.col.rumour_share"),
        t("report.col.negative_share"),
        t("report.col.published"),
    ]
    return Table(headers, rows, numeric={1, 2, 3, 4}, nowrap={0})


_STATUS_STYLE = {
    "met": "met",
    "missed": "missed",
    "broken": "missed",
    "answered": "ok",
    "open": "open",
    "none": "muted",
}


def injects_appendix(r: Report) -> list[Block]:
    """The inject log, then the response times it adds up to."""
    return [Heading(2, t("report.app.injects"), "injects"), *_inject_log(r), *_responses(r)]


def _inject_log(r: Report) -> list[Block]:
    out: list[Block] = [Heading(3, t("report.h.timeline"), "timeline")]
    if not r.timeline:
        return out + [Para(t("report.no_injects"), muted=True)]
    team = is_team(r)  # a team drill: who answered, in a column of its own
    rows = []
    for x in r.timeline:
        expected = label(EXPECT_KEYS, x.expected, within=duration(x.within)) if x.expected else "–"
        when = clock(x.t) + (f"\n{x.world_time}" if x.world_time else "")
        row = cells(
            when,
            channel(x.channel),
            f"{x.sender}\n→ {x.receiver}",
            first_line(x.subject, 90),
            expected,
            duration(x.response),
            Cell(label(INJECT_STATUS_KEYS, x.status), _STATUS_STYLE[x.status]),
        )
        rows.append(row + cells(who(x.replied_role, x.replied_seat)) * team)
    headers = [
        t("report.col.time"),
        t("report.col.channel"),
        t("report.col.from_to"),
        t("report.col.subject"),
        t("report.col.expected"),
        t("report.col.response"),
        t("report.col.status"),
    ] + [t("report.col.answered_by")] * team
    widths = [9, 9, 20, 22, 12, 9, 10, 12] if team else [9, 10, 22, 25, 13, 10, 11]
    table = Table(headers, rows, numeric={5}, wide={3}, nowrap={0}, widths=widths)
    return out + [Para(t("report.timeline_note"), muted=True), table]


def checklists_appendix(r: Report) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.h.checklists"), "checklists")]
    if not r.checklists:
        return out + [Para(t("report.no_checklists"), muted=True)]
    team = is_team(r)  # a team drill: who ticked each item
    for c in r.checklists:
        role = f" – {c.role}" if c.role else ""
        out.append(
            Para(
                t(
                    "report.checklist.summary",
                    title=c.title,
                    role=role,
                    done=c.done,
                    items=tn("report.n.items", len(c.items), count=len(c.items)),
                    late=tn("report.n.late", c.late, count=c.late),
                )
            )
        )
        rows = []
        for i in c.items:
            if i.ticked is None:
                status = Cell(
                    t("report.item.late_missing") if i.late else t("report.not_done"), "missed" if i.late else "open"
                )
            else:
                status = Cell(
                    t("report.item.late") if i.late else t("report.item.on_time"), "late" if i.late else "met"
                )
            rows.append(
                cells(i.text, clock(i.due), clock(i.ticked), status) + cells(who(i.ticked_role, i.ticked_seat)) * team
            )
        headers = [t("report.col.item"), t("report.col.due"), t("report.col.ticked"), t("report.col.status")]
        out.append(Table(headers + [t("report.col.ticked_by")] * team, rows, wide={0}, nowrap={1, 2}))
    return out


def logs_appendix(r: Report) -> list[Block]:
    """The decision log, the situation pictures and the observations."""
    team = is_team(r)  # a team drill: each entry's role over its seat

    def by(e: LogEntry) -> str:
        return who(e.role, e.seat) if team else e.role

    role = t("report.col.role_seat") if team else t("report.col.role")
    out: list[Block] = [Heading(2, t("report.app.logs"), "logs"), Heading(3, t("report.h.decisions"), "decisions")]
    if r.decisions:
        out.append(
            Table(
                [t("report.col.time"), role, t("report.col.decision")],
                [cells(clock(d.t), by(d), d.text) for d in r.decisions],
                wide={2},
                nowrap={0},
            )
        )
    else:
        out.append(Para(t("report.no_decisions"), muted=True))
    out.append(Heading(3, t("report.h.situation"), "situation"))
    if r.situation:
        rows = []
        for s in r.situation:
            text = situation_text(s)
            rows.append(cells(clock(s.t), by(s), text, duration(s.gap)))
        out.append(
            Table(
                [t("report.col.time"), role, t("report.col.situation"), t("report.col.gap")],
                rows,
                numeric={3},
                wide={2},
                nowrap={0},
            )
        )
    else:
        out.append(Para(t("report.no_situation"), muted=True))
    out.append(Heading(3, t("report.h.observations"), "observations"))
    if r.observations:
        out.append(observation_table(r))
    else:
        out.append(Para(t("report.no_observations"), muted=True))
    return out
