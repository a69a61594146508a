"""A regional exercise's group report: each municipality's already-built report, compared side by side.

    group = build_group_report([("Sjöstad", report_a), ("Åby", report_b), ("Berga", report_c)])
    data = render_group(group, "md")          # report/__init__.py; the blocks: report/group_view.py

Every figure comes from the municipalities' own reports, so the group report and each municipality's
report always agree; "what the region can learn" only states what those figures show.
"""

from __future__ import annotations

import math

from krisovning.i18n import get_language, t
from krisovning.report.group_model import (
    Better,
    FigureKey,
    FigureRow,
    GroupMember,
    GroupReport,
    Lesson,
    ObjectiveOutcomes,
    ScenarioPlayed,
)
from krisovning.report.model import Report
from krisovning.textsafe import visible_line

# each figure of the key-figure table, in its order, and which value is the best
FIGURES: dict[FigureKey, Better] = {
    "first_message": "less",
    "median_response": "less",
    "p90_response": "less",
    "missed": "less",
    "objectives_met": "more",  # as a share of the municipality's objectives
    "objectives_partly": "none",
    "objectives_not_met": "less",  # as a share
    "rumour_peak": "less",
    "publications": "none",  # more messages are not better in themselves
    "decisions": "none",
    "missed_calls": "less",
}
_OUTCOME_FIGURES: dict[FigureKey, str] = {
    "objectives_met": "met",
    "objectives_partly": "partly_met",
    "objectives_not_met": "not_met",
}
_TIMES = {"first_message", "median_response", "p90_response"}


def build_group_report(members: list[tuple[str, Report]]) -> GroupReport:
    """The municipalities' drills side by side, in the order given: (label, that session's report)."""
    labels = [one_line(label) or r.overview.session_id for label, r in members]
    reports = [r for _, r in members]
    group = GroupReport(
        language=reports[0].language if reports else get_language(),
        members=[_member(label, r) for label, r in zip(labels, reports, strict=True)],
        scenarios=_scenarios(labels, reports),
        figures=[_figure(key, better, reports) for key, better in FIGURES.items()],
        objectives=_objectives(reports),
    )
    group.lessons = lessons(group, reports)
    return group


def one_line(label: str) -> str:
    """A label as one line (it heads a column): every control character, line breaks too, shown as `\\xNN`."""
    return visible_line(label.encode("utf-8", "replace").decode("utf-8")).strip()


def _member(label: str, r: Report) -> GroupMember:
    o = r.overview
    return GroupMember(
        label=label,
        session_id=o.session_id,
        scenario_id=o.scenario_id,
        scenario_version=o.scenario_version,
        title=o.title,
        organisation=o.organisation,
        date=o.date,
        seed=o.seed,
        duration=o.duration,
        planned_duration=o.planned_duration,
        team=o.team,
        seats=sum(1 for s in r.seats if s.kind == "team"),
        participants=o.participants,
        roles=o.roles,
        status=o.status,
        preliminary=r.preliminary,
        altered=r.integrity.state == "altered",
        norm=r.first_message.norm,
        strengths=r.summary.strengths,
        improvements=r.summary.improvements,
    )


def _scenarios(labels: list[str], reports: list[Report]) -> list[ScenarioPlayed]:
    played: dict[tuple[str, str], ScenarioPlayed] = {}
    for label, r in zip(labels, reports, strict=True):
        o = r.overview
        key = (o.scenario_id, o.scenario_version)
        if key not in played:
            played[key] = ScenarioPlayed(id=o.scenario_id, version=o.scenario_version, title=o.title, members=[])
        played[key].members.append(label)
    return list(played.values())


def raw_value(key: FigureKey, r: Report) -> float | None:
    """A figure of one report (None: not measured; for first_message: never sent)."""
    if key == "first_message":
        return r.first_message.first
    if key == "median_response":
        return r.response_total.median
    if key == "p90_response":
        return r.response_total.p90
    if key == "missed":
        return float(r.response_total.missed)
    if key in _OUTCOME_FIGURES:
        return float(sum(1 for o in r.objectives if o.outcome == _OUTCOME_FIGURES[key])) if r.objectives else None
    if key == "rumour_peak":
        return r.pressure.rumour_peak
    if key == "publications":
        return float(sum(1 for p in r.publications if p.public))
    if key == "decisions":
        return float(len(r.decisions))
    return float(r.calls.missed) if r.calls is not None else None


