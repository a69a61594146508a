"""The live social-media feed's view: one line per post, virtualised (Line API), bounded.

`FeedView` is a `ScrollView` drawn line by line: posts live in a bounded deque, only
the visible rows are rendered, and rendered rows are cached as Strips keyed by (post ordinal,
width, selected, counts). Never one widget per post (the feed holds 50,000; bench/bench_ui.py). Each
post gets an ordinal `n` that never changes while it is held, so evicting old posts shifts no cache keys.

A reply is shown indented under the post it answers (after that post's earlier replies): the rows'
order is `_order`, the ordinals in display order, which only a reply inserts into other than at the end.
A filtered view lists its posts in arrival order. Each row shows its platform and its likes and shares,
which grow with the drill's clock (engine/social.py `engagement`; the clock is the latest event's time).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from krisovning.engine.events import ACTION, POST, Event
from krisovning.engine.social import engagement, official_platform, platforms
from krisovning.engine.typed import ActionTaken, Post, typed
from krisovning.i18n import get_language, t
from krisovning.i18n.fmt import exercise_time as clock  # the feed shows exercise time, no in-world clock
from krisovning.msel.keys import PUBLISH_WORD_KEYS
from krisovning.scenario.model import Scenario
from krisovning.textsafe import visible_line
from krisovning.vocab import FEED_CATEGORIES, OFFICIAL, ActionKind, PostCategory

CATEGORIES = FEED_CATEGORIES
# Each label's catalogue key in full, so that a search for the key finds its use.
CATEGORY_KEYS = {
    PostCategory.information: "feed.cat.information",
    PostCategory.question: "feed.cat.question",
    PostCategory.rumour: "feed.cat.rumour",
    PostCategory.criticism: "feed.cat.criticism",
    PostCategory.support: "feed.cat.support",
    PostCategory.eyewitness: "feed.cat.eyewitness",
    OFFICIAL: "feed.cat.official",
}
OFFICIAL_CHANNELS = frozenset({"social", "web", "press_release"})
CAPACITY = 50_000
# Line breaks, tabs and bidi overrides (which would reorder the terminal's row) → one space; any
# other control character is shown as `\xNN` (textsafe.visible_line).
_BREAKS = re.compile(r"(?:\r\n|[\n\t\x0b\x0c\u2028\u2029\u202a-\u202e\u2066-\u2069])+")


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
    reply_to: str | None = None  # the post (or municipality's post) it replies to; official lines: the post answered
    channels: tuple[str, ...] = ()  # official lines: the public channels used
    platform: str = ""  # its platform's id (official lines: where the municipality's account posts)
    repost_of: str | None = None
    depth: int = 0  # 1: a reply shown under its post, 2: a reply to a reply

    @property
    def official(self) -> bool:
        return self.category == OFFICIAL

    def get(self, key: str, default: Any = None) -> Any:
        """Dict-style access (`post.get("handle")`), as for the engine event's data."""
        return getattr(self, key, default) if key in self._fields else default


class FeedWorld(NamedTuple):
    """What the view shows about where posts live: platform names by id, the municipality's platform and name."""

    platforms: Mapping[str, str] = {}
    official: str = ""
    account: str = ""


def feed_world(scenario: Scenario) -> FeedWorld:
    known = platforms(scenario)
    return FeedWorld({p.id: p.name for p in known.values()}, official_platform(known), scenario.organisation.name)


def _feed_row(event: Event, n: int, official: str) -> tuple[Any, ...] | None:
    # Held as plain tuples of str/int/float: CPython's GC stops tracking those, so 50,000 held posts
    # add nothing to the full collections that would otherwise pause the UI (~2 µs per object).
    # The depth (last) is set when the row is placed.
    item = typed(event)
    if isinstance(item, Post):
        return (
            n,
            item.seq,
            item.t,
            item.id,
            item.category,
            item.sentiment,
            item.author,
            item.handle,
            item.text,
            item.reply_to if isinstance(item.reply_to, str) else None,
            (),
            item.platform if isinstance(item.platform, str) else "",
            item.repost_of,
            0,
        )
    if isinstance(item, ActionTaken) and item.public:
        action = item.action
        channels = tuple(c for c in action.channels if c in OFFICIAL_CHANNELS)
        if action.kind == ActionKind.publish and channels:
            return (
                n,
                item.seq,
                item.t,
                f"a{item.seq}",
                OFFICIAL,
                "",
                "",
                "",
                action.text,
                action.post,
                channels,
                official,
                None,
                0,
            )
    return None


