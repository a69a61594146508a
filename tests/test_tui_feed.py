"""The live social feed (krisovning.tui.feed): virtualised, bounded, filterable, with a cursor.

A tiny app mounts a FeedPanel; tests wait on conditions (bounded polling), never on fixed sleeps.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from pilotwait import until
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Label

from krisovning.engine.events import Event
from krisovning.engine.typed import SocialSample
from krisovning.i18n import catalogue, set_language
from krisovning.tui.feed import CATEGORIES, CategoryFilter, FeedPanel, FeedPost, FeedStats, FeedView, clock, fit

CYCLE = ("information", "question", "rumour", "criticism", "support", "eyewitness")


def posts(start: int, count: int, *, text: str = "Vad händer vid bron?", category: str | None = None) -> list[Event]:
    """`count` post events numbered from `start`, 10 per exercise second."""
    return [
        Event(
            k,
            k / 10,
            "post",
            {
                "id": f"p{k}",
                "thread": "t1",
                "category": category or CYCLE[k % len(CYCLE)],
                "sentiment": "negative",
                "author": f"Person {k}",
                "handle": f"user{k}",
                "text": f"{text} #{k}",
            },
        )
        for k in range(start, start + count)
    ]


def publish(seq: int, t: float, channels: list[str], public: bool = True) -> Event:
    action = {"kind": "publish", "channels": channels, "text": "Vattnet är drickbart igen.", "post": "p3"}
    return Event(seq, t, "action", {"action": action, "public": public})


def sample(seq: int, t: float, rate: float) -> Event:
    """A `social_sample` event as the engine makes it (engine/feed.py), with the rate given."""
    return Event(seq, t, "social_sample", {"rate": rate, "posts": 0, "rumour_share": 0.0, "negative_share": 0.0})


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


class FeedApp(App[None]):
    def __init__(self, capacity: int = 50_000, hidden: bool = False) -> None:
        super().__init__()
        self.capacity = capacity
        self.hidden = hidden
        self.selected: list[FeedPost] = []

    def compose(self) -> ComposeResult:
        panel = FeedPanel(self.capacity)
        panel.display = not self.hidden
        yield panel

    def on_mount(self) -> None:
        self.query_one(FeedView).focus()

    def on_feed_view_selected(self, message: FeedView.Selected) -> None:
        self.selected.append(message.post)

    @property
    def panel(self) -> FeedPanel:
        return self.query_one(FeedPanel)

    @property
    def view(self) -> FeedView:
        return self.query_one(FeedView)


def screen_rows(view: FeedView) -> list[str]:
    """The text the view draws, one string per visible row (what the compositor gets)."""
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def ids(view: FeedView) -> list[str]:
    return [p.id for p in view.visible_posts()]


def painted(app: App[None]) -> str:
    """What the screen shows, from the compositor (catches rows that were not repainted)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@run_async
async def test_batches_of_ten_thousand_show_the_newest(size: tuple[int, int]) -> None:
    app = FeedApp()
    async with app.run_test(size=size) as pilot:
        view = app.view
        for batch in range(3):
            app.panel.add_events(posts(batch * 10_000, 10_000))
        await until(pilot, lambda: view.post_count == 30_000 and ids(view)[-1:] == ["p29999"])
        rows = screen_rows(view)
        assert len(rows) >= 10
        assert "@user29999" in rows[-1] and "T+0:49" in rows[-1]
        assert all(cell_len(r) == view.scrollable_content_region.width for r in rows)


@run_async
async def test_scrolled_up_keeps_its_place_while_more_arrive() -> None:
    app = FeedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.view
        app.panel.add_events(posts(0, 10_000))
        await until(pilot, lambda: ids(view)[-1:] == ["p9999"])
        await pilot.press("pageup", "pageup", "pageup")
        await until(pilot, lambda: not view.is_vertical_scroll_end)
        before = ids(view)
        app.panel.add_events(posts(10_000, 10_000))
        await pilot.pause()
        assert ids(view) == before
        # At capacity, old posts leave at the top: the view scrolls with them and keeps its place.
        app.panel.add_events(posts(20_000, 35_000))
        await pilot.pause()
        assert view.post_count == 50_000 and ids(view) == before
        for _ in range(5):  # small batches at capacity: the view shifts without a repaint
            app.panel.add_events(posts(55_000 + _ * 5, 5))
            await pilot.pause()
        assert ids(view) == before
        screen = painted(app)
        assert all(f"@user{p[1:]} " in screen for p in before)
        # Back at the bottom, it follows again.
        await pilot.press("end")
        app.panel.add_events(posts(55_100, 100))
        await until(pilot, lambda: ids(view)[-1:] == ["p55199"] and "@user55199 " in painted(app))


@run_async
async def test_batches_while_hidden_show_the_newest_when_shown() -> None:
    app = FeedApp(hidden=True)  # as in a tab not shown yet
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.view.size
        for batch in range(3):
            app.panel.add_events(posts(batch * 1_000, 1_000))
            await pilot.pause()
        app.panel.display = True
        await until(pilot, lambda: ids(app.view)[-1:] == ["p2999"] and "@user2999 " in painted(app))


