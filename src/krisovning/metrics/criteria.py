"""An objective's criterion in words, shown next to every rating of it (report, drill UI, CLI)."""

from __future__ import annotations

from krisovning.i18n import t, tn
from krisovning.i18n.fmt import minutes
from krisovning.scenario.model import (
    ChecklistDone,
    DecisionLogged,
    FirstPublicMessage,
    Objective,
    ResponseTime,
    RumourPeak,
    Scenario,
    SituationPicture,
)


def _share(value: float) -> str:
    return f"{round(value * 100)} %"


def criterion_text(objective: Objective, scenario: Scenario) -> str:
    c = objective.criterion
    if isinstance(c, FirstPublicMessage):
        return t("criterion.first_public_message", within=minutes(c.within))
    if isinstance(c, ResponseTime):
        return t("criterion.response_time", share=_share(c.share), within=minutes(c.within))
    if isinstance(c, SituationPicture):
        return t("criterion.situation_picture", every=minutes(c.every), first=minutes(c.first_within or c.every))
    if isinstance(c, ChecklistDone):
        title = next((cl.title for cl in scenario.checklists if cl.id == c.checklist), c.checklist)
        return t("criterion.checklist_done", checklist=title, by=minutes(c.by))
    if isinstance(c, DecisionLogged):
        return tn("criterion.decision_logged", c.count, by=minutes(c.by))
    if isinstance(c, RumourPeak):
        return t("criterion.rumour_peak", below=round(c.below), window=minutes(c.window))
    return t("criterion.expectations_met", share=_share(c.share))
