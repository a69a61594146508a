"""Issue 17 point 1: expectations and objectives about content (topics, answers, holds) and
`simulate --actions`, a scripted team from a JSON Lines file in the shape `krisovning export` writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scenario_factory import inject, scenario

from krisovning.engine.actions import Action
from krisovning.engine.drill import Drill
from krisovning.metrics.figures import gather
from krisovning.metrics.objectives import evaluate, evidence_text
from krisovning.report import ReportMeta, build_report, render
from krisovning.scenario import ScenarioError, load_scenario, load_scenario_bytes
from krisovning.session.script import Scripted, ScriptError, parse_script, play, read_script

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
ACTIONS = Path(__file__).resolve().parent / "actions"
# each bundled scenario's first-message objective, which asks for content (its `topics`)
FIRST = {
    "dricksvatten": "forsta-beskedet",
    "hot-mot-skola": "forsta-beskedet",
    "ransomware": "gyllene-timmen",
    "skogsbrand": "forsta-beskedet",
    "storm-elavbrott": "forsta-beskedet",
}


def outcomes(name: str, actions: list[Scripted]) -> dict[str, object]:
    s = load_scenario(SCENARIOS / f"{name}.yaml")
    _drill, events, refused = play(s, None, actions, "script")
    assert not refused
    return {r.id: r for r in evaluate(s, gather(events))}


def at(t: float, **fields: object) -> Scripted:
    return Scripted(0, t, Action(**fields))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(FIRST))
def test_the_first_message_counts_only_with_the_content_it_asks_for(name: str) -> None:
    """The same publication at the same time: the empty one does not meet the objective, the right one does."""
    assert load_scenario(SCENARIOS / f"{name}.yaml").objectives  # the objective is the scenario's own
    criterion = next(o.criterion for o in load_scenario(SCENARIOS / f"{name}.yaml").objectives if o.id == FIRST[name])
    assert getattr(criterion, "topics", None), "the bundled objective asks for content"
    empty = outcomes(name, read_script(str(ACTIONS / f"{name}-empty.jsonl")))[FIRST[name]]
    right = outcomes(name, read_script(str(ACTIONS / f"{name}-content.jsonl")))[FIRST[name]]
    assert empty.outcome == "not_met", evidence_text(empty)
    assert empty.evidence["missing"] == list(criterion.topics)
    assert right.outcome == "met", evidence_text(right)
    assert right.evidence["missing"] == []
    assert empty.evidence["first"] is None and right.evidence["first"] == 600.0


def test_a_boil_water_notice_without_its_content_does_not_meet_the_expectation() -> None:
    s = load_scenario(SCENARIOS / "dricksvatten.yaml")
    channels = ("web", "social", "sms")
    empty = play(s, None, [at(1500, kind="publish", text="Information kommer.", channels=channels)], "x")[1]
    right = play(
        s,
        None,
        [at(1500, kind="publish", text="Koka vattnet. Det gäller Norra Ekebacka och Lövsjö.", channels=channels)],
        "x",
    )[1]
    assert gather(empty).injects["kokrek-underlag"].met is None
    assert gather(right).injects["kokrek-underlag"].met is not None


def test_a_ticked_topic_counts_as_covered() -> None:
    s = load_scenario(SCENARIOS / "dricksvatten.yaml")
    ticked = at(
        1500, kind="publish", text="Viktigt meddelande.", channels=("web",), topics=("kokning", "drabbat-omrade")
    )
    assert gather(play(s, None, [ticked], "x")[1]).injects["kokrek-underlag"].met is not None


def test_a_rumour_is_answered_only_by_a_message_about_it() -> None:
    s = load_scenario(SCENARIOS / "dricksvatten.yaml")
    later = 70 * 60 + 120  # rykte-barn arrives at 1h10m
    other = play(s, None, [at(later, kind="publish", text="Tvätta händerna ofta.", channels=("social",))], "x")[1]
    answer = "Det finns inga tecken på avloppsvatten i dricksvattnet."
    right = play(s, None, [at(later, kind="publish", text=answer, channels=("social",))], "x")[1]
    assert gather(other).injects["rykte-barn"].met is None
    assert gather(right).injects["rykte-barn"].met is not None


def test_a_decision_on_another_topic_does_not_count() -> None:
    s = load_scenario(SCENARIOS / "dricksvatten.yaml")
    four = [at(300 + i, kind="decision", text="Presssekreteraren är talesperson.") for i in range(4)]
    results = outcomes("dricksvatten", four)
    assert results["beslut"].outcome == "not_met"
    assert results["beslut"].evidence["all_decisions"] == 4 and results["beslut"].evidence["by_deadline"] == 0
    on = outcomes("dricksvatten", [at(300, kind="decision", text="Vi går ut med kokningsrekommendation nu.")])
    assert on["beslut"].outcome == "met", evidence_text(on["beslut"])
    drill = play(s, None, [at(300, kind="decision", text="Talesperson utsedd.", topics=("kokning",))], "x")[1]
    assert gather(drill).injects["larm-va"].met is not None  # ticked: the author says what it is about


def test_a_hold_is_broken_by_a_publication_before_its_condition() -> None:
    """dricksvatten: no promise of when the water is drinkable again before the lab answers (at 2h15m)."""
    promise = "Vattnet går att dricka igen på onsdag."
    early = [at(40 * 60, kind="publish", text=promise, channels=("web",))]
    late = [at(140 * 60, kind="publish", text=promise, channels=("web",))]
    broken = outcomes("dricksvatten", early)["ingen-tidpunkt"]
    kept = outcomes("dricksvatten", late)["ingen-tidpunkt"]
    assert broken.outcome == "not_met" and broken.evidence["broken"] == ["va-ingen-tidpunkt"]
    assert "va-ingen-tidpunkt" in evidence_text(broken)
    assert kept.outcome == "met" and "broken" not in kept.evidence
    nothing = outcomes("dricksvatten", [])["ingen-tidpunkt"]
    assert nothing.outcome == "met"  # kept to the end: nothing was said


def test_a_broken_hold_is_shown_as_broken_in_the_report() -> None:
    s = load_scenario(SCENARIOS / "dricksvatten.yaml")
    script = [at(40 * 60, kind="publish", text="Rekommendationen hävs på onsdag.", channels=("social",))]
    _drill, events, _ = play(s, None, script, "x")
    report = build_report(s, events, ReportMeta("x", seed=s.seed, team="script"))
    rows = {row.inject: row for row in report.timeline}
    assert rows["va-ingen-tidpunkt"].status == "broken"
    assert rows["va-ingen-tidpunkt"].expected == "hold"
    for fmt in ("md", "html"):  # the report's text says so, in each format
        assert "bruten" in render(report, fmt).decode()


def hold_scenario(**expect: object):
    return scenario(
        topics=[
            {"id": "namn", "keywords": ["Ågården"]},
            {"id": "rad", "keywords": ["stanna inne"]},
        ],
        injects=[
            inject("vanta", at="5m", expect={"action": "hold", "within": "1h", "topics": ["namn"], **expect}),
            inject("anhoriga", at="30m"),
            inject(
                "fraga",
                at="10m",
                text="Var ska vi stanna inne?",
                expect={"action": "publish", "within": "1h", "answers": "fraga-egen"},
            ),
            inject("fraga-egen", at="8m", text="Ska man stanna inne?"),
        ],
    )


def run(s, actions: list[tuple[float, Action]]):
    drill = Drill(s)
    for t, action in actions:
        drill.advance(t)
        drill.act(action)
    drill.run_to_end()
    return gather(drill.drain())


def test_a_hold_ends_when_its_until_inject_arrives() -> None:
    s = hold_scenario(until="anhoriga")
    named = Action("publish", text="Branden är på Ågården.", channels=("web",))
    assert run(s, [(20 * 60, named)]).injects["vanta"].broken is not None
    after = run(s, [(31 * 60, named)]).injects["vanta"]
    assert after.broken is None and after.met == 25 * 60  # kept from 5m until anhoriga at 30m
    internal = Action("publish", text="Branden är på Ågården.", channels=("intranet",))
    assert run(s, [(20 * 60, internal)]).injects["vanta"].broken is None  # only what the public reads breaks it


def test_answering_an_inject_means_covering_what_it_is_about() -> None:
    s = hold_scenario()
    other = Action("publish", text="Vi återkommer.", channels=("web",))
    right = Action("publish", text="Stanna inne och stäng fönstren.", channels=("web",))
    assert run(s, [(15 * 60, other)]).injects["fraga"].met is None
    assert run(s, [(15 * 60, right)]).injects["fraga"].met is not None


@pytest.mark.parametrize(
    ("expect", "message"),
    [
        ({"action": "hold", "within": "1h"}, "needs topics"),
        ({"action": "reply", "within": "1h", "topics": ["namn"]}, "topics only apply"),
        ({"action": "decision", "within": "1h", "answers": "namn"}, "answers only applies"),
        ({"action": "publish", "within": "1h", "until": "x"}, "until only applies"),
    ],
)
def test_an_expectation_s_content_fields_fit_its_action(expect: dict, message: str) -> None:
    text = f"""id: t
