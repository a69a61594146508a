"""Urgency in the inbox (issue #16 point 8): rows coloured by deadline, priority shown, a new arrival
never hidden above the visible rows, and "deadline first" one key away. Pilot, waiting on conditions."""

from __future__ import annotations

from krisovning.tui.app import make_app
from krisovning.tui.inbox import SOON, InboxPane
from tests.test_tui_app import MIN, STARTER, advance_to, start, until


def _style(app, inject: str, column: str = "status") -> str:
    table = app.query_one("#inbox")
    return str(table.get_cell(inject, column).style)


async def test_a_row_turns_from_plenty_to_soon_to_overdue_and_shows_its_priority(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 9 * MIN)
        await until(pilot, lambda: "p4-ringer" in app.view.inbox)
        deadline = app.view.inbox["p4-ringer"].deadline
        await until(pilot, lambda: "green" in _style(app, "p4-ringer"))
        assert "green" in _style(app, "p4-ringer", "subject")  # the whole row, not one cell
        priority = app.query_one("#inbox").get_cell("p4-ringer", "priority").plain
        assert priority.lower() in {"låg", "normal", "hög", "kritisk"}
        advance_to(app, deadline - SOON + 30)
        await until(pilot, lambda: "yellow" in _style(app, "p4-ringer", "subject"))
        advance_to(app, deadline + 30)
        await until(pilot, lambda: "red" in _style(app, "p4-ringer", "subject"))
        assert app.view.inbox["p4-ringer"].status == "overdue"


def _many_injects() -> str:
    """The starter with an e-mail a minute (YAML text: a dump would turn the `on:` keys into `true:`)."""
    more = "".join(
        f"  - {{id: mejl-{n}, at: {n}m, channel: email, from: p4-reporter, to: presssekreterare, text: Fråga {n}}}\n"
        for n in range(1, 30)
    )
    assert "\ninjects:\n" in STARTER
    return STARTER.replace("\ninjects:\n", "\ninjects:\n" + more, 1)


async def test_a_new_arrival_is_scrolled_into_view_while_the_cursor_stays_on_the_inject_being_read(tmp_path):
    app = make_app(start(tmp_path, _many_injects()), clock=False)
    async with app.run_test(size=(100, 30)) as pilot:
        advance_to(app, 20 * MIN + 30)
        await until(pilot, lambda: "mejl-20" in app.view.inbox)
        table = app.query_one("#inbox")
        table.focus()
        await pilot.pause()  # the arrivals so far are revealed first
        table.move_cursor(row=table.row_count - 1, animate=False)  # the oldest, at the bottom
        await until(pilot, lambda: table.scroll_y > 3)
        reading = table.coordinate_to_cell_key((table.row_count - 1, 0)).row_key.value
        await until(pilot, lambda: app.query_one(InboxPane).selected == reading)  # it is being read
        advance_to(app, 21 * MIN + 30)
        await until(pilot, lambda: "mejl-21" in table.rows)
        for _ in range(3):
            await pilot.pause()
        assert table.scroll_y <= table.get_row_index("mejl-21") < table.scroll_y + table.size.height - 1
        assert app.query_one(InboxPane).selected == reading
        assert table.get_row_index(reading) == table.cursor_row


async def test_ctrl_d_sorts_by_deadline_and_back_and_the_select_says_so(tmp_path):
    app = make_app(start(tmp_path, _many_injects()), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 10 * MIN)
        await until(pilot, lambda: "p4-ringer" in app.query_one("#inbox").rows)
        await pilot.press("f3")  # another tab: the key brings the inbox back
        await pilot.press("ctrl+d")
        inbox = app.query_one(InboxPane)
        await until(pilot, lambda: inbox.sort == "deadline")
        assert app.query_one("#tabs").active == "tab-inbox"
        assert app.query_one("#sort").value == "deadline"
        first = app.query_one("#inbox").coordinate_to_cell_key((0, 0)).row_key.value
        awaited = [i.deadline for i in inbox.items.values() if i.status == "new" and i.deadline is not None]
        assert inbox.items[first].deadline == min(awaited)  # the nearest deadline on top
        await pilot.press("ctrl+d")
        await until(pilot, lambda: inbox.sort == "newest")
