"""The feed view's platforms, counts and threads (issue 16 point 4): each row names its platform and shows
likes and shares that grow with the drill's clock; a reply is indented under the post it answers, also
under the municipality's own post; hostile platform names are shown as data."""

from __future__ import annotations

from typing import Any

from hostile import TYPED, has_raw_control
from pilotwait import until
from rich.cells import cell_len
from test_tui_feed import FeedApp, ids, painted, posts, run_async, sample, screen_rows

from krisovning.engine.events import Event
from krisovning.engine.social import engagement
from krisovning.i18n import t
from krisovning.tui.feed import FeedPanel, FeedView, FeedWorld

WORLD = FeedWorld({"fb": "Ekebacka just nu", "x": "X"}, "fb", "Ekebacka kommun")


class WorldApp(FeedApp):
    def __init__(self, world: FeedWorld = WORLD) -> None:
        super().__init__()
        self.world = world

    def compose(self) -> Any:
        yield FeedPanel(world=self.world)


def post(seq: int, t: float, platform: str, *, reply_to: str | None = None, repost_of: str | None = None) -> Event:
    data = {
        "id": f"p{seq}",
        "thread": "t1",
        "category": "question",
        "sentiment": "neutral",
        "author": f"Person {seq}",
        "handle": "",
        "text": f"Inlägg nummer {seq}",
        "facts": [],
        "repost_of": repost_of,
        "platform": platform,
    }
    if reply_to is not None:
        data["reply_to"] = reply_to
    return Event(seq, t, "post", data)


def team_post(seq: int, t: float) -> Event:
    action = {"kind": "publish", "channels": ["social"], "text": "Koka vattnet tills vidare."}
    return Event(seq, t, "action", {"action": action, "public": True, "topics": ["kokning"]})


def row_of(view: FeedView, post_id: str) -> str:
    return next(r for p, r in zip(view.visible_posts(), screen_rows(view), strict=False) if p.id == post_id)


def counts(view: FeedView, post_id: str, now: float, extra_shares: int = 0) -> str:
    p = next(p for p in view.visible_posts() if p.id == post_id)
    likes, shares = engagement(p.id, p.text, p.category, now - p.t)
    shares += extra_shares
    return t("feed.counts", likes=likes, shares=shares) if likes or shares else ""


@run_async
async def test_rows_show_platform_counts_and_replies_indented_under_their_post() -> None:
    app = WorldApp()
    async with app.run_test(size=(120, 30)) as pilot:
        view = app.view
        app.panel.add_events(
            [
                post(0, 0.0, "fb"),
                post(1, 10.0, "x"),
                post(2, 20.0, "fb", reply_to="p0"),
                post(3, 30.0, "fb", repost_of="p0"),
                team_post(4, 40.0),
                post(5, 50.0, "fb", reply_to="a4"),
                post(6, 55.0, "fb", reply_to="p2"),
            ]
        )
        await until(pilot, lambda: view.row_count == 7)
        assert ids(view) == ["p0", "p2", "p6", "p1", "p3", "a4", "p5"]  # each reply under its post
        assert [p.depth for p in view.visible_posts()] == [0, 1, 2, 0, 0, 0, 1]
        rows = {p.id: r for p, r in zip(view.visible_posts(), screen_rows(view), strict=False)}
        assert "Ekebacka just nu" in rows["p0"] and " X " in rows["p1"]
        assert "Ekebacka kommun" in rows["a4"] and "Ekebacka just nu" in rows["a4"]  # the municipality's account
        start = rows["p0"].index("Inlägg nummer 0")
        assert rows["p2"].index("↳ Inlägg nummer 2") == start  # one step in…
        assert rows["p6"].index("↳ Inlägg nummer 6") == start + 2  # …and a reply to a reply one more
        assert rows["p5"].index("↳ Inlägg nummer 5") == rows["a4"].index("[") - 0  # under the team's post
        # nothing has had time to gather likes yet; p0 has the share the feed shows (p3)
        assert t("feed.counts", likes=0, shares=1) in rows["p0"]
        assert "♥" not in "".join(r for k, r in rows.items() if k != "p0")

        app.panel.add_events([sample(7, 3600.0, 10.0)])  # an hour later: the counts have grown
        for post_id in ("p0", "p1", "a4"):
            expected = counts(view, post_id, 3600.0, extra_shares=1 if post_id == "p0" else 0)
            await until(pilot, lambda post_id=post_id, expected=expected: expected in row_of(view, post_id))
        assert any("♥" in r for r in screen_rows(view))
        before = {p.id: engagement(p.id, p.text, p.category, 3600 - p.t) for p in view.visible_posts()}
        app.panel.add_events([sample(8, 4 * 3600.0, 10.0)])
        official = counts(view, "a4", 4 * 3600.0)
        await until(pilot, lambda: official in painted(app))  # repainted while watching, nothing new posted
        after = {p.id: engagement(p.id, p.text, p.category, 4 * 3600 - p.t) for p in view.visible_posts()}
        assert all(after[k][0] >= before[k][0] and after[k][1] >= before[k][1] for k in before)


