"""What the drill app does differently at a seat of a team drill (session/seats.py, session/follower.py).

A team seat sees its own injects first and can claim one; only the facilitator's seat steers the drill
(pause, speed, end, what is coming); an observer and the facilitator read the team's panes without
writing in them, and note observations tied to an objective. A seat whose host cannot be reached says
so until it is back. Every seat keeps its unsent texts on disk (tui/drafts.py). The solo drill
(`krisovning run`) is the seat that may do everything, and none of this shows there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Select, TextArea

from krisovning.i18n import t
from krisovning.textsafe import visible, visible_line
from krisovning.tui import labels
from krisovning.tui.drafts import DraftError, Drafts
from krisovning.tui.fields import Composer, Field
from krisovning.tui.inbox import InboxPane
from krisovning.tui.team import SITUATION_FIELDS
from krisovning.vocab import ActionKind, SeatKind

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from krisovning.session.link import DrillLink

    _AppBase = App[Any]  # what the mixin is mixed into, for the checker
else:
    _AppBase = object

DRAFT_EVERY = 0.5  # wall seconds a changed draft waits before it is written (typing is not a write per key)
STEERING = frozenset({"facilitator", "toggle_pause", "faster", "slower", "end_drill"})
TEAM_ONLY = frozenset({"claim", "show_all"})
# What an observer or the facilitator's seat cannot use on the team's screen (they may not send it)
WRITING = (
    "#reply, #send-reply, #claim, #answer-post, #publish-channels, #publish-topics, #publish-text, #send-publish, "
    "#situation-pane Field, #send-situation, #decision-text, #decision-topics, #send-decision, .checklist"
)


class JournalNews(Message):
    """The host said something (posted from the seat's watch thread, session/follower.py)."""


class SeatFeatures(_AppBase):
    """Mixed into the drill app (tui/app.py)."""

    live: DrillLink
    team: Screen
    clock: bool  # the app's own timer ticks it (tests step it by hand)
    _drafts: Drafts | None = None
    _draft_dirty = False
    _draft_in = 0.0
    _draft_failed = False
    _f9_observation = ""  # the facilitator screen's unsent observation (that screen comes and goes)
    _lost_shown: str | None = None
    _news_posted = False  # a JournalNews is on its way: the next one would tick for nothing

    if TYPE_CHECKING:

        def tick(self) -> None: ...  # the app's (tui/app.py)

    # --- what the seat may do ---

    @property
    def seat_kind(self) -> SeatKind:
        return self.live.seat.kind

    @property
    def writes(self) -> bool:
        """Whether the team's panes are this seat's to write in."""
        return self.live.seat.allows(ActionKind.reply)

    def seat_permits(self, action: str) -> bool:
        """Keys and commands this seat has (a key it has not is hidden from the footer and does nothing)."""
        seat = self.live.seat
        if action in STEERING:
            return seat.facilitates
        if action in TEAM_ONLY:
            return seat.kind == SeatKind.team
        return True

    def setup_seat(self) -> None:
        """Once mounted: lock what the seat may not write in, and bring back what it had not sent."""
        if not self.writes:
            for widget in self.team.query(WRITING):
                widget.disabled = True
        if self.seat_kind == SeatKind.solo:
            return
        on_news = getattr(self.live, "on_news", None)  # a seat on PostgreSQL: ticks when the host speaks
        if on_news is not None and self.clock:
            on_news(self._heard_host)
        self._drafts = Drafts.for_seat(self.live.session_id, self.live.seat.id)
        self.restore_drafts(self._drafts.load())

    def seat_label(self) -> Content | None:
        """Who sits here, for the clock bar: a team seat's roles by their names in the scenario."""
        seat = self.live.seat
        if seat.kind == SeatKind.team:
            names = {r.id: r.name for r in self.live.scenario.roles}
            return labels.literal(" + ".join(names.get(role, role) for role in seat.roles), "bold")
        if seat.kind == SeatKind.facilitator:
            return Content.styled(t("ui.seat_facilitator"), "bold")
        if seat.kind == SeatKind.observer:
            return Content.styled(t("ui.seat_observer"), "bold")
        return None

    # --- the host ---

    def watch_host(self) -> bool:
        """Say once that the host cannot be reached (and why), and when it is back; True when that changed."""
        lost = self.live.host_lost
        if lost == self._lost_shown:
            return False
        was, self._lost_shown = self._lost_shown, lost
        if lost is not None:
            if was is None:
                self.notify(t("ui.host_lost", why=visible(lost)), severity="error", timeout=24 * 3600, markup=False)
        else:
            self.clear_notifications()
            self.notify(t("ui.host_back"), timeout=6, markup=False)
        return True

    def _heard_host(self) -> None:
        """From the seat's watch thread: tick now rather than at the next tick (waiting stays off the loop)."""
        if not self._news_posted:
            self._news_posted = True
            self.post_message(JournalNews())

    def on_journal_news(self, _message: JournalNews) -> None:
        self._news_posted = False
        self.tick()

    def refusal(self, kind: str) -> str | None:
        """Why this seat cannot send `kind` now, before asking the host (None: it can)."""
        seat = self.live.seat
        if not seat.allows(kind):
            return t("seat.not_allowed", seat=seat.id, kind=kind)
        lost = self.live.host_lost
        if lost is not None:
            return t("seat.host_gone", why=lost)
        return None

    # --- unsent texts ---

    def collect_drafts(self) -> dict[str, Any]:
        team = self.team
        data: dict[str, Any] = {
            "reply": team.query_one(InboxPane).reply_drafts(),
            "publish": team.query_one("#publish-text", Composer).text,
            "situation": {name: team.query_one(f"#sit-{name}", Field).value for name in SITUATION_FIELDS},
            "decision": team.query_one("#decision-text", Field).value,
            "facilitator_observation": self._f9_observation,
        }
        form = team.query("#observe-text")
        if form:
            data["observation"] = form.first(Field).value
            data["objective"] = str(team.query_one("#observe-objective", Select).value)
        return data

    def restore_drafts(self, data: dict[str, Any]) -> None:
        """Back into their boxes, as written; a control character (which no box lets in, but a file can
        hold) comes back written out (textsafe.visible): a box draws what it holds as it is."""
        team = self.team

        def text(key: str) -> str:
            value = data.get(key)
            return visible(value) if isinstance(value, str) else ""

        replies = data.get("reply")
        restored = {k: visible(v) for k, v in replies.items()} if isinstance(replies, dict) else {}
        team.query_one(InboxPane).restore_drafts(restored)
        team.query_one("#publish-text", Composer).text = text("publish")
        situation = data.get("situation")
        for name in SITUATION_FIELDS:
            value = situation.get(name, "") if isinstance(situation, dict) else ""
            team.query_one(f"#sit-{name}", Field).value = visible_line(value)
        team.query_one("#decision-text", Field).value = visible_line(text("decision"))
        self._f9_observation = visible_line(text("facilitator_observation"))
        if team.query("#observe-text"):
            team.query_one("#observe-text", Field).value = visible_line(text("observation"))
            objective = team.query_one("#observe-objective", Select)
            if any(text("objective") == o.id for o in self.live.scenario.objectives):
                objective.value = text("objective")

    def draft_changed(self) -> None:
        if self._drafts is None:
            return
        if not self._draft_dirty:
            self._draft_dirty, self._draft_in = True, DRAFT_EVERY

    def draft_tick(self, wall_seconds: float) -> None:
        if self._draft_dirty:
            self._draft_in -= wall_seconds
            if self._draft_in <= 0:
                self.save_drafts()

    def save_drafts(self) -> None:
        """Write the unsent texts now (once mounted; a failed write is said once, then retried quietly)."""
        if self._drafts is None:
            return
        self._draft_dirty = False
        try:
            self._drafts.save(self.collect_drafts())
        except DraftError as exc:
            self._draft_dirty, self._draft_in = True, 5.0
            if not self._draft_failed:
                self._draft_failed = True
                self.notify(
                    t("ui.drafts_unsaved", path=visible(str(exc.where)), reason=exc.why),
                    severity="warning",
                    timeout=12,
                    markup=False,
                )
            return
        self._draft_failed = False

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.draft_changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "observation":
            self._f9_observation = event.value
        self.draft_changed()
