"""Strengths, areas for improvement and suggested plan rows, derived from the figures.

Each derived finding names its figure, so a reader can check it against the tables.
The facilitator's own notes come first; a suggested plan row is left out when the
facilitator already wrote one for the same area. Owner and due date of a suggested
row stay empty for the facilitator to fill in.
"""

from __future__ import annotations

from collections.abc import Callable

from krisovning.i18n import t
from krisovning.metrics.judgement import Note
from krisovning.report.fmt import channel, clean, clock, duration, outcome, percent
from krisovning.report.keys import DERIVED_OUTCOME_KEYS, SITUATION_KEYS, SUGGEST_KEYS, label
from krisovning.report.model import FacilitatorNotes, Finding, LogEntry, ObjectiveRow, PlanItem, PlanRow, Report
from krisovning.scenario.model import Scenario

GAP_NORM = 1800.0  # a situation picture at least every 30 minutes (judged when no objective measures it)
FAST_MEDIAN = 900.0  # replies in a median of 15 minutes or less count as a strength
RUMOUR_SHARE = 0.25  # a rumour share above this is worth discussing


def derive_findings(
    scenario: Scenario, report: Report, notes: FacilitatorNotes
) -> tuple[list[Finding], list[Finding], list[PlanItem]]:
    """(strengths, areas for improvement, improvement plan): the facilitator's notes, then the derived ones."""
    strengths = [_noted(text) for text in notes.strengths if clean(text).strip()]
    improvements = [_noted(text) for text in notes.improvements if clean(text).strip()]
    suggestions: list[tuple[str, str]] = []  # (area, suggested action) per derived improvement

    def good(area: str, text: str, figure: str | None = None) -> None:
        strengths.append(Finding(area=area, text=text, figure=figure, source="derived"))

    def bad(area: str, text: str, figure: str | None, action: str) -> None:
        improvements.append(Finding(area=area, text=text, figure=figure, source="derived"))
        suggestions.append((area, action))

    covered = {o.type for o in report.objectives}
    for o in report.objectives:
        figure = (
            o.evidence_text if o.reason is None else f"{o.evidence_text} {t('report.rated_because', reason=o.reason)}"
        )
        if o.outcome == "met":
            good(o.title, t("report.derived.objective_met"), figure)
        elif o.outcome != "not_assessed":  # nothing measured, no verdict: neither a strength nor a gap
            bad(o.title, label(DERIVED_OUTCOME_KEYS, o.outcome), figure, label(SUGGEST_KEYS, o.type))

    _first_message(report, covered, good, bad)
    _responses(report, good, bad)
    if "situation_picture" not in covered:
        _situation(report, good, bad)
    for checklist in report.checklists:
        total = len(checklist.items)
        area = t("report.area.checklist", title=checklist.title)
        if checklist.late:
            late = "; ".join(
                f"{i.text} ({clock(i.ticked) if i.ticked is not None else t('report.not_done')}, "
                f"{t('report.col.due').lower()} {clock(i.due)})"
                for i in checklist.items
                if i.late
            )
            bad(
                area,
                t("report.derived.checklist_late", late=checklist.late, total=total),
                late,
                t("report.suggest.checklist_done"),
            )
        elif checklist.done == total and total:
            good(area, t("report.derived.checklist_ok", total=total))
    if not report.decisions and "decision_logged" not in covered and report.overview.duration > 0:
        bad(t("report.area.decisions"), t("report.derived.no_decisions"), None, t("report.suggest.decision_logged"))
    _rumours(report, covered, bad)

    plan = [
        PlanItem(
            area=clean(row.area),
            action=clean(row.action),
            owner=clean(row.owner),
            due=clean(row.due),
            source="facilitator",
        )
        for row in notes.plan
        if clean(row.area).strip() or clean(row.action).strip()
    ]
    planned = {p.area.strip().casefold() for p in plan}
    for area, action in suggestions:
        if area.strip().casefold() not in planned:
            planned.add(area.strip().casefold())
            plan.append(PlanItem(area=area, action=action, source="suggested"))
    return strengths, improvements, plan


def with_notes(given: FacilitatorNotes, notes: list[Note]) -> FacilitatorNotes:
    """The caller's notes and the evaluator's standing hot-wash notes (metrics/judgement.py), in that order."""
    out = FacilitatorNotes(list(given.strengths), list(given.improvements), list(given.plan), list(given.decisions))
    for note in notes:
        if note.deleted:
            continue
        if note.kind == "strength":
            out.strengths.append(note.text)
        elif note.kind == "improvement":
            out.improvements.append(note.text)
        elif note.kind == "decision":
            out.decisions.append(note.text)
        elif note.kind == "plan":
            b = note.body
            out.plan.append(PlanRow(b.get("area", ""), b.get("action", ""), b.get("owner", ""), b.get("due", "")))
    return out


