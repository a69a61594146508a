"""The catalogue keys the report shows for a word of the vocabulary, each written in full.

A key is never assembled from pieces, so grep finds every user of a message
(tests/test_i18n_keys.py checks it). The UI and the CLI name outcomes through `OUTCOME_KEYS` too.
"""

from __future__ import annotations

from krisovning.i18n import t
from krisovning.scenario.model import HOLD
from krisovning.vocab import ActionKind, FacilitatorKind, InjectChannel, Outcome, PostCategory, PublishChannel

OUTCOME_KEYS: dict[str, str] = {
    Outcome.met: "outcome.met",
    Outcome.partly_met: "outcome.partly_met",
    Outcome.not_met: "outcome.not_met",
    Outcome.not_assessed: "outcome.not_assessed",
}
# What the report says of an objective it did not find met.
DERIVED_OUTCOME_KEYS: dict[str, str] = {
    Outcome.met: "report.derived.objective_met",
    Outcome.partly_met: "report.derived.objective_partly_met",
    Outcome.not_met: "report.derived.objective_not_met",
    Outcome.not_assessed: "report.derived.objective_not_assessed",
}
# What to practise next, by objective type (`scenario/model.py`).
SUGGEST_KEYS: dict[str, str] = {
    "first_public_message": "report.suggest.first_public_message",
    "response_time": "report.suggest.response_time",
    "situation_picture": "report.suggest.situation_picture",
    "checklist_done": "report.suggest.checklist_done",
    "decision_logged": "report.suggest.decision_logged",
    "rumour_peak": "report.suggest.rumour_peak",
    "expectations_met": "report.suggest.expectations_met",
}
CHANNEL_KEYS: dict[str, str] = {
    InjectChannel.phone: "report.channel.phone",
    InjectChannel.email: "report.channel.email",
    InjectChannel.sms: "report.channel.sms",
    InjectChannel.social: "report.channel.social",
    InjectChannel.radio: "report.channel.radio",
    InjectChannel.tv: "report.channel.tv",
    InjectChannel.news: "report.channel.news",
    InjectChannel.internal: "report.channel.internal",
    PublishChannel.press_release: "report.channel.press_release",
    PublishChannel.web: "report.channel.web",
    PublishChannel.vma: "report.channel.vma",
    PublishChannel.authority_announcement: "report.channel.authority_announcement",
    PublishChannel.press_conference: "report.channel.press_conference",
    PublishChannel.info_line: "report.channel.info_line",
    PublishChannel.intranet: "report.channel.intranet",
}
STATUS_KEYS: dict[str, str] = {
    "finished": "report.status.finished",
    "running": "report.status.running",
    "interrupted": "report.status.interrupted",
}
NORM_KEYS: dict[str, str] = {
    "objective": "report.norm.objective",
    "default": "report.norm.default",
}
EXPECT_KEYS: dict[str, str] = {
    ActionKind.reply: "report.expect.reply",
    ActionKind.publish: "report.expect.publish",
    ActionKind.situation_update: "report.expect.situation_update",
    ActionKind.decision: "report.expect.decision",
    HOLD: "report.expect.hold",
}
INJECT_STATUS_KEYS: dict[str, str] = {
    "met": "report.inject.met",
    "missed": "report.inject.missed",
    "broken": "report.inject.broken",
    "answered": "report.inject.answered",
    "open": "report.inject.open",
    "none": "report.inject.none",
}

POST_KEYS: dict[str, str] = {
    PostCategory.information: "report.post.information",
    PostCategory.question: "report.post.question",
    PostCategory.rumour: "report.post.rumour",
    PostCategory.criticism: "report.post.criticism",
    PostCategory.support: "report.post.support",
    PostCategory.eyewitness: "report.post.eyewitness",
}
INTERVENTION_KEYS: dict[str, str] = {
    FacilitatorKind.fire_inject: "report.intervention.fire_inject",
    FacilitatorKind.skip_inject: "report.intervention.skip_inject",
    FacilitatorKind.add_inject: "report.intervention.add_inject",
    FacilitatorKind.end: "report.intervention.end",
    FacilitatorKind.pause: "report.intervention.pause",
    FacilitatorKind.resume: "report.intervention.resume",
    FacilitatorKind.speed: "report.intervention.speed",
    FacilitatorKind.start: "report.intervention.start",
}


def label(keys: dict[str, str], word: str, /, **fields: object) -> str:
    """The message for `word` from one of the tables above; a word outside it is shown as it is."""
    key = keys.get(word)
    return t(key, **fields) if key is not None else str(word)


# The situation picture's fields (tui/team.py), labelled for the reader: never its raw keys.
SITUATION_KEYS: dict[str, str] = {
    "situation": "ui.situation.situation",
    "actions": "ui.situation.actions",
    "needs": "ui.situation.needs",
    "next_update": "ui.situation.next_update",
}
