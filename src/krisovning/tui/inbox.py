"""The inbox: injects as they arrive, the selected one in full with its conversation, and the reply.

At a team seat (session/seats.py) the list shows the seat's own injects unless asked to show all, a
reply is drafted per inject (kept by tui/drafts.py through the app), and an inject can be claimed
("I'll take it") so that the other seats see who is on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Select, Static

from krisovning.i18n import t
from krisovning.scenario.model import HOLD
from krisovning.session.seats import SOLO, Seat
from krisovning.tui import conversation, labels
from krisovning.tui.decline import DeclineScreen
from krisovning.tui.fields import Composer, Field, Submitted, submit
from krisovning.tui.model import InboxItem
from krisovning.vocab import InjectChannel, PersonaKind, Priority, SeatKind

if TYPE_CHECKING:
    from krisovning.scenario import Scenario

ALL = "__all__"
SOON = 300.0  # exercise seconds left when a deadline turns from "plenty of time" to "soon"
URGENCY_STYLE = {"plenty": "green", "soon": "bold yellow", "overdue": "bold red"}
COLUMNS = ("status", "deadline", "priority", "time", "channel", "sender", "to", "subject")


def urgency(item: InboxItem, now: float) -> str | None:
    """How pressing an inject is: plenty (of time) / soon / overdue; None when nothing is awaited."""
    if item.status == "overdue":
        return "overdue"
    deadline = item.deadline
    if item.status != "new" or deadline is None:
        return None
    left = deadline - now
    return "overdue" if left < 0 else "soon" if left < SOON else "plenty"


class InboxPane(Vertical):
    """Injects as they arrive, newest first; the selected one in full, with a reply composer."""

    def __init__(self, scenario: Scenario, seat: Seat = SOLO) -> None:
        super().__init__(id="inbox-pane")
        self.scenario = scenario
        self.seat = seat
        self.show_all = seat.kind != SeatKind.team  # a team seat sees its own injects first
        self.drafts: dict[str, str] = {}  # a seat's unsent reply per inject (the selected one's is in the box)
        self.items: dict[str, InboxItem] = {}
        self.selected: str | None = None
        self.role_filter = ALL
        self.channel_filter = ALL
        self.sort = "newest"
        # per row as last drawn: urgency (the row's colour), status and time left; only what changed is redrawn
        self.drawn: dict[str, tuple[str | None, str, str]] = {}
        self.now = 0.0

    def compose(self) -> ComposeResult:
        roles = [(labels.literal(r.name), r.id) for r in self.scenario.roles]
        channels = [(labels.channel(c.value), c.value) for c in InjectChannel]
        with Horizontal(id="inbox-filters"):
            yield Select([(t("ui.all_roles"), ALL), *roles], value=ALL, allow_blank=False, id="role-filter")
            yield Select([(t("ui.all_channels"), ALL), *channels], value=ALL, allow_blank=False, id="channel-filter")
            yield Select(
                [(t("ui.sort_newest"), "newest"), (t("ui.sort_deadline_key"), "deadline")],
                value="newest",
                allow_blank=False,
                id="sort",
            )
        table: DataTable[Text] = DataTable(id="inbox", cursor_type="row", zebra_stripes=True)
        for key in COLUMNS:
            table.add_column(labels.label(labels.COLUMN_KEYS, key), key=key)
        yield table
        with VerticalScroll(id="inject-detail"):
            yield Static(t("ui.no_inject_selected"), id="inject-text")
        with Horizontal(id="reply-row"):
            yield Composer("ui.reply_hint", id="reply", placeholder=t("ui.reply_placeholder"))
            yield Button(t("ui.reply_button"), id="send-reply", variant="primary")
            # a journalist's question may be declined (tui/decline.py); shown when one is selected
            yield Button(t("ui.decline.button"), id="decline", variant="warning")
            if self.seat.kind == SeatKind.team:
                yield Button(t("ui.claim_button"), id="claim")

    def add(self, items: list[InboxItem]) -> None:
        for item in items:
            self.items[item.id] = item
        self.rebuild(self.now)
        # after the refresh: the cursor kept on the inject being read scrolls to itself first (DataTable)
        self.call_after_refresh(self.reveal, [item.id for item in items])

    def reveal(self, fresh: list[str]) -> None:
        """A new arrival is never left above the visible rows: scroll up to the topmost one (the cursor,
        and so the inject being read, stays where it was)."""
        table = self.query_one("#inbox", DataTable)
        rows = [table.get_row_index(key) for key in fresh if key in table.rows]
        if rows and min(rows) < table.scroll_y:
            table.scroll_to(y=min(rows), animate=False, immediate=True)

    def toggle_sort(self) -> None:
        """Deadline first, or newest first again (the sort select shows which)."""
        self.query_one("#sort", Select).value = "newest" if self.sort == "deadline" else "deadline"

    def shown(self) -> list[InboxItem]:  # not `visible`: that is every widget's own property
        items = [
            i
            for i in self.items.values()
            if (self.show_all or self.seat.holds(i.data.to))
            and (self.role_filter == ALL or i.data.to == self.role_filter)
            and (self.channel_filter == ALL or i.data.channel == self.channel_filter)
        ]
        if self.sort == "deadline":
            return sorted(items, key=lambda i: (i.status != "new", i.deadline or 1e12))
        return sorted(items, key=lambda i: -i.t)

    def rebuild(self, now: float | None = None) -> None:
        now = self.now if now is None else now
        table = self.query_one("#inbox", DataTable)
        keep = self.selected
        table.clear()
        for item in self.shown():
            cells = self.cells(item, now)
            table.add_row(*cells, key=item.id)
            self.drawn[item.id] = (urgency(item, now), cells[0].plain, cells[1].plain)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    def cells(self, item: InboxItem, now: float) -> list[Text]:
        data = item.data
        sender = data.sender
        who = sender.name
        if sender.outlet:
            who = f"{who}, {sender.outlet}"
        subject = data.subject or data.text.strip().splitlines()[0]
        role = next((r.name for r in self.scenario.roles if r.id == data.to), data.to)
        priority = labels.label(labels.PRIORITY_KEYS, data.priority)
        style = URGENCY_STYLE.get(urgency(item, now) or "")
        cells = [
            *self.time_cells(item, now, None),  # styled with the others below
            labels.cell(priority.upper() if data.priority in (Priority.high, Priority.critical) else priority),
            labels.cell(labels.world_hhmm(data.world_time)),
            labels.cell(labels.channel(data.channel)),
            labels.cell(who, 24),
            labels.cell(role, 16),
            labels.cell(subject, 50),
        ]
        if style is not None:
            for text in cells:
                text.style = style
        return cells

    def time_cells(self, item: InboxItem, now: float, style: str | None) -> tuple[Text, Text]:
        """The two cells that change as time passes: status (with who answered or took it) and time left."""
        deadline = item.deadline
        left = labels.countdown(deadline - now) if deadline is not None and item.status == "new" else "–"
        status = labels.label(labels.INBOX_STATUS_KEYS, item.status) if not item.declined else t("ui.decline.status")
        by = conversation.mark(self.scenario, item)
        if by is not None:
            status = f"{status} {by}"
        cells = (labels.cell(status, 32), labels.cell(left))
        if style is not None:
            for text in cells:
                text.style = style
        return cells

    def refresh_times(self, now: float) -> None:
        """Update the status and countdown cells that changed (a whole row when its colour changed).
        Any cell update makes the table draw all its rows again, so an unchanged cell is left alone."""
        self.now = now
        table = self.query_one("#inbox", DataTable)
        for item in self.items.values():
            if item.id not in table.rows:
                continue
            now_urgent = urgency(item, now)
            status, left = self.time_cells(item, now, URGENCY_STYLE.get(now_urgent or ""))
            was_urgent, was_status, was_left = self.drawn.get(item.id, (None, "", ""))
            recolour = now_urgent != was_urgent
            if recolour:  # its colour changed: the whole row
                for key, text in zip(COLUMNS[2:], self.cells(item, now)[2:], strict=True):
                    table.update_cell(item.id, key, text)
            if recolour or status.plain != was_status:
                # a seat's status grows by who answered or took it (conversation.mark): the column with it
                table.update_cell(item.id, "status", status, update_width=self.seat.kind != SeatKind.solo)
            if recolour or left.plain != was_left:
                table.update_cell(item.id, "deadline", left)
            self.drawn[item.id] = (now_urgent, status.plain, left.plain)

    def show(self, inject_id: str | None) -> None:
        if self.seat.kind != SeatKind.solo and inject_id != self.selected:
            self.swap_draft(inject_id)
        self.selected = inject_id
        self.sync_claim()
        text = self.query_one("#inject-text", Static)
        item = self.items.get(inject_id or "")
        self.query_one("#decline", Button).display = (
            item is not None and item.data.sender.kind == PersonaKind.journalist
        )
        if item is None:
            text.update(t("ui.no_inject_selected"))
            return
        data = item.data
        sender = data.sender
        who = ", ".join(x for x in (sender.name, sender.title, sender.outlet or sender.organisation) if x)
        lines = [
            labels.literal(data.subject or labels.channel(data.channel), "bold"),
            labels.literal(
                t(
                    "ui.detail_from",
                    sender=who,
                    channel=labels.channel(data.channel),
                    time=labels.world_hhmm(data.world_time),
                )
            ),
        ]
        expect = data.expect
        if expect and expect.action == HOLD:  # not "by" a time: nothing on these topics until then
            titles = {topic.id: topic.title or topic.id for topic in self.scenario.topics}
            lines.append(
                labels.literal(
                    t(
                        "ui.detail_hold",
                        topics=", ".join(titles.get(tid, tid) for tid in expect.topics),
                        deadline=labels.world_hhmm(self.world_time(expect.deadline)),
                    )
                )
            )
        elif expect:
            lines.append(
                labels.literal(
                    t(
                        "ui.detail_expect",
                        action=labels.label(labels.EXPECT_KEYS, expect.action),
                        deadline=labels.world_hhmm(self.world_time(expect.deadline)),
                        clock=labels.clock(expect.deadline),
                    )
                )
            )
        lines += [Content(""), labels.literal(data.text.strip())]
        if self.seat.kind != SeatKind.solo:
            lines += conversation.lines(self.scenario, item)
        text.update(Content("\n").join(lines))

    def swap_draft(self, inject_id: str | None) -> None:
        """Keep the reply written to the inject being left; bring back the one written to the next."""
        box = self.query_one("#reply", Composer)
        if self.selected is not None:
            self.drafts[self.selected] = box.text
        box.text = self.drafts.pop(inject_id or "", "")
        box.move_cursor(box.document.end)

    def reply_drafts(self) -> dict[str, str]:
        out = dict(self.drafts)
        if self.selected is not None:
            out[self.selected] = self.query_one("#reply", Composer).text
        return {k: v for k, v in out.items() if v.strip()}

    def restore_drafts(self, drafts: dict[str, str]) -> None:
        self.drafts = dict(drafts)
        if self.selected is not None:
            box = self.query_one("#reply", Composer)
            box.text = self.drafts.pop(self.selected, "") + box.text

    def mine(self, item: InboxItem) -> bool:
        """Claimed by this seat (a claim is the seat's, whichever of its roles it was taken in)."""
        return item.claim is not None and item.claim.seat == self.seat.id

    def sync_claim(self) -> None:
        buttons = self.query("#claim")
        if buttons:
            item = self.items.get(self.selected or "")
            buttons.first(Button).label = t("ui.release_button" if item and self.mine(item) else "ui.claim_button")

    def toggle_all(self) -> bool:
        """Show every inject, or only the seat's own again; returns whether all are shown."""
        self.show_all = not self.show_all
        self.rebuild()
        return self.show_all

    def claim(self) -> None:
        """Take the selected inject, or let it go if it is this seat's already."""
        item = self.items.get(self.selected or "")
        if item is None:
            self.app.notify(t("ui.no_inject_chosen"), severity="warning")
            return
        submit(self, "release" if self.mine(item) else "claim", inject=item.id)

    def decline(self) -> None:
        """Decline the selected journalist's interview, with the reply box's text as the reason to start from."""
        item = self.items.get(self.selected or "")
        if item is None:
            self.app.notify(t("ui.no_inject_chosen"), severity="warning")
            return
        box = self.query_one("#reply", Composer)
        sender = item.data.sender
        who = ", ".join(x for x in (sender.name, sender.outlet) if x)

        def chosen(reason: str | None) -> None:
            if reason is not None and submit(self, "reply", inject=item.id, text=reason, declined=True):
                box.clear()  # the reason was taken from it (a refusal leaves it as it was)

        self.app.push_screen(DeclineScreen(who, box.text), chosen)

    def world_time(self, seconds: float) -> str:
        from datetime import timedelta

        return (self.scenario.start + timedelta(seconds=seconds)).isoformat(timespec="seconds")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.show(str(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an inject: read it, and start writing the reply."""
        if event.row_key is not None and event.row_key.value is not None:
            self.show(str(event.row_key.value))
            self.query_one("#reply", Composer).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "role-filter":
            self.role_filter = str(event.value)
        elif event.select.id == "channel-filter":
            self.channel_filter = str(event.value)
        elif event.select.id == "sort":
            self.sort = str(event.value)
        self.rebuild()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send-reply":
            event.stop()
            self.send()
        elif event.button.id == "claim":
            event.stop()
            self.claim()
        elif event.button.id == "decline":
            event.stop()
            self.decline()

    def on_submitted(self, event: Submitted) -> None:
        event.stop()
        self.submit(event.box, event.text)

    def send(self) -> None:
        box = self.query_one("#reply", Composer)
        self.submit(box, box.take())

    def submit(self, box: Composer | Field, text: str) -> None:
        if not submit(self, "reply", inject=self.selected or "", text=text):
            box.give_back(text)
