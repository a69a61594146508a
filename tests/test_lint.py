"""`krisovning lint` (issue 18 point 4): each rule has a scenario that triggers it and one that does not;
advice is positioned FILE:LINE:COL in Swedish and English; exit 0 clean, 1 invalid, 3 advice only."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from scenario_factory import BASE, inject, social, thread

from krisovning.metrics.lint import lint
from krisovning.metrics.quality import lix
from krisovning.scenario import Scenario

LIX_TARGET = 40  # the default klarspråk target (scenario quality.lix)

# A scenario with nothing to advise on: a journalist at once, a rumour, reachable objectives, both roles busy.
CLEAN: dict[str, Any] = {
    **copy.deepcopy(BASE),
    "duration": "1h",
    "injects": [
        inject(f"{role}-{k}", at=f"{2 + 10 * k}m", to=role, expect={"action": "reply", "within": "30m"})
        for k in range(6)
        for role in ("kommunikation", "press")
    ],
    "objectives": [{"id": "svar", "title": "Svar", "criterion": {"type": "response_time", "within": "30m"}}],
    "social": social(thread("t", baseline=20, mix={"information": 0.8, "rumour": 0.2})),
    "topics": [{"id": "vatten", "keywords": ["vatten"], "answer": "Koka vattnet. Drick inte ur kranen."}],
}


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(CLEAN)
    data.update(changes)
    return data


def _codes(data: dict[str, Any], runs: int = 4) -> list[str]:
    return [a.code for a in lint(Scenario.model_validate(data), data, runs, workers=1)]


def test_the_clean_scenario_has_no_advice() -> None:
    assert _codes(CLEAN) == []


def test_no_journalist_in_the_first_quarter_hour() -> None:
    late = _with(injects=[dict(i, at=i["at"] if int(i["at"][:-1]) > 15 else "20m") for i in CLEAN["injects"]])
    assert _codes(late) == ["early-journalist"]
    official = copy.deepcopy(CLEAN)
    for item in official["injects"]:
        if item["at"] in ("2m", "12m"):
            item["from"] = "tib"  # an official, not a journalist, calls first
    assert _codes(official) == ["early-journalist"]


def test_no_rumour() -> None:
    calm = _with(social=social(thread("t", baseline=20, mix={"information": 1.0})))
    assert _codes(calm) == ["no-rumour"]
    topic = _with(
        social=social(thread("t", baseline=20, mix={"information": 1.0})),
        topics=[{"id": "r", "keywords": ["gift"], "rumour": True}],
    )
    assert _codes(topic) == []


def test_objective_no_bot_team_reaches() -> None:
    hard = _with(
        objectives=CLEAN["objectives"]
        + [{"id": "omojligt", "title": "Omöjligt", "criterion": {"type": "first_public_message", "within": "1m"}}]
    )
    assert _codes(hard) == ["objective-unreachable"]
    reachable = _with(
        objectives=[{"id": "snabbt", "title": "Snabbt", "criterion": {"type": "first_public_message", "within": "40m"}}]
    )
    assert _codes(reachable) == []


def test_role_without_injects_for_45_minutes() -> None:
    quiet = _with(injects=[i for i in CLEAN["injects"] if i["to"] == "press"])
    quiet["injects"].append(inject("tib", at="2m", to="kommunikation", **{"from": "tib"}))  # no journalist follow-up
    advice = lint(Scenario.model_validate(quiet), quiet, 3, workers=1)
    assert [(a.code, a.path) for a in advice] == [("role-idle", ("roles", 0))]
    assert "kommunikation" in advice[0].message and "till 1 h 00 min" in advice[0].message


VMA_EXPECT = {"action": "publish", "within": "30m", "channels": ["vma"]}


def test_vma_for_something_not_acute() -> None:
    boil = _with(
        injects=CLEAN["injects"] + [inject("koka", at="30m", text="Kokningsrekommendation", expect=VMA_EXPECT)]
    )
    advice = lint(Scenario.model_validate(boil), boil, 0)
    assert [(a.code, a.path) for a in advice] == [("vma-not-acute", ("injects", 12, "expect", "channels", 0))]
    fire = _with(injects=CLEAN["injects"] + [inject("brand", at="30m", text="Branden sprider sig", expect=VMA_EXPECT)])
    assert _codes(fire, 0) == []


def test_krisinformation_linking_before_the_team_published() -> None:
    personas = CLEAN["personas"] + [{"id": "ki", "name": "Redaktionen", "kind": "official", "organisation": "MSB"}]
    text = "Hej från krisinformation.se. Vi har länkat till er information om vattnet."
    fixed = _with(personas=personas, injects=CLEAN["injects"] + [inject("ki", at="5m", **{"from": "ki"}, text=text)])
    advice = lint(Scenario.model_validate(fixed), fixed, 0)
    assert [(a.code, a.path) for a in advice] == [("krisinformation-first", ("injects", 12, "at"))]
    waits = _with(
        personas=personas,
        injects=CLEAN["injects"]
        + [inject("ki", when={"type": "action", "action": "publish"}, **{"from": "ki"}, text=text)],
    )
    asks = _with(
        personas=personas,
        injects=CLEAN["injects"]
        + [inject("ki", at="5m", **{"from": "ki"}, text="Krisinformation.se: vi vill länka till er information.")],
    )
    assert _codes(waits, 0) == [] and _codes(asks, 0) == []


def test_model_answer_that_sends_people_to_113_13_only() -> None:
    only = _with(topics=[{"id": "fraga", "keywords": ["fråga"], "answer": "Ring 113 13 om du undrar."}])
    assert _codes(only, 0) == ["113-13-local"]
    own = _with(topics=[{"id": "fraga", "keywords": ["fråga"], "answer": "Ring oss på kommunen eller 113 13."}])
    assert _codes(own, 0) == []


HEAVY = (
    "Kommunförvaltningens verksamhetsansvariga rekommenderar samtliga fastighetsinnehavare "
    "beträffande dricksvattenförsörjningen kokningsrekommendationsåtgärder."
)


def test_model_answer_above_the_lix_target() -> None:
    assert lix(HEAVY) > LIX_TARGET >= lix(CLEAN["topics"][0]["answer"])
    heavy = _with(topics=[{"id": "vatten", "keywords": ["vatten"], "answer": HEAVY}])
    assert _codes(heavy, 0) == ["lix"]
    english = _with(language="en", topics=[{"id": "vatten", "keywords": ["vatten"], "answer": HEAVY}])
    assert _codes(english, 0) == []  # LIX is a Swedish measure


def test_lix_by_hand() -> None:
    # 6 words, 2 sentences, 1 longer than six letters ("kokningen"): 3 + 100/6
    assert lix("Vänta. Vi säger till efter kokningen.") == pytest.approx(6 / 2 + 100 * 1 / 6)
    assert lix("") == 0.0


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("lang", "words"),
    [("sv", "råd (no-rumour): scenariot har inget rykte"), ("en", "advice (no-rumour): the scenario")],
)
def test_positioned_advice_and_exit_3(lang: str, words: str, run_cli, tmp_path: Path) -> None:
    path = _write(tmp_path, _with(social=social(thread("t", baseline=20, mix={"information": 1.0}))))
    code, out, err = run_cli("--lang", lang, "lint", path, "--runs", "2")
    assert code == 3, err
    line = next(i + 1 for i, text in enumerate(path.read_text(encoding="utf-8").splitlines()) if text == "social:")
    assert f"{path}:{line}:1: {words}" in out


def test_clean_exits_0_and_invalid_exits_1(run_cli, tmp_path: Path) -> None:
    path = _write(tmp_path, CLEAN)
    code, out, _ = run_cli("lint", path, "--runs", "2")
    assert code == 0 and "inga råd" in out
    path.write_text("id: x\n", encoding="utf-8")
    code, out, err = run_cli("lint", path)
    assert code == 1 and f"{path}:1:1:" in err and "Traceback" not in err
    code, _, err = run_cli("lint", path, "--runs", "-1")
    assert code == 2 and "--runs" in err


def test_json(run_cli, tmp_path: Path) -> None:
    path = _write(tmp_path, _with(topics=[{"id": "fraga", "keywords": ["fråga"], "answer": "Ring 113 13."}]))
    code, out, _ = run_cli("--lang", "en", "lint", path, "--runs", "0", "--json")
    assert code == 3
    data = json.loads(out)
    assert data["valid"] is True and [a["code"] for a in data["advice"]] == ["113-13-local"]
    assert data["advice"][0]["line"] > 1 and "113 13" in data["advice"][0]["message"]


BUNDLED = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))


def test_the_bundled_scenarios_are_all_checked() -> None:
    assert [p.stem for p in BUNDLED] == ["dricksvatten", "hot-mot-skola", "ransomware", "skogsbrand", "storm-elavbrott"]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_scenario_follows_the_advice(path: Path, run_cli) -> None:
    """The bundled scenarios are the model authors copy: no advice at all (exit 0), with the drill played
    as `krisovning lint` plays it by default (20 runs per bot team)."""
    code, out, err = run_cli("lint", path)
    assert code == 0, out + err
    assert "inga råd (20 körningar per botlag)" in out


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_model_answer_covers_its_own_topic(path: Path) -> None:
    """A model answer rewritten for plain language still matches its topic's keywords: the bot teams publish
    it, and only a publication that covers a rumour's topic calms that rumour."""
    from krisovning.engine.topics import Matcher
    from krisovning.scenario import load_scenario

    scenario = load_scenario(path)
    matcher = Matcher(scenario.topics, language=scenario.language)
    answered = [topic for topic in scenario.topics if topic.answer]
    assert answered
    assert [t.id for t in answered if t.id not in matcher.topics(t.answer or "")] == []
