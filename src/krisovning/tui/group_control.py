"""The exercise management's view of a group of parallel drills (`krisovning group control NAME`).

A table of the group's sessions refreshed from the journal (session/group.py, metrics/progress.py), the
highlighted one in detail below, and keys that send the facilitator's requests to all sessions or to the
selected ones; each host's answer is shown per session. Sending waits for the hosts (up to ten seconds),
so it runs in a thread of its own with a connection of its own (a SQLite connection serves one thread).
Everything read from the journals is data: Content and Text objects, never markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from krisovning.engine import Action
from krisovning.i18n import t, tn
from krisovning.i18n.fmt import exercise_time
from krisovning.metrics.objectives import MET, NOT_MET, PARTLY
from krisovning.metrics.progress import Progress, ProgressWatch, action_text, objectives_text, outcome_text, state_text
from krisovning.session.group import ANSWER_WITHIN, UNREACHABLE, GroupError, Outcome, Watch, send
from krisovning.session.live import SPEEDS
from krisovning.session.store import JournalError, SqliteStore, open_store
from krisovning.textsafe import visible, visible_line
from krisovning.tui.labels import CHANNEL_KEYS
from krisovning.tui.modals import ConfirmScreen

REFRESH = 1.0  # wall seconds between looks at the journal
MAX_SPEED = 600


class GroupControl(App[None]):
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # the shared modals' look (ConfirmScreen)
    CSS = """
    #summary { height: auto; padding: 0 1; background: $panel; }
    #sessions { height: 1fr; min-height: 5; }
    #detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary; }
    #answers { height: auto; max-height: 8; padding: 0 1; border-top: solid $secondary; }
    .lost { color: $text-error; text-style: bold; }
    """

    def __init__(
        self,
        store: SqliteStore,
        name: str,
        *,
        clock: Callable[[], float] = time.time,
        refresh: float = REFRESH,
        within: float = ANSWER_WITHIN,
    ) -> None:
        super().__init__()
        self.store = store
        self.group = name
        self.progress = ProgressWatch(Watch(store, name, clock=clock))
        self.every = refresh
        self.within = within
        self.rows: list[Progress] = []
        self.selected: set[str] = set()
        self.answers: dict[str, str] = {}  # session → what its host made of the last command
        self.fault: str | None = None
        self.busy = False
        self.asked = ""  # the last command, as the answers' heading says it

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static("", id="summary")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="detail")
        yield Static("", id="answers")
        yield Footer()

    def on_mount(self) -> None:
        self.title = visible_line(t("group.ui.title", group=self.group))
        table = self.query_one("#sessions", DataTable)
        for key in (
            "group.ui.col_selected",
            "group.ui.col_label",
            "group.ui.col_clock",
            "group.ui.col_speed",
            "group.ui.col_state",
            "group.ui.col_seats",
            "group.ui.col_objectives",
            "group.ui.col_latest",
        ):
            table.add_column(t(key), key=key)
        self.look()
        if self.every > 0:
            self.set_interval(self.every, self.look)

    # --- what the view shows ---

    def look(self) -> None:
        try:
            self.rows = self.progress.look()
            self.fault = None
        except JournalError as exc:
            self.fault = t(exc.key, **exc.fields)
        except Exception as exc:  # a GroupError: the group's last session left the journal
            self.fault = str(getattr(exc, "key", exc))
        self.show()

    def show(self) -> None:
        if not self.query("#sessions"):  # closing: a last timer can come after the screen went
            return
        table = self.query_one("#sessions", DataTable)
        keys = [row.snapshot.member.session for row in self.rows]
        if [str(k.value) for k in table.rows] != keys:
            table.clear()
            for row in self.rows:
                table.add_row(*self._cells(row), key=row.snapshot.member.session)
        else:
            for row in self.rows:
                for column, value in zip(table.columns, self._cells(row), strict=True):
                    table.update_cell(row.snapshot.member.session, column, value, update_width=True)
        self._summary()
        self._detail()
        self._answers()

    def _cells(self, row: Progress) -> list[Text]:
        s = row.snapshot
        latest = s.latest[0] if s.latest else None
        state = Text(state_text(row), style="bold red" if s.state == UNREACHABLE else "")
        return [
            Text("●" if s.member.session in self.selected else " "),
            Text(visible_line(s.member.label)),
            Text(exercise_time(s.clock)),
            Text(f"{s.speed:g}×"),
            state,
            Text(f"{s.seats}/{s.offered}"),
            Text(f"{row.count(MET)}/{row.count(PARTLY)}/{row.count(NOT_MET)}"),
            Text(action_text(latest.kind, latest.text, 30) if latest is not None else "–"),
        ]

    def _summary(self) -> None:
        lost = sum(1 for row in self.rows if row.snapshot.state == UNREACHABLE)
        parts = [
            t("group.ui.summary", n=len(self.rows), selected=len(self.selected) or t("group.ui.all")),
        ]
        if lost:
            parts.append(tn("group.ui.lost", lost))
        if self.fault is not None:
            parts.append(visible_line(self.fault))
        if self.busy:
            parts.append(t("group.ui.sending"))
        self.query_one("#summary", Static).update(Content("  │  ".join(parts)))

    def highlighted(self) -> Progress | None:
        table = self.query_one("#sessions", DataTable)
        if not self.rows or table.cursor_row is None or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _detail(self) -> None:
        row = self.highlighted()
        if row is None:
            self.query_one("#detail", Static).update(Content(""))
            return
        s = row.snapshot
        title = s.info.scenario_title if s.info is not None else t("group.session_missing")
        lines = [
            f"{s.member.label} · {title} · {s.member.session}",
            t("group.objectives_label") + " " + objectives_text(row),
        ]
        for action in s.latest:
            lines.append(f"{exercise_time(action.t)}  {action.who or '–'}: {action_text(action.kind, action.text)}")
        if not s.latest:
            lines.append(t("group.latest_none"))
        self.query_one("#detail", Static).update(Content(visible("\n".join(visible_line(x) for x in lines))))

    def _answers(self) -> None:
        labels = {row.snapshot.member.session: row.snapshot.member.label for row in self.rows}
        lines = [f"{visible_line(labels.get(s, s))}: {text}" for s, text in self.answers.items()]
        box = self.query_one("#answers", Static)
        box.update(Content("\n".join([t("group.ui.answers", what=self.asked), *lines])))
        box.display = bool(lines)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The view's keys work on the view: not while a form or a question is open over it."""
        return not (action in _VIEW_ACTIONS and len(self.screen_stack) > 1)

    # --- choosing sessions ---

    def action_pick(self) -> None:
        row = self.highlighted()
        if row is None:
            return
        session = row.snapshot.member.session
        self.selected.symmetric_difference_update({session})
        self.show()

    def action_pick_all(self) -> None:
        everyone = {row.snapshot.member.session for row in self.rows}
        self.selected = set() if self.selected >= everyone else everyone
        self.show()

    def targets(self) -> list[str]:
        """The selected sessions, or all of them when none is."""
        everyone = [row.snapshot.member.session for row in self.rows]
        return [session for session in everyone if not self.selected or session in self.selected]

    # --- steering ---

    def action_command(self, kind: str) -> None:
        self.steer(Action(kind))

    def action_end(self) -> None:
        n = len(self.targets())

        def answered(yes: bool | None) -> None:
            if yes:
                self.steer(Action("end"))

        question = tn("group.confirm_end", n, group=visible_line(self.group))
        self.push_screen(ConfirmScreen(question, t("group.ui.end_yes"), t("group.ui.end_no")), answered)

    def action_speed(self) -> None:
        def chosen(speed: float | None) -> None:
            if speed is not None:
                self.steer(Action("speed", speed=int(speed) if speed.is_integer() else speed))

        self.push_screen(SpeedScreen(), chosen)

    def action_inject(self) -> None:
        roles: dict[str, str] = {}
        for row in self.rows:
            if row.snapshot.scenario is not None and row.snapshot.member.session in self.targets():
                for role in row.snapshot.scenario.roles:
                    roles.setdefault(role.id, role.name)

        def chosen(action: Action | None) -> None:
            if action is not None:
                self.steer(action)

        self.push_screen(InjectScreen(roles), chosen)

    def action_align(self) -> None:
        sessions = self.targets()
        if not sessions or self.busy:
            return
        self.busy = True
        self.asked = t("group.ui.aligning")
        self.answers = {session: t("group.ui.waiting") for session in sessions}
        self.show()
        self._align(sessions)

    @work(thread=True, exclusive=True)
    def _align(self, sessions: list[str]) -> None:
        from krisovning.session.group_align import align

        self._with_writer(
            sessions, lambda store: [one.outcome for one in align(store, self.group, sessions, within=self.within)[1]]
        )

    def action_help(self) -> None:
        self.push_screen(GroupHelp())

    def steer(self, action: Action) -> None:
        sessions = self.targets()
        if not sessions or self.busy:
            return
        self.busy = True
        self.asked = action_text(action.kind, action.fields.get("text", "") or action.inject or "", 40)
        self.answers = {session: t("group.ui.waiting") for session in sessions}  # this command's answers only
        self.show()
        self._send(action, sessions)

    @work(thread=True, exclusive=True)
    def _send(self, action: Action, sessions: list[str]) -> None:
        self._with_writer(sessions, lambda store: send(store, sessions, action, within=self.within))

    def _with_writer(self, sessions: list[str], do: Callable[[SqliteStore], list[Outcome]]) -> None:
        """In a worker thread: `do` on a store of its own opened for writing (the view's reads on), then each
        session's outcome, or the problem, shown as its answer."""
        try:
            store = open_store(self.store.location, write=True)
        except JournalError as exc:
            self.call_from_thread(self._failed, sessions, t(exc.key, **exc.fields))
            return
        try:
            outcomes = do(store)
        except (GroupError, JournalError) as exc:
            self.call_from_thread(self._failed, sessions, t(exc.key, **exc.fields))
            return
        finally:
            store.close(tidy=False)
        self.call_from_thread(self._sent, outcomes)

    def _sent(self, outcomes: list[Outcome]) -> None:
        self.busy = False
        for outcome in outcomes:
            self.answers[outcome.session] = outcome_text(outcome)
        self.look()

    def _failed(self, sessions: list[str], problem: str) -> None:
        self.busy = False
        for session in sessions:
            self.answers[session] = visible_line(problem)
        self.look()


