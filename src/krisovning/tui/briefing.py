"""The briefing before the clock: what the drill is about, who plays which role, and what the team may
know (the scenario's public facts). The clock stands at 0:00 until the facilitator starts it — a solo
drill with Enter here, a team drill from the facilitator's seat; the other seats show this screen until
then (tui/app.py closes it when the drill is no longer in its briefing)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from krisovning.i18n import t
from krisovning.i18n.fmt import minutes
from krisovning.scenario.model import Fact, fact_value
from krisovning.tui.labels import literal

if TYPE_CHECKING:
    from krisovning.scenario import Scenario


_LIST_ITEM = re.compile(r"^\s*([-*•]|\d+[.)])\s")


def reflow(text: str) -> str:
    """A scenario's text as paragraphs: a YAML block is wrapped by hand at the author's width, which the
    screen would wrap again into ragged lines. Blank lines and list items keep their breaks."""
    out: list[str] = []
    for line in text.strip().splitlines():
        line = line.rstrip()
        if out and line and out[-1] and not _LIST_ITEM.match(line):
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def briefing_text(scenario: Scenario) -> Content:
    """The briefing's text; everything from the scenario is data (labels.literal), never markup."""
    org = scenario.organisation
    lines = [
        literal(scenario.title, "bold"),
        literal(
            t(
                "ui.briefing_when",
                organisation=org.name,
                start=scenario.start.strftime("%Y-%m-%d %H:%M"),
                duration=minutes(scenario.duration),
            )
        ),
        Content(""),
    ]
    if scenario.description:
        lines += [literal(reflow(scenario.description)), Content("")]
    lines.append(Content.styled(t("ui.briefing_roles"), "bold"))
    for role in scenario.roles:
        about = f" – {role.description.strip()}" if role.description else ""
        lines.append(literal(f"• {role.name}{about}"))
    known = [(name, fact) for name, fact in scenario.facts.items() if not (isinstance(fact, Fact) and not fact.public)]
    lines += [Content(""), Content.styled(t("ui.briefing_facts"), "bold")]
    if known:
        lines += [literal(f"• {name}: {fact_value(fact)}") for name, fact in known]
    else:
        lines.append(Content.styled(t("ui.briefing_no_facts"), "dim"))
    return Content("\n").join(lines)


class BriefingScreen(ModalScreen[None]):
    """Shown before the clock; `starts`: this seat may start it (solo, facilitator)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "start", show=False)]
    DEFAULT_CSS = """
    BriefingScreen { align: center middle; }
    #briefing-box {
        width: 90%; max-width: 110; height: 90%; border: thick $primary; background: $surface; padding: 0 1;
    }
    #briefing-scroll { height: 1fr; }
    #briefing-foot { height: auto; padding-top: 1; }
    #briefing-foot Button { margin-right: 2; }
    #briefing-wait { color: $text-muted; }
    """

    def __init__(self, scenario: Scenario, *, starts: bool) -> None:
        super().__init__(id="briefing")
        self.scenario = scenario
        self.starts = starts

    def compose(self) -> ComposeResult:
        with Vertical(id="briefing-box"):
            yield Static(Content.styled(t("ui.briefing_title"), "bold reverse"), id="briefing-head")
            with VerticalScroll(id="briefing-scroll"):
                yield Static(briefing_text(self.scenario), id="briefing-text")
            with Vertical(id="briefing-foot"):
                if self.starts:
                    yield Button(t("ui.briefing_start"), variant="primary", id="briefing-start")
                else:
                    yield Static(t("ui.briefing_wait"), id="briefing-wait")

    def on_mount(self) -> None:
        self.query_one("#briefing-start" if self.starts else "#briefing-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.starts if action == "start" else True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "briefing-start":
            event.stop()
            self.action_start()

    def action_start(self) -> None:
        start = getattr(self.app, "start_clock", None)
        if start is not None:
            start()
