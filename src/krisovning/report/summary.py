"""Page one of the report in sentences: the figures, three strengths, three areas for improvement and the
decisions asked of the management group. The evaluator's notes come first; the figures fill the rest."""

from __future__ import annotations

from krisovning.i18n import t, tn
from krisovning.report.derive import expectations
from krisovning.report.fmt import clean, duration, number
from krisovning.report.model import FacilitatorNotes, Finding, PlanItem, Report, Summary

TOP = 3  # strengths and areas for improvement on page one


def sentence(text: str) -> str:
    """A note as a sentence: trimmed, starting with a capital and ending with a full stop."""
    text = " ".join(clean(text).split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def finding_sentence(f: Finding) -> str:
    if f.source == "facilitator":
        return sentence(f.text)
    figure = (f.figure or "").strip()
    text = sentence(f.text)
    if figure and figure[-1] in ".!?":
        return f"{f.area}: {text} {sentence(figure)}"
    if figure:
        return f"{f.area}: {text[:-1]} ({figure})."
    return f"{f.area}: {text}"


def _rank(report: Report):
    outcomes = {o.title: o.outcome for o in report.objectives}

    def rank(f: Finding) -> int:
        if f.source == "facilitator":
            return 0
        return {"not_met": 1, "partly_met": 3}.get(outcomes.get(f.area, ""), 2)

    return rank


def figures_sentence(report: Report) -> str:
    met = sum(1 for o in report.objectives if o.outcome == "met")
    total = len(report.objectives)
    parts = []
    if total:
        parts.append(tn("report.summary.objectives", met, total=total))
    fm = report.first_message
    if fm.first is None:
        parts.append(t("report.summary.first_none", norm=duration(fm.norm)))
    else:
        key = "report.summary.first_ok" if fm.within_norm else "report.summary.first_late"
        parts.append(t(key, first=duration(fm.first), norm=duration(fm.norm)))
    s = report.response_total
    if s.count:
        answered = tn("report.summary.answered", s.answered, count=s.count)
        counts = expectations(report)  # each figure says what it counts: replies, then expectations met and how
        counts.pop("missed")
        parts.append(t("report.summary.responses", answered=answered, missed=tn("report.n.missed", s.missed), **counts))
    p = report.pressure
    if p.posts:  # the same measure as the chart and the rumour objective (metrics/figures.py peak_window)
        parts.append(
            t(
                "report.sum.social_text",
                posts=number(p.posts),
                peak=number(p.peak_rate),
                rumour=number(p.rumour_peak),
                window=duration(p.window),
            )
            + "."
        )
    return " ".join(parts)


def _decisions(notes: FacilitatorNotes, plan: list[PlanItem]) -> list[str]:
    out = [sentence(d) for d in notes.decisions if clean(d).strip()]
    for p in plan:
        if len(out) >= TOP:
            break
        if p.owner.strip() and p.due.strip():
            out.append(t("report.summary.decide_approve", action=p.action.rstrip("."), owner=p.owner, due=p.due))
        else:
            out.append(t("report.summary.decide_owner", action=p.action.rstrip("."), area=p.area))
    return out


def build_summary(report: Report, notes: FacilitatorNotes) -> Summary:
    rank = _rank(report)
    strengths = sorted(report.strengths, key=lambda f: f.source != "facilitator")
    improvements = sorted(report.improvements, key=rank)
    return Summary(
        figures=figures_sentence(report),
        strengths=[finding_sentence(f) for f in strengths[:TOP]],
        improvements=[finding_sentence(f) for f in improvements[:TOP]],
        decisions=_decisions(notes, report.plan),
    )
