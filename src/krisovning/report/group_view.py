"""The group report as blocks (report/blocks.py), so Markdown, HTML and DOCX render it as they render the
single report: the drills compared → key figures, best per row marked → objectives per municipality →
each municipality's strengths and areas for improvement → what the region can learn."""

from __future__ import annotations

from krisovning.i18n import t, tn
from krisovning.report.blocks import Banner, Block, Bullet, Bullets, Cell, Heading, Para, Table, Title, cells
from krisovning.report.fmt import duration, number, outcome
from krisovning.report.group_model import FigureKey, FigureRow, GroupMember, GroupReport, Lesson
from krisovning.report.keys import STATUS_KEYS, label

BEST = "★"
# the key-figure table's row names
FIGURE_KEYS: dict[FigureKey, str] = {
    "first_message": "report.group.fig.first_message",
    "median_response": "report.group.fig.median_response",
    "p90_response": "report.group.fig.p90_response",
    "missed": "report.group.fig.missed",
    "objectives_met": "report.group.fig.objectives_met",
    "objectives_partly": "report.group.fig.objectives_partly",
    "objectives_not_met": "report.group.fig.objectives_not_met",
    "rumour_peak": "report.group.fig.rumour_peak",
    "publications": "report.group.fig.publications",
    "decisions": "report.group.fig.decisions",
    "missed_calls": "report.group.fig.missed_calls",
}
BETTER_KEYS = {
    "less": "report.group.better.less",
    "more": "report.group.better.more",
    "none": "report.group.better.none",
}
LESSON_KEYS = {
    "objective_missed": "report.group.lesson.objective_missed",
    "objective_met_by_all": "report.group.lesson.objective_met_by_all",
    "first_message_late": "report.group.lesson.first_message_late",
    "missed_deadlines": "report.group.lesson.missed_deadlines",
    "shared_improvement": "report.group.lesson.shared_improvement",
    "first_message_spread": "report.group.lesson.first_message_spread",
}


def group_blocks(g: GroupReport) -> list[Block]:
    titles = list(dict.fromkeys(s.title for s in g.scenarios))
    out: list[Block] = [
        Title(t("report.group.title"), tn("report.group.subtitle", len(g.members), titles=" / ".join(titles)))
    ]
    altered = [m.label for m in g.members if m.altered]
    if altered:
        out.append(Banner(t("report.group.altered", members=", ".join(altered))))
    out += _scenario_warning(g)
    preliminary = [m.label for m in g.members if m.preliminary]
    if preliminary:
        out.append(Para(t("report.group.preliminary", members=", ".join(preliminary)), muted=True))
    if not g.members:
        return out + [Para(t("report.group.none"), muted=True)]
    return out + _drills(g) + _figures(g) + _objectives(g) + _findings(g) + _lessons(g)


def _scenario_warning(g: GroupReport) -> list[Block]:
    if len(g.scenarios) < 2:
        return []
    played = "; ".join(
        t("report.group.played", title=s.title, id=s.id, version=s.version, members=", ".join(s.members))
        for s in g.scenarios
    )
    key = "report.group.different_scenarios" if len({s.id for s in g.scenarios}) > 1 else "report.group.variants"
    return [Banner(t(key, played=played))]


def _team(m: GroupMember) -> str:
    team = t("report.team.people") if m.team == "team" else t("report.team.bot", policy=m.team)
    seats = [tn("report.group.seats", m.seats)] if m.seats else []
    return "\n".join([team, *seats, *m.participants])


