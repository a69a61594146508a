"""The catalogue keys the spreadsheet import and export show, each written in full.

A key is never assembled from pieces, so grep finds every user of a message
(tests/test_i18n_keys.py checks it).
"""

from __future__ import annotations

from krisovning.i18n import t_in
from krisovning.vocab import ActionKind, InjectChannel, Priority, PublishChannel

CHANNEL_WORD_KEYS: dict[str, str] = {
    InjectChannel.phone: "msel.channel.phone",
    InjectChannel.email: "msel.channel.email",
    InjectChannel.sms: "msel.channel.sms",
    InjectChannel.social: "msel.channel.social",
    InjectChannel.radio: "msel.channel.radio",
    InjectChannel.tv: "msel.channel.tv",
    InjectChannel.news: "msel.channel.news",
    InjectChannel.internal: "msel.channel.internal",
}
ACTION_WORD_KEYS: dict[str, str] = {
    ActionKind.reply: "msel.action.reply",
    ActionKind.publish: "msel.action.publish",
    ActionKind.situation_update: "msel.action.situation_update",
    ActionKind.decision: "msel.action.decision",
    ActionKind.checklist: "msel.action.checklist",
    "hold": "msel.action.hold",
}
PUBLISH_WORD_KEYS: dict[str, str] = {
    PublishChannel.press_release: "msel.publish.press_release",
    PublishChannel.web: "msel.publish.web",
    PublishChannel.social: "msel.publish.social",
    PublishChannel.sms: "msel.publish.sms",
    PublishChannel.vma: "msel.publish.vma",
    PublishChannel.authority_announcement: "msel.publish.authority_announcement",
    PublishChannel.press_conference: "msel.publish.press_conference",
    PublishChannel.info_line: "msel.publish.info_line",
    PublishChannel.intranet: "msel.publish.intranet",
}
PRIORITY_WORD_KEYS: dict[str, str] = {
    Priority.low: "msel.priority.low",
    Priority.high: "msel.priority.high",
    Priority.critical: "msel.priority.critical",
}
# A `when` an export can carry back (`missed`/`met`; the others are described, not kept).
CONDITION_KEYS: dict[str, str] = {
    "missed": "msel.cond.missed",
    "met": "msel.cond.met",
}
METRIC_KEYS: dict[str, str] = {
    "posts_per_hour": "msel.metric.posts_per_hour",
    "rumour_share": "msel.metric.rumour_share",
    "negative_share": "msel.metric.negative_share",
}
# The export's columns, in order (`msel/export.py`).
COLUMN_KEYS: dict[str, str] = {
    "id": "msel.col.id",
    "time": "msel.col.time",
    "condition": "msel.col.condition",
    "channel": "msel.col.channel",
    "from": "msel.col.from",
    "to": "msel.col.to",
    "subject": "msel.col.subject",
    "text": "msel.col.text",
    "expect": "msel.col.expect",
    "deadline": "msel.col.deadline",
    "objective": "msel.col.objective",
    "notes": "msel.col.notes",
    "priority": "msel.col.priority",
}
# What the export cannot carry back into a scenario.
LOST_KEYS: dict[str, str] = {
    "conditions": "msel.lost.conditions",
    "social_effects": "msel.lost.social_effects",
    "generators": "msel.lost.generators",
    "social": "msel.lost.social",
    "objectives": "msel.lost.objectives",
    "checklists": "msel.lost.checklists",
    "reveals": "msel.lost.reveals",
    "quality": "msel.lost.quality",
    "exercise": "msel.lost.exercise",
    "pools": "msel.lost.pools",
}
# A header the import recognised, as the summary names it (`msel/columns.py` gives the fields).
FIELD_KEYS: dict[str, str] = {
    "id": "msel.field.id",
    "time": "msel.field.time",
    "real_time": "msel.field.real_time",
    "scenario_time": "msel.field.scenario_time",
    "day": "msel.field.day",
    "sender": "msel.field.sender",
    "to": "msel.field.to",
    "channel": "msel.field.channel",
    "text": "msel.field.text",
    "subject": "msel.field.subject",
    "expect": "msel.field.expect",
    "deadline": "msel.field.deadline",
    "objective": "msel.field.objective",
    "notes": "msel.field.notes",
    "synopsis": "msel.field.synopsis",
    "kind": "msel.field.kind",
    "priority": "msel.field.priority",
    "condition": "msel.field.condition",
}
TOO_MANY_KEYS: dict[str, str] = {
    "injects": "msel.too_many.injects",
    "personas": "msel.too_many.personas",
    "roles": "msel.too_many.roles",
}


def word(lang: str, keys: dict[str, str], name: str, /, **fields: object) -> str:
    """The message for `name` from one of the tables above in `lang`; a name outside it is shown as it is."""
    key = keys.get(name)
    return t_in(lang, key, **fields) if key is not None else str(name)
