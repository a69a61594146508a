"""The report's sections as blocks, in HSEEP AAR/IP order with Swedish headings (docs/architecture.md §8).

Sammanfattning → Beskrivning av övningen → Måluppfyllelse → Genomförande (första beskedet,
svarstider, sociala medier, inspel och svar, checklistor, beslutslogg, lägesbilder,
iakttagelser) → Styrkor → Utvecklingsområden → Åtgärdsförslag.
"""

from __future__ import annotations

import math

from krisovning import __version__
from krisovning.i18n import t
from krisovning.report.blocks import (
    Banner,
    Block,
    Bullet,
    Bullets,
    Cell,
    Chart,
    Heading,
    KeyValues,
    Para,
    Table,
    Title,
    cells,
    sparkline,
)
from krisovning.report.derive import expectations, rating_text, situation_text
from krisovning.report.fmt import channel, channels, clock, duration, first_line, number, paragraphs, percent
from krisovning.report.keys import EXPECT_KEYS, INJECT_STATUS_KEYS, NORM_KEYS, STATUS_KEYS, label
from krisovning.report.model import Finding, LogEntry, Pressure, PressurePoint, Report, Stats
from krisovning.report.view_team import is_team, objective_observations, observation_table, team_blocks, who

BUCKET = 900.0  # the pressure table's rows: 15 minutes
SPARK_BUCKET = 300.0  # the sparkline's characters: 5 minutes


def report_blocks(report: Report) -> list[Block]:
    o = report.overview
    out: list[Block] = [Title(t("report.title", title=o.title), t("report.subtitle", organisation=o.organisation))]
    out += integrity_banner(report)
    if report.preliminary:
        out.append(Banner(t("report.preliminary", status=label(STATUS_KEYS, o.status))))
    out += _summary(report) + _overview(report) + _objectives(report)
    out.append(Heading(2, t("report.h.conduct"), "conduct"))
    out += team_blocks(report) + _first_message(report) + _responses(report) + _pressure(report) + _timeline(report)
    out += _checklists(report) + _logs(report)
    out += _findings(t("report.h.strengths"), "strengths", report.strengths, t("report.no_strengths"))
    out += _findings(t("report.h.improvements"), "improvements", report.improvements, t("report.no_improvements"))
    out += _plan(report)
    out.append(Para(t("report.footer", version=__version__), muted=True))
    return out


def integrity_banner(r: Report) -> list[Block]:
    """First thing after the title: a journal changed after the drill, or one that cannot show it."""
    i = r.integrity
    if i.state == "altered":
        return [Banner(t("report.integrity.altered", problems="; ".join(i.problems)))]
    if i.state == "unchained":
        return [Banner(t("report.integrity.unchained"))]
    if i.chained_since:
        return [Para(t("report.integrity.since", since=i.chained_since.replace("T", " ")[:16]), muted=True)]
    return []


def _summary(r: Report) -> list[Block]:
    met = sum(1 for o in r.objectives if o.outcome == "met")
    partly = sum(1 for o in r.objectives if o.outcome == "partly_met")
    s, fm, p = r.response_total, r.first_message, r.pressure
    first = duration(fm.first) if fm.first is not None else t("report.never")
    items = [
        Bullet(
            t("report.sum.objectives"), t("report.sum.objectives_text", met=met, total=len(r.objectives), partly=partly)
        ),
        Bullet(t("report.sum.first_message"), t("report.sum.first_text", first=first, norm=duration(fm.norm))),
        Bullet(
            t("report.sum.responses"),
            t(
                "report.sum.responses_text",
                answered=s.answered,
                count=s.count,
                median=duration(s.median),
                **expectations(r),
            ),
        ),
        Bullet(
            t("report.sum.social"),
            t(
                "report.sum.social_text",
                posts=number(p.posts),
                peak=number(p.peak_rate),
                rumour=number(p.rumour_peak),
                window=duration(p.window),
            ),
        ),
    ]
    return [Heading(2, t("report.h.summary"), "summary"), Bullets(items)]