title: T
duration: 1h
start: 2026-03-10T08:00
organisation: {{name: K}}
roles: [{{id: r, name: R}}]
personas: [{{id: p, name: P, kind: citizen}}]
topics: [{{id: namn, keywords: [Ågården]}}]
injects:
  - id: i
    at: 1m
    channel: phone
    from: p
    to: r
    text: Hej
    expect: {json.dumps(expect)}
"""
    with pytest.raises(ScenarioError) as caught:
        load_scenario_bytes(text.encode(), "t.yaml")
    problem = caught.value.problems[0]
    assert problem.line >= 15 and message in str(problem)


def test_an_unknown_topic_or_answer_is_named_at_its_line() -> None:
    text = """id: t
title: T
duration: 1h
start: 2026-03-10T08:00
organisation: {name: K}
roles: [{id: r, name: R}]
personas: [{id: p, name: P, kind: citizen}]
topics: [{id: namn, keywords: [Ågården]}]
objectives:
  - id: o
    title: O
    criterion: {type: first_public_message, within: 10m, topics: [nman]}
injects:
  - id: i
    at: 1m
    channel: phone
    from: p
    to: r
    text: Hej
    expect:
      action: publish
      within: 10m
      answers: okant
"""
    with pytest.raises(ScenarioError) as caught:
        load_scenario_bytes(text.encode(), "t.yaml")
    found = {(p.line, p.message.split(":")[0]) for p in caught.value.problems}
    lines = sorted(line for line, _ in found)
    assert lines == [12, 23], caught.value.problems
    assert any("namn" in p.message for p in caught.value.problems)  # did you mean


# --- simulate --actions ---


def test_simulate_plays_a_script_and_records_it(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    code, out, err = run_cli(
        "--db",
        db,
        "simulate",
        SCENARIOS / "dricksvatten.yaml",
        "--actions",
        ACTIONS / "dricksvatten-content.jsonl",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["policy"] == "script" and data["actions"] == 1 and data["first_public_message"] == 600.0
    first = next(o for o in data["objectives"] if o["id"] == "forsta-beskedet")
    assert first["outcome"] == "met"
    # the journal replays it (a team played by people, not a bot): its export has the one action
    code, out, err = run_cli("--db", db, "export", data["session"])
    assert code == 0, err
    actions = [json.loads(line) for line in out.splitlines() if '"kind": "action"' in line]
    assert [a["action"]["kind"] for a in actions] == ["publish"]


def test_an_export_replays_as_a_script(run_cli, tmp_path: Path) -> None:
    """What `export` writes is what --actions reads: a bot's drill replayed by script is the same drill."""
    db = tmp_path / "j.db"
    code, out, _ = run_cli("--db", db, "simulate", SCENARIOS / "hot-mot-skola.yaml", "--policy", "diligent", "--json")
    bot = json.loads(out)
    code, out, err = run_cli("--db", db, "export", bot["session"])
    assert code == 0, err
    exported = tmp_path / "export.jsonl"
    exported.write_text(out, encoding="utf-8")
    code, out, err = run_cli("--db", db, "simulate", SCENARIOS / "hot-mot-skola.yaml", "--actions", exported, "--json")
    assert code == 0, err
    replayed = json.loads(out)
    # the same actions at the same times (the journal keeps times to the millisecond, and a bot acts
    # amid an instant's events, a script after them: the streams need not be equal to the bit)
    assert replayed["actions"] == bot["actions"]
    assert replayed["first_public_message"] == pytest.approx(bot["first_public_message"], abs=0.001)
    assert [o["outcome"] for o in replayed["objectives"]] == [o["outcome"] for o in bot["objectives"]]


