"""Scoring objectives from the event stream: met / partly_met / not_met, with evidence.

Thresholds for "partly" default to the Swedish practice "delvis ≥ 80 % of target" for
shares and to 1.5× for times (docs/scenario-format.md §7), unless the scenario says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from krisovning.engine.actions import Action
from krisovning.i18n import t
from krisovning.i18n.fmt import minutes
from krisovning.metrics.figures import Facts, InjectFacts, peak_rate, response_stats
from krisovning.scenario.model import (
    ChecklistDone,
    DecisionLogged,
    ExpectationsMet,
    FirstPublicMessage,
    Objective,
    ResponseTime,
    RumourPeak,
    Scenario,
    SituationPicture,
)
from krisovning.scenario.types import PUBLIC_CHANNELS
from krisovning.vocab import Outcome

MET, PARTLY, NOT_MET = Outcome.met.value, Outcome.partly_met.value, Outcome.not_met.value
NOT_ASSESSED = Outcome.not_assessed.value  # nothing to measure: no verdict either way
OUTCOMES = (MET, PARTLY, NOT_MET, NOT_ASSESSED)


@dataclass(frozen=True)
class ObjectiveResult:
    id: str
    title: str
    type: str
    outcome: str
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "type": self.type,
            "outcome": self.outcome,
            "evidence": self.evidence,
        }


def evaluate(scenario: Scenario, facts: Facts) -> list[ObjectiveResult]:
    end = facts.end if facts.end is not None else float(scenario.duration)
    return [_score(objective, scenario, facts, end) for objective in scenario.objectives]


def _grade(ok: bool, partly: bool) -> str:
    return MET if ok else PARTLY if partly else NOT_MET


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _score(objective: Objective, scenario: Scenario, facts: Facts, end: float) -> ObjectiveResult:
    c = objective.criterion
    evidence: dict[str, Any]
    if isinstance(c, FirstPublicMessage):
        wanted = {ch.value for ch in c.channels} if c.channels else None
        need = set(c.topics or ())
        times = [
            t
            for t, a in facts.of_kind("publish")
            if _public(a) and (wanted is None or wanted & set(a.channels)) and need <= set(facts.topics_of(a))
        ]
        first = times[0] if times else None
        partly_within = c.partly_within or c.within * 1.5
        outcome = _grade(first is not None and first <= c.within, first is not None and first <= partly_within)
        evidence = {"first": first, "within": c.within, "partly_within": partly_within}
        if c.topics:
            # what the publication closest to it lacked (none is complete when the first is None)
            lacks = [
                [tid for tid in c.topics if tid not in facts.topics_of(a)]
                for _, a in facts.of_kind("publish")
                if _public(a) and (wanted is None or wanted & set(a.channels))
            ]
            evidence.update(_named(scenario, c.topics, min(lacks, key=len) if lacks else list(c.topics)))
    elif isinstance(c, ResponseTime):
        chosen = [
            i
            for i in facts.injects.values()
            if i.t + c.within <= end  # one that arrives too late to be answered in time is not held against the team
            and (not c.channels or i.channel in {ch.value for ch in c.channels})
            and (not c.roles or i.to in c.roles)
            and (not c.sender_kinds or i.sender_kind in {k.value for k in c.sender_kinds})
        ]
        wrong, chosen = _answered_wrongly(chosen)
        in_time = sum(1 for i in chosen if i.replied is not None and i.replied <= c.within)
        share = _share(in_time, len(chosen) + wrong)
        outcome = _grade(share >= c.share, share >= c.partly_share) if chosen or wrong else NOT_ASSESSED
        evidence = {**response_stats(chosen), "in_time": in_time, "share": round(share, 3), "within": c.within}
        if wrong:
            evidence["answered_wrongly"] = wrong
    elif isinstance(c, SituationPicture):
        times = [t for t, _ in facts.of_kind("situation_update") if t <= end]
        first_within = c.first_within or c.every
        partly_every = c.partly_every or c.every * 1.5
        first = times[0] if times else None
        gaps = [b - a for a, b in zip(times, times[1:] + [end], strict=False)]  # no times: no gaps
        longest = max(gaps) if gaps else None
        ok = first is not None and first <= first_within and longest is not None and longest <= c.every
        partly = first is not None and first <= first_within * 1.5 and longest is not None and longest <= partly_every
        outcome = _grade(ok, partly)
        evidence = {"updates": len(times), "first": first, "longest_gap": longest, "every": c.every}
    elif isinstance(c, ChecklistDone):
        checklist = next(cl for cl in scenario.checklists if cl.id == c.checklist)
        ticked = {a.item: t for t, a in facts.of_kind("checklist") if a.checklist == c.checklist}
        done = sum(1 for item in checklist.items if item.id in ticked and ticked[item.id] <= c.by)
        share = _share(done, len(checklist.items))
        outcome = _grade(share >= 1.0, share >= c.partly_share)
        evidence = {"done": done, "items": len(checklist.items), "by": c.by}
    elif isinstance(c, DecisionLogged):
        decisions = facts.of_kind("decision")
        # with topics: only decisions on one of them count, and each topic needs one by the deadline
        times = [t for t, a in decisions if not c.topics or set(c.topics) & set(facts.topics_of(a))]
        partly_by = c.partly_by or c.by * 1.5
        by_deadline = sum(1 for t in times if t <= c.by)

        def all_topics(by: float) -> bool:
            said = {tid for t, a in decisions if t <= by for tid in facts.topics_of(a)}
            return set(c.topics or ()) <= said

        outcome = _grade(
            by_deadline >= c.count and all_topics(c.by),
            sum(1 for t in times if t <= partly_by) >= c.count and all_topics(partly_by),
        )
        evidence = {"decisions": len(times), "by_deadline": by_deadline, "count": c.count, "by": c.by}
        if c.topics:
            said = {tid for t, a in decisions if t <= c.by for tid in facts.topics_of(a)}
            evidence.update(_named(scenario, c.topics, [tid for tid in c.topics if tid not in said]))
            evidence["all_decisions"] = len(decisions)
    elif isinstance(c, RumourPeak):
        peak = peak_rate(facts.rumour_times, c.window)
        partly_below = c.partly_below or c.below * 1.25
        outcome = _grade(peak < c.below, peak < partly_below)
        evidence = {
            "peak": round(peak, 1),
            "below": c.below,
            "partly_below": partly_below,
            "rumour_posts": len(facts.rumour_times),
            "window": c.window,
        }
    else:
        assert isinstance(c, ExpectationsMet)
        concerned = [i for i in facts.injects.values() if c.injects is None or i.id in c.injects]
        wrong, _ = _answered_wrongly(concerned)
        chosen = [i for i in concerned if i.expect]
        met = sum(1 for i in chosen if i.met is not None)
        share = _share(met, len(chosen) + wrong)
        outcome = _grade(share >= c.share, share >= c.partly_share) if chosen or wrong else NOT_ASSESSED
        evidence = {"expected": len(chosen), "met": met, "share": round(share, 3)}
        if wrong:
            evidence["answered_wrongly"] = wrong
        broken = [i.id for i in chosen if i.broken is not None]
        if broken:  # a hold broken by a publication (engine/content.py)
            evidence["broken"] = broken
    return ObjectiveResult(objective.id, objective.title, c.type, outcome, evidence)


_PUBLIC = {p.value for p in PUBLIC_CHANNELS}


def _answered_wrongly(injects: list[InjectFacts]) -> tuple[int, list[InjectFacts]]:
    """How many injects marked `do_not_answer` the team replied to (each one counts as a failure
    where it is concerned), and the others (to be answered)."""
    wrong = sum(1 for i in injects if i.do_not_answer and i.replied is not None)
    return wrong, [i for i in injects if not i.do_not_answer]


def _named(scenario: Scenario, topics: list[str], missing: list[str]) -> dict[str, Any]:
    """A content criterion's evidence: the topics asked for and those missing, by id and by title."""
    titles = {topic.id: topic.title or topic.id for topic in scenario.topics}
    return {
        "topics": list(topics),
        "topic_titles": [titles.get(tid, tid) for tid in topics],
        "missing": missing,
        "missing_titles": [titles.get(tid, tid) for tid in missing],
    }