def _overview(r: Report) -> list[Block]:
    o = r.overview
    team = t("report.team.people") if o.team == "team" else t("report.team.bot", policy=o.team)
    held = " – ".join(x.replace("T", " ")[:16] for x in (o.started, o.ended) if x) or "–"
    rows = [
        (t("report.ov.scenario"), f"{o.title} ({o.scenario_id})"),
        (t("report.ov.organisation"), o.organisation),
        (t("report.ov.date"), o.date or "–"),
        (t("report.ov.held"), held),
        (
            t("report.ov.duration"),
            t("report.ov.duration_value", played=duration(o.duration), planned=duration(o.planned_duration)),
        ),
        (t("report.ov.world_start"), o.world_start.replace("T", " ")),
        (t("report.ov.roles"), ", ".join(o.roles) or "–"),
        (t("report.ov.team"), team),
        (t("report.ov.seed"), str(o.seed)),
        (t("report.ov.session"), o.session_id or "–"),
        (t("report.ov.status"), label(STATUS_KEYS, o.status)),
        (
            t("report.ov.volume"),
            t("report.ov.volume_value", injects=o.injects, posts=number(o.social_posts), actions=o.team_actions),
        ),
    ]
    out: list[Block] = [Heading(2, t("report.h.overview"), "overview")]
    out += [Para(text) for text in paragraphs(o.description or "")]
    out.append(KeyValues(rows))
    return out


def _objectives(r: Report) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.h.objectives"), "objectives")]
    if not r.objectives:
        return out + [Para(t("report.no_objectives"), muted=True)]
    rows = [
        cells(
            " ".join(x for x in (o.title + ".", o.description, t("report.criterion", criterion=o.criterion)) if x),
            Cell(rating_text(o), o.outcome),
            o.evidence_text if o.reason is None else f"{o.evidence_text} {t('report.rated_because', reason=o.reason)}",
        )
        for o in r.objectives
    ]
    return out + [
        Para(t("report.scale"), muted=True),
        Table([t("report.col.objective"), t("report.col.outcome"), t("report.col.evidence")], rows, wide={2}),
        *objective_observations(r),
    ]


def _first_message(r: Report) -> list[Block]:
    fm = r.first_message
    source = label(NORM_KEYS, fm.norm_source)
    if fm.first is None:
        text = t("report.first.none", norm=duration(fm.norm), source=source)
    else:
        key = "report.first.ok" if fm.within_norm else "report.first.late"
        text = t(
            key,
            first=duration(fm.first),
            at=clock(fm.first),
            norm=duration(fm.norm),
            source=source,
            channels=channels(fm.channels),
        )
    out: list[Block] = [Heading(3, t("report.h.first_message"), "first-message"), Para(text, muted=False)]
    if r.publications:
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
        out.append(
            Table(
                [
                    t("report.col.time"),
                    t("report.col.channels"),
                    t("report.col.role_seat") if team else t("report.col.role"),
                    t("report.col.public"),
                    t("report.col.text"),
                ],
                rows,
                wide={4},
                nowrap={0},
            )
        )
    else:
        out.append(Para(t("report.no_publications"), muted=True))
    return out


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


def _pressure(r: Report) -> list[Block]:
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


_STATUS_STYLE = {"met": "met", "missed": "missed", "answered": "ok", "open": "open", "none": "muted"}


def _timeline(r: Report) -> list[Block]:
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


def _checklists(r: Report) -> list[Block]:
    out: list[Block] = [Heading(3, t("report.h.checklists"), "checklists")]
    if not r.checklists:
        return out + [Para(t("report.no_checklists"), muted=True)]
    team = is_team(r)  # a team drill: who ticked each item
    for c in r.checklists:
        role = f" – {c.role}" if c.role else ""
        out.append(
            Para(t("report.checklist.summary", title=c.title, role=role, done=c.done, total=len(c.items), late=c.late))
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


def _logs(r: Report) -> list[Block]:
    team = is_team(r)  # a team drill: each entry's role over its seat

    def by(e: LogEntry) -> str:
        return who(e.role, e.seat) if team else e.role

    role = t("report.col.role_seat") if team else t("report.col.role")
    out: list[Block] = [Heading(3, t("report.h.decisions"), "decisions")]
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
            rows.append(cells(clock(s.t), by(s), situation_text(s), duration(s.gap)))
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


def _findings(title: str, anchor: str, findings: list[Finding], empty: str) -> list[Block]:
    out: list[Block] = [Heading(2, title, anchor)]
    if not findings:
        return out + [Para(empty, muted=True)]
    items = []
    for f in findings:
        note = f.figure or ""
        if f.source == "facilitator":
            items.append(Bullet("", f.text, f.area))
        else:
            items.append(Bullet(f.area, f.text, note))
    return out + [Bullets(items)]


def _plan(r: Report) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.h.plan"), "plan")]
    if not r.plan:
        return out + [Para(t("report.no_plan"), muted=True)]
    rows = [
        cells(p.area + (" *" if p.source == "suggested" else ""), p.action, p.owner or "", p.due or "") for p in r.plan
    ]
    out.append(
        Table(
            [t("report.col.area"), t("report.col.action"), t("report.col.owner"), t("report.col.due_date")],
            rows,
            wide={1},
        )
    )
    if any(p.source == "suggested" for p in r.plan):
        out.append(Para(t("report.plan_note"), muted=True))
    return out