@run_async
async def test_filter_shows_only_rumours_and_new_rumours_follow() -> None:
    app = FeedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.view
        app.panel.add_events(posts(0, 10_000))
        app.panel.set_filter({"rumour"})
        await pilot.pause()
        assert view.row_count == sum(1 for k in range(10_000) if CYCLE[k % 6] == "rumour")
        shown = view.visible_posts()
        assert shown and all(p.category == "rumour" for p in shown)
        assert all("rykte" in row for row in screen_rows(view))
        app.panel.add_events(posts(10_000, 12))
        await until(pilot, lambda: ids(view)[-1:] == ["p10010"])
        app.panel.set_filter(None)
        await until(pilot, lambda: view.row_count == 10_012)


@run_async
async def test_filter_chips_by_keyboard_and_click() -> None:
    app = FeedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.panel.add_events(posts(0, 600))
        chips = app.query_one(CategoryFilter)
        chips.focus()
        await pilot.press("right", "right", "right", "space")  # all, information, question, → rumour
        await until(pilot, lambda: app.view.filter == frozenset({"rumour"}))
        assert {p.category for p in app.view.visible_posts()} == {"rumour"}
        await pilot.press("left", "left", "left", "enter")  # back to "all"
        await until(pilot, lambda: app.view.filter is None)
        start, _end = chips._spans[CATEGORIES.index("support") + 1]
        await pilot.click(CategoryFilter, offset=(start + 1, 0))
        await until(pilot, lambda: app.view.filter == frozenset({"support"}))


@run_async
async def test_empty_filter_result_says_so() -> None:
    app = FeedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.panel.add_events(posts(0, 50, category="question"))
        app.panel.set_filter({"official"})
        await pilot.pause()
        assert app.view.row_count == 0
        assert screen_rows(app.view)[0].strip() == catalogue("sv")["feed.empty_filtered"]


@run_async
async def test_cursor_keys_mouse_and_selected_message() -> None:
    app = FeedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.view
        app.panel.add_events(posts(0, 1_000))
        await until(pilot, lambda: ids(view)[-1:] == ["p999"])
        assert app.panel.selected_post is None
        await pilot.press("up")  # the first key brings the cursor to the last visible row
        await until(pilot, lambda: app.selected[-1:] and app.selected[-1].id == "p999")
        await pilot.press("up", "up")
        await until(pilot, lambda: app.panel.selected_post is not None and app.panel.selected_post.id == "p997")
        assert app.selected[-1].id == "p997"
        await pilot.press("home")
        await until(pilot, lambda: app.panel.selected_post.id == "p0" and ids(view)[0] == "p0")
        await pilot.press("pagedown")
        await until(pilot, lambda: app.panel.selected_post.id == f"p{view.scrollable_content_region.height - 1}")
        await pilot.press("end")
        await until(pilot, lambda: app.panel.selected_post.id == "p999" and view.is_vertical_scroll_end)
        await pilot.click(FeedView, offset=(5, 2))
        await until(pilot, lambda: app.panel.selected_post.id == view.visible_posts()[2].id)
        assert app.selected[-1] == app.panel.selected_post
        assert app.panel.selected_post.get("handle") == app.panel.selected_post.handle
        # The cursor stays on its post while new posts arrive.
        chosen = app.panel.selected_post
        app.panel.add_events(posts(1_000, 500))
        await pilot.pause()
        assert app.panel.selected_post == chosen


@run_async
async def test_unicode_and_very_long_text_are_safe_and_truncated() -> None:
    app = FeedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.view
        nasty = [
            "Åäö ÅÄÖ é ü – räksmörgås",
            "🔥🔥🚒 brand vid skolan 👩‍👩‍👧 🇸🇪 " * 20,
            "rad ett\nrad två\r\n\ttabb \x1b[31mröd\x1b[0m \u202eomvänd\u202c",
            "漢字かなカナ" * 500,
            "x" * 100_000,
            "",
        ]
        events = [
            Event(
                k,
                k,
                "post",
                {
                    "id": f"p{k}",
                    "thread": "t1",
                    "category": "rumour",
                    "sentiment": "negative",
                    "author": "Åsa Öberg 🙂" * 10,
                    "handle": "",
                    "text": text,
                },
            )
            for k, text in enumerate(nasty)
        ]
        app.panel.add_events(events)
        await until(pilot, lambda: view.row_count == len(nasty))
        width = view.scrollable_content_region.width
        rows = [r for r in screen_rows(view) if r.strip()]
        assert len(rows) == len(nasty)
        assert all(cell_len(r) == width for r in rows)
        assert "Åäö ÅÄÖ" in rows[0]
        assert all("\n" not in r and "\t" not in r and "\x1b" not in r and "\u202e" not in r for r in rows)
        assert rows[1].rstrip().endswith("…") and rows[4].rstrip().endswith("…")
        assert "…" in rows[0]  # the author column is cut too
        await pilot.press("up", "up")  # render the selected style of a wide-character row
        await pilot.resize_terminal(41, 12)
        await until(pilot, lambda: view.scrollable_content_region.width < width)
        assert all(cell_len(r) == view.scrollable_content_region.width for r in screen_rows(view))