def note_entries(notes: list[Note], role: Callable[[str | None], str], end: float) -> list[LogEntry]:
    """The standing observations, as edited: those of the drill at their time, the hot wash's at its end."""
    return [
        LogEntry(
            t=round(note.t if note.t is not None else end, 3),
            role=role(note.role) if note.role else "–" if note.t is not None else t("report.area.evaluator"),
            text=clean(note.text),
            seat=clean(note.seat) if note.seat is not None else None,
            objective=clean(note.body["objective"]) if note.body.get("objective") else None,
        )
        for note in notes
        if note.kind == "observation" and not note.deleted
    ]


def rating_text(o: ObjectiveRow) -> str:
    """An objective's rating in words; an evaluator's says so, with the automatic one beside it."""
    if o.reason is None or o.automatic is None:
        return outcome(o.outcome)
    return t("report.rating_override", rating=outcome(o.outcome), automatic=outcome(o.automatic))


def situation_text(entry: LogEntry) -> str:
    """A situation picture said once: each field on its own line under its label in the reader's language
    (the drill's form also joins them into `text`, which is then not repeated), else the text as written."""
    if not entry.fields:
        return entry.text
    lines = [f"{t(SITUATION_KEYS[k]) if k in SITUATION_KEYS else k}: {v}" for k, v in entry.fields.items()]
    joined = " / ".join(entry.fields.values())
    if entry.text.strip() and entry.text.strip() != joined.strip():
        lines.insert(0, entry.text)
    return "\n".join(lines)


def expectations(r: Report) -> dict[str, int]:
    """What the injects expected and how it was met (metrics/figures.py `expectation_counts`, from the report)."""
    expected = [row for row in r.timeline if row.expected]
    met = [row for row in expected if row.status == "met"]
    by_reply = sum(1 for row in met if row.expected == "reply")
    return {
        "expected": len(expected),
        "met": len(met),
        "by_reply": by_reply,
        "by_other": len(met) - by_reply,
        "missed": r.response_total.missed,
    }


def _noted(text: str) -> Finding:
    return Finding(area=t("report.area.facilitator"), text=clean(text).strip(), source="facilitator")


def _first_message(report: Report, covered: set[str], good, bad) -> None:
    if "first_public_message" in covered:
        return  # the objective already says it, with the same norm
    fm = report.first_message
    area = t("report.area.first_message")
    if fm.first is None:
        bad(
            area,
            t("report.derived.first_none"),
            t("report.figure.norm", norm=duration(fm.norm)),
            t("report.suggest.first_public_message"),
        )
    elif fm.within_norm:
        good(
            area,
            t("report.derived.first_ok"),
            t("report.figure.first", first=duration(fm.first), norm=duration(fm.norm)),
        )
    else:
        bad(
            area,
            t("report.derived.first_late"),
            t("report.figure.first", first=duration(fm.first), norm=duration(fm.norm)),
            t("report.suggest.first_public_message"),
        )


def _responses(report: Report, good, bad) -> None:
    total = report.response_total
    expected = sum(1 for row in report.timeline if row.expected)
    if total.missed:
        by_channel = ", ".join(f"{channel(s.key)} {s.missed}" for s in report.response_by_channel if s.missed)
        bad(
            t("report.area.deadlines"),
            t("report.derived.missed", missed=total.missed, expected=expected),
            by_channel,
            t("report.suggest.deadlines"),
        )
    if total.answered >= 3 and total.median is not None and total.median <= FAST_MEDIAN and not total.missed:
        good(
            t("report.area.responses"),
            t("report.derived.fast"),
            t(
                "report.figure.response",
                median=duration(total.median),
                p90=duration(total.p90),
                answered=total.answered,
                count=total.count,
            ),
        )


def _situation(report: Report, good, bad) -> None:
    area = t("report.area.situation")
    end = report.overview.duration
    if not report.situation:
        if end > GAP_NORM:
            bad(area, t("report.derived.situation_none"), None, t("report.suggest.situation_picture"))
        return
    gaps = [(e.gap or 0.0, e.t) for e in report.situation]
    gaps.append((end - report.situation[-1].t, end))
    longest, at = max(gaps)
    figure = t("report.figure.gap", gap=duration(longest), at=clock(at), norm=duration(GAP_NORM))
    if longest > GAP_NORM:
        bad(area, t("report.derived.situation_gap"), figure, t("report.suggest.situation_picture"))
    else:
        good(area, t("report.derived.situation_ok", updates=len(report.situation)), figure)


def _rumours(report: Report, covered: set[str], bad) -> None:
    p = report.pressure
    if "rumour_peak" in covered or not p.rumour_posts:
        return
    if p.max_rumour_share >= RUMOUR_SHARE or (p.peak_rate and p.rumour_peak >= 0.3 * p.peak_rate):
        figure = t(
            "report.figure.rumour",
            peak=round(p.rumour_peak),
            at=clock(p.rumour_peak_at),
            share=percent(p.max_rumour_share),
            posts=p.rumour_posts,
        )
        bad(t("report.area.rumours"), t("report.derived.rumours"), figure, t("report.suggest.rumour_peak"))
