"""Small screens: confirm quit, help, end-of-drill summary."""

from __future__ import annotations

from importlib import resources
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Markdown, Static

from krisovning.i18n import get_language, t
from krisovning.report.fmt import outcome as outcome_label
from krisovning.tui.labels import cell, literal, objective_cell


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question that answers to the keyboard: j or y yes, n or Escape no (the keys are on the buttons)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,y", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(self, question: str, yes: str, no: str, *, purpose: str = "") -> None:
        super().__init__(classes="confirm")
        self.question, self.yes, self.no, self.purpose = question, yes, no, purpose

    def compose(self) -> ComposeResult:
        with Grid(id="confirm-box"):
            yield Label(self.question, id="confirm-question")
            yield Button(Content(t("ui.button_key", label=self.yes, key=t("ui.key_yes"))), variant="error", id="yes")
            yield Button(Content(t("ui.button_key", label=self.no, key=t("ui.key_no"))), variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", show=False)]

    def compose(self) -> ComposeResult:
        text = resources.files("krisovning").joinpath(f"data/help.{get_language()}.md").read_text(encoding="utf-8")
        with Vertical(id="help-box"):
            with VerticalScroll():
                yield Markdown(text, id="help-text")
            yield Label(t("ui.help_close"), id="help-close")

    def action_close(self) -> None:
        self.dismiss(None)


class SummaryScreen(ModalScreen[str]):
    """The hot wash starts here: objectives, response times, missed deadlines, the report command."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", show=False)]

    def __init__(self, session: str, objectives: list[tuple[str, str, str, str]], figures: list[str]) -> None:
        super().__init__(classes="summary")
        self.session, self.objectives, self.figures = session, objectives, figures

    def compose(self) -> ComposeResult:
        with Vertical(id="summary-box"):
            yield Label(t("ui.summary_title"), id="summary-title")
            table: DataTable[Text] = DataTable(id="summary-objectives", cursor_type="row")
            table.add_column(t("ui.col.objective_criterion"))
            table.add_column(t("ui.col.outcome"))
            table.add_column(t("ui.col.evidence"))
            for title, criterion, outcome, evidence in self.objectives:
                table.add_row(
                    objective_cell(title, criterion), cell(outcome_label(outcome)), cell(evidence), height=None
                )
            yield table
            yield Static(literal("\n".join(self.figures)), id="summary-figures")
            yield Static(literal(t("ui.summary_report", session=self.session)), id="summary-report")
            with Horizontal(classes="buttons"):
                yield Button(t("ui.summary_quit"), variant="primary", id="quit")
                yield Button(t("ui.summary_back"), id="back")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(str(event.button.id))

    def action_back(self) -> None:
        self.dismiss("back")
