"""Issue 17 point 4: page one is a summary in sentences (three strengths, three areas for improvement, the
decisions asked of the management group), then the objectives, the plan, the timeline and the appendices."""

from __future__ import annotations

import re

import pytest
from report_cases import NOTES, STARTER, golden_report, meta, starter

from krisovning.engine import Action, Drill
from krisovning.engine.headless import run_headless
from krisovning.i18n import set_language
from krisovning.metrics.figures import PEAK_WINDOW as WINDOW
from krisovning.report import FacilitatorNotes, PlanRow, build_report, render
from krisovning.report.model import PlanItem
from krisovning.report.summary import figures_sentence
from krisovning.scenario import load_scenario_bytes


def _silent(notes: FacilitatorNotes | None = None):
    scenario = starter()
    _, events = run_headless(scenario, 7, "silent")
    return build_report(scenario, events, meta(team="silent", notes=notes))


def _sections(text: str) -> list[str]:
    return [line[3:] for line in text.splitlines() if line.startswith("## ")]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_summary_comes_first_then_objectives_plan_timeline_and_appendices(fmt: str) -> None:
    data = render(golden_report(), fmt).decode("utf-8")
    if fmt == "html":
        data = "\n".join("## " + re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<h2[^>]*>(.*?)</h2>", data))
    sections = _sections(data)
    assert sections[:4] == ["Sammanfattning", "Måluppfyllelse", "Åtgärdsförslag", "Övningens förlopp"]
    assert all(s.startswith("Bilaga ") for s in sections[4:])
    assert sections[-1].endswith("Tekniska uppgifter")  # seed, session and version last


def test_the_evaluators_notes_come_first_and_the_figures_fill_up_to_three() -> None:
    s = golden_report().summary
    assert s.strengths[0] == NOTES.strengths[0] and len(s.strengths) == 3
    assert s.improvements == [NOTES.improvements[0]]  # nothing else to improve in this drill
    assert s.decisions[0].startswith("Fastställa åtgärden ”Ta fram en mallbank")
    assert "Kommunikationschef" in s.decisions[0] and "2026-06-01" in s.decisions[0]
    assert s.figures.startswith("3 av 3 övningsmål uppnåddes.")


def test_a_silent_team_gets_three_improvements_worst_first_and_decisions_from_the_plan() -> None:
    notes = FacilitatorNotes(decisions=["besluta om en ny rutin för första besked"])
    s = _silent(notes).summary
    assert len(s.improvements) == 3 and len(s.strengths) <= 3
    assert all("uppnåddes inte" in x for x in s.improvements[:3])  # the objectives not met come first
    assert s.decisions[0] == "Besluta om en ny rutin för första besked."  # a note, as a sentence
    assert all(d.startswith("Utse ansvarig och datum") for d in s.decisions[1:]) and len(s.decisions) == 3


def test_the_summary_is_in_every_format() -> None:
    r = _silent(FacilitatorNotes(decisions=["Besluta om <b>rutin</b>"]))
    md, html = render(r, "md").decode(), render(r, "html").decode()
    json_text = render(r, "json").decode()
    for improvement in r.summary.improvements:
        assert improvement.split(":")[0] in md and improvement.split(":")[0] in html
    assert "Besluta om \\<b\\>rutin\\</b\\>." in md and "Besluta om &lt;b&gt;rutin&lt;/b&gt;." in html
    assert '"decisions": [\n      "Besluta om <b>rutin</b>."' in json_text


def test_one_plan_row_per_action() -> None:
    r = _silent()
    actions = [" ".join(p.action.casefold().split()) for p in r.plan]
    assert len(actions) == len(set(actions))
    from krisovning.report.build import _merged

    rows = [
        PlanItem(area="Mål A", action="Inför en gemensam inkorg.", source="suggested"),
        PlanItem(area="Mål B", action="inför en  gemensam inkorg.", source="suggested"),
        PlanItem(area="Mål C", action="Något annat.", source="suggested"),
    ]
    merged = _merged(rows)
    assert [(p.area, p.action) for p in merged] == [
        ("Mål A, Mål B", "Inför en gemensam inkorg."),
        ("Mål C", "Något annat."),
    ]


def test_owner_and_date_show_in_the_plan_and_dashes_where_missing() -> None:
    r = _silent(FacilitatorNotes(plan=[PlanRow("Tidsfrister", "Gemensam inkorg", "Anna", "2026-09-01")]))
    md = render(r, "md").decode()
    assert "| Tidsfrister | Gemensam inkorg | Anna | 2026-09-01 |" in md
    assert re.search(r"\| [^|]+ \\\* \| [^|]+ \| – \| – \|", md)  # a suggestion: owner and date to fill in


def test_the_facilitators_interventions_are_an_appendix() -> None:
    scenario = starter()
    drill = Drill(scenario, seed=3)
    drill.advance(300)
    drill.act(Action("pause"))
    drill.act(Action("resume"))
    drill.act(Action("speed", speed=4))
    drill.act(
        Action(
            "add_inject",
            fields={"subject": "Extra samtal från SVT", "text": "Hej", "channel": "phone", "to": "presssekreterare"},
        )
    )
    skipped = sorted(drill.pending)[0]  # a scripted inject still to come
    drill.act(Action("skip_inject", inject=skipped))
    drill.run_to_end()
    r = build_report(scenario, drill.drain(), meta(team="team"))
    assert [i.kind for i in r.interventions] == ["pause", "resume", "speed", "add_inject", "skip_inject"]
    assert r.interventions[4].detail == skipped
    assert r.interventions[2].detail == "4×" and r.interventions[3].detail == "Extra samtal från SVT"
    md = render(r, "md").decode()
    assert "| T+0:05 | pausade | – |" in md and "| T+0:05 | lade till inspel | Extra samtal från SVT |" in md
    assert "Övningsledningen styrde inte övningen" in render(golden_report(), "md").decode()


def test_a_feed_extract_from_the_busiest_quarter_hour() -> None:
    r = golden_report()
    start = r.pressure.peak_at
    assert r.feed and start is not None and all(start <= p.t <= start + WINDOW for p in r.feed)
    assert "### Utdrag ur flödet" in render(r, "md").decode()


def test_the_front_page_names_the_exercise_and_who_took_part() -> None:
    text = STARTER.replace(
        "\nroles:",
        "\nexercise:\n  type: Funktionsövning\n  purpose: Öva första timmen\n"
        "  organisations: [Sjöstads kommun, Länsstyrelsen]\n  facilitator: Eva Ek\n"
        "  evaluators: [Per Berg, Lena Lind]\nroles:",
        1,
    )
    scenario = load_scenario_bytes(text.encode("utf-8"), "front.yaml")
    _, events = run_headless(scenario, 7, "diligent")
    m = meta()
    m.participants = ["Anna (kommunikationschef)", "Bo (webbredaktör)"]
    r = build_report(scenario, events, m)
    o = r.overview
    assert (o.exercise_type, o.purpose, o.facilitator) == ("Funktionsövning", "Öva första timmen", "Eva Ek")
    assert o.organisations == ["Sjöstads kommun", "Länsstyrelsen"] and o.evaluators == ["Per Berg", "Lena Lind"]
    md = render(r, "md").decode()
    front = md[: md.index("## Sammanfattning")]
    for shown in ("Funktionsövning", "Öva första timmen", "Sjöstads kommun, Länsstyrelsen", "Eva Ek", "Per Berg"):
        assert shown in front
    assert "Anna (kommunikationschef) / Bo (webbredaktör)" in front


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [("sv", "1 missad tidsfrist", "2 missade tidsfrister"), ("en", "1 missed deadline", "2 missed deadlines")],
)
def test_number_and_plural_are_right(lang: str, one: str, two: str) -> None:
    set_language(lang)
    r = golden_report()
    for missed, said in ((1, one), (2, two)):
        total = r.response_total.model_copy(update={"missed": missed})
        assert said + "." in figures_sentence(r.model_copy(update={"response_total": total}))


