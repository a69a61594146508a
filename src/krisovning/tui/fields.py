"""Text boxes that hand over exactly what was submitted, emptied in the same step.

Enter (in a one-line field) and Ctrl+S are handled in the box's own key handler, so in the
order typed: as a binding they would run only once the key had bubbled up to the app, after
the keys typed next had landed in the box ("Beslut BBeslut C", twice). A paste arrives with its
control characters written out (`\\xNN`, textsafe.visible): a box draws what it holds as is, so
an ESC pasted in would reach the terminal.
"""

from __future__ import annotations

import json
import time
from typing import Any, Protocol, runtime_checkable

from textual import events
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, TextArea

from krisovning.i18n import t
from krisovning.textsafe import visible

REPEAT_WINDOW = 1.0  # seconds of wall time: the same submit again within it is a double press


class Repeats:
    """A double Enter or Ctrl+S is one action: the same submit again within `REPEAT_WINDOW` is not
    taken a second time, and a second press that finds the box already empty is quiet."""

    def __init__(self) -> None:
        self.last: tuple[str, str, float] | None = None  # kind, fields as JSON, monotonic time

    def check(self, kind: str, fields: dict[str, object]) -> bool | None:
        """True: already taken; False: an empty second press; None: a new submit."""
        last = self.last
        if last is None or last[0] != kind or time.monotonic() - last[2] >= REPEAT_WINDOW:
            return None
        if last[1] == json.dumps(fields, sort_keys=True, default=str):
            return True
        inner = fields.get("fields")  # an ad-hoc inject's text is one level down
        texts = (fields.get("text", ""), inner.get("text", "") if isinstance(inner, dict) else "")
        return None if any(str(v).strip() for v in texts) else False

    def taken(self, kind: str, fields: dict[str, object]) -> None:
        self.last = (kind, json.dumps(fields, sort_keys=True, default=str), time.monotonic())


@runtime_checkable
class _Submits(Protocol):
    def submit(self, kind: str, **fields: Any) -> bool: ...


def submit(widget: Widget, kind: str, **fields: Any) -> bool:
    """Hand an action to the drill app (`DrillAppBase.submit`, tui/app.py); False if it was refused."""
    app = widget.app
    assert isinstance(app, _Submits), app  # the panes live only in the drill app
    return app.submit(kind, **fields)


class Submitted(Message):
    """A box's text, taken out of it: the pane turns it into an action, or gives it back."""

    def __init__(self, box: Composer | Field, text: str) -> None:
        super().__init__()
        self.box = box
        self.text = text

    @property
    def control(self) -> Composer | Field:
        return self.box


class TextBox(TextArea):
    """A multi-line box whose pastes hold no raw control characters."""

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # (Textual would call TextArea's handler with the raw text next)
        await super()._on_paste(events.Paste(visible(event.text)))


class LineBox(Input):
    """A one-line box whose pastes hold no raw control characters."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()
        event.stop()
        super()._on_paste(events.Paste(visible(event.text)))


class Composer(TextBox):
    """A text box that says, while it has focus, how to send what is written (Ctrl+S)."""

    def __init__(self, hint_key: str, **kwargs: Any) -> None:
        super().__init__(soft_wrap=True, **kwargs)
        self.hint_key = hint_key

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self.border_subtitle = t(self.hint_key)

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self.border_subtitle = ""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "ctrl+s":
            event.stop()
            event.prevent_default()
            self.post_message(Submitted(self, self.take()))
        # (any other key: Textual calls the base class's own _on_key next)

    def take(self) -> str:
        """The text, and an empty box."""
        text = self.text
        self.clear()
        return text

    def give_back(self, text: str) -> None:
        """An action was refused: what was written returns, before anything typed since."""
        if text:
            self.text = text + self.text
            self.move_cursor(self.document.end)


class Field(LineBox):
    """A one-line field; Enter submits if `enter` (else only Ctrl+S, for the pane's send)."""

    def __init__(self, *, enter: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.enter = enter

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "ctrl+s" or (self.enter and event.key == "enter"):
            event.stop()
            event.prevent_default()
            self.post_message(Submitted(self, self.take()))
        # (any other key: Textual calls the base class's own _on_key next)

    def take(self) -> str:
        text = self.value
        self.value = ""
        return text

    def give_back(self, text: str) -> None:
        if text:
            self.value = text + self.value
            self.cursor_position = len(self.value)