@run_async
async def test_a_reply_above_the_view_keeps_the_rows_in_view_and_one_below_changes_nothing() -> None:
    app = WorldApp()
    async with app.run_test(size=(100, 24)) as pilot:
        view = app.view
        app.panel.add_events([post(k, float(k), "fb") for k in range(300)])
        await until(pilot, lambda: view.row_count == 300)
        view.select_row(150)
        await until(pilot, lambda: "p150" in ids(view))
        shown = ids(view)
        app.panel.add_events([post(300, 300.0, "fb", reply_to="p10")])  # above the view
        await until(pilot, lambda: view.row_count == 301)
        assert ids(view) == shown
        assert view.post_at(11).id == "p300" and view.post_at(11).depth == 1
        app.panel.add_events([post(301, 301.0, "fb", reply_to="p250")])  # below it
        await until(pilot, lambda: view.row_count == 302)
        assert ids(view) == shown and view.selected_post is not None and view.selected_post.id == "p150"
        app.panel.set_filter({"question"})  # a filtered view lists in arrival order, replies marked
        await until(pilot, lambda: view.row_count == 302)
        assert [view.post_at(r).id for r in (300, 301)] == ["p300", "p301"]
        view.select_row(300)
        await until(pilot, lambda: "p300" in ids(view))
        assert "↳ Inlägg nummer 300" in row_of(view, "p300")


@run_async
async def test_replies_whose_post_has_left_the_view_are_kept() -> None:
    app = FeedApp(capacity=100)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.view
        app.panel.add_events(posts(0, 100))
        app.panel.add_events([post(100, 100.0, "fb", reply_to="p50"), post(101, 101.0, "fb", reply_to="p99")])
        app.panel.add_events(posts(102, 60))  # p0…p61 leave; p50 with them, its reply stays
        await until(pilot, lambda: view.row_count == 100)
        order = [view.post_at(r).id for r in range(view.row_count)]
        assert len(set(order)) == 100 and "p50" not in order and "p100" in order
        assert order.index("p101") == order.index("p99") + 1
        app.panel.add_events([post(162, 162.0, "fb", reply_to="p50")])  # its post is gone: at the end
        await until(pilot, lambda: view.row_count == 100)
        assert view.post_at(99).id == "p162"


@run_async
async def test_hostile_platform_and_account_names_are_data() -> None:
    names = {f"h{k}": name for k, name in enumerate(TYPED)}
    app = WorldApp(FeedWorld(names, "h0", TYPED[2]))
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.view
        app.panel.add_events([post(k, float(k), f"h{k}") for k in range(len(TYPED))] + [team_post(len(TYPED), 99.0)])
        await until(pilot, lambda: view.row_count == len(TYPED) + 1)
        width = view.scrollable_content_region.width
        rows = [r for r in screen_rows(view) if r.strip()]
        assert all(cell_len(r) == width and not has_raw_control(r) for r in rows)
        assert "[b]fet[/b] och" in rows[2] and "[b]fet[/b] och" in rows[-1]  # markup shown, not applied
        assert not has_raw_control(painted(app))
