"""The drill UI's live social-media feed: a virtualised view, its statistics, and a panel of both.

`FeedView` is a Line-API `ScrollView` (the toolong pattern, REFERENCES §7): posts live in a
bounded deque, only the visible rows are rendered, and rendered rows are cached as Strips keyed
by (post ordinal, width, selected). Never one widget per post (DESIGN §7). Each post gets an
ordinal `n` that never changes while it is held, so evicting old posts shifts no cache keys.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable
from typing import Any, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label, Sparkline

from krisovning.engine.events import ACTION, POST, SAMPLE, Event
from krisovning.i18n import get_language, t

CATEGORIES = ("information", "question", "rumour", "criticism", "support", "eyewitness", "official")
OFFICIAL = "official"
OFFICIAL_CHANNELS = frozenset({"social", "web", "press_release"})
CAPACITY = 50_000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")  # newlines, tabs, escapes → one space


class FeedPost(NamedTuple):
    n: int  # ordinal in this view: stable while the post is held
    seq: int  # the engine event's seq
    t: float  # exercise seconds since T+0
    id: str  # the post's id ("p123"); official lines: "a<seq>"
    category: str  # one of CATEGORIES
    sentiment: str
    author: str
    handle: str
    text: str
    reply_to: str | None = None  # official lines: the post answered publicly, if any
    channels: tuple[str, ...] = ()  # official lines: the public channels used

    @property
    def official(self) -> bool:
        return self.category == OFFICIAL

    def get(self, key: str, default: Any = None) -> Any:
        """Dict-style access (`post.get("handle")`), as for the engine event's data."""
        return getattr(self, key, default) if key in self._fields else default


def feed_item(event: Event, n: int) -> FeedPost | None:
    """The feed line for an engine event: a `post`, or the team's public publish on a feed channel."""
    row = _feed_row(event, n)
    return None if row is None else FeedPost._make(row)


def _feed_row(event: Event, n: int) -> tuple[Any, ...] | None:
    # Held as plain tuples of str/int/float: CPython's GC stops tracking those, so 50,000 held posts
    # add nothing to the full collections that would otherwise pause the UI (~2 µs per object).
    data = event.data
    if event.kind == POST:
        return (n, event.seq, event.t, str(data.get("id", "")), str(data.get("category", "information")),
                str(data.get("sentiment", "")), str(data.get("author", "")), str(data.get("handle") or ""),
                str(data.get("text", "")), None, ())
    if event.kind == ACTION and data.get("public"):
        action = data.get("action") or {}
        channels = tuple(c for c in action.get("channels", ()) if c in OFFICIAL_CHANNELS)
        if action.get("kind") == "publish" and channels:
            reply_to = action.get("post")
            return (n, event.seq, event.t, f"a{event.seq}", OFFICIAL, "", "", "", str(action.get("text", "")),
                    None if reply_to is None else str(reply_to), channels)
    return None


