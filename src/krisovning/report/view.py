"""The report's sections as blocks, in the order a management group reads them.

Front page and summary (page one: the figures in a sentence, three strengths, three areas for
improvement, the decisions asked of the management group) → objectives → improvement plan →
the drill on a timeline → appendices (inject log, checklists, logs, messages and feed, the
facilitator's interventions, a team drill's seats) → technical facts, last.
"""

from __future__ import annotations

from krisovning.i18n import t, tn
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
)
from krisovning.report.derive import rating_text
from krisovning.report.fmt import clock, duration, number, paragraphs
from krisovning.report.keys import INTERVENTION_KEYS, STATUS_KEYS, label
from krisovning.report.model import Finding, Report
from krisovning.report.view_appendix import (
    checklists_appendix,
    first_message_text,
    injects_appendix,
    logs_appendix,
    messages_appendix,
    pressure_blocks,
)
from krisovning.report.view_team import objective_observations, seat_name, team_blocks


def report_blocks(report: Report) -> list[Block]:
    o = report.overview
    out: list[Block] = [Title(t("report.title", title=o.title), t("report.subtitle", organisation=o.organisation))]
    out += integrity_banner(report)
    if report.preliminary:
        out.append(Banner(t("report.preliminary", status=label(STATUS_KEYS, o.status))))
    out += _front(report) + _summary(report)
    out += _objectives(report) + _plan(report) + _timeline(report)
    out += appendices(report)
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


def _front(r: Report) -> list[Block]:
    """The front page's facts: what kind of exercise, why, when, who took part, led and evaluated it."""
    o = r.overview
    team = t("report.team.people") if o.team == "team" else t("report.team.bot", policy=o.team)
    rows = [
        (t("report.front.type"), o.exercise_type or ""),
        (t("report.front.purpose"), o.purpose or ""),
        (t("report.ov.date"), o.date or "–"),
        (t("report.front.organisations"), ", ".join(o.organisations) or o.organisation),
        (t("report.front.facilitator"), o.facilitator or ""),
        (t("report.front.evaluators"), ", ".join(o.evaluators)),
        (t("report.front.participants"), "\n".join(o.participants) or team),
    ]
    return [KeyValues([(k, v) for k, v in rows if v])]


def _summary(r: Report) -> list[Block]:
    s = r.summary
    out: list[Block] = [Heading(2, t("report.h.summary"), "summary"), Para(s.figures)]
    parts = (
        ("report.h.top_strengths", s.strengths, "report.no_strengths"),
        ("report.h.top_improvements", s.improvements, "report.no_improvements"),
        ("report.h.decisions_asked", s.decisions, "report.no_decisions_asked"),
    )
    for heading, items, empty in parts:
        out.append(Heading(3, t(heading)))
        out.append(Bullets([Bullet("", x) for x in items]) if items else Para(t(empty), muted=True))
    return out


def _objectives(r: Report) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.h.objectives"), "objectives", new_page=True)]
    if not r.objectives:
        return out + [Para(t("report.no_objectives"), muted=True)]
    # the evaluator's reason (an overridden rating) in a column of its own, when any objective has one
    reasons = [str(getattr(o, "reason", None) or "") for o in r.objectives]
    rows = []
    for o, reason in zip(r.objectives, reasons, strict=True):
        objective = o.title + (f"\n{o.description}" if o.description else "")
        row = cells(objective, o.criterion or "–", Cell(rating_text(o), o.outcome), o.evidence_text)
        rows.append(row + cells(reason or "–") * any(reasons))
    headers = [t("report.col.objective"), t("report.col.criterion"), t("report.col.outcome"), t("report.col.evidence")]
    headers += [t("report.col.reason")] * any(reasons)
    return out + [
        Para(t("report.scale"), muted=True),
        Table(headers, rows, wide={0, 1, 3}),
        *objective_observations(r),
    ]


def _plan(r: Report) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.h.plan"), "plan")]
    if not r.plan:
        return out + [Para(t("report.no_plan"), muted=True)]
    rows = [
        cells(p.area + (" *" if p.source == "suggested" else ""), p.action, p.owner or "–", p.due or "–")
        for p in r.plan
    ]
    out.append(
        Table(
            [t("report.col.area"), t("report.col.action"), t("report.col.owner"), t("report.col.due_date")],
            rows,
            wide={1},
            nowrap={3},
        )
    )
    if any(p.source == "suggested" for p in r.plan):
        out.append(Para(t("report.plan_note"), muted=True))
    return out


