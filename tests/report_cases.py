"""Drills and reports shared by the tests/test_report_*.py files."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import datetime
from importlib import resources

from krisovning.engine import Action, Drill, Event
from krisovning.engine.headless import run_headless
from krisovning.i18n import get_language
from krisovning.report import FacilitatorNotes, PlanRow, Report, ReportMeta, build_report
from krisovning.scenario import Scenario, load_scenario_bytes

STARTER = resources.files("krisovning").joinpath("data/starter.yaml").read_text(encoding="utf-8")
SCRIPT = "<script>alert(1)</script>"
EVIL_TITLE = f"Storm {SCRIPT} \"citat\" & 'apos' åäö 🌩️"
LONG = "långt" * 400  # a 2,000-character word


def per_language(build: Callable[[], Report]) -> Callable[[], Report]:
    """Build each report once per language (its texts are in the language it was built in)."""
    cache: dict[str, Report] = {}

    @functools.wraps(build)
    def cached() -> Report:
        lang = get_language()
        if lang not in cache:
            cache[lang] = build()
        return cache[lang]

    return cached


def starter() -> Scenario:
    return load_scenario_bytes(STARTER.encode("utf-8"), "starter.yaml")


def evil_starter() -> Scenario:
    """The starter with markup, quotes, åäö and emoji in the title and other scenario texts."""
    text = STARTER.replace("title: Stormen över Sjöstad", "title: " + json.dumps(EVIL_TITLE, ensure_ascii=False))
    text = text.replace("name: Presssekreterare", "name: " + json.dumps("Press<b>sekreterare</b> & co"))
    text = text.replace(
        "text: Samla kommunikationsfunktionen",
        "text: " + json.dumps(f"Samla <img src=x onerror=alert(1)> {LONG}", ensure_ascii=False),
    )
    return load_scenario_bytes(text.encode("utf-8"), "evil.yaml")


def meta(
    session: str = "s-0007",
    seed: int = 7,
    team: str = "diligent",
    status: str = "finished",
    notes: FacilitatorNotes | None = None,
) -> ReportMeta:
    return ReportMeta(
        session,
        datetime(2026, 3, 10, 9, 0),
        datetime(2026, 3, 10, 10, 30),
        status,
        seed,
        team,
        notes or FacilitatorNotes(),
    )


NOTES = FacilitatorNotes(
    strengths=["Tydlig rollfördelning i krisledningsgruppen."],
    improvements=["Pressmeddelandet gick igenom för många händer."],
    plan=[PlanRow("Första besked", "Ta fram en mallbank för första besked", "Kommunikationschef", "2026-06-01")],
)


@per_language
def golden_report() -> Report:
    """The starter, seed 7, bot team `diligent`: the report the golden Markdown file shows."""
    scenario = starter()
    _, events = run_headless(scenario, 7, "diligent")
    return build_report(scenario, events, meta(notes=NOTES))


@per_language
def evil_report() -> Report:
    """A drill full of hostile text: in the scenario, an observation, a decision and the notes."""
    scenario = evil_starter()
    drill = Drill(scenario, seed=3)
    drill.advance(600)
    drill.act(Action("observation", text=f"{SCRIPT} Obs\x00 med \x07 styrtecken 😀 {LONG}"))
    drill.act(
        Action(
            "decision",
            role="kommunikationschef",
            text="Beslut | med pipe, *stjärna*, [länk](javascript:alert(1))\n# rubrik\n</td></tr></table>",
        )
    )
    drill.act(Action("situation_update", text="Läge", fields={"<b>fält</b>": "värde & <i>mer</i>"}))
    drill.run_to_end()
    notes = FacilitatorNotes(
        [SCRIPT + " styrka"],
        ["<img src=x onerror=alert(1)> svaghet"],
        [PlanRow("<b>Område</b>", "\"Åtgärd\" & 'citat' 🎉", "Ägare <i>", "2026-05-01")],
    )
    return build_report(scenario, drill.drain(), meta("evil <1>", seed=3, team="team", notes=notes))


@per_language
def empty_report() -> Report:
    """A drill that ended before anything happened."""
    end = Event(1, 0.0, "drill_end", {"reason": "facilitator", "world_time": "2026-11-24T08:00:00"})
    return build_report(starter(), [end], ReportMeta("empty", None, None, "finished", 1, "team"))


@per_language
def running_report() -> Report:
    """A drill still under way (no drill_end): the report is preliminary."""
    scenario = starter()
    drill = Drill(scenario, seed=5)
    drill.advance(1500)
    return build_report(scenario, drill.drain(), meta("live", seed=5, team="team", status="running"))
