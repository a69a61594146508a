"""A one-message app: why a browser seat could not start, shown in the page instead of a hang on its splash.

Under textual-serve a command's standard error goes to the server, not the person at the browser; a
command that fails there shows its message here and waits for a key (cli/webseat.py).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from krisovning.i18n import t
from krisovning.textsafe import visible
from krisovning.tui.testscreen import watch_screen


class NoticeApp(App[None]):
    """The message (plain text, never markup) and a line saying any key closes the page's session."""

    CSS: ClassVar[str] = """
    #notice-title { text-style: bold; color: $error; padding: 1 2 0 2; }
    #notice-text { padding: 1 2; }
    #notice-close { dock: bottom; padding: 0 2; color: $text-muted; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.notice_title, self.notice_text = title, text

    def compose(self) -> ComposeResult:
        yield Static(Content(visible(self.notice_title)), id="notice-title")
        with VerticalScroll():
            yield Static(Content(visible(self.notice_text)), id="notice-text")
        yield Static(Content(t("web.notice_close")), id="notice-close")

    def on_mount(self) -> None:
        watch_screen(self)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.exit()


def show_notice(title: str, text: str) -> None:
    NoticeApp(title, text).run()
