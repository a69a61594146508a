"""An observation tied to an objective: the observer's and the facilitator's note of what they saw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Select, Static

from krisovning.i18n import t
from krisovning.tui import labels
from krisovning.tui.fields import Composer, Field, Submitted, submit

if TYPE_CHECKING:
    from krisovning.engine.actions import Action
    from krisovning.scenario import Scenario

NONE = ""


def objective_select(scenario: Scenario, select_id: str) -> Select[str]:
    """The scenario's objectives by title, and "none" first (an observation need not bear on one)."""
    options: list[tuple[Content | str, str]] = [(t("ui.objective_none"), NONE)]
    options += [(labels.literal(o.title), o.id) for o in scenario.objectives]
    return Select(options, value=NONE, allow_blank=False, id=select_id)


def note(widget: Select[str] | None, box: Composer | Field, text: str) -> None:
    """Send an observation (with the chosen objective); what was written returns if it is refused."""
    objective = str(widget.value) if widget is not None and widget.value not in (NONE, Select.BLANK) else None
    if not submit(box, "observation", text=text, objective=objective):
        box.give_back(text)


class ObservationForm(Vertical):
    def __init__(self, scenario: Scenario) -> None:
        super().__init__(id="observe-form")
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        yield Label(t("ui.observe_intro"), classes="intro")
        with Horizontal(classes="row"):
            yield objective_select(self.scenario, "observe-objective")
            yield Field(placeholder=t("ui.observation_placeholder"), id="observe-text")
            yield Button(t("ui.note_button"), id="observe-note", variant="primary")
        yield Static("", id="observe-log")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "observe-note":
            event.stop()
            box = self.query_one("#observe-text", Field)
            note(self.query_one("#observe-objective", Select), box, box.take())

    def on_submitted(self, event: Submitted) -> None:
        event.stop()
        note(self.query_one("#observe-objective", Select), event.box, event.text)

    def show_log(self, observed: list[tuple[float, Action]]) -> None:
        titles = {o.id: o.title for o in self.scenario.objectives}
        lines = []
        for at, action in reversed(observed[-8:]):
            about = titles.get(action.objective or "", action.objective or "")
            text = f"[{about}] {action.text}" if about else action.text
            lines.append(Content.assemble((labels.clock(at), "bold"), "  ", labels.literal(text)))
        self.query_one("#observe-log", Static).update(Content("\n").join(lines))