def test_bad_lines_are_named_with_file_line_and_column(run_cli, tmp_path: Path) -> None:
    script = tmp_path / "bad.jsonl"
    script.write_text(
        "\n".join(
            [
                '{"type": "session"}',
                '{"t": 60, "action": {"kind": "publish", "text": "Hej", "channels": ["web"]}}',
                '{"t": 60, "action": {"kind": "publish", "text": "Hej", "channels": ["web"]',
                '{"t": "soon", "action": {"kind": "decision", "text": "Ja"}}',
                '{"t": 90, "action": {"kind": "decision", "colour": "red"}}',
                '{"kind": "expectation_met", "t": 5, "inject": "x", "action": 3}',
            ]
        ),
        encoding="utf-8",
    )
    code, out, err = run_cli(
        "--db", tmp_path / "j.db", "simulate", SCENARIOS / "dricksvatten.yaml", "--actions", script
    )
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"{script}:3:") and "JSON" in lines[0]
    assert lines[1].startswith(f"{script}:4:2:") and "t " in lines[1]
    assert lines[2].startswith(f"{script}:5:") and "colour" in lines[2]
    assert len(lines) == 4 and "Traceback" not in err
    with pytest.raises(ScriptError):
        parse_script(b'{"t": -1, "action": {"kind": "end"}}', "x")


