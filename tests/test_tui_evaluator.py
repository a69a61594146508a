"""The evaluator in the drill UI (issue 17 points 3 and 5): the objectives pane equals the report built at the
same moment, an evaluator's rating included; notes are edited and deleted by number from the facilitator's
view; after the end that view says the drill has ended."""

from __future__ import annotations

from pathlib import Path

from pilotwait import until
from textual.widgets import Button

from krisovning.i18n import set_language
from krisovning.metrics.judgement import observed, resolve
from krisovning.report import ReportMeta, build_report
from krisovning.report.derive import rating_text
from krisovning.scenario import load_scenario_bytes
from krisovning.session.live import LiveDrill
from krisovning.tui.app import make_app

MIN = 60.0
STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")


def start(tmp_path: Path) -> LiveDrill:
    scenario = load_scenario_bytes(STARTER.encode(), "starter.yaml")
    return LiveDrill.start(tmp_path / "j.db", scenario, STARTER, "starter.yaml", 1, "sv", 1.0)


def advance_to(app, seconds: float) -> None:
    while app.live.now < seconds and not app.live.finished:
        app.step(min(5.0, (seconds - app.live.now) / app.live.speed))


async def test_the_objectives_pane_equals_the_report_at_the_same_moment(tmp_path) -> None:
    set_language("sv")
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        for minute, act in (
            (12, lambda: app.act("publish", text="Koka vattnet", channels=["web", "sms"])),
            (20, lambda: app.act("situation_update", text="Läget", fields={"situation": "Läget"})),
            (31, lambda: app.act("observation", text="Sent men tydligt", objective="lagesbild", rating="partly_met")),
            (44, lambda: None),
        ):
            advance_to(app, minute * MIN)
            act()
            pane = app.objective_rows()
            report = build_report(app.scenario, app.live.history, ReportMeta(session_id="s", status="running"))
            assert [(title, criterion, outcome) for title, criterion, outcome, _ in pane] == [
                (o.title, o.criterion, o.outcome) for o in report.objectives
            ]
            assert [evidence for _, _, _, evidence in pane] == [
                o.evidence_text if o.reason is None else f"{o.evidence_text} Utvärderarens skäl: {o.reason}"
                for o in report.objectives
            ]
        rated = next(o for o in report.objectives if o.id == "lagesbild")
        assert rated.outcome == "partly_met" and rated.reason == "Sent men tydligt"
        assert rating_text(rated).startswith("delvis uppnått (utvärderarens bedömning; automatiskt:")


async def test_the_facilitator_edits_and_deletes_a_note_by_its_number(tmp_path) -> None:
    set_language("sv")
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(140, 44)) as pilot:
        advance_to(app, 2 * MIN)
        await pilot.press("f9")
        await until(pilot, lambda: app.screen.id == "facilitator")
        screen = app.screen

        async def press(button: str) -> None:
            # pressed, not clicked: as notes are added the log grows and the row scrolls within its column
            screen.query_one(button, Button).press()
            await pilot.pause()

        def log() -> str:
            return str(screen.query_one("#observation-log").render())

        for text in ("Första iakttagelsen", "Andra iakttagelsen"):
            screen.query_one("#observation").value = text
            await press("#note")
            await until(pilot, lambda text=text: text in log())
        screen.query_one("#observation-number").value = "1"
        screen.query_one("#observation").value = "Första, rättad"
        await press("#note")
        await until(pilot, lambda: "Första, rättad" in log())
        screen.query_one("#observation-number").value = "2"
        await press("#note-delete")
        await until(pilot, lambda: "Andra" not in log())
        notes = resolve(observed(app.live.history), [])
        assert [(n.n, n.text, n.edited, n.deleted) for n in notes] == [
            (1, "Första, rättad", True, False),
            (2, "Andra iakttagelsen", False, True),
        ]
        screen.query_one("#observation-number").value = "7"
        await press("#note-delete")  # no such note: said, nothing sent
        await until(pilot, lambda: any("nummer 7" in str(n.message) for n in app._notifications))
        assert len(resolve(observed(app.live.history), [])) == 2


async def test_after_the_end_the_facilitator_view_says_the_drill_has_ended(tmp_path) -> None:
    set_language("sv")
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(140, 44)) as pilot:
        advance_to(app, 3 * MIN)
        await pilot.press("f9")
        await until(pilot, lambda: app.screen.id == "facilitator")
        clock = app.screen.query_one("#facilitator-clock")
        await until(pilot, lambda: "pågår" in str(clock.render()))
        app.act("end")
        await until(pilot, lambda: app.screen.id != "facilitator")  # the summary comes first
        app.screen.dismiss("back")
        await until(pilot, lambda: app.screen.id == "facilitator")
        await until(pilot, lambda: "avslutad" in str(app.screen.query_one("#facilitator-clock").render()))
        assert "pågår" not in str(app.screen.query_one("#facilitator-clock").render())
