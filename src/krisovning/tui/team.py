"""The team's panes: inbox with reply (tui/inbox.py), publish, situation picture, decisions, checklists, objectives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, DataTable, Label, SelectionList, Static, TabPane, TextArea

from krisovning.engine.actions import Action
from krisovning.i18n import t
from krisovning.metrics.quality import QualityMeter
from krisovning.report.fmt import outcome as outcome_label
from krisovning.scenario.types import PublishChannel
from krisovning.tui import labels
from krisovning.tui.fields import Composer, Field, Submitted, submit
from krisovning.tui.inbox import InboxPane as InboxPane  # its own file (tui/inbox.py); named here as before

if TYPE_CHECKING:
    from krisovning.scenario import Scenario
    from krisovning.tui.feed_view import FeedPost


class Act(Message):
    """A pane asks the app to take an action that carries no typed text (the app journals it)."""

    def __init__(self, kind: str, **fields: object) -> None:
        super().__init__()
        self.kind = kind
        self.fields = fields


class Pane(TabPane):
    """A tab that brings itself forward when something in it takes the focus, as Textual's does,
    but not for a focus that has already moved on: a function key pressed right after a click
    or an Enter was otherwise undone when the late notice arrived."""

    def _on_descendant_focus(self, event: events.DescendantFocus) -> None:
        event.prevent_default()
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors:
            self.post_message(self.Focused(self))


QUALITY_DELAY = 0.25  # seconds after the last keystroke before the plain-language hint is measured again


class PublishPane(Vertical):
    def __init__(self, topics: Sequence[tuple[str, str]] = (), meter: QualityMeter | None = None) -> None:
        """`topics`: the scenario's (id, title), for the author to tick what a publication answers;
        `meter`: the scenario's plain-language targets, for a hint while writing (never a refusal)."""
        super().__init__(id="publish-pane")
        self.answering: FeedPost | None = None
        self.topics = list(topics)
        self.meter = meter
        self._measure: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label(t("ui.publish_intro"), classes="intro")
        options = [(labels.publish_channel(c.value), c.value, c is PublishChannel.web) for c in PublishChannel]
        with Horizontal(id="publish-row"):
            if self.topics:
                with Vertical(id="publish-lists"):
                    yield SelectionList[str](*options, id="publish-channels")
                    yield Label(t("ui.publish_topics"))
                    yield SelectionList[str](
                        *((labels.literal(title), tid) for tid, title in self.topics), id="publish-topics"
                    )
            else:
                yield SelectionList[str](*options, id="publish-channels")
            with Vertical():
                yield Static("", id="answering")
                yield Composer("ui.publish_hint", id="publish-text", placeholder=t("ui.publish_placeholder"))
                yield Static("", id="publish-quality")
                yield Button(t("ui.publish_button"), id="send-publish", variant="primary")
        yield Static("", id="publish-log")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "publish-text":
            self._soon()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        if event.selection_list.id == "publish-topics":
            self._soon()

    def _soon(self) -> None:
        """Measure once typing pauses: a keystroke costs nothing, the hint follows within QUALITY_DELAY."""
        if self.meter is None:
            return
        if self._measure is not None:
            self._measure.stop()
        self._measure = self.set_timer(QUALITY_DELAY, self.show_quality)

    def show_quality(self) -> None:
        """The plain-language hint for what is written now (metrics/quality.py)."""
        self._measure = None
        if self.meter is None:
            return
        text = self.query_one("#publish-text", Composer).text
        ticked = self.query("#publish-topics").first(SelectionList) if self.topics else None
        quality = self.meter.measure(text, tuple(ticked.selected) if ticked is not None else ())
        hint = self.meter.hint(quality)
        box = self.query_one("#publish-quality", Static)
        box.update(labels.literal(f"{t('ui.quality_label')}: {hint}") if hint else "")
        box.set_class(bool(hint) and not (quality.readable and not quality.missing and not quality.avoid), "advice")
        box.display = bool(hint)

    def answer(self, post: FeedPost) -> None:
        self.answering = post
        channels = self.query_one("#publish-channels", SelectionList)
        channels.deselect_all()
        channels.select(PublishChannel.social.value)
        self.query_one("#answering", Static).update(
            labels.literal(t("ui.answering", author=post.handle or post.author, text=post.text[:100]))
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send-publish":
            event.stop()
            self.send()

    def on_submitted(self, event: Submitted) -> None:
        event.stop()
        self.submit(event.box, event.text)

    def send(self) -> None:
        box = self.query_one("#publish-text", Composer)
        self.submit(box, box.take())

    def submit(self, box: Composer | Field, text: str) -> None:
        channels = tuple(self.query_one("#publish-channels", SelectionList).selected)
        post = self.answering.id if self.answering else None
        ticked = self.query("#publish-topics").first(SelectionList) if self.topics else None
        topics = tuple(ticked.selected) if ticked is not None else ()
        if not submit(self, "publish", channels=channels, text=text, post=post, topics=topics):
            box.give_back(text)
            return
        if ticked is not None:
            ticked.deselect_all()
        self.answering = None
        self.query_one("#answering", Static).update("")

    def show_log(self, history: list[tuple[float, Action]], names: dict[str, str]) -> None:
        lines = [
            labels.literal(
                f"{labels.clock(t_)}  {labels.by(a, names)}"
                f"{', '.join(labels.publish_channel(c) for c in a.channels)}: {a.text[:120]}"
            )
            for t_, a in reversed(history[-20:])
        ]
        self.query_one("#publish-log", Static).update(Content("\n").join(lines))


SITUATION_FIELDS = ("situation", "actions", "needs", "next_update")


class SituationPane(Vertical):
    def __init__(self) -> None:
        super().__init__(id="situation-pane")

    def compose(self) -> ComposeResult:
        yield Label(t("ui.situation_intro"), classes="intro")
        for name in SITUATION_FIELDS:
            yield Field(enter=False, placeholder=labels.label(labels.SITUATION_KEYS, name), id=f"sit-{name}")
        yield Button(t("ui.situation_button"), id="send-situation", variant="primary")
        yield Static("", id="situation-log")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send-situation":
            event.stop()
            self.send()

    def on_submitted(self, event: Submitted) -> None:
        event.stop()
        self.send(event.box, event.text)

    def send(self, sender: Composer | Field | None = None, text: str = "") -> None:
        boxes = {name: self.query_one(f"#sit-{name}", Field) for name in SITUATION_FIELDS}
        fields = {name: text if box is sender else box.take() for name, box in boxes.items()}
        joined = " / ".join(v for v in fields.values() if v.strip())
        if not submit(self, "situation_update", text=joined, fields={k: v for k, v in fields.items() if v.strip()}):
            for name, box in boxes.items():
                box.give_back(fields[name])

    def show_log(self, history: list[tuple[float, Action]], names: dict[str, str]) -> None:
        lines = []
        for time_, action in reversed(history[-10:]):
            parts = [f"{labels.label(labels.SITUATION_KEYS, k)}: {v}" for k, v in action.fields.items()] or [
                action.text
            ]
            text = labels.by(action, names) + " · ".join(parts)
            lines.append(Content.assemble((labels.clock(time_), "bold"), "  ", labels.literal(text)))
        self.query_one("#situation-log", Static).update(Content("\n").join(lines))


class DecisionPane(Vertical):
    def __init__(self, topics: Sequence[tuple[str, str]] = ()) -> None:
        """`topics`: the scenario's (id, title), for the author to tick what a decision is about."""
        super().__init__(id="decision-pane")
        self.topics = list(topics)

    def compose(self) -> ComposeResult:
        with Horizontal(id="decision-row"):
            yield Field(placeholder=t("ui.decision_placeholder"), id="decision-text")
            yield Button(t("ui.decision_button"), id="send-decision", variant="primary")
        if self.topics:
            yield Label(t("ui.decision_topics"))
            yield SelectionList[str](
                *((labels.literal(title), tid) for tid, title in self.topics), id="decision-topics"
            )
        yield Static("", id="decision-log")

    def on_submitted(self, event: Submitted) -> None:
        event.stop()
        self.submit(event.box, event.text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send-decision":
            event.stop()
            self.send()

    def send(self) -> None:
        box = self.query_one("#decision-text", Field)
        self.submit(box, box.take())

    def submit(self, box: Composer | Field, text: str) -> None:
        ticked = self.query("#decision-topics").first(SelectionList) if self.topics else None
        topics = tuple(ticked.selected) if ticked is not None else ()
        if not submit(self, "decision", text=text, topics=topics):
            box.give_back(text)
            return
        if ticked is not None:
            ticked.deselect_all()

    def show_log(self, history: list[tuple[float, Action]], names: dict[str, str]) -> None:
        self.query_one("#decision-log", Static).update(
            Content("\n").join(
                Content.assemble((labels.clock(t_), "bold"), "  ", labels.literal(labels.by(a, names) + a.text))
                for t_, a in reversed(history)
            )
        )


class ChecklistPane(VerticalScroll):
    def __init__(self, scenario: Scenario) -> None:
        super().__init__(id="checklist-pane")
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        if not self.scenario.checklists:
            yield Label(t("ui.no_checklists"))
        for checklist in self.scenario.checklists:
            yield Label(labels.literal(checklist.title, "bold"))
            items = [
                (
                    labels.literal(item.text + (f"  ({t('ui.due', time=labels.clock(item.due))})" if item.due else "")),
                    f"{checklist.id}/{item.id}",
                )
                for item in checklist.items
            ]
            yield SelectionList[str](*items, id=f"cl-{checklist.id}", classes="checklist")

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled) -> None:
        event.stop()
        value = str(event.selection.value)
        checklist, item = value.split("/", 1)
        if value in event.selection_list.selected:
            self.post_message(Act("checklist", checklist=checklist, item=item))
        else:  # a tick is a journaled fact: it cannot be taken back
            event.selection_list.select(value)
            self.app.notify(t("ui.cannot_untick"), severity="warning")

    def sync(self, ticks: dict[tuple[str, str], float]) -> None:
        for checklist, item in ticks:
            try:
                lst = self.query_one(f"#cl-{checklist}", SelectionList)
            except Exception:  # a checklist id the UI does not show
                continue
            value = f"{checklist}/{item}"
            if value not in lst.selected:
                with lst.prevent(SelectionList.SelectionToggled, SelectionList.SelectedChanged):
                    lst.select(value)


class ObjectivesPane(Vertical):
    def __init__(self) -> None:
        super().__init__(id="objectives-pane")

    def compose(self) -> ComposeResult:
        yield Label(t("ui.objectives_intro"), classes="intro")
        table: DataTable[Text] = DataTable(id="objectives", cursor_type="row")
        table.add_column(t("ui.col.objective_criterion"), key="title")
        table.add_column(t("ui.col.outcome"), key="outcome")
        table.add_column(t("ui.col.evidence"), key="evidence")
        yield table

    def show(self, results: list[tuple[str, str, str, str]]) -> None:
        table = self.query_one("#objectives", DataTable)
        table.clear()
        for title, criterion, outcome, evidence in results:
            table.add_row(
                labels.objective_cell(title, criterion),
                labels.cell(outcome_label(outcome)),
                labels.cell(evidence),
                height=None,
            )
