"""Each action kind has its own struct (engine/actions.py): a journaled action is read as it, so a field
its kind has not, or a missing one, is refused where the journal is read; the engine refuses the same live."""

from __future__ import annotations

import json

import pytest
from conftest import STARTER

from krisovning.engine import Action, ActionRefused, Drill
from krisovning.engine.actions import (
    ACTION_TYPES,
    AddInject,
    ChecklistTick,
    Publish,
    Reply,
    Speed,
    decode_action,
    foreign_field,
)
from krisovning.i18n import catalogue
from krisovning.scenario import load_scenario_bytes
from krisovning.session import TEAM, SessionInfo, replay
from krisovning.session.store import JournalError
from krisovning.vocab import ALL_ACTION_KINDS

SCENARIO = load_scenario_bytes(STARTER.encode("utf-8"))


def _info(exercise_time: float) -> SessionInfo:
    return SessionInfo(
        id="typed",
        scenario_id=SCENARIO.id,
        scenario_title=SCENARIO.title,
        scenario_file="s.yaml",
        scenario_text=STARTER,
        scenario_hash="",
        seed=3,
        team=TEAM,
        engine_version="",
        journal_format=1,
        lang="sv",
        started_at="",
        ended_at=None,
        status="running",
        exercise_time=exercise_time,
    )


def _journal(*actions: Action) -> list[tuple[int, float, str, str]]:
    drill = Drill(SCENARIO, seed=3)
    drill.advance(60.0)
    for action in actions:
        drill.act(action)
    drill.advance(120.0)
    return [(e.seq, float(e.t), e.kind, e.canonical()) for e in drill.drain()]


def test_every_kind_has_its_struct() -> None:
    assert sorted(ACTION_TYPES) == sorted(ALL_ACTION_KINDS)


def test_a_journaled_action_decodes_to_its_kind() -> None:
    assert decode_action({"kind": "reply", "inject": "larm", "text": "ok"}) == Reply(inject="larm", text="ok")
    publish = decode_action({"kind": "publish", "text": "x", "channels": ["web", "facebook"], "role": "r"})
    assert publish == Publish(text="x", channels=("web", "facebook"), role="r")
    assert decode_action({"kind": "speed", "speed": 5}) == Speed(speed=5)
    assert isinstance(decode_action({"kind": "add_inject", "fields": {"to": "a"}}), AddInject)
    tick = decode_action({"kind": "checklist", "checklist": "c", "item": "i"})
    assert tick == ChecklistTick(checklist="c", item="i")
    # and back to the engine's form, with the same journaled dict (the digest is of it)
    for data in (
        {"kind": "publish", "text": "x", "channels": ["web"], "post": "p1"},
        {"kind": "situation_update", "text": "t", "fields": {"läge": "x"}},
        {"kind": "speed", "speed": 2.5},
        {"kind": "pause", "role": "facilitator"},
    ):
        assert decode_action(data).to_action().to_dict() == data


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "decision", "text": "x", "speed": 5},  # a field the kind has not
        {"kind": "pause", "text": "x"},
        {"kind": "reply", "text": "x"},  # a missing field
        {"kind": "checklist", "checklist": "c"},
        {"kind": "speed"},
        {"kind": "decision", "text": 5},  # a wrong type
        {"kind": "nonsense"},
        ["decision"],
    ],
)
def test_a_bad_action_is_not_decoded(data: object) -> None:
    with pytest.raises(ValueError):
        decode_action(data)


def test_the_engine_refuses_a_field_the_kind_has_not() -> None:
    drill = Drill(SCENARIO, seed=3)
    drill.advance(60.0)
    drill.drain()
    for action in (Action("decision", text="x", speed=5), Action("pause", text="x"), Action("end", inject="larm")):
        assert foreign_field(action) is not None
        with pytest.raises(ActionRefused) as refused:
            drill.act(action)
        assert refused.value.key == "action.foreign_field"
        assert drill.drain() == []
    for lang in ("sv", "en"):
        assert "action.foreign_field" in catalogue(lang)
    assert foreign_field(Action("decision", text="x", role="r")) is None


def test_resume_refuses_a_foreign_or_missing_field_and_reads_the_rest() -> None:
    rows = _journal(Action("decision", text="beslut"), Action("publish", text="ut", channels=("web",)))
    _, _, produced = replay(_info(120.0), rows)
    assert [e.canonical() for e in produced] == [r[3] for r in rows]
    index = next(i for i, r in enumerate(rows) if r[2] == "action")
    for action in (
        {"kind": "decision", "text": "beslut", "channels": ["web"]},
        {"kind": "reply", "text": "beslut"},
    ):
        body = json.loads(rows[index][3])
        body["action"] = action
        tampered = list(rows)
        tampered[index] = (*rows[index][:3], json.dumps(body))
        with pytest.raises(JournalError) as refused:
            replay(_info(120.0), tampered)
        assert refused.value.key == "session.bad_action"
