"""The conversation about an inject in a team drill: who took it, who answered, when, and what.

Names and texts come from the scenario and the team: always shown literally (labels.literal / cell).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from textual.content import Content

from krisovning.i18n import t
from krisovning.tui import labels

if TYPE_CHECKING:
    from krisovning.scenario import Scenario
    from krisovning.tui.model import InboxItem, Said


def who(scenario: Scenario, said: Said) -> str | None:
    """The role's name as the scenario gives it (else the role or seat id); None in a solo drill."""
    if said.role is not None:
        return next((r.name for r in scenario.roles if r.id == said.role), said.role)
    return said.seat


def time_of_day(scenario: Scenario, seconds: float) -> str:
    return (scenario.start + timedelta(seconds=seconds)).isoformat(timespec="minutes")[11:16]


def mark(scenario: Scenario, item: InboxItem) -> str | None:
    """Who answered or took the item, for its row in the list (None: nobody we can name)."""
    if item.replies:
        name = who(scenario, item.replies[-1])
        return t("ui.answered_by_mark", who=name) if name else None
    if item.claim is not None:
        name = who(scenario, item.claim)
        return t("ui.claimed_by_mark", who=name) if name else None
    return None


def lines(scenario: Scenario, item: InboxItem) -> list[Content]:
    """The claim and every reply, for the inject's detail."""
    out: list[Content] = []
    if item.claim is not None:
        out.append(Content(""))
        out.append(
            labels.literal(
                t("ui.claim_line", who=who(scenario, item.claim) or "?", at=time_of_day(scenario, item.claim.t)),
                "italic",
            )
        )
    for said in item.replies:
        name = who(scenario, said)
        at = time_of_day(scenario, said.t)
        if name is None:  # a solo drill: the team answered
            head = t("ui.reply_line_solo", at=at)
        elif said.seat and said.seat != said.role:
            head = t("ui.reply_line_seat", who=name, seat=said.seat, at=at)
        else:
            head = t("ui.reply_line", who=name, at=at)
        if said.declined:
            head = f"{head} {t('ui.decline.mark')}"
        out += [Content(""), labels.literal(head, "bold"), labels.literal(said.text.strip())]
    return out