_VIEW_ACTIONS = {"pick", "pick_all", "command", "speed", "inject", "align", "end", "help"}


class SpeedScreen(ModalScreen[float | None]):
    """The speed to set: one of the usual ones, or any other up to 600."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]
    DEFAULT_CSS = """
    SpeedScreen { align: center middle; }
    #speed-box { width: 50; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    #speed-error { color: $text-error; height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="speed-box"):
            yield Label(t("group.ui.speed_question", speeds=", ".join(f"{s:g}" for s in SPEEDS)))
            yield Input(id="speed-value", placeholder="60")
            yield Static("", id="speed-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            speed = float(event.value.replace(",", ".").strip())
        except ValueError:
            speed = 0.0
        if not 0 < speed <= MAX_SPEED:
            self.query_one("#speed-error", Static).update(Content(t("action.bad_speed")))
            return
        self.dismiss(speed)

    def action_cancel(self) -> None:
        self.dismiss(None)


class InjectScreen(ModalScreen[Action | None]):
    """A scripted inject fired by its id, or an inject of one's own (text, to whom, from whom, channel)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]
    DEFAULT_CSS = """
    InjectScreen { align: center middle; }
    #inject-box { width: 76; max-width: 98%; height: auto; max-height: 98%; border: thick $primary;
                  background: $surface; padding: 0 1; }
    #inject-box Input, #inject-box Select { margin: 0; }
    #inject-buttons { height: auto; }
    #inject-error { color: $text-error; height: auto; }
    """

    def __init__(self, roles: dict[str, str]) -> None:
        super().__init__()
        self.roles = roles

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="inject-box"):
            yield Label(t("group.ui.inject_scripted"))
            yield Input(id="inject-id", placeholder=t("group.ui.inject_id"))
            yield Label(t("group.ui.inject_own"))
            yield Input(id="inject-text", placeholder=t("group.ui.inject_text"))
            with Horizontal(id="inject-who", classes="buttons"):
                yield Select(
                    [(Text(visible_line(name)), role) for role, name in self.roles.items()],
                    id="inject-to",
                    prompt=t("group.ui.inject_to"),
                )
                yield Select(
                    [(t(key), channel) for channel, key in CHANNEL_KEYS.items()],
                    id="inject-channel",
                    value="email",
                    allow_blank=False,
                )
            yield Input(id="inject-from", placeholder=t("group.ui.inject_from"))
            yield Static("", id="inject-error")
            with Horizontal(id="inject-buttons"):
                yield Button(t("group.ui.fire"), id="fire", variant="warning")
                yield Button(t("group.ui.send_own"), id="own", variant="primary")
                yield Button(t("group.ui.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#inject-id", Input).focus()  # not the scrolling box around it

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        error = self.query_one("#inject-error", Static)
        if event.button.id == "fire":
            inject = self.query_one("#inject-id", Input).value.strip()
            if not inject:
                error.update(Content(t("group.ui.inject_id_needed")))
                return
            self.dismiss(Action("fire_inject", inject=inject))
            return
        text = self.query_one("#inject-text", Input).value
        to = self.query_one("#inject-to", Select).value
        if not text.strip() or to is Select.BLANK:
            error.update(Content(t("group.ui.inject_own_needed")))
            return
        fields = {"channel": str(self.query_one("#inject-channel", Select).value), "to": str(to), "text": text}
        sender = self.query_one("#inject-from", Input).value.strip()
        if sender:
            fields["from"] = sender
        self.dismiss(Action("add_inject", fields=fields))

    def action_cancel(self) -> None:
        self.dismiss(None)


class GroupHelp(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", show=False)]
    DEFAULT_CSS = """
    GroupHelp { align: center middle; }
    #group-help { width: 80%; max-width: 90; height: auto; max-height: 90%; border: thick $primary;
                  background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with Grid(id="group-help"):
            yield Static(Content(t("group.ui.help")))

    def action_close(self) -> None:
        self.dismiss(None)


def control_class() -> type[GroupControl]:
    """The view with its keys in the language of the moment (Textual reads them from the class)."""
    bindings = [
        Binding("space", "pick", t("group.ui.key_select")),
        Binding("a", "pick_all", t("group.ui.key_all")),
        Binding("s", "command('start')", t("group.ui.key_start")),
        Binding("p", "command('pause')", t("group.ui.key_pause")),
        Binding("r", "command('resume')", t("group.ui.key_resume")),
        Binding("v", "speed", t("group.ui.key_speed")),
        Binding("i", "inject", t("group.ui.key_inject")),
        Binding("j", "align", t("group.ui.key_align")),
        Binding("e", "end", t("group.ui.key_end")),
        Binding("f1", "help", t("group.ui.key_help")),
        Binding("ctrl+q", "quit", t("group.ui.key_quit"), priority=True),
        Binding("q", "quit", t("group.ui.key_quit"), show=False),
    ]
    return type("GroupControlApp", (GroupControl,), {"BINDINGS": bindings, "__module__": __name__})
