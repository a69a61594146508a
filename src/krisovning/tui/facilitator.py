"""The facilitator's screen (spelledning): timeline, controls, ad-hoc injects, observations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static, TextArea

from krisovning.i18n import t
from krisovning.scenario.types import InjectChannel, Priority
from krisovning.session.live import SPEEDS
from krisovning.session.seats import SOLO, Seat
from krisovning.tui import labels
from krisovning.tui.fields import Composer, Field, LineBox, Submitted, TextBox, submit
from krisovning.tui.observe import drill_notes, note, numbered_log, objective_select, rating_select, withdraw
from krisovning.tui.team import Act
from krisovning.vocab import EXPECTED_ACTIONS, SeatKind

if TYPE_CHECKING:
    from krisovning.scenario import Scenario


@runtime_checkable
class _Console(Protocol):
    """What this screen asks of the drill app (tui/app.py) besides actions (`fields.submit`)."""

    def action_toggle_pause(self) -> None: ...
    def action_end_drill(self) -> None: ...
    def set_speed(self, speed: float) -> None: ...


def facilitator_bindings() -> list[Binding]:
    return [
        Binding("f9,escape", "app.pop_screen", t("key.back")),
        Binding("f10", "app.toggle_pause", t("key.pause")),
        Binding("plus", "app.faster", t("key.faster")),
        Binding("minus", "app.slower", t("key.slower")),
        Binding("f1", "app.help", t("key.help")),
    ]


class FacilitatorScreenBase(Screen):
    def __init__(self, scenario: Scenario, speed: float, seat: Seat = SOLO) -> None:
        super().__init__(id="facilitator")
        self.scenario = scenario
        self.speed = speed
        self.seat = seat

    def compose(self) -> ComposeResult:
        yield Static(t("ui.facilitator_banner"), id="facilitator-banner")
        yield Static("", id="facilitator-clock")
        with Horizontal(id="facilitator-body"):
            with Vertical(id="timeline-col"):
                yield Label(t("ui.upcoming"), classes="intro")
                table: DataTable[str] = DataTable(id="upcoming", cursor_type="row")
                for key in ("when", "id", "channel", "to", "subject"):
                    table.add_column(labels.label(labels.COLUMN_KEYS, key), key=key)
                yield table
                with Horizontal(classes="buttons"):
                    yield Button(t("ui.fire_now"), id="fire", variant="warning")
                    yield Button(t("ui.skip"), id="skip")
                    yield Button(t("ui.pause_resume"), id="pause")
                    speeds = sorted(set(SPEEDS) | {self.speed})
                    yield Select([(f"{s:g}×", s) for s in speeds], value=self.speed, allow_blank=False, id="speed")
                yield Label(t("ui.observations"), classes="intro")
                with Horizontal(classes="row"):
                    if self.seat.kind != SeatKind.solo:  # a team drill's observations bear on an objective
                        yield objective_select(self.scenario, "observation-objective")
                        yield rating_select("observation-rating")
                    yield Input(placeholder=t("ui.note_number"), id="observation-number", classes="note-number")
                    yield Field(placeholder=t("ui.observation_placeholder"), id="observation")
                    yield Button(t("ui.note_button"), id="note")
                    yield Button(t("ui.note_delete"), id="note-delete")
                yield Static("", id="observation-log")
            with VerticalScroll(id="adhoc-col"):
                yield Label(t("ui.adhoc_title"), classes="intro")
                yield Select(
                    [(labels.channel(c.value), c.value) for c in InjectChannel],
                    value="phone",
                    allow_blank=False,
                    id="adhoc-channel",
                )
                yield LineBox(placeholder=t("ui.adhoc_from"), id="adhoc-from")
                yield Select(
                    [(labels.literal(r.name), r.id) for r in self.scenario.roles],
                    value=self.scenario.roles[0].id,
                    allow_blank=False,
                    id="adhoc-to",
                )
                yield LineBox(placeholder=t("ui.adhoc_subject"), id="adhoc-subject")
                yield TextBox(id="adhoc-text", soft_wrap=True, placeholder=t("ui.adhoc_text"))
                yield Select(
                    [(t("ui.expect.none"), ""), *[(labels.label(labels.EXPECT_KEYS, k), k) for k in EXPECTED_ACTIONS]],
                    value="",
                    allow_blank=False,
                    id="adhoc-expect",
                )
                yield Input(value="15m", placeholder=t("ui.adhoc_within"), id="adhoc-within")
                yield Select(
                    [(labels.label(labels.PRIORITY_KEYS, p), p.value) for p in Priority],
                    value="normal",
                    allow_blank=False,
                    id="adhoc-priority",
                )
                yield Button(t("ui.adhoc_button"), id="adhoc", variant="primary")
                yield Button(t("ui.end_drill"), id="end", variant="error")
        yield Footer()

    def refresh_view(
        self,
        upcoming: list[dict],
        now: float,
        speed: float,
        paused: bool,
        observations,
        ended: bool = False,
        lost: bool = False,
    ) -> None:
        state = (
            t("ui.drill_ended")
            if ended
            else t("ui.host_lost_bar")
            if lost
            else t("ui.paused")
            if paused
            else t("ui.running")
        )
        self.query_one("#facilitator-clock", Static).update(f"{labels.clock(now)}  ·  {speed:g}×  ·  {state}")
        table = self.query_one("#upcoming", DataTable)
        keep = table.cursor_row
        table.clear()
        for item in upcoming:
            when = (
                labels.clock(item["at"])
                if item["at"] is not None
                else (
                    t("ui.after", ref=item["after"])
                    if "after" in item
                    else labels.label(labels.WHEN_KEYS, item["when"], ref=_ref(item))
                )
            )
            table.add_row(
                *(
                    labels.cell(x)
                    for x in (when, item["id"], labels.channel(item["channel"]), item["to"], item["subject"])
                ),
                key=item["id"],
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        del observations  # numbered, as edited: from the drill's history (tui/observe.py)
        titles = {o.id: o.title for o in self.scenario.objectives}
        self.query_one("#observation-log", Static).update(numbered_log(drill_notes(self), titles))

    @property
    def console(self) -> _Console:
        app = self.app
        assert isinstance(app, _Console), app  # this screen lives only in the drill app
        return app

    def selected_inject(self) -> str | None:
        table = self.query_one("#upcoming", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_screen_resume(self) -> None:
        # back from a dialog (the end's summary among them): its clock line says what is now, "ended" too
        refresh = getattr(self.app, "refresh_facilitator", None)
        if refresh is not None:
            self.call_after_refresh(refresh)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button in ("fire", "skip"):
            self.post_message(Act(f"{button}_inject", inject=self.selected_inject() or ""))
        elif button == "pause":
            self.console.action_toggle_pause()
        elif button == "note":
            box = self.query_one("#observation", Field)
            self.note(box, box.take())
        elif button == "note-delete":
            withdraw(self, self.query_one("#observation-number"))
        elif button == "adhoc":
            self.add_inject()
        elif button == "end":
            self.console.action_end_drill()

    def on_submitted(self, event: Submitted) -> None:
        if event.box.id == "observation":
            event.stop()
            self.note(event.box, event.text)

    def note(self, box: Composer | Field, text: str) -> None:
        objective, rating = self.query("#observation-objective"), self.query("#observation-rating")
        number = self.query_one("#observation-number")
        note(objective.first(Select) if objective else None, box, text, rating.first() if rating else None, number)

    def restore_observation(self, text: str) -> None:
        """A draft kept while this screen was closed (tui/seat_ui.py)."""
        box = self.query_one("#observation", Field)
        if not box.value:
            box.value = text

    def add_inject(self) -> None:
        """Subject and text are taken out of their boxes in the same step as the action."""
        fields = self.adhoc_fields()
        subject, text = self.query_one("#adhoc-subject", Input), self.query_one("#adhoc-text", TextArea)
        subject.value = ""
        text.clear()
        if not submit(self, "add_inject", fields=fields):
            subject.value, text.text = fields["subject"] + subject.value, fields["text"] + text.text

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "speed":
            event.stop()
            value = event.value
            if not isinstance(value, int | float):  # no blank is offered (allow_blank=False)
                return
            if float(value) != self.speed:  # a Select announces its first value too: only a change counts
                self.speed = float(value)
                self.console.set_speed(self.speed)

    def adhoc_fields(self) -> dict[str, str]:
        fields = {
            "channel": str(self.query_one("#adhoc-channel", Select).value),
            "from": self.query_one("#adhoc-from", Input).value,
            "to": str(self.query_one("#adhoc-to", Select).value),
            "subject": self.query_one("#adhoc-subject", Input).value,
            "text": self.query_one("#adhoc-text", TextArea).text,
            "priority": str(self.query_one("#adhoc-priority", Select).value),
        }
        expect = str(self.query_one("#adhoc-expect", Select).value)
        if expect:
            fields["expect"] = expect
            fields["within"] = self.query_one("#adhoc-within", Input).value.strip() or "15m"
        return fields

    def sync_speed(self, speed: float) -> None:
        self.speed = speed
        select = self.query_one("#speed", Select)
        if select.value != speed and speed in SPEEDS:
            with select.prevent(Select.Changed):
                select.value = speed


def _ref(item: dict) -> str:
    ref = item.get("ref") or ""
    if item["when"] in ("action", "no_action"):
        return labels.label(labels.EXPECT_KEYS, ref) if ref != "checklist" else t("ui.tab.checklists").lower()
    if item["when"] == "metric":
        return labels.label(labels.METRIC_KEYS, ref)
    return ref
