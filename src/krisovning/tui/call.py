"""Phones ring: a call on the phone channel interrupts whatever the seat is doing, with a countdown in
drill time, until it is answered (the reply opens as the ongoing call), declined or rings out
(engine/calls.py decides when; this only shows it). A team seat rings only for its own roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label

from krisovning.engine.typed import ActionTaken, CallMissed, Inject, typed
from krisovning.i18n import t
from krisovning.textsafe import visible_line
from krisovning.tui.inbox import InboxPane
from krisovning.vocab import ActionKind, CoordinationKind, InjectChannel

ANSWER, DECLINE = CoordinationKind.answer_call.value, CoordinationKind.decline_call.value
_ENDS = frozenset({ANSWER, DECLINE, ActionKind.reply.value})


class Ringing:
    """The calls ringing for this seat, from the event stream: inject id → (when it stops ringing, the inject)."""

    def __init__(self, ring: float, holds: Callable[[str], bool]) -> None:
        self.ring = ring
        self.holds = holds
        self.calls: dict[str, tuple[float, Inject]] = {}
        self.missed: list[Inject] = []  # rang out since last asked (`take_missed`)

    def apply(self, events: Iterable[Any]) -> None:
        for event in map(typed, events):
            if isinstance(event, Inject):
                if event.channel == InjectChannel.phone and event.source != "story" and self.holds(event.to):
                    self.calls[event.id] = (event.t + self.ring, event)
            elif isinstance(event, ActionTaken):
                if event.action.kind in _ENDS:
                    self.calls.pop(event.action.inject or "", None)
            elif isinstance(event, CallMissed):
                gone = self.calls.pop(event.inject, None)
                if gone is not None:
                    self.missed.append(gone[1])

    def first(self, now: float) -> tuple[float, Inject] | None:
        """The oldest call still ringing at `now`."""
        return next((call for call in self.calls.values() if call[0] > now), None)

    def take_missed(self) -> list[Inject]:
        out, self.missed = self.missed, []
        return out


def caller(inject: Inject) -> str:
    sender = inject.sender
    return ", ".join(x for x in (sender.name, sender.title, sender.outlet or sender.organisation) if x)


class CallScreen(ModalScreen[str | None]):
    """The ringing phone: answer (Enter on the focused button, or `s`), decline (`a`, Escape)."""

    DEFAULT_CSS = """
    CallScreen { align: center middle; }
    #call-box { width: 64; height: auto; border: thick $error; background: $surface; padding: 1 2; }
    #call-title { text-style: bold; width: 100%; }
    #call-countdown { color: $warning; margin: 1 0; }
    #call-buttons { height: auto; }
    #call-buttons Button { margin-right: 2; }
    """
    AUTO_FOCUS = "#call-answer"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('answer')", show=False),
        Binding("a,escape", "choose('decline')", show=False),
    ]

    def __init__(self, inject: Inject, ends_at: float, now: float) -> None:
        super().__init__(classes="call")
        self.inject, self.ends_at, self.now = inject, ends_at, now

    def compose(self) -> ComposeResult:
        with Vertical(id="call-box"):
            # the caller's name and words are scenario text: literal, never markup
            yield Label(Content(visible_line(t("ui.call.title", caller=caller(self.inject)))), id="call-title")
            lines = self.inject.text.strip().splitlines()
            first = self.inject.subject or (lines[0] if lines else "")
            yield Label(Content(visible_line(first[:120])), id="call-subject")
            yield Label(Content(self._left()), id="call-countdown")
            with Horizontal(id="call-buttons"):
                yield Button(Content(t("ui.call.answer")), variant="success", id="call-answer")
                yield Button(Content(t("ui.call.decline")), variant="error", id="call-decline")

    def _left(self) -> str:
        return t("ui.call.ringing", seconds=max(0, round(self.ends_at - self.now)))

    def tick(self, now: float) -> None:
        """The drill's clock moved: count down (the app dismisses the screen when the call stops ringing)."""
        self.now = now
        for label in self.query("#call-countdown").results(Label):  # none before the screen is composed
            label.update(Content(self._left()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss("answer" if event.button.id == "call-answer" else "decline")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class CallPopups:
    """For the drill app (tui/app.py): `ring_calls(events)` after each delivery."""

    _ringing: Ringing | None = None
    _call_screen: CallScreen | None = None

    def ring_calls(self, events: list[Any]) -> None:
        app: Any = self
        if self._ringing is None:
            seat = app.live.seat
            self._ringing = Ringing(float(app.scenario.calls.ring), seat.holds)
        ringing = self._ringing
        ringing.apply(events)
        for inject in ringing.take_missed():
            app.notify(visible_line(t("ui.call.missed", caller=caller(inject))), severity="warning", markup=False)
        if not app.writes or not app.live.seat.allows(ANSWER):
            return
        now = app.live.now
        screen = self._call_screen
        if screen is not None:
            if screen.inject.id in ringing.calls and ringing.calls[screen.inject.id][0] > now:
                screen.tick(now)
                return
            self._call_screen = None
            if screen in app.screen_stack:
                screen.dismiss(None)
        call = ringing.first(now)
        # it interrupts the team's work, never the facilitator's screen or a dialog (it rings there when they close)
        if call is not None and not app.live.finished and app.screen is app.team:
            ends_at, inject = call
            screen = self._call_screen = CallScreen(inject, ends_at, now)
            app.push_screen(screen, lambda choice: self._chosen(screen, choice))

    def _chosen(self, screen: CallScreen, choice: str | None) -> None:
        app: Any = self
        inject = screen.inject
        if self._call_screen is screen:  # (a call that rang out is followed at once by the next one's screen)
            self._call_screen = None
        if choice is None:
            return
        if choice == "decline":
            app.act(DECLINE, inject=inject.id)
            return
        if app.act(ANSWER, inject=inject.id):
            self.open_reply(inject.id)

    def open_reply(self, inject_id: str) -> None:
        """The answered call, ongoing: its inject shown in the inbox and the reply box focused."""
        app: Any = self
        app.action_tab("inbox")
        inbox = app.team.query_one(InboxPane)
        table = inbox.query_one("#inbox", DataTable)
        if inject_id in table.rows:
            table.move_cursor(row=table.get_row_index(inject_id), animate=False)
        inbox.show(inject_id)
        inbox.query_one("#reply").focus()
        app.notify(t("ui.call.ongoing"), timeout=4, markup=False)