def timeline_labels() -> dict[str, str]:
    return {
        "injects": t("report.tl.injects"),
        "published": t("report.tl.published"),
        "decisions": t("report.tl.decisions"),
        "response": t("report.tl.response"),
        "load": t("report.tl.load"),
        "minutes": t("report.tl.minutes"),
        "missed": t("report.tl.missed"),
        "time": t("report.chart.time"),
    }


def _timeline(r: Report) -> list[Block]:
    o = r.overview
    out: list[Block] = [Heading(2, t("report.h.course"), "course", new_page=True)]
    out += [Para(text) for text in paragraphs(o.description or "")]
    out.append(Para(first_message_text(r)))
    if r.timeline or r.publications or r.decisions:
        public = sum(1 for p in r.publications if p.public)
        alt = t(
            "report.tl.alt",
            injects=tn("report.n.injects", len(r.timeline), count=number(len(r.timeline))),
            published=tn("report.n.public_messages", public, count=number(public)),
            decisions=tn("report.n.decisions", len(r.decisions), count=number(len(r.decisions))),
            median=duration(r.response_total.median),
        )
        out.append(Chart("timeline", r, alt, timeline_labels()))
    return out + pressure_blocks(r)


def appendices(r: Report) -> list[Block]:
    """The logs behind the figures, each an appendix, and the technical facts last."""
    blocks = injects_appendix(r) + checklists_appendix(r) + logs_appendix(r) + messages_appendix(r)
    blocks += _findings_appendix(r) + _interventions(r) + team_blocks(r) + _technical(r)
    out: list[Block] = []
    letter = 0
    for block in blocks:
        if isinstance(block, Heading) and block.level == 2:  # "Bilaga A: …", the first on a new page
            block = Heading(2, t("report.appendix", letter=chr(ord("A") + letter), title=block.text), block.anchor)
            block.new_page = letter == 0
            letter += 1
        out.append(block)
    return out


def _findings_appendix(r: Report) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.app.findings"), "findings")]
    for title, anchor, findings, empty in (
        (t("report.h.strengths"), "strengths", r.strengths, t("report.no_strengths")),
        (t("report.h.improvements"), "improvements", r.improvements, t("report.no_improvements")),
    ):
        out.append(Heading(3, title, anchor))
        out += _findings(findings, empty)
    return out


def _findings(findings: list[Finding], empty: str) -> list[Block]:
    if not findings:
        return [Para(empty, muted=True)]
    items = []
    for f in findings:
        if f.source == "facilitator":
            items.append(Bullet("", f.text, f.area))
        else:
            items.append(Bullet(f.area, f.text, f.figure or ""))
    return [Bullets(items)]


def _interventions(r: Report) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.app.interventions"), "interventions")]
    if not r.interventions:
        return out + [Para(t("report.no_interventions"), muted=True)]
    team = any(i.seat for i in r.interventions)
    rows = [
        cells(clock(i.t), label(INTERVENTION_KEYS, i.kind), i.detail or "–") + cells(seat_name(i.seat)) * team
        for i in r.interventions
    ]
    headers = [t("report.col.time"), t("report.col.intervention"), t("report.col.detail")]
    return out + [Table(headers + [t("report.col.seat")] * team, rows, wide={2}, nowrap={0})]


def _technical(r: Report) -> list[Block]:
    o = r.overview
    held = " – ".join(x.replace("T", " ")[:16] for x in (o.started, o.ended) if x) or "–"
    rows = [
        (t("report.ov.scenario"), f"{o.title} ({o.scenario_id})"),
        (t("report.ov.held"), held),
        (
            t("report.ov.duration"),
            t("report.ov.duration_value", played=duration(o.duration), planned=duration(o.planned_duration)),
        ),
        (t("report.ov.world_start"), o.world_start.replace("T", " ")),
        (t("report.ov.roles"), ", ".join(o.roles) or "–"),
        (t("report.ov.status"), label(STATUS_KEYS, o.status)),
        (
            t("report.ov.volume"),
            t(
                "report.ov.volume_value",
                injects=tn("report.n.injects", o.injects, count=number(o.injects)),
                posts=tn("report.n.posts", o.social_posts, count=number(o.social_posts)),
                actions=tn("report.n.actions", o.team_actions, count=number(o.team_actions)),
            ),
        ),
        (t("report.ov.seed"), str(o.seed)),
        (t("report.ov.session"), o.session_id or "–"),
        (t("report.ov.version"), o.engine_version or "–"),
    ]
    return [
        Heading(2, t("report.app.technical"), "technical"),
        KeyValues(rows),
        Para(t("report.footer", version=o.engine_version), muted=True),
    ]
