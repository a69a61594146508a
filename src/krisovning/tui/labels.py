"""Short labels for the UI, all through the translation layer."""

from __future__ import annotations

from krisovning.i18n import t
from krisovning.scenario.durations import format_clock


def channel(name: str) -> str:
    return t(f"channel.{name}")


def publish_channel(name: str) -> str:
    return t(f"publish.{name}")


def clock(seconds: float) -> str:
    return format_clock(seconds)


def countdown(seconds: float) -> str:
    """`mm:ss` left, or `+mm:ss` overdue."""
    sign = "" if seconds >= 0 else "+"
    total = int(abs(seconds))
    return f"{sign}{total // 60:02d}:{total % 60:02d}"


def world_hhmm(iso: str) -> str:
    return iso[11:16] if len(iso) >= 16 else iso