def test_decisions_and_participants_noted_on_the_command_line_reach_page_one(tmp_path, capsys) -> None:
    from krisovning.cli import main

    scenario = tmp_path / "s.yaml"
    scenario.write_text(STARTER, encoding="utf-8")
    db = str(tmp_path / "j.db")
    assert main(["simulate", str(scenario), "--db", db, "--seed", "3"]) == 0
    assert main(["notes", "latest", "--db", db, "--participant", "Anna Ek, kommunikationschef"]) == 0
    assert main(["notes", "latest", "--db", db, "--decision", "Anta rutinen för första besked"]) == 0
    capsys.readouterr()
    assert main(["notes", "latest", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "Beslut att fatta" in listed and "Deltagare" in listed
    assert main(["report", "latest", "--db", db]) == 0
    md = capsys.readouterr().out
    page_one = md[: md.index("## Måluppfyllelse")]
    assert "| **Deltagare** | Anna Ek, kommunikationschef |" in page_one
    assert "- Anta rutinen för första besked." in page_one.split("### Beslut som ledningsgruppen ombeds fatta")[1]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("sv", ["1 inspel, 1 inlägg i sociala medier, 1 åtgärd av de övade", "0 av 1 punkt avbockade, 1 sen."]),
        ("en", ["1 inject, 1 post on social media, 1 action by the players", "0 of 1 item ticked, 1 late."]),
    ],
)
def test_counts_of_one_are_singular(lang: str, said: list[str]) -> None:
    set_language(lang)
    r = golden_report()
    o = r.overview.model_copy(update={"injects": 1, "social_posts": 1, "team_actions": 1})
    checklist = r.checklists[0]
    item = checklist.items[0].model_copy(update={"ticked": None, "late": True})
    one = checklist.model_copy(update={"items": [item], "done": 0, "late": 1})
    text = render(r.model_copy(update={"overview": o, "checklists": [one]}), "md").decode()
    for phrase in said:
        assert phrase in text
