"""The drill UI's live social-media feed: statistics, a category filter and the virtualised view.

`FeedPanel` composes `FeedStats` (a posts-per-hour sparkline and a summary line), `CategoryFilter`
(one line of toggle chips) and `FeedView` (see `feed_view`); `add_events` feeds them all.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Sparkline

from krisovning.engine.events import POST, SAMPLE, Event
from krisovning.engine.typed import SocialSample, typed
from krisovning.i18n import t
from krisovning.tui.feed_view import (
    CAPACITY,
    CATEGORIES,
    CATEGORY_KEYS,
    FeedPost,
    FeedView,
    FeedWorld,
    clock,
    fit,
    flatten,
)

__all__ = [
    "CAPACITY",
    "CATEGORIES",
    "CategoryFilter",
    "FeedPanel",
    "FeedPost",
    "FeedStats",
    "FeedView",
    "FeedWorld",
    "clock",
    "fit",
    "flatten",
]


_CHIP_KEYS = {"all": "feed.cat.all", **CATEGORY_KEYS}


class FeedStats(Widget):
    """A sparkline of posts per hour (the last `samples` `social_sample` events) and a summary line."""

    DEFAULT_CSS = """
    FeedStats { height: 1; layout: horizontal; }
    FeedStats > Label { width: auto; height: 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    FeedStats > Sparkline { width: 1fr; min-width: 6; height: 1; margin-left: 1; }
    """

    def __init__(
        self, samples: int = 60, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rates: deque[float] = deque(maxlen=samples)
        self.last_sample: SocialSample | None = None
        self.total = 0  # posts seen
        self.summary = Label(self.summary_text(), id="feed-summary", markup=False)
        self.sparkline = Sparkline([], id="feed-sparkline")
        self.sparkline.tooltip = t("feed.sparkline.tooltip")

    def compose(self) -> ComposeResult:
        yield self.summary
        yield self.sparkline

    def summary_text(self) -> str:
        sample = self.last_sample
        return t(
            "feed.summary",
            rate=round(sample.rate) if sample else 0,
            rumour=round(100 * sample.rumour_share) if sample else 0,
            negative=round(100 * sample.negative_share) if sample else 0,
            total=self.total,
        )

    def add_events(self, events: Iterable[Event]) -> None:
        total, sample = self.total, self.last_sample
        for event in events:
            if event.kind == POST:
                self.total += 1
            elif event.kind == SAMPLE:
                item = typed(event)
                if isinstance(item, SocialSample):
                    self.rates.append(float(item.rate))
                    self.last_sample = item
        if sample is not self.last_sample:
            self.sparkline.data = list(self.rates)
        if sample is not self.last_sample or total != self.total:
            text = self.summary_text()
            self.summary.update(text, layout=cell_len(text) != cell_len(str(self.summary.content)))


class CategoryFilter(Widget, can_focus=True):
    """One line of toggle chips: "all" and each category. ←/→ move, space/enter toggle, a click toggles."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("space,enter", "toggle_chip", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"category-filter--off", "category-filter--on", "category-filter--cursor"}
    DEFAULT_CSS = """
    CategoryFilter {
        height: 1; width: 1fr;
        & > .category-filter--off { color: $text-muted; }
        & > .category-filter--on { color: $foreground; background: $primary 40%; text-style: bold; }
        &:focus > .category-filter--cursor { text-style: reverse; }
    }
    """

    class Changed(Message):
        def __init__(self, category_filter: CategoryFilter, categories: frozenset[str] | None) -> None:
            super().__init__()
            self.category_filter = category_filter
            self.categories = categories  # None: all

        @property
        def control(self) -> CategoryFilter:
            return self.category_filter

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.chips = ("all", *CATEGORIES)
        self.selected: set[str] = set()
        self.cursor = 0
        self._spans: list[tuple[int, int]] = []
        self.tooltip = t("feed.filter.tooltip")

    def render(self) -> Text:
        text, self._spans = Text(no_wrap=True, overflow="ellipsis", end=""), []
        for i, chip in enumerate(self.chips):
            on = chip in self.selected or (chip == "all" and not self.selected)
            style = self.get_component_rich_style(f"category-filter--{'on' if on else 'off'}")
            if self.has_focus and i == self.cursor:
                style += self.get_component_rich_style("category-filter--cursor", partial=True)
            start = text.cell_len
            text.append(f" {t(_CHIP_KEYS[chip])} ", style)
            self._spans.append((start, text.cell_len))
        return text

    def set_categories(self, categories: Iterable[str] | None) -> None:
        """Show `categories` as selected (no message)."""
        self.selected = set(categories or ()) & set(CATEGORIES)
        self.refresh()

    def _toggle(self, chip: str) -> None:
        if chip == "all":
            self.selected.clear()
        else:
            self.selected ^= {chip}
            if self.selected == set(CATEGORIES):
                self.selected.clear()
        self.refresh()
        self.post_message(self.Changed(self, frozenset(self.selected) or None))

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(self.chips)
        self.refresh()

    def action_toggle_chip(self) -> None:  # not `toggle`: every widget has that action (it toggles an attribute)
        self._toggle(self.chips[self.cursor])

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        for i, (start, end) in enumerate(self._spans):
            if offset is not None and start <= offset.x < end:
                self.cursor = i
                self._toggle(self.chips[i])

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()
        super()._on_focus(event)

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()
        super()._on_blur(event)


class FeedPanel(Widget):
    """FeedStats + CategoryFilter + FeedView; `add_events` feeds them all."""

    DEFAULT_CSS = """
    FeedPanel { layout: vertical; height: 1fr; }
    """

    def __init__(
        self,
        capacity: int = CAPACITY,
        world: FeedWorld | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.stats = FeedStats(id="feed-stats")
        self.category_filter = CategoryFilter(id="feed-filter")
        self.feed = FeedView(capacity, world, id="feed-view")

    def compose(self) -> ComposeResult:
        yield self.stats
        yield self.category_filter
        yield self.feed

    def add_events(self, events: Iterable[Event]) -> None:
        batch = events if isinstance(events, list) else list(events)
        self.stats.add_events(batch)
        self.feed.add_events(batch)

    @property
    def selected_post(self) -> FeedPost | None:
        return self.feed.selected_post

    def set_filter(self, categories: Iterable[str] | None) -> None:
        self.category_filter.set_categories(categories)
        self.feed.set_filter(categories)

    def on_category_filter_changed(self, message: CategoryFilter.Changed) -> None:
        message.stop()
        self.feed.set_filter(message.categories)