def compared(key: FigureKey, value: float | None, total: int) -> float | None:
    """A value as the table shows it and ranks it: times in whole minutes (a message never sent is the
    slowest), the rumour peak in whole posts, objectives as a share of the municipality's own."""
    if key == "first_message" and value is None:
        return math.inf
    if value is None:
        return None
    if key in _TIMES:
        return float(round(value / 60.0))
    if key in _OUTCOME_FIGURES:
        return value / total if total else None
    return float(round(value))


def _figure(key: FigureKey, better: Better, reports: list[Report]) -> FigureRow:
    values = [raw_value(key, r) for r in reports]
    totals = [len(r.objectives) for r in reports] if key in _OUTCOME_FIGURES else []
    best: list[int] = []
    if better != "none":
        shown = [compared(key, v, len(r.objectives)) for v, r in zip(values, reports, strict=True)]
        ranked = [(i, v) for i, v in enumerate(shown) if v is not None and v != math.inf]
        if len(ranked) >= 1 and len({v for v in shown if v is not None}) > 1:
            top = min(v for _, v in ranked) if better == "less" else max(v for _, v in ranked)
            best = [i for i, v in ranked if v == top]
    return FigureRow(key=key, better=better, values=values, totals=totals, best=best)


def _objectives(reports: list[Report]) -> list[ObjectiveOutcomes]:
    """Every objective of any scenario, matched by id, in the order the scenarios list them."""
    rows: dict[str, ObjectiveOutcomes] = {}
    for index, r in enumerate(reports):
        for o in r.objectives:
            if o.id not in rows:
                rows[o.id] = ObjectiveOutcomes(id=o.id, title=o.title, outcomes=[None] * len(reports))
            rows[o.id].outcomes[index] = o.outcome
    return list(rows.values())


def _most(count: int, of: int) -> bool:
    """More than half, and at least two: what "most municipalities" means here."""
    return count >= 2 and 2 * count > of


def lessons(group: GroupReport, reports: list[Report]) -> list[Lesson]:
    """What the figures show for the region: objectives most municipalities missed or all met, a first
    message most sent late, deadlines most missed, an area of improvement most share, the spread of the
    first message. Nothing is said of fewer than two municipalities."""
    labels = [m.label for m in group.members]
    out: list[Lesson] = []
    if len(labels) < 2:
        return out
    missed = []
    for row in group.objectives:
        had = [(labels[i], o) for i, o in enumerate(row.outcomes) if o is not None]
        short = [label for label, o in had if o in ("not_met", "partly_met")]
        if _most(len(short), len(had)):
            missed.append(Lesson(kind="objective_missed", subject=row.title, members=short, of=len(had)))
        elif len(had) >= 2 and all(o == "met" for _, o in had):
            out.append(Lesson(kind="objective_met_by_all", subject=row.title, members=[x for x, _ in had], of=len(had)))
    missed.sort(key=lambda lesson: -len(lesson.members) / lesson.of)  # the objective most missed first
    out = missed + out
    late = [labels[i] for i, r in enumerate(reports) if not r.first_message.within_norm]
    if _most(len(late), len(labels)):
        out.append(Lesson(kind="first_message_late", members=late, of=len(labels)))
    deadlines = [labels[i] for i, r in enumerate(reports) if r.response_total.missed]
    if _most(len(deadlines), len(labels)):
        out.append(Lesson(kind="missed_deadlines", members=deadlines, of=len(labels)))
    out += _shared_improvements(labels, reports)
    times = [(r.first_message.first, labels[i]) for i, r in enumerate(reports) if r.first_message.first is not None]
    if len(times) >= 2 and round(min(times)[0] / 60) != round(max(times)[0] / 60):
        fastest, slowest = min(times), max(times)
        out.append(
            Lesson(
                kind="first_message_spread",
                members=[fastest[1], slowest[1]],
                of=len(labels),
                values=[fastest[0], slowest[0]],
            )
        )
    return out


def _shared_improvements(labels: list[str], reports: list[Report]) -> list[Lesson]:
    """Areas for improvement derived from the figures (report/derive.py) that most municipalities share, beyond
    those said above (objectives, the first message, deadlines)."""
    said = {t("report.area.first_message").casefold(), t("report.area.deadlines").casefold()}
    said |= {o.title.casefold() for r in reports for o in r.objectives}
    areas: dict[str, tuple[str, list[str]]] = {}
    for label, r in zip(labels, reports, strict=True):
        for f in r.improvements:
            key = f.area.strip().casefold()
            if f.source != "derived" or key in said:
                continue
            _, who = areas.setdefault(key, (f.area.strip(), []))
            if label not in who:
                who.append(label)
    return [
        Lesson(kind="shared_improvement", subject=area, members=who, of=len(labels))
        for area, who in areas.values()
        if _most(len(who), len(labels))
    ]