def clock(t: float) -> str:
    """Exercise time as T+H:MM (no in-world clock)."""
    minutes = int(abs(t) // 60)
    return f"T{'-' if t < 0 else '+'}{minutes // 60}:{minutes % 60:02d}"


def fit(text: str, width: int) -> str:
    """`text` padded or cut (with …) to exactly `width` cells; wide characters are safe."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def flatten(text: str, width: int) -> str:
    """One line: control characters and newlines become spaces; very long text is cut early."""
    return _CONTROL.sub(" ", text[: 4 * width + 16]).strip()


class FeedView(ScrollView, can_focus=True):
    """The feed, one line per post, newest at the bottom; follows new posts while at the bottom."""

    BINDINGS = [
        Binding("up", "cursor(-1)", show=False), Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False), Binding("pagedown", "page(1)", show=False),
        Binding("home", "first", show=False), Binding("end", "last", show=False),
        Binding("enter", "choose", show=False),
    ]
    COMPONENT_CLASSES = {"feed-view--time", "feed-view--author", "feed-view--text", "feed-view--cursor",
                         "feed-view--empty", *(f"feed-view--{c}" for c in CATEGORIES)}
    DEFAULT_CSS = """
    FeedView {
        height: 1fr; background: $surface; overflow-x: hidden; overflow-y: auto; scrollbar-size-vertical: 1;
        &:focus { background-tint: $foreground 5%; }
        & > .feed-view--time { color: $text-muted; }
        & > .feed-view--author { color: $text-secondary; }
        & > .feed-view--text { color: $foreground; }
        & > .feed-view--information { color: $text-primary; }
        & > .feed-view--question { color: $text-secondary; }
        & > .feed-view--rumour { color: $text-error; text-style: bold; }
        & > .feed-view--criticism { color: $text-warning; }
        & > .feed-view--support { color: $text-success; }
        & > .feed-view--eyewitness { color: $foreground; text-style: italic; }
        & > .feed-view--official { color: $text-accent; text-style: bold; }
        & > .feed-view--empty { color: $text-muted; text-style: italic; }
        & > .feed-view--cursor {
            color: $block-cursor-blurred-foreground; background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .feed-view--cursor {
            color: $block-cursor-foreground; background: $block-cursor-background; text-style: $block-cursor-text-style;
        }
    }
    """

    class Selected(Message):
        """The user moved the cursor to `post` (keys or a click), or pressed enter on it."""

        def __init__(self, feed_view: FeedView, post: FeedPost) -> None:
            super().__init__()
            self.feed_view = feed_view
            self.post = post

        @property
        def control(self) -> FeedView:
            return self.feed_view

    def __init__(self, capacity: int = CAPACITY, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.capacity = capacity
        self._posts: deque[tuple[Any, ...]] = deque(maxlen=capacity)  # FeedPost fields
        self._next = 0  # ordinal of the next post
        self._filter: frozenset[str] | None = None
        self._rows: deque[int] | None = None  # ordinals shown when filtered; None: every held post
        self._cursor: int | None = None  # ordinal of the selected post
        self._cache: LRUCache[tuple[int, int, bool], Strip] = LRUCache(1024)
        self._lang = ""
        self._labels: dict[str, str] = {}

    # --- data ---

    @property
    def post_count(self) -> int:
        """Posts held (at most `capacity`), whatever the filter."""
        return len(self._posts)

    @property
    def row_count(self) -> int:
        """Rows shown under the current filter."""
        return len(self._posts) if self._rows is None else len(self._rows)

    @property
    def filter(self) -> frozenset[str] | None:
        return self._filter

    @property
    def selected_post(self) -> FeedPost | None:
        row = None if self._cursor is None else self._row_of(self._cursor)
        return None if row is None else self.post_at(row)

    def post_at(self, row: int) -> FeedPost:
        """The post on `row` (0 = oldest shown) under the current filter."""
        n = self._first + row if self._rows is None else self._rows[row]
        return FeedPost._make(self._posts[n - self._first])

    def visible_posts(self) -> list[FeedPost]:
        top = round(self.scroll_offset.y)
        return [self.post_at(r) for r in range(top, min(self.row_count, top + self.scrollable_content_region.height))]

    @property
    def _first(self) -> int:
        return self._posts[0][0] if self._posts else self._next

    def _row_of(self, n: int) -> int | None:
        if not self._first <= n < self._next:
            return None
        if self._rows is None:
            return n - self._first
        i = bisect_left(self._rows, n)
        return i if i < len(self._rows) and self._rows[i] == n else None

    def add_events(self, events: Iterable[Event]) -> int:
        """Take a batch of engine events; keeps posts and public publishes. Returns the lines added."""
        n = self._next
        new: list[tuple[Any, ...]] = []
        for event in events:
            if event.kind == POST or event.kind == ACTION:
                item = _feed_row(event, n)
                if item is not None:
                    new.append(item)
                    n += 1
        if not new:
            return 0
        follow, old_rows = self.is_vertical_scroll_end, self.row_count
        old_first, self._next = self._first, n
        self._posts.extend(new)
        if self._rows is None:
            removed = self._first - old_first
        else:
            wanted, rows, first, removed = self._filter or (), self._rows, self._first, 0
            rows.extend(p[0] for p in new if p[4] in wanted)
            while rows and rows[0] < first:
                rows.popleft()
                removed += 1
        self._update_rows(follow, removed, old_rows)
        return len(new)

    def set_filter(self, categories: Iterable[str] | None) -> None:
        """Show only `categories` (None or empty: all). One O(n) pass per change, never per frame."""
        wanted = frozenset(categories) if categories else None
        if wanted == self._filter:
            return
        self._filter = wanted
        self._rows = None if wanted is None else deque(p[0] for p in self._posts if p[4] in wanted)
        if self._cursor is not None and self._row_of(self._cursor) is None:
            self._cursor = None
        self._update_rows(self._cursor is None, 0)
        if self._cursor is not None:
            self._show_row(self._row_of(self._cursor) or 0, center=True)

    def clear(self) -> None:
        self._posts.clear()
        self._rows = None if self._rows is None else deque()
        self._cursor = None
        self._cache.clear()
        self._update_rows(True, 0)

    def _update_rows(self, follow: bool, removed: int, old_rows: int | None = None) -> None:
        """Resize after a change of rows, then follow the end or keep the same posts in view.

        With `old_rows` (rows appended at the end, `removed` dropped at the top) only what visibly
        changed is repainted: scrolled up in a busy feed, a batch costs a scrollbar update, not a
        layout and a repaint of every row (DESIGN §9).
        """
        size, top = Size(self.size.width, self.row_count), round(self.scroll_offset.y)
        quiet = old_rows is not None and bool(self.size) and (
            (size.height > self.container_size.height) == self.show_vertical_scrollbar)
        if quiet:  # no scrollbar appears or goes: no layout needed
            self.set_reactive(FeedView.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size
        if follow:
            self._scroll(self.max_scroll_y)
        elif removed and quiet and top >= removed:  # same posts at the same screen rows: nothing to repaint
            y = self.scroll_y - removed
            self.set_reactive(FeedView.scroll_y, y)
            self.set_reactive(FeedView.scroll_target_y, y)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.position = y
            return
        elif removed:
            self._scroll(top - removed)
        elif quiet and old_rows is not None and old_rows >= top + self.scrollable_content_region.height:
            return  # the new rows are below the view
        self.refresh()

    def _scroll(self, y: int) -> None:
        # force: right after a change of virtual_size, the scrollbar (and so "may scroll") lags a layout behind
        self.scroll_to(y=max(0, min(y, self.max_scroll_y)), animate=False, immediate=True, force=True)

    # --- cursor ---

    def _show_row(self, row: int, center: bool = False) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y)
        if center and not top <= row < top + height:
            self._scroll(row - height // 2)
        elif row < top:
            self._scroll(row)
        elif row >= top + height:
            self._scroll(row - height + 1)

    def select_row(self, row: int) -> None:
        """Put the cursor on `row` (clamped), bring it into view and post `Selected`."""
        if not self.row_count:
            return
        row = max(0, min(row, self.row_count - 1))
        post, old_row = self.post_at(row), None if self._cursor is None else self._row_of(self._cursor)
        changed, top = post.n != self._cursor, self.scroll_y
        self._cursor = post.n
        if row == self.row_count - 1:
            self._scroll(self.max_scroll_y)  # back to following
        else:
            self._show_row(row)
        if self.scroll_y == top:  # (a scroll repaints everything by itself)
            self.refresh_line(row)
            if old_row is not None:
                self.refresh_line(old_row)
        if changed:
            self.post_message(self.Selected(self, post))

    def _cursor_row(self, delta: int) -> int:
        """The row `delta` from the cursor; if the cursor is off screen, the last visible row."""
        top, height = round(self.scroll_offset.y), max(1, self.scrollable_content_region.height)
        row = None if self._cursor is None else self._row_of(self._cursor)
        if row is None or not top <= row < top + height:
            return min(top + height, self.row_count) - 1
        return row + delta

    def action_cursor(self, delta: int) -> None:
        self.select_row(self._cursor_row(delta))

    def action_page(self, direction: int) -> None:
        self.select_row(self._cursor_row(direction * max(1, self.scrollable_content_region.height - 1)))

    def action_first(self) -> None:
        self.select_row(0)

    def action_last(self) -> None:
        self.select_row(self.row_count - 1)

    def action_choose(self) -> None:
        if (post := self.selected_post) is not None:
            self.post_message(self.Selected(self, post))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= (row := round(self.scroll_offset.y) + offset.y) < self.row_count:
            self.select_row(row)

    # --- rendering ---

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def _on_focus(self, event: events.Focus) -> None:
        self._cache.clear()  # the cursor's colours depend on focus
        super()._on_focus(event)

    def _on_blur(self, event: events.Blur) -> None:
        self._cache.clear()
        super()._on_blur(event)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, self.row_count)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = round(self.scroll_offset.y) + y
        if row >= self.row_count:
            if row == 0 and width:
                message = t("feed.empty_filtered" if self._filter else "feed.empty")
                text = Text(fit(message, width), style=self.get_component_rich_style("feed-view--empty"))
                return Strip(text.render(self.app.console), width)
            return Strip.blank(width, self.rich_style)
        if get_language() != self._lang:
            self._lang = get_language()
            self._labels = {c: t(f"feed.cat.{c}") for c in CATEGORIES}
            self._cache.clear()
        post = self.post_at(row)
        key = (post.n, width, post.n == self._cursor)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._render_post(post, width, key[2])
        return strip

    def _render_post(self, post: FeedPost, width: int, selected: bool) -> Strip:
        style = self.get_component_rich_style
        label_width = max(cell_len(label) for label in self._labels.values())
        who_width = 20 if width >= 100 else 14
        if post.official:
            who = t("feed.official_author")
            names = ", ".join(t(f"msel.publish.{c}") for c in post.channels)
            body = t("feed.official_text", channels=names, text=flatten(post.text, width))
        else:
            who = f"@{post.handle}" if post.handle else post.author
            body = flatten(post.text, width)
        category = f"feed-view--{post.category}" if post.category in self._labels else "feed-view--information"
        parts = [(fit(clock(post.t), 7), "feed-view--time"),
                 (fit(self._labels.get(post.category, post.category), label_width), category),
                 (fit(flatten(who, who_width), who_width), "feed-view--author"),
                 (body, "feed-view--official" if post.official else "feed-view--text")]
        text = Text(style=self.rich_style, end="")
        for i, (part, component) in enumerate(parts):
            text.append(part if i == 0 else f" {part}", None if selected else style(component))
        text.truncate(width, overflow="ellipsis", pad=True)
        if selected:  # after padding, so the cursor spans the whole row
            text.stylize(style("feed-view--cursor"))
        return Strip(text.render(self.app.console), width)


class FeedStats(Widget):
    """A sparkline of posts per hour (the last `samples` `social_sample` events) and a summary line."""

    DEFAULT_CSS = """
    FeedStats { height: 1; layout: horizontal; }
    FeedStats > Label { width: auto; height: 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    FeedStats > Sparkline { width: 1fr; min-width: 6; height: 1; margin-left: 1; }
    """

    def __init__(self, samples: int = 60, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rates: deque[float] = deque(maxlen=samples)
        self.last_sample: dict[str, Any] | None = None
        self.total = 0  # posts seen
        self.summary = Label(self.summary_text(), id="feed-summary", markup=False)
        self.sparkline = Sparkline([], id="feed-sparkline")
        self.sparkline.tooltip = t("feed.sparkline.tooltip")

    def compose(self) -> ComposeResult:
        yield self.summary
        yield self.sparkline

    def summary_text(self) -> str:
        sample = self.last_sample or {}
        return t("feed.summary", rate=round(float(sample.get("rate", 0))),
                 rumour=round(100 * float(sample.get("rumour_share", 0))),
                 negative=round(100 * float(sample.get("negative_share", 0))), total=self.total)

    def add_events(self, events: Iterable[Event]) -> None:
        before = (self.total, len(self.rates), self.last_sample)
        for event in events:
            if event.kind == POST:
                self.total += 1
            elif event.kind == SAMPLE:
                self.rates.append(float(event.data.get("rate", 0)))
                self.last_sample = event.data
        if (self.total, len(self.rates), self.last_sample) != before:
            text = self.summary_text()
            self.summary.update(text, layout=cell_len(text) != cell_len(str(self.summary.content)))
            self.sparkline.data = list(self.rates)


class CategoryFilter(Widget, can_focus=True):
    """One line of toggle chips: "all" and each category. ←/→ move, space/enter toggle, a click toggles."""

    BINDINGS = [Binding("left", "move(-1)", show=False), Binding("right", "move(1)", show=False),
                Binding("space,enter", "toggle", show=False)]
    COMPONENT_CLASSES = {"category-filter--off", "category-filter--on", "category-filter--cursor"}
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
            text.append(f" {t('feed.cat.' + chip)} ", style)
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

    def action_toggle(self) -> None:
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

    def __init__(self, capacity: int = CAPACITY, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.stats = FeedStats(id="feed-stats")
        self.category_filter = CategoryFilter(id="feed-filter")
        self.feed = FeedView(capacity, id="feed-view")

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