def _public(action: Action) -> bool:
    return any(ch in _PUBLIC for ch in action.channels)


def evidence_text(result: ObjectiveResult) -> str:
    """One line of evidence in the current language."""
    e = result.evidence
    if result.type == "first_public_message":
        if "topics" in e:
            if e["first"] is None:
                return t("evidence.first_content_none", missing=_titles(e), within=minutes(e["within"]))
            return t("evidence.first_content", first=minutes(e["first"]), within=minutes(e["within"]))
        if e["first"] is None:
            return t("evidence.first_none", within=minutes(e["within"]))
        return t("evidence.first", first=minutes(e["first"]), within=minutes(e["within"]))
    wrong = t("evidence.answered_wrongly", n=e["answered_wrongly"]) if e.get("answered_wrongly") else ""
    if result.type == "response_time":
        if not e["count"]:
            return t("evidence.nothing_to_measure") + wrong
        return (
            t(
                "evidence.response",
                in_time=e["in_time"],
                count=e["count"],
                within=minutes(e["within"]),
                median=minutes(e["median"]) if e["median"] is not None else "–",
                missed=e["missed"],
            )
            + wrong
        )
    if result.type == "situation_picture":
        if not e["updates"]:
            return t("evidence.situation_none")
        return t(
            "evidence.situation",
            updates=e["updates"],
            first=minutes(e["first"]),
            gap=minutes(e["longest_gap"]),
            every=minutes(e["every"]),
        )
    if result.type == "checklist_done":
        return t("evidence.checklist", done=e["done"], items=e["items"], by=minutes(e["by"]))
    if result.type == "decision_logged":
        if "topics" in e:  # only decisions on the topics count
            text = t(
                "evidence.decisions_on",
                by_deadline=e["by_deadline"],
                count=e["count"],
                topics=", ".join(e["topic_titles"]),
                by=minutes(e["by"]),
                total=e["all_decisions"],
            )
            return text + (" " + t("evidence.missing", missing=_titles(e)) if e["missing"] else "")
        return t(
            "evidence.decisions",
            by_deadline=e["by_deadline"],
            count=e["count"],
            by=minutes(e["by"]),
            total=e["decisions"],
        )
    if result.type == "rumour_peak":
        return t(
            "evidence.rumour",
            peak=round(e["peak"]),
            below=round(e["below"]),
            posts=e["rumour_posts"],
            window=minutes(e.get("window", 900.0)),
        )
    if not e["expected"]:
        return t("evidence.nothing_to_measure") + wrong
    text = t("evidence.expectations", met=e["met"], expected=e["expected"]) + wrong
    if e.get("broken"):
        text += " " + t("evidence.broken", injects=", ".join(e["broken"]))
    return text


def _titles(evidence: dict[str, Any]) -> str:
    return ", ".join(evidence["missing_titles"])
