"""The host's own screen in a terminal: the clock, each seat and whether it is connected, the requests
taken and refused, the invitations (to copy) and a journal fault if there is one. The host's steps run
from a timer here (session/host.py); the drill itself is played at the seats."""

from __future__ import annotations

import contextlib
import time

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from krisovning.i18n import t
from krisovning.session.group import group_of
from krisovning.session.host import HostDrill
from krisovning.session.roster import Invitation, seat_label, seat_state
from krisovning.session.store import JournalError
from krisovning.textsafe import visible, visible_line
from krisovning.tui.labels import clock

LOOK_EVERY = 0.5  # wall seconds between looks at the seats


class HostConsole(App):
    CSS = """
    #state { height: auto; padding: 0 1; background: $panel; }
    #fault { height: auto; padding: 0 1; color: $text-error; display: none; }
    #fault.shown { display: block; }
    #seats { height: auto; max-height: 50%; }
    #invitations-box { height: 1fr; }
    #invitations { padding: 0 1; }
    """

    def __init__(self, drill: HostDrill, invites: list[Invitation], hz: int) -> None:
        super().__init__()
        self.drill = drill
        self.invites = invites
        self.hz = hz
        self._last: float | None = None
        self._look_in = 0.0
        self._rows: dict[str, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static("", id="state")
        yield Static("", id="fault")
        yield DataTable(id="seats", cursor_type="none", zebra_stripes=True)
        with VerticalScroll(id="invitations-box"):  # a small terminal scrolls them (mouse wheel, arrows)
            yield Static(self._invitation_text(), id="invitations")
        yield Footer()

    def on_mount(self) -> None:
        live = self.drill.live
        self.title = visible_line(t("host.console_title", title=live.scenario.title, session=live.session_id))
        with contextlib.suppress(JournalError):  # the state line says what is wrong with the journal
            grouped = group_of(live.recorder.store, live.session_id)
            if grouped is not None:  # a regional drill: which municipality first (the header cuts the end off)
                self.sub_title = self.title
                self.title = visible_line(t("host.console_group", group=grouped[0], label=grouped[1].label))
        table = self.query_one("#seats", DataTable)
        table.add_columns(t("host.col_seat"), t("host.col_state"))
        self.look()
        self.show_state()
        if self.drill.expired:
            self.notify(t("host.expired", n=self.drill.expired), timeout=10, markup=False)
        self._timer = self.set_interval(1 / self.hz, self.step)

    def _invitation_text(self) -> Content:
        lines = [t("host.invitations")]
        for invite in self.invites:
            lines += [f"  {invite.label}:", f"    {invite.command}"]
            if invite.url:
                lines.append(f"    {invite.url}")
        return Content(visible("\n".join(lines)))  # role names and paths are data, never markup

    def step(self) -> None:
        now = time.monotonic()
        wall = 0.0 if self._last is None else min(now - self._last, 1.0)
        self._last = now
        self.drill.step(wall)
        if not self.query("#seats"):  # the console is closing: a last tick can come after its screen went
            return
        self._look_in -= wall
        if self._look_in <= 0:
            self._look_in = LOOK_EVERY
            self.look()
        self.show_state()
        if self.drill.live.finished:
            self._timer.stop()  # no step after the last: the screen is going
            self.exit()

    def look(self) -> None:
        """Each seat's line in the table, changed only when what it says changed."""
        table = self.query_one("#seats", DataTable)
        for seen, connected in self.drill.seats():
            row = (visible_line(seat_label(self.drill.live.scenario, seen.seat)), seat_state(seen, connected))
            if self._rows.get(seen.seat) == row:
                continue
            cells = [Text(cell) for cell in row]  # literal (a Rich Text: the table sizes its columns by it)
            if seen.seat in self._rows:
                for column, cell in zip(table.columns, cells, strict=True):
                    table.update_cell(seen.seat, column, cell)
            else:
                table.add_row(*cells, key=seen.seat)
            self._rows[seen.seat] = row

    def show_state(self) -> None:
        drill, live = self.drill, self.drill.live
        parts = [t("ui.clock", time=clock(live.now)), live.world_time()[11:16], f"{live.speed:g}×"]
        if live.finished:
            parts.append(t("ui.ended"))
        elif live.paused:
            parts.append(t("host.paused"))
        parts.append(t("host.requests", taken=drill.taken, refused=drill.refused))
        self.query_one("#state", Static).update(Content("  │  ".join(parts)))
        fault = self.query_one("#fault", Static)
        if live.fault is not None:
            fault.update(Content(visible(t("host.fault", problem=t(live.fault.key, **live.fault.fields)))))
        fault.set_class(live.fault is not None, "shown")

    def action_copy_invitations(self) -> None:
        self.copy_to_clipboard("\n".join(invite.command for invite in self.invites))
        self.notify(t("host.copied"), timeout=3, markup=False)


def console_class() -> type[HostConsole]:
    """The console with its keys in the language of the moment (Textual reads them from the class)."""
    bindings = [
        Binding("ctrl+q", "quit", t("host.key_quit"), priority=True),
        Binding("ctrl+c", "quit", t("host.key_quit"), show=False, priority=True),
        Binding("k", "copy_invitations", t("host.key_copy")),
    ]
    return type("HostConsoleApp", (HostConsole,), {"BINDINGS": bindings, "__module__": __name__})


def run_console(drill: HostDrill, invites: list[Invitation], hz: int) -> None:
    """Step the drill until it ends or the host quits (the caller closes it)."""
    console_class()(drill, invites, hz).run()
