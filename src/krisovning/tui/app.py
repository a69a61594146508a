"""The drill UI: the team's screen, the facilitator's screen, help and the end summary.

The engine is advanced from a Textual timer on the UI loop (never a real-time SimPy
environment); pause skips advancing, speed multiplies wall time, and at most
`EVENTS_PER_TICK` events are handed to widgets per tick, so a spike cannot freeze the UI.
Everything shown is already committed to the journal. The app talks to a `DrillLink`
(session/link.py): the solo drill itself, or a seat of a team drill (what differs there: tui/seat_ui.py).
"""

from __future__ import annotations

import gc
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Static, TabbedContent, TabPane

from krisovning.engine import Action, ActionRefused
from krisovning.engine import events as ev
from krisovning.i18n import get_language, t
from krisovning.metrics.quality import QualityMeter
from krisovning.textsafe import visible, visible_line
from krisovning.tui import labels
from krisovning.tui.briefing import BriefingScreen
from krisovning.tui.call import CallPopups
from krisovning.tui.controls import TABS, Controls
from krisovning.tui.feed import FeedPanel
from krisovning.tui.feed_view import feed_world
from krisovning.tui.fields import Repeats
from krisovning.tui.model import DrillView
from krisovning.tui.observe import ObservationForm
from krisovning.tui.team import (
    Act,
    ChecklistPane,
    DecisionPane,
    InboxPane,
    ObjectivesPane,
    Pane,
    PublishPane,
    SituationPane,
)
from krisovning.tui.testscreen import trace_shown, watch_screen
from krisovning.tui.website import WebsitePane
from krisovning.vocab import InjectChannel, Priority, SeatKind

if TYPE_CHECKING:
    from krisovning.session.link import DrillLink

EVENTS_PER_TICK = 2000
TICK_HZ = 15
# Countdowns and the clock bar are redrawn at most this often (seconds at the drill's speed; exercise time,
# so a test's replay draws the same): at 60× every tick is a new exercise second, and redrawing the inbox
# table 15 times a second was most of a seat's CPU (bench/bench_team.py).
TIMES_EVERY = 0.25


def app_bindings() -> list[Binding]:
    # Function keys are priority bindings: they must work from inside a text box too (a TextArea
    # takes F6/F7 for "select line/all", and the next letter typed then replaced a draft).
    keys = [Binding("f1", "help", t("key.help"), priority=True)]
    keys += [
        Binding(f"f{i + 2}", f"tab('{name}')", labels.label(labels.TAB_KEYS, name), show=i < 4, priority=True)
        for i, name in enumerate(TABS)
    ]
    keys += [
        Binding("f9", "facilitator", t("key.facilitator"), priority=True),
        Binding("f10", "toggle_pause", t("key.pause"), priority=True),
        Binding("ctrl+s", "send", t("key.send")),
        Binding("ctrl+g", "tab('website')", t("key.website"), show=False, priority=True),  # named on its tab
        Binding("ctrl+d", "sort_deadline", t("key.sort_deadline"), show=False),  # shown in the sort select
        # a team seat's (seat_ui.py; hidden elsewhere)
        Binding("ctrl+t", "claim", t("key.claim"), priority=True),
        Binding("ctrl+o", "show_all", t("key.show_all"), priority=True),
        # Textual's own says "palette"; the footer shows it docked right (show=False: not twice)
        Binding("ctrl+p", "command_palette", t("key.palette"), show=False, priority=True),
        Binding("ctrl+q", "quit", t("key.quit"), priority=True),
    ]
    return keys