def test_a_refused_action_is_a_warning_at_its_line(run_cli, tmp_path: Path) -> None:
    script = tmp_path / "refused.jsonl"
    script.write_text(
        '{"t": 60, "action": {"kind": "reply", "inject": "finns-inte", "text": "Hej"}}\n'
        '{"t": 99999, "action": {"kind": "decision", "text": "Sent"}}\n'
        '{"t": 120, "action": {"kind": "decision", "text": "Koka vattnet"}}\n',
        encoding="utf-8",
    )
    code, out, err = run_cli(
        "--db", tmp_path / "j.db", "simulate", SCENARIOS / "dricksvatten.yaml", "--actions", script, "--json"
    )
    assert code == 0, err
    assert f"{script}:1:1:" in err and "finns-inte" in err
    assert f"{script}:2:1:" in err
    assert json.loads(out)["actions"] == 1


def test_actions_and_policy_together_are_refused(run_cli, tmp_path: Path) -> None:
    code, _out, err = run_cli(
        "--db", tmp_path / "j.db", "simulate", SCENARIOS / "dricksvatten.yaml", "--policy", "slow", "--actions", "x"
    )
    assert code == 2 and "--policy" in err


def test_a_missing_script_is_named(run_cli, tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    code, _out, err = run_cli(
        "--db", tmp_path / "j.db", "simulate", SCENARIOS / "dricksvatten.yaml", "--actions", missing
    )
    assert code == 2 and f"{missing}:1:1:" in err and "Traceback" not in err
