"""Declining an interview from the reply form: a clear choice with an optional reason.

It is journaled as a reply with `declined` (engine/actions.py), so it goes wherever a reply goes (a
team seat's through its link to the host); the journalist's story then says "kommunen avböjer"
(engine/media.py) and quotes the reason when there is one.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from krisovning.i18n import t
from krisovning.textsafe import visible_line
from krisovning.tui.fields import Field, Submitted


class DeclineScreen(ModalScreen[str | None]):
    """Decline (Enter in the reason, or the button) with the reason as written; Escape cancels (None)."""

    DEFAULT_CSS = """
    DeclineScreen { align: center middle; }
    #decline-box { width: 72; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    #decline-title { text-style: bold; width: 100%; }
    #decline-help { margin: 1 0; width: 100%; }
    #decline-buttons { height: auto; margin-top: 1; }
    #decline-buttons Button { margin-right: 2; }
    """
    AUTO_FOCUS = "#decline-reason"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, who: str, reason: str = "") -> None:
        super().__init__(classes="decline")
        self.who, self.reason = who, reason

    def compose(self) -> ComposeResult:
        with Vertical(id="decline-box"):
            # the journalist's name is scenario text: literal, never markup
            yield Label(Content(visible_line(t("ui.decline.title", who=self.who))), id="decline-title")
            yield Label(Content(t("ui.decline.help")), id="decline-help")
            yield Field(value=self.reason, placeholder=t("ui.decline.reason"), id="decline-reason")
            with Horizontal(id="decline-buttons"):
                yield Button(Content(t("ui.decline.confirm")), variant="warning", id="decline-confirm")
                yield Button(Content(t("ui.decline.cancel")), id="decline-cancel")

    def on_submitted(self, event: Submitted) -> None:
        event.stop()
        self.dismiss(event.text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "decline-confirm":
            self.dismiss(self.query_one("#decline-reason", Field).take())
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