def _drills(g: GroupReport) -> list[Block]:
    rows = [
        cells(
            m.label,
            f"{m.title}\n{m.scenario_id} · {t('report.group.version', version=m.scenario_version)}",
            m.date or "–",
            str(m.seed),
            t("report.ov.duration_value", played=duration(m.duration), planned=duration(m.planned_duration)),
            _team(m),
            ", ".join(m.roles) or "–",
            label(STATUS_KEYS, m.status),
        )
        for m in g.members
    ]
    headers = [
        t("report.group.col.member"),
        t("report.ov.scenario"),
        t("report.ov.date"),
        t("report.ov.seed"),
        t("report.ov.duration"),
        t("report.cmp.team"),
        t("report.ov.roles"),
        t("report.ov.status"),
    ]
    return [Heading(2, t("report.group.h.drills"), "drills"), Table(headers, rows, wide={6}, nowrap={2})]


def shown(row: FigureRow, index: int) -> str:
    """One municipality's value of a figure, as the table writes it."""
    value = row.values[index]
    if row.key == "first_message" and value is None:
        return t("report.never")
    if value is None:
        return "–"
    if row.key in ("first_message", "median_response", "p90_response"):
        return duration(value)
    if row.totals:
        return f"{number(value)}/{number(row.totals[index])}"
    return number(round(value))


def _figures(g: GroupReport) -> list[Block]:
    rows = []
    for row in g.figures:
        values = []
        for index in range(len(g.members)):
            text = shown(row, index)
            values.append(Cell(f"{text} {BEST}", "met") if index in row.best else Cell(text))
        rows.append(cells(t(FIGURE_KEYS[row.key]), t(BETTER_KEYS[row.better]), *values))
    headers = [t("report.group.col.figure"), t("report.group.col.best"), *(m.label for m in g.members)]
    numeric = set(range(2, 2 + len(g.members)))
    norms = sorted({m.norm for m in g.members})
    return [
        Heading(2, t("report.group.h.figures"), "figures"),
        Table(headers, rows, numeric=numeric, wide={0}),
        Para(t("report.group.figures_note", best=BEST, norm=", ".join(duration(n) for n in norms)), muted=True),
    ]


def _objectives(g: GroupReport) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.group.h.objectives"), "objectives")]
    if not g.objectives:
        return out + [Para(t("report.no_objectives"), muted=True)]
    rows = [
        cells(row.title, *(Cell(outcome(o), o) if o is not None else Cell("–", "muted") for o in row.outcomes))
        for row in g.objectives
    ]
    out.append(Table([t("report.col.objective"), *(m.label for m in g.members)], rows, wide={0}))
    missing = [
        Bullet(
            row.title,
            t(
                "report.group.objective_missing",
                members=", ".join(g.members[i].label for i, o in enumerate(row.outcomes) if o is None),
            ),
        )
        for row in g.objectives
        if None in row.outcomes
    ]
    if missing:
        out += [Para(t("report.group.missing_note"), muted=True), Bullets(missing)]
    return out


def _findings(g: GroupReport) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.group.h.findings"), "findings")]
    for m in g.members:
        out.append(Heading(3, m.label))
        items = [Bullet(t("report.group.strength"), s) for s in m.strengths]
        items += [Bullet(t("report.group.improvement"), s) for s in m.improvements]
        out.append(Bullets(items) if items else Para(t("report.group.no_findings"), muted=True))
    return out


def lesson_text(lesson: Lesson) -> str:
    members = ", ".join(lesson.members)
    fields: dict[str, object] = {"subject": lesson.subject, "members": members, "n": len(lesson.members)}
    if lesson.kind == "first_message_spread":
        fields.update(fastest=duration(lesson.values[0]), slowest=duration(lesson.values[1]))
        fields.update(first=lesson.members[0], last=lesson.members[1])
    return t(LESSON_KEYS[lesson.kind], of=lesson.of, **fields)


def _lessons(g: GroupReport) -> list[Block]:
    out: list[Block] = [Heading(2, t("report.group.h.lessons"), "lessons")]
    if not g.lessons:
        return out + [Para(t("report.group.no_lessons"), muted=True)]
    items = [Bullet("", lesson_text(x)) for x in g.lessons]
    return out + [Bullets(items), Para(t("report.group.lessons_note"), muted=True)]
