"""The municipality's crisis page ("Webbplats"): what the team has published to the public, as the page
would show it — newest first, with its time, and a later notice on the web channel marked as an update
of the page. Built from the journaled publish actions only, so a resumed drill or a seat shows the same,
by the rule the simulated world reads the page with (engine/website.py `notices`)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from krisovning.engine.website import Notice, notices
from krisovning.i18n import t
from krisovning.tui import labels

if TYPE_CHECKING:
    from krisovning.engine import Action
    from krisovning.scenario import Scenario


class WebsitePane(VerticalScroll):
    def __init__(self, scenario: Scenario) -> None:
        super().__init__(id="website", can_focus=True)
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        yield Static(self.page([]), id="website-page")

    def show(self, publications: list[tuple[float, Action]]) -> None:
        self.query_one("#website-page", Static).update(self.page(notices(publications)))

    def hhmm(self, seconds: float) -> str:
        return (self.scenario.start + timedelta(seconds=seconds)).strftime("%H:%M")

    def page(self, shown: list[Notice]) -> Content:
        org = self.scenario.organisation
        head = t("ui.website_head", site=org.website or org.name)
        lines = [labels.literal(head, "bold reverse")]
        latest = next((n for n in shown if n.on_web), None)
        if latest is None:
            lines.append(Content.styled(t("ui.website_nothing"), "dim"))
        else:
            lines.append(Content.styled(t("ui.website_updated", time=self.hhmm(latest.t)), "dim"))
        for notice in shown:
            if notice.on_web:
                kind = t("ui.website_update", n=notice.update) if notice.update else t("ui.website_first")
            else:
                kind = t("ui.website_elsewhere")
            where = ", ".join(labels.publish_channel(c) for c in notice.channels)
            stamp = f"{self.hhmm(notice.t)} ({labels.clock(notice.t)}) · {kind} · {where}"
            lines += [Content(""), Content.styled(stamp, "bold" if notice.on_web else "italic")]
            lines.append(labels.literal(notice.text.strip()))
        return Content("\n").join(lines)
