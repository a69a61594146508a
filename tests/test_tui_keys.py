"""Keys do what the footer and the help say, from every widget; focus always shows; typing is never lost."""

from __future__ import annotations

from importlib import resources

import pytest
from test_tui_submit import advance_to, start, until
from textual.geometry import Region
from textual.widgets import TabbedContent

from krisovning.i18n import set_language
from krisovning.tui.app import TABS, make_app
from krisovning.tui.team import InboxPane

MIN = 60.0
TEXT_BOXES = ("#reply", "#publish-text", "#sit-situation", "#decision-text")


def tab_of(app, widget) -> str | None:
    return next((node.id for node in widget.ancestors if node.id and node.id.startswith("tab-")), None)


async def write_in(pilot, selector: str, text: str) -> None:
    app = pilot.app
    widget = app.query_one(selector)
    await pilot.press(f"f{TABS.index(tab_of(app, widget)[4:]) + 2}")
    widget.focus()
    await pilot.press(*text)


def value(app, selector: str) -> str:
    widget = app.query_one(selector)
    return widget.text if hasattr(widget, "text") else widget.value


async def test_f_keys_work_inside_a_text_box_and_never_replace_what_was_typed(tmp_path):
    """Regression: F6/F7 in a text box selected its line/all, and the next letter replaced the draft."""
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await write_in(pilot, "#publish-text", "Pressmeddelande")
        await pilot.press("f6", *"Beslut")
        assert app.query_one(TabbedContent).active == "tab-decisions"
        assert value(app, "#decision-text") == "Beslut"
        await pilot.press("f4")
        await pilot.press("f7", "x")
        assert app.query_one(TabbedContent).active == "tab-checklists"
        assert value(app, "#publish-text") == "Pressmeddelande"
        assert value(app, "#decision-text") == "Beslut"


async def test_every_f_key_from_every_text_box_opens_its_tab_with_the_focus_in_it(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for box in TEXT_BOXES:
            for i, name in enumerate(TABS):
                app.query_one(box).focus()  # (brings its tab forward)
                await pilot.pause()
                await pilot.press(f"f{i + 2}")
                assert app.query_one(TabbedContent).active == f"tab-{name}", (box, name)
                assert app.focused is not None and tab_of(app, app.focused) == f"tab-{name}", (box, name, app.focused)


async def test_the_f_key_of_the_open_tab_puts_the_focus_in_it(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f6")
        app.query_one("ContentTabs").focus()  # the tab bar: outside the tab's fields
        await pilot.press("f6", *"Ok")
        assert value(app, "#decision-text") == "Ok"


async def test_text_in_a_focused_box_stays_whatever_else_happens(tmp_path):
    """Regression: a decision journaled meanwhile (another window, the palette) emptied the box being written in."""
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await write_in(pilot, "#decision-text", "Halvfärdigt")
        app.act("decision", text="Beslut från spelledningen")
        advance_to(app, 12 * MIN)  # injects arrive, the inbox is rebuilt
        await pilot.pause()
        assert value(app, "#decision-text") == "Halvfärdigt"
        await write_in(pilot, "#reply", "Svar på gång")
        app.query_one(InboxPane).show("p4-ringer")
        advance_to(app, 20 * MIN)
        app.act("situation_update", text="Läge", fields={"situation": "Läge"})
        await pilot.pause()
        assert value(app, "#reply") == "Svar på gång" and app.query_one(InboxPane).selected == "p4-ringer"


@pytest.mark.parametrize(("lang", "yes"), [("sv", "j"), ("en", "y")])
async def test_the_quit_and_end_dialogs_answer_to_the_keyboard(tmp_path, lang, yes):
    set_language(lang)
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for no in ("n", "escape"):
            await pilot.press("ctrl+q")
            await until(pilot, lambda: app.screen.query("#yes"))
            assert f"({yes})" in str(app.screen.query_one("#yes").label)
            assert "(n)" in str(app.screen.query_one("#no").label)
            await pilot.press(no)
            await until(pilot, lambda: app.screen is app.team)
        app.action_end_drill()
        await until(pilot, lambda: app.screen.query("#yes"))
        await pilot.press("n")
        await until(pilot, lambda: app.screen is app.team)
        assert not app.live.finished
        app.action_end_drill()
        await until(pilot, lambda: app.screen.query("#yes"))
        await pilot.press("j" if yes == "y" else "y")  # both answer yes in either language
        await until(pilot, lambda: app.live.finished)
        await until(pilot, lambda: app.screen.query("#summary-report"))
        await pilot.press("ctrl+q")  # a finished drill quits at once
    assert app.live.recorder.info.status == "finished"


async def test_yes_by_key_quits_and_ctrl_q_twice_quits(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.screen.query("#yes"))
        await pilot.press("j")
    assert app.live.recorder.info.status == "interrupted" and app.return_value == app.live.recorder.info.id

    other = make_app(start(tmp_path / "b"), clock=False)
    async with other.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+q", "ctrl+q")
    assert other.live.recorder.info.status == "interrupted"


async def test_over_a_dialog_the_f_keys_leave_the_tabs_alone_and_f1_closes_the_help(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await until(pilot, lambda: app.screen is not app.team)
        await pilot.press("f4", "f9", "f10")
        assert app.query_one(TabbedContent).active == "tab-inbox" and not app.live.paused
        assert len(app.screen_stack) == 2
        await pilot.press("f1")
        await until(pilot, lambda: app.screen is app.team)


@pytest.mark.parametrize(
    ("lang", "words"), [("sv", ("Enter", "inkorgen", "svaret")), ("en", ("Enter", "inbox", "reply"))]
)
async def test_the_help_says_enter_on_an_inbox_row_opens_the_reply_and_it_does(tmp_path, lang, words):
    help_text = resources.files("krisovning").joinpath(f"data/help.{lang}.md").read_text(encoding="utf-8")
    assert any(all(w in line for w in words) for line in help_text.splitlines())
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 3 * MIN)
        await until(pilot, lambda: app.query_one("#inbox").row_count)
        app.query_one("#inbox").focus()
        await pilot.press("enter", *"Tack")
        assert value(app, "#reply") == "Tack"


def look(widget) -> list:
    """What `widget` and everything inside it draws (text and styles)."""
    out = []
    for node in [widget, *widget.walk_children()]:
        if node.display and node.size.area:
            strips = node.render_lines(Region(0, 0, node.size.width, node.size.height))
            out.append([[(segment.text, str(segment.style)) for segment in strip] for strip in strips])
    return out


async def test_tab_never_lands_where_the_focus_does_not_show(tmp_path):
    """Regression: Tab stopped on the inject's text, the checklists and the ad-hoc column, which showed nothing."""
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 12 * MIN)
        seen: set[int] = set()
        hidden: set[str] = set()

        async def walk_focus() -> None:
            here: set[int] = set()
            for _ in range(40):
                widget = app.focused
                if widget is None or id(widget) in here:
                    return  # round the whole chain
                here.add(id(widget))
                if id(widget) not in seen:
                    seen.add(id(widget))
                    await pilot.pause()
                    focused = look(widget)
                    app.set_focus(None)
                    await pilot.pause()
                    if look(widget) == focused:
                        hidden.add(f"{type(widget).__name__}#{widget.id}")
                    app.set_focus(widget)
                await pilot.press("tab")

        for i in range(len(TABS)):
            await pilot.press(f"f{i + 2}")
            await walk_focus()
        await pilot.press("f9")
        await until(pilot, lambda: app.screen.id == "facilitator")
        await walk_focus()
        assert len(seen) > 30 and hidden == set()
