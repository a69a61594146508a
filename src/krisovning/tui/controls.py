"""The drill app's controls: the facilitator's screen, pause and speed, ending and leaving, the command
palette, and the summary at the end (mixed into the drill app, tui/app.py)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.screen import Screen

from krisovning.i18n import get_language, t
from krisovning.i18n.fmt import minutes
from krisovning.metrics.criteria import criterion_text
from krisovning.metrics.figures import expectation_counts, gather, response_stats
from krisovning.metrics.judgement import judged_evidence, standing
from krisovning.session.live import SPEEDS
from krisovning.tui import labels
from krisovning.tui.inbox import InboxPane
from krisovning.tui.seat_ui import SeatFeatures
from krisovning.tui.team import ObjectivesPane
from krisovning.vocab import SeatKind

if TYPE_CHECKING:
    from krisovning.scenario import Scenario
    from krisovning.tui.facilitator import FacilitatorScreenBase
    from krisovning.tui.model import DrillView

TABS = ("inbox", "feed", "publish", "situation", "decisions", "checklists", "objectives")


class Controls(SeatFeatures):
    scenario: Scenario
    view: DrillView
    closed: bool

    if TYPE_CHECKING:  # the app's own (tui/app.py)

        def act(self, kind: str, **fields: Any) -> bool: ...
        def update_clock(self) -> None: ...
        def action_tab(self, name: str) -> None: ...
        def action_help(self) -> None: ...

    def action_show_all(self) -> None:
        if self.seat_permits("show_all"):
            shown = self.team.query_one(InboxPane).toggle_all()
            self.notify(t("ui.inbox_all" if shown else "ui.inbox_mine"), timeout=2)
            self.update_clock()

    def action_claim(self) -> None:
        if self.seat_permits("claim"):
            if self.screen is not self.team:
                return
            self.action_tab("inbox")
            self.team.query_one(InboxPane).claim()

    def action_facilitator(self) -> None:
        if self.screen.id == "facilitator":
            self.pop_screen()
            return
        if not self.seat_permits("facilitator"):  # a team seat never sees what is coming
            return
        screen = facilitator_screen_class(get_language())(self.scenario, self.live.speed, self.live.seat)
        self.push_screen(screen)
        self.call_after_refresh(self.refresh_facilitator)
        if self._f9_observation:
            self.call_after_refresh(screen.restore_observation, self._f9_observation)

    def refresh_facilitator(self) -> None:
        screen = self.screen
        if screen.id != "facilitator":
            return
        from krisovning.tui.facilitator import FacilitatorScreenBase  # loaded already: the screen is open

        if isinstance(screen, FacilitatorScreenBase) and screen.is_mounted and screen.query("#upcoming"):
            screen.refresh_view(
                self.live.upcoming(),
                self.live.now,
                self.live.speed,
                self.live.paused,
                self.view.observations,
                ended=self.live.finished,
                lost=self.live.host_lost is not None,
            )
            screen.sync_speed(self.live.speed)

    def action_toggle_pause(self) -> None:
        if self.seat_permits("toggle_pause") and not self.live.finished:
            self.act("resume" if self.live.paused else "pause")

    def set_speed(self, speed: float) -> None:
        if self.seat_permits("faster") and speed != self.live.speed and not self.live.finished:
            self.act("speed", speed=speed)

    def action_faster(self) -> None:
        self.set_speed(next((s for s in SPEEDS if s > self.live.speed), SPEEDS[-1]))

    def action_slower(self) -> None:
        self.set_speed(next((s for s in reversed(SPEEDS) if s < self.live.speed), SPEEDS[0]))

    def action_end_drill(self) -> None:
        if not self.seat_permits("end_drill"):
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.act("end")

        from krisovning.tui.modals import ConfirmScreen

        self.push_screen(ConfirmScreen(t("ui.confirm_end"), t("ui.yes_end"), t("ui.no")), answer)

    async def action_quit(self) -> None:
        if self.live.finished:
            self.shutdown(interrupted=False)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.shutdown(interrupted=True)

        from krisovning.tui.modals import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen) and self.screen.purpose == "quit":
            self.screen.dismiss(True)  # Ctrl+Q pressed twice
            return
        question = t("ui.confirm_quit" if self.seat_kind == SeatKind.solo else "ui.confirm_leave")
        self.push_screen(
            ConfirmScreen(f"{question} {t('ui.quit_again')}", t("ui.yes_quit"), t("ui.no"), purpose="quit"),
            answer,
        )

    def shutdown(self, *, interrupted: bool) -> None:
        if not self.closed:
            self.closed = True
            self.save_drafts()
            self.live.close(interrupted=interrupted)
        self.exit(self.live.session_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for name in TABS:
            yield SystemCommand(
                t("palette.show", tab=labels.label(labels.TAB_KEYS, name)),
                t("palette.show_help"),
                lambda name=name: self.action_tab(name),
            )
        yield SystemCommand(t("palette.reply"), t("palette.reply_help"), lambda: self.action_tab("inbox"))
        yield SystemCommand(t("palette.publish"), t("palette.publish_help"), lambda: self.action_tab("publish"))
        if self.seat_permits("show_all"):
            yield SystemCommand(t("palette.show_all"), t("palette.show_all_help"), self.action_show_all)
            yield SystemCommand(t("palette.claim"), t("palette.claim_help"), self.action_claim)
        if self.live.seat.facilitates:
            yield SystemCommand(t("palette.pause"), t("palette.pause_help"), self.action_toggle_pause)
            yield SystemCommand(t("palette.faster"), t("palette.faster_help"), self.action_faster)
            yield SystemCommand(t("palette.slower"), t("palette.slower_help"), self.action_slower)
            yield SystemCommand(t("palette.facilitator"), t("palette.facilitator_help"), self.action_facilitator)
            yield SystemCommand(t("palette.end"), t("palette.end_help"), self.action_end_drill)
        yield SystemCommand(t("palette.help"), t("palette.help_help"), self.action_help)
        yield SystemCommand(t("palette.theme"), t("palette.theme_help"), self.action_change_theme)
        yield SystemCommand(t("palette.quit"), t("palette.quit_help"), self.action_quit)

    # --- objectives and the end ---

    def objective_rows(self) -> list[tuple[str, str, str, str]]:
        """(title, criterion, rating, evidence) of each objective, as the report would judge it now."""
        objectives = {o.id: o for o in self.scenario.objectives}
        return [
            (j.result.title, criterion_text(objectives[j.result.id], self.scenario), j.outcome, judged_evidence(j))
            for j in standing(self.scenario, self.live.history)
        ]

    def refresh_objectives(self) -> None:
        self.team.query_one(ObjectivesPane).show(self.objective_rows())

    def show_summary(self) -> None:
        facts = gather(self.live.history)
        stats = response_stats(list(facts.injects.values()))
        first = facts.public_messages[0] if facts.public_messages else None
        figures = [
            t("simulate.counts", injects=len(facts.injects), posts=facts.posts, actions=len(facts.team_actions)),
            t(
                "ui.summary_response",
                answered=stats["answered"],
                count=stats["count"],
                median=minutes(stats["median"]) if stats["median"] is not None else "–",
            ),
            t("figures.expectations", **expectation_counts(facts)),
            t("simulate.first_public", time=minutes(first) if first is not None else t("simulate.never")),
        ]

        def done(choice: str | None) -> None:
            if choice == "quit":
                self.shutdown(interrupted=False)

        from krisovning.tui.modals import SummaryScreen

        self.push_screen(SummaryScreen(self.live.session_id, self.objective_rows(), figures), done)


@lru_cache(maxsize=4)
def facilitator_screen_class(lang: str) -> type[FacilitatorScreenBase]:
    # imported when first opened, as are the dialogs: start-up is what the team waits for
    from krisovning.tui.facilitator import FacilitatorScreenBase, facilitator_bindings

    return type(
        "FacilitatorScreen", (FacilitatorScreenBase,), {"BINDINGS": facilitator_bindings(), "__module__": __name__}
    )
