"""Short labels for the UI, all through the translation layer, and the one way to show outside text."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content

from krisovning.i18n import t
from krisovning.i18n.fmt import exercise_clock
from krisovning.scenario.model import HOLD
from krisovning.textsafe import visible, visible_line
from krisovning.vocab import ActionKind, CoordinationKind, FacilitatorKind, InjectChannel, Priority, PublishChannel

# Every catalogue key the UI shows for a word of the vocabulary, written in full so that grep finds
# its users (tests/test_i18n_keys.py checks that no key is assembled from pieces).
CHANNEL_KEYS: dict[str, str] = {
    InjectChannel.phone: "channel.phone",
    InjectChannel.email: "channel.email",
    InjectChannel.sms: "channel.sms",
    InjectChannel.social: "channel.social",
    InjectChannel.radio: "channel.radio",
    InjectChannel.tv: "channel.tv",
    InjectChannel.news: "channel.news",
    InjectChannel.internal: "channel.internal",
}
PUBLISH_KEYS: dict[str, str] = {
    PublishChannel.press_release: "publish.press_release",
    PublishChannel.web: "publish.web",
    PublishChannel.social: "publish.social",
    PublishChannel.sms: "publish.sms",
    PublishChannel.vma: "publish.vma",
    PublishChannel.authority_announcement: "publish.authority_announcement",
    PublishChannel.press_conference: "publish.press_conference",
    PublishChannel.info_line: "publish.info_line",
    PublishChannel.intranet: "publish.intranet",
}
TAB_KEYS: dict[str, str] = {
    "inbox": "ui.tab.inbox",
    "feed": "ui.tab.feed",
    "publish": "ui.tab.publish",
    "situation": "ui.tab.situation",
    "decisions": "ui.tab.decisions",
    "checklists": "ui.tab.checklists",
    "objectives": "ui.tab.objectives",
}
COLUMN_KEYS: dict[str, str] = {
    "status": "ui.col.status",
    "time": "ui.col.time",
    "channel": "ui.col.channel",
    "sender": "ui.col.sender",
    "to": "ui.col.to",
    "subject": "ui.col.subject",
    "deadline": "ui.col.deadline",
    "priority": "ui.col.priority",
    "when": "ui.col.when",
    "id": "ui.col.id",
}
INBOX_STATUS_KEYS: dict[str, str] = {
    "new": "ui.status.new",
    "answered": "ui.status.answered",
    "overdue": "ui.status.overdue",
    "info": "ui.status.info",
}
EXPECT_KEYS: dict[str, str] = {
    ActionKind.reply: "ui.expect.reply",
    ActionKind.publish: "ui.expect.publish",
    ActionKind.situation_update: "ui.expect.situation_update",
    ActionKind.decision: "ui.expect.decision",
    HOLD: "ui.expect.hold",
}
SITUATION_KEYS: dict[str, str] = {
    "situation": "ui.situation.situation",
    "actions": "ui.situation.actions",
    "needs": "ui.situation.needs",
    "next_update": "ui.situation.next_update",
}
DONE_KEYS: dict[str, str] = {
    ActionKind.reply: "ui.done.reply",
    ActionKind.publish: "ui.done.publish",
    ActionKind.decision: "ui.done.decision",
    ActionKind.situation_update: "ui.done.situation_update",
    FacilitatorKind.observation: "ui.done.observation",
    FacilitatorKind.fire_inject: "ui.done.fire_inject",
    FacilitatorKind.skip_inject: "ui.done.skip_inject",
    FacilitatorKind.add_inject: "ui.done.add_inject",
    FacilitatorKind.end: "ui.done.end",
    FacilitatorKind.start: "ui.done.start",
    CoordinationKind.claim: "ui.done.claim",
    CoordinationKind.release: "ui.done.release",
    CoordinationKind.answer_call: "ui.done.answer_call",
    CoordinationKind.decline_call: "ui.done.decline_call",
}
WHEN_KEYS: dict[str, str] = {
    "missed": "ui.when.missed",
    "met": "ui.when.met",
    "action": "ui.when.action",
    "no_action": "ui.when.no_action",
    "metric": "ui.when.metric",
}
PRIORITY_KEYS: dict[str, str] = {
    Priority.low: "ui.priority.low",
    Priority.normal: "ui.priority.normal",
    Priority.high: "ui.priority.high",
    Priority.critical: "ui.priority.critical",
}
METRIC_KEYS: dict[str, str] = {
    "posts_per_hour": "ui.metric.posts_per_hour",
    "rumour_share": "ui.metric.rumour_share",
    "negative_share": "ui.metric.negative_share",
}


def label(keys: dict[str, str], word: str, /, **fields: object) -> str:
    """The message for `word` from one of the tables above; a word outside it is shown as it is."""
    key = keys.get(word)
    return t(key, **fields) if key is not None else str(word)


def channel(name: str) -> str:
    return label(CHANNEL_KEYS, name)


def publish_channel(name: str) -> str:
    return label(PUBLISH_KEYS, name)


def clock(seconds: float) -> str:
    return exercise_clock(seconds)


def countdown(seconds: float) -> str:
    """`mm:ss` left, or `+mm:ss` overdue."""
    sign = "" if seconds >= 0 else "+"
    total = int(abs(seconds))
    return f"{sign}{total // 60:02d}:{total % 60:02d}"


def world_hhmm(iso: str) -> str:
    return iso[11:16] if len(iso) >= 16 else iso


def literal(text: str, style: str = "") -> Content:
    """Text from a scenario, a journal or a person, for a widget: never markup, controls shown as `\\xNN`."""
    return Content.styled(visible(text), style) if style else Content(visible(text))


def cell(text: str, limit: int | None = None) -> Text:
    """The same for a one-line table cell (Rich `Text`: a `DataTable` reads a plain `str` as markup)."""
    return Text(visible_line(text)[:limit], end="")


def objective_cell(title: str, criterion: str) -> Text:
    """An objective's title with its criterion on a dimmed line under it (a row of auto height)."""
    text = Text(visible_line(title), end="")
    if criterion:
        text.append("\n" + visible_line(criterion), style="dim")
    return text


def by(action: Any, names: dict[str, str]) -> str:
    """ "Kommunikationschef: " before an entry of a shared log in a team drill (an action a seat sent names its
    role); nothing in a solo drill, where one team wrote everything."""
    if getattr(action, "seat", None) is None:
        return ""
    role = getattr(action, "role", None)
    return f"{names.get(role or '', role or action.seat)}: "
