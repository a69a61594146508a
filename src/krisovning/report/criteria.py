"""An objective's criterion in words, beside its rating (what was measured, against what)."""

from __future__ import annotations

from typing import Any

from krisovning.i18n import t
from krisovning.report.fmt import channels, clean, duration, number, percent

_KEYS = {
    "first_public_message": "report.crit.first_public_message",
    "response_time": "report.crit.response_time",
    "situation_picture": "report.crit.situation_picture",
    "checklist_done": "report.crit.checklist_done",
    "decision_logged": "report.crit.decision_logged",
    "rumour_peak": "report.crit.rumour_peak",
    "expectations_met": "report.crit.expectations_met",
}


def criterion_text(criterion: Any) -> str:
    """The criterion of `scenario.model.Objective` as a sentence; a type this module does not know is named."""
    kind = getattr(criterion, "type", "")
    key = _KEYS.get(kind)
    if key is None:
        return clean(kind)
    c = criterion
    if kind == "first_public_message":
        text = t(key, within=duration(c.within))
        return text + (t("report.crit.via", channels=channels(list(c.channels))) if c.channels else "")
    if kind == "response_time":
        return t(key, share=percent(c.share), within=duration(c.within))
    if kind == "situation_picture":
        return t(key, every=duration(c.every))
    if kind == "checklist_done":
        return t(key, checklist=clean(c.checklist), by=duration(c.by))
    if kind == "decision_logged":
        return t(key, count=c.count, by=duration(c.by))
    if kind == "rumour_peak":
        return t(key, below=number(c.below), window=duration(c.window))
    return t(key, share=percent(c.share))