@run_async
async def test_an_account_is_shown_with_one_at_sign() -> None:
    app = FeedApp()
    async with app.run_test(size=(100, 12)) as pilot:
        events = [
            Event(
                k,
                k,
                "post",
                {
                    "id": f"p{k}",
                    "thread": "t1",
                    "category": "question",
                    "sentiment": "neutral",
                    "author": "Anna Ek",
                    "handle": handle,
                    "text": "Fråga",
                },
            )
            for k, handle in enumerate(["@annaek", "annaek", ""])
        ]
        app.panel.add_events(events)
        await until(pilot, lambda: app.view.row_count == 3)
        rows = [r for r in screen_rows(app.view) if r.strip()]
        assert sum("@annaek " in r for r in rows) == 2 and not any("@@" in r for r in rows)
        assert sum("Anna Ek" in r for r in rows) == 1


@run_async
async def test_capacity_bound_holds() -> None:
    app = FeedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.view
        for batch in range(6):
            app.panel.add_events(posts(batch * 10_000, 10_000))
        await until(pilot, lambda: ids(view)[-1:] == ["p59999"])
        assert view.post_count == 50_000 and view.row_count == 50_000
        assert view.post_at(0).id == "p10000"
        assert app.query_one(FeedStats).total == 60_000  # the count is of everything seen
        app.panel.set_filter({"rumour"})
        app.panel.add_events(posts(60_000, 10_000))
        assert view.post_count == 50_000 and view.post_at(0).id == "p20000"  # the oldest held rumour
        assert view.row_count == sum(1 for k in range(20_000, 70_000) if CYCLE[k % 6] == "rumour")


@run_async
async def test_public_publish_is_an_official_line() -> None:
    app = FeedApp()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.view
        app.panel.add_events(
            [
                *posts(0, 5),
                publish(5, 5.0, ["web", "social"]),
                publish(6, 6.0, ["intranet"], False),
                publish(7, 7.0, ["sms"]),
                sample(8, 8.0, 1.0),
            ]
        )
        await until(pilot, lambda: view.row_count == 6)
        assert ids(view) == ["p0", "p1", "p2", "p3", "a5", "p4"]  # a public answer: under the post it answers
        official = view.post_at(4)
        assert official.official and official.reply_to == "p3" and official.channels == ("web", "social")
        row = screen_rows(view)[4]
        assert "besked" in row and "Vi" in row and "↳ [" in row and "Vattnet är drickbart igen." in row
        strip = view.render_line(4)
        assert any(seg.style and seg.style.bold for seg in strip if "Vattnet" in seg.text)
        app.panel.set_filter({"official"})
        await until(pilot, lambda: view.row_count == 1)


@run_async
async def test_stats_show_the_rate_from_a_sample() -> None:
    app = FeedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        stats = app.query_one(FeedStats)
        app.panel.add_events(posts(0, 40))
        app.panel.add_events(
            [
                Event(
                    41,
                    60.0,
                    "social_sample",
                    {"rate": 432.4, "posts": 40, "rumour_share": 0.2345, "negative_share": 0.5, "threads": {}},
                )
            ]
        )
        summary = stats.query_one("#feed-summary", Label)
        await until(pilot, lambda: "432 inlägg/timme" in str(summary.render()))
        text = str(summary.render())
        assert "rykten 23 %" in text and "negativa 50 %" in text and "40 inlägg" in text
        assert stats.sparkline.data == [432.4]
        assert isinstance(stats.last_sample, SocialSample) and stats.last_sample.posts == 40  # read as its type
        for k in range(70):
            app.panel.add_events([sample(100 + k, 60.0 * k, float(k))])
        assert len(stats.sparkline.data) == 60 and stats.sparkline.data[-1] == 69.0


@run_async
async def test_english_labels() -> None:
    set_language("en")
    app = FeedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.panel.add_events(posts(0, 6))
        app.panel.add_events([sample(7, 60.0, 12)])
        await until(pilot, lambda: app.view.row_count == 6)
        assert any("rumour" in row for row in screen_rows(app.view))
        assert "12 posts/hour" in str(app.query_one("#feed-summary", Label).render())


def test_helpers_and_catalogue_keys() -> None:
    assert clock(0) == "T+0:00" and clock(3 * 3600 + 59 * 60 + 59) == "T+3:59" and clock(-90) == "T-0:01"
    assert fit("åäö", 5) == "åäö  " and fit("🔥🔥🔥", 4) == "🔥 …" and cell_len(fit("漢字漢字", 5)) == 5
    for lang in ("sv", "en"):
        for key in ("all", *CATEGORIES):
            assert catalogue(lang)[f"feed.cat.{key}"]
