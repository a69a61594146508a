"""An observation tied to an objective: the observer's and the facilitator's note of what they saw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from krisovning.i18n import t
from krisovning.metrics.judgement import RATINGS, Note, observed, resolve
from krisovning.report.fmt import outcome as outcome_label
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


def rating_select(select_id: str) -> Select[str]:
    """No rating (a plain observation) first, then the ratings an evaluator may set for the chosen objective."""
    options: list[tuple[Content | str, str]] = [(t("ui.rating_none"), NONE)]
    options += [(outcome_label(code), code) for code in RATINGS]
    return Select(options, value=NONE, allow_blank=False, id=select_id)


def _chosen(widget: Widget | None) -> str | None:
    if not isinstance(widget, Select) or widget.value in (NONE, Select.BLANK):
        return None
    return str(widget.value)


def _number(widget: Widget | None) -> int | None:
    value = widget.value.strip() if isinstance(widget, Input) else ""
    return int(value) if value.isdigit() else None


def drill_notes(box: Widget) -> list[Note]:
    """The observations of this drill as they stand, numbered as `krisovning notes --list` numbers them."""
    history = getattr(getattr(box.app, "live", None), "history", [])
    return resolve(observed(history), [])


def _replaces(box: Widget, number: int | None) -> int | bool | None:
    """The seq of note `number` (an edit names it); False, with a message, when there is no such note."""
    if number is None:
        return None
    note = next((n for n in drill_notes(box) if n.n == number and not n.deleted and n.ref.startswith("entry:")), None)
    if note is None:
        box.notify(t("notes.no_such", n=number, count=len(drill_notes(box))), severity="error", markup=False)
        return False
    return int(note.ref.removeprefix("entry:"))


def note(
    widget: Select[str] | None,
    box: Composer | Field,
    text: str,
    rating: Widget | None = None,
    number: Widget | None = None,
) -> None:
    """Send an observation (with the chosen objective and rating; with a note's number, an edit of that
    note); what was written returns if it is refused."""
    replaces = _replaces(box, _number(number))
    if replaces is False:
        box.give_back(text)
        return
    fields = {"objective": _chosen(widget), "rating": _chosen(rating), "replaces": replaces}
    if not submit(box, "observation", text=text, **{k: v for k, v in fields.items() if v is not None}):
        box.give_back(text)
    elif isinstance(number, Input):
        number.value = ""


def withdraw(box: Widget, number: Widget | None) -> None:
    """Delete the note whose number is given (a new entry that supersedes it: the journal keeps both)."""
    replaces = _replaces(box, _number(number))
    if replaces is None:
        box.notify(t("ui.note_number_needed"), severity="warning", markup=False)
    elif replaces is not False:
        # straight to the app's act, not `submit`: a deletion has no text, and a text-less submit within a
        # second of the last observation would be taken for an empty double press and dropped (fields.Repeats);
        # a second press finds the note gone and is refused with a message
        act = getattr(box.app, "act", None)
        if act is not None and act("observation", replaces=replaces, withdrawn=True) and isinstance(number, Input):
            number.value = ""


def numbered_log(notes: list[Note], titles: dict[str, str]) -> Content:
    """The last standing notes, newest first, each with its number (to edit or delete it) and its rating."""
    lines = []
    for n in reversed([x for x in notes if not x.deleted][-8:]):
        objective = n.body.get("objective", "")
        about = titles.get(objective, objective)
        rated = f" {outcome_label(n.body['rating'])}:" if n.body.get("rating") else ""
        text = f"[{about}]{rated} {n.text}" if about else n.text
        lines.append(
            Content.assemble((f"{n.n:>2} ", "dim"), (labels.clock(n.t or 0.0), "bold"), "  ", labels.literal(text))
        )
    return Content("\n").join(lines)


class ObservationForm(Vertical):
    def __init__(self, scenario: Scenario) -> None:
        super().__init__(id="observe-form")
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        yield Label(t("ui.observe_intro"), classes="intro")
        with Horizontal(classes="row"):
            yield objective_select(self.scenario, "observe-objective")
            yield rating_select("observe-rating")
            yield Input(placeholder=t("ui.note_number"), id="observe-number", classes="note-number")
            yield Field(placeholder=t("ui.observation_placeholder"), id="observe-text")
            yield Button(t("ui.note_button"), id="observe-note", variant="primary")
            yield Button(t("ui.note_delete"), id="observe-delete")
        yield Static("", id="observe-log")

    def _send(self, box: Composer | Field, text: str) -> None:
        rating, number = self.query_one("#observe-rating"), self.query_one("#observe-number")
        note(self.query_one("#observe-objective", Select), box, text, rating, number)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "observe-note":
            event.stop()
            box = self.query_one("#observe-text", Field)
            self._send(box, box.take())
        elif event.button.id == "observe-delete":
            event.stop()
            withdraw(self, self.query_one("#observe-number"))

    def on_submitted(self, event: Submitted) -> None:
        event.stop()
        self._send(event.box, event.text)

    def show_log(self, _observed: list[tuple[float, Action]]) -> None:
        # the numbered notes come from the drill's history (edits and deletions applied)
        titles = {o.id: o.title for o in self.scenario.objectives}
        self.query_one("#observe-log", Static).update(numbered_log(drill_notes(self), titles))
