"""Short labels for the UI, all through the translation layer, and the one way to show outside text."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from krisovning.i18n import t
from krisovning.i18n.fmt import exercise_clock
from krisovning.textsafe import visible, visible_line


def channel(name: str) -> str:
    return t(f"channel.{name}")


def publish_channel(name: str) -> str:
    return t(f"publish.{name}")


def clock(seconds: float) -> str:
    return exercise_clock(seconds)


def countdown(seconds: float) -> str:
    """`mm:ss` left, or `+mm:ss` overdue."""
    sign = "" if seconds >= 0 else "+"
    total = int(abs(seconds))
    return f"{sign}{total // 60:02d}:{total % 60:02d}"


def world_hhmm(iso: str) -> str:
    return iso[11:16] if len(iso) >= 16 else iso


def literal(text: str, style: str = "") -> Content:
    """Text from a scenario, a journal or a person, for a widget: never markup, controls shown as `\\xNN`."""
    return Content.styled(visible(text), style) if style else Content(visible(text))


def cell(text: str, limit: int | None = None) -> Text:
    """The same for a one-line table cell (Rich `Text`: a `DataTable` reads a plain `str` as markup)."""
    return Text(visible_line(text)[:limit], end="")
