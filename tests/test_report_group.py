"""The group report (issue 19 point 3): municipalities' drills side by side, in every format and both languages.

Regenerate the golden file after an intended change with:
    UPDATE_GOLDEN=1 pytest tests/test_report_group.py
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from datetime import datetime
from pathlib import Path

import docx
import jsonschema
import pytest
from hostile import TYPED, has_raw_control
from report_cases import STARTER, evil_report, per_language, starter

from krisovning import __version__
from krisovning.engine.headless import run_headless
from krisovning.i18n import set_language
from krisovning.report import (
    FORMATS,
    GroupReport,
    ReportMeta,
    build_group_report,
    build_report,
    group_schema,
    render,
    render_group,
)
from krisovning.report.group import FIGURES, compared, raw_value
from krisovning.scenario import Scenario, load_scenario_bytes

GOLDEN = Path(__file__).parent / "golden" / "group_report_starter_three.md"
SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "group-report.schema.json"
# three municipalities: same scenario, different seeds and bot teams, so that their figures differ
RUNS = (("Sjöstad", 1, "realistic"), ("Åby", 2, "diligent"), ("Berga", 3, "slow"))


def _report(scenario: Scenario, session: str, seed: int, team: str):
    _, events = run_headless(scenario, seed, team)
    meta = ReportMeta(session, datetime(2026, 3, 10, 9), datetime(2026, 3, 10, 10, 30), "finished", seed, team)
    return build_report(scenario, events, meta)


@per_language
def _three():
    scenario = starter()
    return tuple(_report(scenario, f"s{seed}", seed, team) for _, seed, team in RUNS)


def three() -> list:
    return [(label, r) for (label, _, _), r in zip(RUNS, _three(), strict=True)]


def variant() -> Scenario:
    """A county-specific variant of the starter: another municipality, without the objective `mediesamtal`."""
    text = STARTER.replace("name: Sjöstads kommun", "name: Åby kommun", 1)
    start, end = text.index("  - id: mediesamtal"), text.index("  - id: lagesbild\n    title")
    return load_scenario_bytes((text[:start] + text[end:]).encode("utf-8"), "aby.yaml")


def markdown(group: GroupReport) -> str:
    return render_group(group, "md").decode("utf-8")


def test_the_markdown_matches_the_golden_file() -> None:
    text = markdown(build_group_report(three())).replace(f"krisovning {__version__}", "krisovning VERSION")
    # the scenario's digest changes with any new field of the scenario model; the golden file is about the report
    text = re.sub(r"version [0-9a-f]{12}", "version DIGEST", text)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), f"the group report changed; UPDATE_GOLDEN=1 ({GOLDEN.name})"


def test_each_figure_is_the_municipalitys_own_report_figure() -> None:
    members = three()
    group = build_group_report(members)
    assert [m.label for m in group.members] == ["Sjöstad", "Åby", "Berga"]
    assert [m.session_id for m in group.members] == ["s1", "s2", "s3"]
    by_key = {row.key: row for row in group.figures}
    assert list(by_key) == list(FIGURES)
    for index, (_, r) in enumerate(members):
        assert by_key["first_message"].values[index] == r.first_message.first
        assert by_key["median_response"].values[index] == r.response_total.median
        assert by_key["p90_response"].values[index] == r.response_total.p90
        assert by_key["missed"].values[index] == r.response_total.missed
        met = sum(o.outcome == "met" for o in r.objectives)
        assert by_key["objectives_met"].values[index] == met and by_key["objectives_met"].totals[index] == 3
        assert by_key["rumour_peak"].values[index] == r.pressure.rumour_peak
        assert by_key["decisions"].values[index] == len(r.decisions)
        assert by_key["publications"].values[index] == sum(p.public for p in r.publications)
        assert by_key["missed_calls"].values[index] == (r.calls.missed if r.calls else None)
        # the single report says the same headline findings
        assert group.members[index].strengths == r.summary.strengths
        assert group.members[index].improvements == r.summary.improvements
    # the bot teams differ, so the figures do: otherwise nothing here would be compared
    assert len(set(by_key["median_response"].values)) == 3


def test_the_best_value_of_each_ranked_row_is_marked_and_only_it() -> None:
    members = three()
    group = build_group_report(members)
    text = markdown(group)
    for row in group.figures:
        shown = [compared(row.key, raw_value(row.key, r), len(r.objectives)) for _, r in members]
        finite = [v for v in shown if v is not None and v != math.inf]
        if row.better == "none" or len({v for v in shown if v is not None}) < 2:
            assert row.best == []
            continue
        top = min(finite) if row.better == "less" else max(finite)
        assert row.best == [i for i, v in enumerate(shown) if v == top]
    # the table: a star on each best cell, in the row's own line
    for line in text.splitlines():
        if line.startswith("| Första offentliga besked |"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            best = next(r for r in group.figures if r.key == "first_message").best
            assert [i for i, c in enumerate(cells[2:]) if c.endswith("★")] == best != []
    assert "| Offentliga besked | rangordnas inte |" in text and "lägst" in text and "högst" in text


def test_ties_never_sent_and_unmeasured_values_are_ranked_as_the_table_shows_them() -> None:
    a, b, c = _three()
    fast = a.model_copy(update={"first_message": a.first_message.model_copy(update={"first": 600.0})})
    tie = b.model_copy(update={"first_message": b.first_message.model_copy(update={"first": 610.0})})  # 10 min too
    never = c.model_copy(update={"first_message": c.first_message.model_copy(update={"first": None})})
    group = build_group_report([("A", fast), ("B", tie), ("C", never)])
    row = next(r for r in group.figures if r.key == "first_message")
    assert row.best == [0, 1]  # equal to the minute shown; a message never sent is never the best
    all_never = build_group_report([("A", never), ("C", never)])
    assert next(r for r in all_never.figures if r.key == "first_message").best == []
    same = build_group_report([("A", a), ("B", a)])
    assert all(r.best == [] for r in same.figures)  # all equal: nothing to mark
    assert "★" not in markdown(same).split("## Måluppfyllelse")[0].split("| Nyckeltal |")[1].split("*★")[0]


def test_objectives_are_compared_as_a_share_of_each_municipalitys_own() -> None:
    scenario = variant()
    two_of_two = _report(scenario, "v", 2, "diligent")
    assert len(two_of_two.objectives) == 2 and all(o.outcome == "met" for o in two_of_two.objectives)
    group = build_group_report([*three(), ("Åby variant", two_of_two)])
    row = next(r for r in group.figures if r.key == "objectives_met")
    assert row.totals == [3, 3, 3, 2]
    full = [i for i, (_, r) in enumerate(three()) if all(o.outcome == "met" for o in r.objectives)]
    assert row.best == [*full, 3]


def test_a_variant_without_an_objective_shows_a_dash_and_says_so() -> None:
    aby = _report(variant(), "s-aby", 4, "realistic")
    members = [three()[0], ("Åby", aby), three()[2]]
    group = build_group_report(members)
    assert [s.id for s in group.scenarios] == ["min-ovning", "min-ovning"]
    assert group.scenarios[0].version != group.scenarios[1].version
    row = next(o for o in group.objectives if o.id == "mediesamtal")
    assert row.outcomes[1] is None and row.outcomes[0] is not None and row.outcomes[2] is not None
    assert all(o.outcomes[1] is not None for o in group.objectives if o.id != "mediesamtal")
    text = markdown(group)
    assert re.search(r"^\| Mediesamtal besvaras inom 15 minuter \| [^|]+ \| – \| [^|]+ \|$", text, re.MULTILINE)
    assert "– = målet finns inte i den kommunens scenario" in text
    assert "- **Mediesamtal besvaras inom 15 minuter:** saknas för Åby" in text
    assert "> **OLIKA VERSIONER AV SCENARIOT:" in text and "OLIKA SCENARIER" not in text
    same = markdown(build_group_report(three()))
    assert "OLIKA VERSIONER" not in same and "saknas för" not in same and "| – |" not in same.split("## Måluppf")[1]


def test_different_scenarios_are_warned_about() -> None:
    other = load_scenario_bytes(STARTER.replace("id: min-ovning", "id: annan-ovning", 1).encode(), "annan.yaml")
    group = build_group_report([three()[0], ("Annan", _report(other, "s9", 9, "diligent"))])
    assert [s.id for s in group.scenarios] == ["min-ovning", "annan-ovning"]
    text = markdown(group)
    assert "> **OLIKA SCENARIER: Stormen över Sjöstad (min-ovning, version" in text
    assert "för Sjöstad; Stormen över Sjöstad (annan-ovning" in text and "för Annan." in text


def test_what_the_region_can_learn_is_only_what_the_figures_show() -> None:
    members = three()
    group = build_group_report(members)
    labels = [label for label, _ in members]
    assert group.lessons, "three different bot teams leave something to learn"
    for lesson in group.lessons:
        if lesson.kind == "objective_missed":
            row = next(o for o in group.objectives if o.title == lesson.subject)
            short = [labels[i] for i, o in enumerate(row.outcomes) if o in ("not_met", "partly_met")]
            assert lesson.members == short and 2 * len(short) > lesson.of >= 2
        elif lesson.kind == "objective_met_by_all":
            row = next(o for o in group.objectives if o.title == lesson.subject)
            assert set(row.outcomes) == {"met"}
        elif lesson.kind == "missed_deadlines":
            assert lesson.members == [label for label, r in members if r.response_total.missed]
        elif lesson.kind == "first_message_late":
            assert lesson.members == [label for label, r in members if not r.first_message.within_norm]
        elif lesson.kind == "shared_improvement":
            for label, r in members:
                has = any(f.area == lesson.subject and f.source == "derived" for f in r.improvements)
                assert has == (label in lesson.members)
            assert 2 * len(lesson.members) > lesson.of
        else:
            firsts = {label: r.first_message.first for label, r in members if r.first_message.first is not None}
            assert lesson.values == [min(firsts.values()), max(firsts.values())]
            assert lesson.members == [min(firsts, key=firsts.__getitem__), max(firsts, key=firsts.__getitem__)]
    missed = [x for x in group.lessons if x.kind == "objective_missed"]
    assert missed == sorted(missed, key=lambda x: -len(x.members) / x.of)  # the one most missed first
    # one municipality alone teaches the region nothing; two alike share no gap
    assert build_group_report(members[:1]).lessons == []
    text = markdown(build_group_report(members[:1]))
    assert "Siffrorna pekar inte ut något som de flesta kommunerna delar." in text


def test_an_objective_most_municipalities_missed_is_named_first() -> None:
    a, b, c = _three()

    def rated(r, outcome: str):
        objectives = [o.model_copy(update={"outcome": outcome}) if o.id == "lagesbild" else o for o in r.objectives]
        return r.model_copy(update={"objectives": objectives})

    group = build_group_report([("A", rated(a, "not_met")), ("B", rated(b, "partly_met")), ("C", rated(c, "met"))])
    first = group.lessons[0]
    assert (first.kind, first.subject, first.members, first.of) == (
        "objective_missed",
        "Lägesbilden uppdateras minst var 30:e minut",
        ["A", "B"],
        3,
    )
    assert "- Målet ”Lägesbilden uppdateras minst var 30:e minut” uppnåddes inte eller bara delvis i 2 av 3" in (
        markdown(group)
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format(fmt: str) -> None:
    group = build_group_report(three())
    data = render_group(group, fmt)
    if fmt == "md":
        assert data.decode().startswith("# Jämförelse mellan kommuner\n")
    elif fmt == "html":
        html = data.decode()
        assert "<script" not in html and html.count("★") == sum(len(r.best) for r in group.figures) + 1  # + the legend
        assert '<td class="num s-met">' in html  # the best values stand out in colour too
        assert html.count("<table") == 3  # drills, figures, objectives
    elif fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        assert len(document.tables) == 3
        assert [c.text for c in document.tables[1].rows[0].cells][2:] == ["Sjöstad", "Åby", "Berga"]
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Vad regionen kan lära" in text
    else:
        assert GroupReport.model_validate(json.loads(data)) == group


def test_english() -> None:
    set_language("en")
    text = markdown(build_group_report(three()))
    assert text.startswith("# Comparison of municipalities\n")
    for heading in ("## The drills compared", "## Key figures", "## Objectives by municipality"):
        assert heading in text
    assert "## What the region can learn" in text and "| Median response time | lowest |" in text
    assert "Jämförelse" not in text and "kommuner" not in text


def test_a_group_built_in_swedish_renders_in_swedish_whatever_the_language_now() -> None:
    group = build_group_report(three())
    set_language("en")
    assert markdown(group).startswith("# Jämförelse mellan kommuner")


def test_hostile_labels_and_journal_text_stay_text() -> None:
    labels = [*TYPED, "| pipe | i etiketten", "# rubrik"]
    members = [(label, three()[index % 3][1]) for index, label in enumerate(labels)]
    members.append(("Elak", evil_report()))  # scenario, notes and actions full of markup
    group = build_group_report(members)
    md = markdown(group)
    html = render_group(group, "html").decode()
    for out in (md, html, render_group(group, "json").decode()):
        assert not has_raw_control(out)
    assert "<script>" not in md and "\\<script\\>alert(1)\\</script\\>" in md
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\\[b\\]fet\\[/b\\]" in md and "\\| pipe \\| i etiketten" in md
    assert "\\x1b" in md  # a control character is shown, not sent to the terminal
    header = next(line for line in md.splitlines() if line.startswith("| Nyckeltal |"))
    assert len(header.replace("\\|", "").split("|")) - 2 == 2 + len(members)
    for line in md.splitlines():
        if line.startswith("| ") and "Nyckeltal" not in line and line.count("|") > 5:
            assert len(line.replace("\\|", "").split("|")) - 2 in (2 + len(members), 1 + len(members), 8)
    document = docx.Document(io.BytesIO(render_group(group, "docx")))
    assert document.tables[1].rows[0].cells[2 + len(TYPED)].text == "| pipe | i etiketten"


def test_an_empty_group_renders() -> None:
    group = build_group_report([])
    for fmt in FORMATS:
        assert render_group(group, fmt)
    assert "Inga övningar att jämföra." in markdown(group)


def test_the_committed_schema_matches_the_model() -> None:
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert committed == group_schema(), (
        "regenerate schema/group-report.schema.json from krisovning.report.group_schema()"
    )


def test_json_validates_against_the_committed_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    aby = _report(variant(), "s-aby", 4, "realistic")
    for members in (three(), [three()[0], ("Åby", aby)], [("Elak <1>", evil_report())], []):
        data = json.loads(render_group(build_group_report(members), "json"))
        jsonschema.validate(data, schema)
    broken = json.loads(render_group(build_group_report(three()), "json"))
    broken["figures"][0]["better"] = "sometimes"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_a_scenarios_version_is_its_content_not_its_layout() -> None:
    plain = starter()
    spaced = load_scenario_bytes(("# en kommentar\n" + STARTER).encode(), "other-name.yaml")
    versions = {_report(s, "x", 1, "diligent").overview.scenario_version for s in (plain, spaced)}
    assert len(versions) == 1 and re.fullmatch(r"[0-9a-f]{12}", versions.pop())
    assert _report(variant(), "x", 1, "diligent").overview.scenario_version != (
        _report(plain, "x", 1, "diligent").overview.scenario_version
    )
    assert "scenario_version" in json.loads(render(_three()[0], "json"))["overview"]
