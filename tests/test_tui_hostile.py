"""Hostile text in every field of a scenario and of every action, through a Pilot drill and its resume.

Each string of `hostile.TYPED` goes into every text field a scenario can carry (the scenario-safe
ones; a scenario file cannot hold control characters) and into every action the team and the
facilitator can type. Then: the literal text is what the widgets hold (no markup interpreted, control
characters as `\\xNN`), clicking on it does nothing, nothing is written, and the same holds in a new app
over the same journal (resume).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hostile import SCENARIO_SAFE, TYPED, has_raw_control
from pilotwait import until
from rich.text import Text
from textual import events
from textual.content import Content
from textual.widgets import DataTable, OptionList, Static
from textual.widgets._toast import Toast

from krisovning.scenario import load_scenario_bytes
from krisovning.scenario.types import MAX_TITLE
from krisovning.session import SqliteStore
from krisovning.session.live import LiveDrill
from krisovning.textsafe import visible, visible_line
from krisovning.tui.app import make_app
from krisovning.tui.feed_view import FeedView, flatten
from krisovning.tui.team import InboxPane

MIN = 60.0
PLAIN = "Stormen"
RAW = "rå: "


def hostile_scenario(h: str) -> str:
    """A valid scenario with `h` in every text field that reaches the screen (titles cut to their limit)."""
    title = h[:MAX_TITLE]
    lit = h.replace("{", "{{").replace("}", "}}")  # template fields: doubled braces show as one
    sender = {"from": "tib", "to": "press", "subject": lit[:MAX_TITLE], "text": lit}
    data = {
        "format": 1,
        "id": "fientlig",
        "title": title,
        "description": h,
        "language": "sv",
        "duration": "1h",
        "start": "2026-11-24T08:00",
        "seed": 1,
        "organisation": {"name": title},
        "roles": [{"id": "press", "name": title}, {"id": "chef", "name": "Chef"}],
        "facts": {"fakta": h},
        "personas": [
            {"id": "rep", "name": title, "kind": "journalist", "outlet": title},
            {"id": "tib", "name": title, "kind": "official", "title": title, "organisation": title},
        ],
        "persona_pools": [{"id": "folk", "kind": "citizen", "size": 20}],
        "checklists": [
            {"id": "lista", "title": title, "role": "press", "items": [{"id": "punkt", "text": title, "due": "10m"}]}
        ],
        "objectives": [{"id": "mal", "title": title, "criterion": {"type": "first_public_message", "within": "30m"}}],
        "injects": [
            {
                "id": "samtal",
                "at": "1m",
                "channel": "phone",
                "from": "rep",
                "to": "press",
                "subject": lit[:MAX_TITLE],
                "text": lit + "\n{fakta}",
                "expect": {"action": "reply", "within": "15m"},
            },
            {"id": "mejl", "at": "2m", "channel": "email", "priority": "high", **sender},
            {"id": "senare", "at": "50m", "channel": "email", **sender},
        ],
        "social": {
            "authors": ["folk"],
            "half_life": "10m",
            "threads": [{"id": "t", "baseline": 600, "branching": 0.1, "mix": {"information": 1.0}}],
            "templates": {"information": [lit]},
        },
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def plain(obj: object) -> str:
    return obj.plain if isinstance(obj, (Content, Text)) else str(obj)


def shown(*roots) -> str:
    """What the widgets under `roots` hold to draw (cells, options, static content, feed rows)."""
    out: list[str] = []
    for root in roots:
        for widget in [root, *root.walk_children()]:
            if isinstance(widget, DataTable):
                out += [plain(cell) for key in widget.rows for cell in widget.get_row(key)]
            elif isinstance(widget, OptionList):
                out += [plain(option.prompt) for option in widget.options]
            elif isinstance(widget, FeedView):
                out += [widget.render_line(y).text for y in range(widget.scrollable_content_region.height)]
            elif isinstance(widget, Static):
                out.append(plain(widget.visual))
    return "\n".join(out)


def toasts(app) -> str:
    """The notifications as a toast draws them (Textual mounts no toasts in a headless test)."""
    return "\n".join(plain(Toast(notification).render()) for notification in app._notifications)


def expect(h: str, width: int = 12) -> str:
    """The start of `h` as a widget must show it: literally, control characters as `\\xNN`."""
    return visible_line(h)[:width]


def in_feed(h: str) -> str:
    return flatten(h, 200)[:12]


def advance_to(app, seconds: float) -> None:
    while app.live.now < seconds and not app.live.finished:
        app.step(min(5.0, (seconds - app.live.now) / app.live.speed))


def journal_actions(db: Path) -> list[dict]:
    store = SqliteStore.open(db, write=False)
    try:
        session = store.sessions()[0].id
        return [json.loads(row[5])["action"] for row in store.entries(session) if row[2] == "action"]
    finally:
        store.close()


def nothing_happened(app, cwd: Path) -> None:
    assert app.is_running and app.return_value is None
    assert app.screen is app.team and len(app.screen_stack) == 1, app.screen_stack
    assert list(cwd.iterdir()) == [], "a file was written"


def no_raw_control(app) -> None:
    assert not has_raw_control(shown(app.screen) + toasts(app)), "a raw control character reached a widget"
    assert not has_raw_control(app.export_screenshot())


async def click_everything(pilot, app) -> None:
    """Click where outside text shows: a `[@click=…]` taken as markup would act here."""
    subject = sum(
        column.get_render_width(app.team.query_one("#inbox"))
        for column in list(app.team.query_one("#inbox").columns.values())[:6]
    )  # the subject column's x
    for selector, x, y in (("#inject-text", 1, 0), ("#inject-text", 5, 2), ("#inbox", subject + 1, 1)):
        await pilot.click(selector, offset=(x, y))


async def paste(pilot, widget, text: str) -> None:
    """As a terminal hands over pasted text (keys cannot carry an emoji or a control character)."""
    widget.focus()
    pilot.app.post_message(events.Paste(text))  # the app hands it to the focused widget
    await until(pilot, lambda: widget.has_focus and (getattr(widget, "value", None) or getattr(widget, "text", None)))


@pytest.mark.parametrize("h", TYPED, ids=[f"h{i}" for i in range(len(TYPED))])
async def test_hostile_text_is_shown_literally_and_does_nothing(tmp_path, monkeypatch, h):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # a `[@click=app.screenshot(...)]` obeyed would write here
    in_scenario = h in SCENARIO_SAFE
    text = hostile_scenario(h if in_scenario else PLAIN)
    db = tmp_path / "j.db"
    live = LiveDrill.start(db, load_scenario_bytes(text.encode(), "fientlig.yaml"), text, "fientlig.yaml", 1, "sv", 1.0)
    want = expect(h) if in_scenario else PLAIN

    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 3 * MIN)
        await until(pilot, lambda: {"samtal", "mejl"} <= app.view.inbox.keys())
        inbox = app.query_one(InboxPane)
        inbox.show("samtal")
        await pilot.pause()
        assert shown(app.query_one("#inbox")).count(want) >= (3 if in_scenario else 0)  # sender, role, subject
        assert shown(app.query_one("#role-filter")).count(want) >= (1 if in_scenario else 0)
        detail = shown(app.query_one("#inject-text"))
        assert detail.count(expect(h, 40) if in_scenario else PLAIN) >= (
            5 if in_scenario else 1
        )  # subject, sender×3, text, fact
        if in_scenario:
            assert visible_line(h[:MAX_TITLE]) in app.title
            assert want in toasts(app)  # "new inject from <sender>"
        await click_everything(pilot, app)
        nothing_happened(app, cwd)

        # the team's actions, each typed as `h`
        app.query_one("#inbox").move_cursor(row=app.query_one("#inbox").get_row_index("samtal"))
        await until(pilot, lambda: inbox.selected == "samtal")
        await paste(pilot, app.query_one("#reply"), h)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.view.inbox["samtal"].status == "answered")
        await pilot.press("f4")
        await paste(pilot, app.query_one("#publish-text"), h)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.view.publications)
        assert expect(h) in shown(app.query_one("#publish-log"))
        await pilot.press("f5")
        for name in ("situation", "needs"):
            await paste(pilot, app.query_one(f"#sit-{name}"), h)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.view.situation)
        assert shown(app.query_one("#situation-log")).count(expect(h)) == 2
        await pilot.press("f6")
        await paste(pilot, app.query_one("#decision-text"), h)
        await pilot.press("enter")
        await until(pilot, lambda: app.view.decisions)
        assert expect(h) in shown(app.query_one("#decision-log"))
        app.act("decision", text=RAW + h)  # raw, as a spreadsheet or a journal can bring it
        assert expect(RAW + h, 20) in shown(app.query_one("#decision-log"))
        await pilot.press("f7")
        assert shown(app.query_one("#checklist-pane")).count(want) >= (2 if in_scenario else 0)  # title, item
        await pilot.press("f8")
        await pilot.pause()
        assert want in shown(app.query_one("#objectives")) or not in_scenario
        await pilot.press("f3")
        await until(pilot, lambda: in_feed(h) in shown(app.query_one(FeedView)))  # the team's publication
        if in_scenario:
            app.query_one(FeedView).action_edge(False)  # the oldest: the scenario's own posts
            await until(pilot, lambda: shown(app.query_one(FeedView)).count(in_feed(h)) >= 2)

        # the facilitator's: an observation and an ad-hoc inject
        await pilot.press("f9")
        await until(pilot, lambda: app.screen.id == "facilitator" and app.screen.query_one("#upcoming").row_count)
        facilitator = app.screen
        assert want in shown(facilitator.query_one("#upcoming")) or not in_scenario
        assert want in shown(facilitator.query_one("#adhoc-to")) or not in_scenario
        await paste(pilot, facilitator.query_one("#observation"), h)
        await pilot.press("enter")
        await until(pilot, lambda: app.view.observations)
        assert expect(h) in shown(facilitator.query_one("#observation-log"))
        await paste(pilot, facilitator.query_one("#adhoc-from"), h[:MAX_TITLE])
        await paste(pilot, facilitator.query_one("#adhoc-subject"), h[:MAX_TITLE])
        await paste(pilot, facilitator.query_one("#adhoc-text"), h)
        await pilot.click("#adhoc")
        await until(pilot, lambda: "adhoc#1" in app.view.inbox)
        no_raw_control(app)
        await pilot.press("f2")
        await until(pilot, lambda: app.screen is app.team)
        inbox.show("adhoc#1")
        await pilot.pause()
        assert shown(app.query_one("#inject-text")).count(expect(h)) >= 3  # subject, sender, text
        await click_everything(pilot, app)
        nothing_happened(app, cwd)
        no_raw_control(app)
        app.shutdown(interrupted=True)

    # exactly what the boxes held: a pasted control character is written out (`\x1b`) as it was shown
    typed, h = {a["kind"]: a for a in journal_actions(db) if a.get("text") != RAW + h}, visible(h)
    assert typed["reply"]["text"] == typed["publish"]["text"] == typed["decision"]["text"] == h
    assert typed["observation"]["text"] == typed["add_inject"]["fields"]["text"] == h
    assert typed["situation_update"]["fields"] == {"situation": h, "needs": h}

    again = make_app(LiveDrill.resume(db, None), clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "adhoc#1" in again.view.inbox)
        again.query_one(InboxPane).show("samtal")
        await pilot.pause()
        assert shown(again.query_one("#inbox")).count(want) >= (3 if in_scenario else 0)
        assert shown(again.query_one("#inject-text")).count(expect(h, 40) if in_scenario else PLAIN) >= 1
        for log in ("#publish-log", "#situation-log", "#decision-log"):
            assert expect(h) in shown(again.query_one(log)), log
        assert expect(RAW + h, 20) in shown(again.query_one("#decision-log"))
        await click_everything(pilot, again)
        nothing_happened(again, cwd)
        no_raw_control(again)
        await pilot.press("f9")
        await until(pilot, lambda: again.screen.id == "facilitator" and again.screen.query_one("#upcoming").row_count)
        assert expect(h) in shown(again.screen.query_one("#observation-log"))
        no_raw_control(again)
        again.shutdown(interrupted=True)