class DrillAppBase(CallPopups, Controls, App):
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))
    TITLE = "krisovning"

    def __init__(self, live: DrillLink, *, clock: bool = True) -> None:
        super().__init__()
        self.live = live
        self.scenario = live.scenario
        self.role_names = {role.id: role.name for role in self.scenario.roles}  # who wrote a shared log's entry
        self.view = DrillView()
        self.clock = clock
        self._last_tick: float | None = None
        self._last_second = -1
        self._times_at = -1e9  # the exercise time the countdowns were last drawn at
        self._bar_shown: object = None
        self._summary_shown = False
        self.repeats = Repeats()
        self.closed = False
        self._fault_shown: object = None  # the journal fault last told (DrillLink.fault)

    # --- layout ---

    def _topic_list(self) -> list[tuple[str, str]]:
        """The scenario's topics as (id, title), for the forms' ticks."""
        return [(topic.id, topic.title or topic.id) for topic in self.scenario.topics]

    def compose(self) -> ComposeResult:
        yield Static("", id="clock-bar")
        if not self.writes:
            yield Static(t("ui.read_only_note"), id="seat-note")
        with TabbedContent(initial="tab-inbox", id="tabs"):
            with Pane(t("ui.tab.inbox"), id="tab-inbox"):
                yield InboxPane(self.scenario, self.live.seat)
            with Pane(t("ui.tab.feed"), id="tab-feed"):
                yield FeedPanel(world=feed_world(self.scenario), id="feed")
                yield Button(t("ui.answer_post"), id="answer-post")
            with Pane(t("ui.tab.publish"), id="tab-publish"):
                yield PublishPane(self._topic_list(), QualityMeter(self.scenario))
            with Pane(t("ui.tab.website"), id="tab-website"):
                yield WebsitePane(self.scenario)
            with Pane(t("ui.tab.situation"), id="tab-situation"):
                yield SituationPane()
            with Pane(t("ui.tab.decisions"), id="tab-decisions"):
                yield DecisionPane(self._topic_list())
            with Pane(t("ui.tab.checklists"), id="tab-checklists"):
                yield ChecklistPane(self.scenario)
            with Pane(t("ui.tab.objectives"), id="tab-objectives"):
                yield ObjectivesPane()
                if self.seat_kind != SeatKind.solo and self.live.seat.allows("observation"):
                    yield ObservationForm(self.scenario)
        yield Footer()

    def on_mount(self) -> None:
        # The team's screen, addressed explicitly: App.query_one only searches the screen on top,
        # and the clock keeps ticking while the facilitator screen, help or a dialog is open.
        self.team = self.screen
        self.title = f"krisovning – {visible_line(self.scenario.title)}"
        watch_screen(self)
        if self.live.history:  # a resumed drill: rebuild every pane from what was journaled
            self.deliver(list(self.live.history), initial=True)
        self.setup_seat()
        self.watch_host()
        self.update_clock()
        self.team.query_one("#inbox").focus()  # keyboard first: arrows pick an inject, Enter starts the reply
        if self.live.briefing:
            self.push_screen(BriefingScreen(self.scenario, starts=self.live.seat.facilitates))
        elif self.seat_kind == SeatKind.facilitator:
            self.call_after_refresh(self.action_facilitator)  # the facilitator's seat opens on its own screen
        if self.clock:
            self.set_interval(1 / TICK_HZ, self.tick)
            self.call_after_refresh(self._settle)

    def _settle(self) -> None:
        # Once the first screen is drawn, start-up has left ~60,000 long-lived objects that every full
        # collection would scan again (60-120 ms pauses under a busy feed, bench/bench_ui.py); this
        # process only runs the drill.
        gc.freeze()

    # --- the clock ---

    def tick(self) -> None:
        now = time.monotonic()
        wall = 0.0 if self._last_tick is None else min(now - self._last_tick, 1.0)  # a suspended laptop does not jump
        self._last_tick = now
        self.step(wall)

    def step(self, wall_seconds: float) -> None:
        """Advance by `wall_seconds` of wall time (tests call this directly, with the timer off)."""
        self.deliver(self.live.tick(wall_seconds, limit=EVENTS_PER_TICK))
        if not self.live.briefing:
            self.end_briefing()  # another seat (the facilitator's) started the clock
        self.watch_journal()
        if self.watch_host():
            self.update_clock()
            self.refresh_facilitator()  # its control view says the host is gone (or back) too
        self.draft_tick(wall_seconds)

    def watch_journal(self) -> None:
        """Say once when the journal can no longer be written (the drill holds by itself), and when it can again."""
        fault = self.live.fault
        if fault is self._fault_shown:
            return
        was, self._fault_shown = self._fault_shown, fault
        if fault is not None:
            if was is None:
                problem = visible(t(fault.key, **fault.fields))  # a path is data too
                self.notify(
                    t("ui.journal_fault", problem=problem, time=_clock(self.live.saved_clock)),
                    severity="error",
                    timeout=24 * 3600,
                    markup=False,
                )
        else:
            self.clear_notifications()
            self.notify(t("ui.journal_back"), timeout=6, markup=False)
        self.update_clock()

    def deliver(self, events: list, *, initial: bool = False) -> None:
        changed = self.view.apply(events)
        inbox = self.team.query_one(InboxPane)
        now = self.live.now
        if "inbox" in changed:
            fresh = [item for item_id, item in self.view.inbox.items() if item_id not in inbox.items]
            if fresh:
                inbox.add(fresh)
                if not initial:
                    self.notify_new([item for item in fresh if self.live.seat.holds(item.data.to)])
            elif self.seat_kind != SeatKind.solo:  # a claim or another seat's reply: the conversation changed
                inbox.show(inbox.selected)
        if changed & {"feed", "social"} or initial:
            self.team.query_one(FeedPanel).add_events([e for e in events if e.kind in (ev.POST, ev.SAMPLE, ev.ACTION)])
        if "decisions" in changed:
            self.team.query_one(DecisionPane).show_log(self.view.decisions, self.role_names)
        if "situation" in changed:
            self.team.query_one(SituationPane).show_log(self.view.situation, self.role_names)
        if "publish" in changed:
            self.team.query_one(PublishPane).show_log(self.view.publications, self.role_names)
            self.team.query_one(WebsitePane).show(self.view.publications)
        if "checklists" in changed:
            self.team.query_one(ChecklistPane).sync(self.view.ticks)
        if "observations" in changed and self.team.query(ObservationForm):
            self.team.query_one(ObservationForm).show_log(self.view.observed)
        second = int(now)
        due = abs(now - self._times_at) >= TIMES_EVERY * max(self.live.speed, 1.0)
        if "inbox" in changed or (second != self._last_second and due):
            self._last_second = second
            self._times_at = now
            inbox.refresh_times(now)
            self.update_clock()
            if isinstance(self.screen, Screen) and self.screen.id == "facilitator":
                self.refresh_facilitator()
        self.ring_calls(events)
        if "end" in changed and not self._summary_shown:
            self._summary_shown = True
            self.show_summary()
        if not initial:
            trace_shown(self, [event.seq for event in events])

    def start_clock(self) -> None:
        """The briefing's "start": journaled, so that a replay starts where this one did."""
        if self.act("start"):
            self.end_briefing()

    def end_briefing(self) -> None:
        screens = [s for s in self.screen_stack if isinstance(s, BriefingScreen)]
        if not screens:
            return
        while self.screen is not screens[0]:  # a dialog opened over it goes with it
            self.pop_screen()
        self.pop_screen()
        if self.seat_kind == SeatKind.facilitator:
            self.call_after_refresh(self.action_facilitator)

    def notify_new(self, items: list) -> None:
        for item in items[-3:]:
            data = item.data
            if data.priority in (Priority.high, Priority.critical) or data.channel == InjectChannel.phone:
                self.notify(
                    visible_line(t("ui.new_inject", channel=labels.channel(data.channel), sender=data.sender.name)),
                    timeout=4,
                    markup=False,
                )

    def update_clock(self) -> None:
        live = self.live
        counts = self.view.counts(None if live.seat.kind == SeatKind.solo else live.seat.holds)
        social = self.view.social
        parts = [f"[b]{t('ui.clock', time=_clock(live.now))}[/b]", live.world_time()[11:16], f"{live.speed:g}×"]
        if live.fault is not None:
            parts.append(f"[b reverse] {t('ui.journal_held')} [/]")
        elif live.finished:
            parts.append(f"[b]{t('ui.ended')}[/b]")
        elif live.briefing and live.host_lost is None:
            parts.append(f"[b reverse] {t('ui.briefing_bar')} [/]")
        elif live.paused and live.host_lost is None:
            hint = "ui.paused_hint" if live.seat.facilitates else "ui.paused_by_facilitator"
            parts.append(f"[b reverse] {t(hint)} [/]")
        parts.append(t("ui.counts", new=counts["new"], overdue=counts["overdue"]))
        if social is not None:
            parts.append(t("ui.social_now", rate=round(social.rate), rumour=round(100 * social.rumour_share)))
        bar = self.team.query_one("#clock-bar", Static)
        seat = self.seat_label()
        if seat is None:
            shown_bar: str | Content = "  │  ".join(parts)
        else:  # role names are the scenario's text: never markup
            if self.seat_kind == SeatKind.team:
                mine = t("ui.inbox_all" if self.team.query_one(InboxPane).show_all else "ui.inbox_mine")
                seat = Content.assemble(seat, " ", (f"({mine})", "dim"))
            shown = [seat, *(Content.from_markup(part) for part in parts)]
            if live.host_lost is not None and live.fault is None and not live.finished:  # first: seen at 80 columns
                shown.insert(0, Content.styled(f" {t('ui.host_lost_bar')} ", "bold reverse"))
            shown_bar = Content("  │  ").join(shown)
        key = shown_bar if isinstance(shown_bar, str) else (shown_bar.plain, tuple(shown_bar.spans))
        if key != self._bar_shown:  # an unchanged bar is not drawn again (Content's == ignores styles)
            self._bar_shown = key
            bar.update(shown_bar)
        bar.set_class(live.paused and not live.finished, "paused")
        bar.set_class(live.host_lost is not None, "lost")

    # --- actions from the panes ---

    def on_act(self, message: Act) -> None:
        message.stop()
        self.act(message.kind, **message.fields)

    def submit(self, kind: str, **fields: object) -> bool:
        """What a person sent from a text box (already taken out of it); True if it is taken.
        A double press is one action (fields.Repeats)."""
        repeated = self.repeats.check(kind, fields)
        if repeated is not None:
            return repeated
        if not self.act(kind, **fields):
            return False
        self.repeats.taken(kind, fields)
        return True

    def act(self, kind: str, **fields: Any) -> bool:
        if kind == "publish" and fields.get("post") is None:
            fields.pop("post", None)
        refused_here = self.refusal(kind)
        if refused_here is not None:
            self.notify(visible_line(refused_here), severity="error", markup=False)
            return False
        try:
            events = self.live.act(Action(kind, **fields))  # committed before we say it is done
        except ActionRefused as refused:
            self.notify(visible_line(t(refused.key, **refused.fields)), severity="error", markup=False)
            return False
        self.deliver(events)
        if self.screen.id == "facilitator":
            self.refresh_facilitator()
        if self.live.fault is not None:  # taken, but held until the journal can be written
            self.notify(t("ui.action_pending"), severity="warning", timeout=6)
        elif kind not in ("pause", "resume", "speed", "checklist"):
            self.notify(labels.label(labels.DONE_KEYS, kind), timeout=2)
        if self._drafts is not None:
            self.save_drafts()  # what was sent is no draft any more
        self.watch_journal()
        self.update_clock()
        return True

    def action_send(self) -> None:
        active = self.team.query_one(TabbedContent).active
        panes: dict[str, type[InboxPane | PublishPane | SituationPane | DecisionPane]] = {
            "tab-inbox": InboxPane,
            "tab-publish": PublishPane,
            "tab-situation": SituationPane,
            "tab-decisions": DecisionPane,
        }
        target = panes.get(active)
        if target is not None and self.screen.id != "facilitator":
            self.team.query_one(target).send()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "answer-post":
            post = self.team.query_one(FeedPanel).selected_post
            if post is None:
                self.notify(t("ui.no_post_selected"), severity="warning")
                return
            self.team.query_one(PublishPane).answer(post)
            self.action_tab("publish")

    FIRST_FIELD: ClassVar[dict[str, str]] = {
        "tab-inbox": "#inbox",
        "tab-feed": "FeedView",
        "tab-publish": "#publish-channels",
        "tab-website": "#website",
        "tab-situation": "#sit-situation",
        "tab-decisions": "#decision-text",
        "tab-checklists": "SelectionList",
        "tab-objectives": "#objectives",
    }

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-objectives":
            self.refresh_objectives()
        self.focus_first_field(event.pane)

    def focus_first_field(self, pane: TabPane) -> None:
        """Typing must land where the person looks: the new tab's first field, not a hidden one.

        Synchronous, and only when the focus is not in the tab already: a key typed right after the
        function key, or a Tab on to the next field, must not be overtaken by a late refocus.
        """
        focused = self.team.focused
        if focused is not None and pane in focused.ancestors:
            return
        selector = self.FIRST_FIELD.get(pane.id or "")
        if selector and pane.query(selector):
            self.team.set_focus(pane.query(selector).first())

    # --- keys and commands ---

    MODAL_FREE = frozenset({"help", "tab", "facilitator", "toggle_pause", "send"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Over a dialog, help or the palette the keys are theirs (F1 closes the help), not a way to
        # change what lies behind it; on the facilitator's screen F9 is its own "back".
        if action in self.MODAL_FREE and isinstance(self.screen, ModalScreen):
            return False
        if not self.seat_permits(action):
            return False
        return not (action == "facilitator" and self.screen.id == "facilitator")

    def action_tab(self, name: str) -> None:
        if self.screen.id == "facilitator":
            self.pop_screen()
        tabs = self.team.query_one(TabbedContent)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"
        self.focus_first_field(self.team.query_one(f"#tab-{name}", TabPane))

    def action_sort_deadline(self) -> None:
        if self.screen is self.team:
            self.action_tab("inbox")
            self.team.query_one(InboxPane).toggle_sort()

    def action_help(self) -> None:
        from krisovning.tui.modals import HelpScreen

        self.push_screen(HelpScreen())


def _clock(seconds: float) -> str:
    from krisovning.tui.labels import clock

    return clock(seconds)


@lru_cache(maxsize=4)
def drill_app_class(lang: str) -> type[DrillAppBase]:
    """The app class for a language: Textual reads key labels from the class (footer, help)."""
    return type("DrillApp", (DrillAppBase,), {"BINDINGS": app_bindings(), "__module__": __name__})


def make_app(link: DrillLink, *, clock: bool = True) -> DrillAppBase:
    """The drill UI over a solo drill (session/live.py) or a seat of a team drill (session/follower.py)."""
    return drill_app_class(get_language())(link, clock=clock)