def _find(order: array[int], n: int, guess: int) -> int | None:
    """Where ordinal `n` is in the display order: near `guess` (its place in arrival order, from which only
    replies move rows, and not far), else anywhere."""
    lo = max(0, min(guess, len(order)) - 512)
    try:
        return order.index(n, lo, lo + 1024)
    except ValueError:
        pass
    try:
        return order.index(n)
    except ValueError:
        return None


def _count(n: int) -> str:
    return str(n) if n < 1000 else f"{n / 1000:.1f}k"


def fit(text: str, width: int) -> str:
    """`text` padded or cut (with …) to exactly `width` cells; wide characters are safe."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def flatten(text: str, width: int) -> str:
    """One line: line breaks become spaces, other control characters `\\xNN`; text far wider than
    `width` is cut (a character is at most 2 cells wide) and marked with …, so that long posts cost no more."""
    limit = 2 * width + 8
    flat = visible_line(_BREAKS.sub(" ", text[:limit])).strip(" ")
    return flat + "…" if len(text) > limit else flat


class FeedView(ScrollView, can_focus=True):
    """The feed, one line per post, newest at the bottom; follows new posts while at the bottom."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(False)", show=False),
        Binding("end", "edge(True)", show=False),
        Binding("enter", "choose", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "feed-view--time",
        "feed-view--author",
        "feed-view--platform",
        "feed-view--counts",
        "feed-view--text",
        "feed-view--cursor",
        "feed-view--empty",
        *(f"feed-view--{c}" for c in CATEGORIES),
    }
    DEFAULT_CSS = """
    FeedView {
        height: 1fr; background: $surface; overflow-x: hidden; overflow-y: auto; scrollbar-size-vertical: 1;
        &:focus { background-tint: $foreground 5%; }
        & > .feed-view--time { color: $text-muted; }
        & > .feed-view--author { color: $text-secondary; }
        & > .feed-view--platform { color: $text-muted; }
        & > .feed-view--counts { color: $text-muted; }
        & > .feed-view--text { color: $foreground; }
        & > .feed-view--information { color: $text-primary; }
        & > .feed-view--question { color: $text-secondary; }
        & > .feed-view--rumour { color: $text-error; text-style: bold; }
        & > .feed-view--criticism { color: $text-warning; }
        & > .feed-view--support { color: $text-success; }
        & > .feed-view--eyewitness { color: $foreground; text-style: italic; }
        & > .feed-view--official { color: $text-accent; text-style: bold; }
        & > .feed-view--empty { color: $text-muted; text-style: italic; }
        & > .feed-view--cursor { background: $block-cursor-blurred-background; }
        & > .feed-view--cursor { color: $block-cursor-blurred-foreground; }
        &:focus > .feed-view--cursor { color: $block-cursor-foreground; background: $block-cursor-background; }
        &:focus > .feed-view--cursor { text-style: $block-cursor-text-style; }
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
        self.capacity = capacity
        self.world = world or FeedWorld()
        self._posts: deque[tuple[Any, ...]] = deque(maxlen=capacity)  # FeedPost fields
        self._order = array("q")  # the held posts' ordinals in display order (a reply under its post)
        self._by_id: dict[str, int] = {}  # a held post's ordinal by its id
        self._root: dict[int, int] = {}  # a held reply's thread: the ordinal of the post it all started with
        self._tail: dict[int, int] = {}  # a thread's last row (its newest reply), by the ordinal it started with
        self._reposts: dict[str, int] = {}  # shares seen of a post, by its id
        self._clock = 0.0  # the drill's time as the latest event tells it, to the minute: the counts' age
        self._next = 0  # ordinal of the next post
        self._filter: frozenset[str] | None = None
        self._rows: deque[int] | None = None  # ordinals shown when filtered; None: every held post
        self._cursor: int | None = None  # ordinal of the selected post
        self._cache: LRUCache[tuple[int, int, bool, int, int], Strip] = LRUCache(512)
        self._styles: dict[str, Style] = {}  # resolved once per theme/focus change: `rich_style` walks the DOM
        self._lang = ""
        self._labels: dict[str, str] = {}
        self._label_width = 0

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
        """The post on `row` (0 = top) under the current filter."""
        n = self._order[row] if self._rows is None else self._rows[row]
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
            return _find(self._order, n, n - self._first)
        i = bisect_left(self._rows, n)
        return i if i < len(self._rows) and self._rows[i] == n else None

    def add_events(self, events: Iterable[Event]) -> int:
        """Take a batch of engine events; keeps posts and public publishes. Returns the lines added."""
        n, official, latest = self._next, self.world.official, self._clock
        new: list[tuple[Any, ...]] = []
        for event in events:
            if event.kind == POST or event.kind == ACTION:
                item = _feed_row(event, n, official)
                if item is not None:
                    new.append(item)
                    n += 1
            latest = event.t
        clock = latest // 60 * 60
        ticked, self._clock = clock > self._clock, max(clock, self._clock)
        if not new:
            if ticked and self.row_count:
                self.refresh()  # the counts grew
            return 0
        follow, old_rows = self.is_vertical_scroll_end, self.row_count
        top = round(self.scroll_offset.y)
        old_first, self._next = self._first, n
        self._forget(len(self._posts) + len(new) - self.capacity)
        self._posts.extend(new)
        first = self._first
        shifted, above = self._place(new, old_first, top)
        if self._rows is None:
            removed = first - old_first
        else:
            wanted, rows, removed = self._filter or (), self._rows, 0
            rows.extend(p[0] for p in new if p[4] in wanted)
            while rows and rows[0] < first:
                rows.popleft()
                removed += 1
            shifted, above = None, 0  # a filtered view lists posts in arrival order
        self._update_rows(follow, removed - above, old_rows, shifted is not None or ticked)
        return len(new)

    def _forget(self, dropped: int) -> None:
        """What the view knows of the `dropped` oldest posts, which the deque is about to let go."""
        posts, by_id, reposts, root, tail = self._posts, self._by_id, self._reposts, self._root, self._tail
        for i in range(min(max(dropped, 0), len(posts))):
            post = posts[i]
            by_id.pop(post[3], None)
            reposts.pop(post[3], None)
            root.pop(post[0], None)
            tail.pop(post[0], None)

    def _place(self, new: list[tuple[Any, ...]], old_first: int, top: int) -> tuple[int | None, int]:
        """Put the `new` rows into the display order: a reply after the last row of its thread, anything
        else at the end. Returns the first row that was not appended at the end (None: all were) and
        the rows inserted above `top`."""
        order, posts, by_id, root, tail = self._order, self._posts, self._by_id, self._root, self._tail
        first, shifted, above = self._first, None, 0
        if first > old_first:  # evicted rows leave the order: mostly its first ones
            gone = first - old_first
            k = 0
            while k < len(order) and order[k] < first:
                k += 1
            del order[:k]
            if k < gone:
                self._order = order = array("q", (m for m in order if m >= first))
                shifted = 0
        for row in new:
            n, post_id, parent = row[0], row[3], row[9]
            if n < first:  # a batch larger than the view holds: gone already
                continue
            if row[12] is not None and row[12] in by_id:  # a share: one more on the post it shares
                self._reposts[row[12]] = self._reposts.get(row[12], 0) + 1
            by_id[post_id] = n
            at = by_id.get(parent) if parent is not None else None
            if at is None:
                order.append(n)
                continue
            start = root.get(at, at)
            last = tail.get(start, start)
            depth = min(posts[at - first][13] + 1, 2)
            posts[n - first] = row[:13] + (depth,)
            root[n], tail[start] = start, n
            index = _find(order, last, last - first)
            if index is None or index == len(order) - 1:
                order.append(n)
                continue
            order.insert(index + 1, n)
            shifted = index + 1 if shifted is None else min(shifted, index + 1)
            if index + 1 <= top:
                above += 1
        return shifted, above

    def set_filter(self, categories: Iterable[str] | None) -> None:
        """Show only `categories` (None or empty: all). One O(n) pass per change, never per frame."""
        wanted = frozenset(categories) if categories else None
        if wanted == self._filter:
            return
        self._filter = wanted
        self._cache.clear()  # the indentation of replies is shown only in the threaded (unfiltered) view
        self._rows = None if wanted is None else deque(p[0] for p in self._posts if p[4] in wanted)
        if self._cursor is not None and self._row_of(self._cursor) is None:
            self._cursor = None
        self._update_rows(self._cursor is None, 0)
        if self._cursor is not None:
            self._show_row(self._row_of(self._cursor) or 0, center=True)

    def clear(self) -> None:
        self._posts.clear()
        self._order = array("q")
        for held in (self._by_id, self._root, self._tail, self._reposts):
            held.clear()
        self._rows = None if self._rows is None else deque()
        self._cursor = None
        self._cache.clear()
        self._update_rows(True, 0)

    def _update_rows(self, follow: bool, removed: int, old_rows: int | None = None, moved: bool = False) -> None:
        """Resize after a change of rows, then follow the end or keep the same posts in view.

        With `old_rows` (rows appended at the end, `removed` more dropped than inserted above the top)
        only what visibly changed is repainted: scrolled up in a busy feed, a batch costs a scrollbar
        update, not a layout and a repaint of every row (keypress latency: bench/bench_ui.py,
        docs/performance.md). `moved`: rows went in elsewhere than at the end, or the counts grew: repaint.
        """
        size, top = Size(self.size.width, self.row_count), round(self.scroll_offset.y)
        quiet = old_rows is not None and (  # never laid out (a hidden tab), or no scrollbar comes or goes
            not self.size or (size.height > self.container_size.height) == self.show_vertical_scrollbar
        )
        if quiet:  # no layout needed: the compositor reads virtual_size when it next lays out
            self.set_reactive(FeedView.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size
        if follow:
            self._scroll(self.max_scroll_y)
        elif removed and quiet and top >= removed and not moved:  # same posts at the same rows: nothing to repaint
            y = self.scroll_y - removed
            self.set_reactive(FeedView.scroll_y, y)
            self.set_reactive(FeedView.scroll_target_y, y)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.position = y
            return
        elif removed:
            self._scroll(top - removed)
        elif quiet and old_rows is not None and old_rows >= top + self.scrollable_content_region.height and not moved:
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

    def action_edge(self, last: bool) -> None:
        self.select_row(self.row_count - 1 if last else 0)

    def action_choose(self) -> None:
        if (post := self.selected_post) is not None:
            self.post_message(self.Selected(self, post))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= (row := round(self.scroll_offset.y) + offset.y) < self.row_count:
            self.select_row(row)

    # --- rendering ---

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name) if name else self.rich_style
        return style

    def notify_style_update(self) -> None:  # a theme change, and focus (the cursor's colours)
        super().notify_style_update()
        self._cache.clear()
        self._styles.clear()

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
            return Strip.blank(width, self._style(""))
        if get_language() != self._lang:
            self._lang = get_language()
            self._labels = {c: t(CATEGORY_KEYS[c]) for c in CATEGORIES}
            self._label_width = max(cell_len(label) for label in self._labels.values())
            self._cache.clear()
        post = self.post_at(row)
        likes, shares = engagement(post.id, post.text, post.category, self._clock - post.t)
        if post.id in self._reposts:
            shares += self._reposts[post.id]
        key = (post.n, width, post.n == self._cursor, likes, shares)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._render_post(post, width, key[2], likes, shares)
        return strip

    def _render_post(self, post: FeedPost, width: int, selected: bool, likes: int = 0, shares: int = 0) -> Strip:
        style, label_width = self._style, self._label_width
        who_width, platform_width, counts_width = (20, 16, 11) if width >= 120 else (14, 10, 9)
        body_width = width - (7 + label_width + platform_width + who_width + counts_width + 5)
        if post.official:
            who = self.world.account or t("feed.official_author")
            names = ", ".join(t(PUBLISH_WORD_KEYS[c]) if c in PUBLISH_WORD_KEYS else c for c in post.channels)
            body = t("feed.official_text", channels=names, text=flatten(post.text, width))
        else:
            # handles are written with their @ (the engine's and the format guide's); one without gets it
            who = (post.handle if post.handle.startswith("@") else f"@{post.handle}") if post.handle else post.author
            body = flatten(post.text, width)
        if post.reply_to is not None and (post.depth or self._filter):  # under its post, or marked as a reply
            body = "  " * (post.depth - 1 if post.depth and not self._filter else 0) + "↳ " + body
        platform = self.world.platforms.get(post.platform, post.platform)
        counts = t("feed.counts", likes=_count(likes), shares=_count(shares)) if likes or shares else ""
        counts = " " * max(0, counts_width - cell_len(counts)) + counts
        category = f"feed-view--{post.category}" if post.category in self._labels else "feed-view--information"
        parts = [
            (fit(clock(post.t), 7), "feed-view--time"),
            (fit(self._labels.get(post.category, post.category), label_width), category),
            (fit(flatten(platform, platform_width), platform_width), "feed-view--platform"),
            (fit(flatten(who, who_width), who_width), "feed-view--author"),
            (
                fit(body, body_width) if body_width > 0 else body,
                "feed-view--official" if post.official else "feed-view--text",
            ),
            (fit(counts, counts_width), "feed-view--counts"),
        ]
        text = Text(style=style(""), end="")
        for i, (part, component) in enumerate(parts):
            text.append(part if i == 0 else f" {part}", None if selected else style(component))
        if body_width <= 0:  # (otherwise the parts fill exactly `width` cells)
            text.truncate(width, overflow="ellipsis", pad=True)
        if selected:  # after padding, so the cursor spans the whole row
            text.stylize(style("feed-view--cursor"))
        return Strip(text.render(self.app.console), width)
