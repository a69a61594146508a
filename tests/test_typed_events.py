"""The event stream and actions as types (engine/typed.py, engine/actions.py) and the one vocabulary (vocab.py)."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import orjson
import pytest
from hostile import TYPED

from krisovning.engine import Drill
from krisovning.engine.actions import Action
from krisovning.engine.events import Event
from krisovning.engine.policies import make_policy
from krisovning.engine.typed import ActionTaken, Inject, Post, decode_event, typed
from krisovning.metrics.figures import gather
from krisovning.scenario.loader import load_scenario
from krisovning.vocab import ALL_ACTION_KINDS, FEED_CATEGORIES, ActionKind, EventKind, PostCategory

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


def _events(path: Path, policy: str, seed: int = 1) -> list[Event]:
    drill = Drill(load_scenario(path), seed=seed, policy=make_policy(policy))
    drill.advance(10**9)
    return drill.drain()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_journaled_event_reads_as_its_type_and_loses_nothing(path: Path) -> None:
    kinds = set()
    for policy in ("diligent", "realistic"):
        for event in _events(path, policy):
            line = event.canonical_bytes()
            read = decode_event(line)
            kinds.add(type(read).__name__)
            # the typed form holds every field: written out again, it is the journaled line
            assert orjson.dumps(msgspec.to_builtins(read), option=orjson.OPT_SORT_KEYS) == line
            # the engine's compact event makes the same type (its t is not yet rounded for the journal)
            live = typed(event)
            assert type(live) is type(read)
            assert msgspec.structs.replace(live, t=round(live.t, 3)) == read
    assert {"Inject", "Post", "ActionTaken", "DrillEnd"} <= kinds


@pytest.mark.parametrize(
    "body",
    [
        {
            "kind": "post",
            "seq": 1,
            "t": 0.0,
            "id": "p1",
            "thread": "t",
            "category": "rumour",
            "sentiment": "neutral",
            "author": "A",
            "text": "x",
        },  # no handle
        {
            "kind": "post",
            "seq": 1,
            "t": 0.0,
            "id": 5,
            "thread": "t",
            "category": "rumour",
            "sentiment": "neutral",
            "author": "A",
            "handle": "",
            "text": "x",
        },  # an id that is not a text
        {"kind": "no_such_event", "seq": 1, "t": 0.0},
        {"kind": "action", "seq": 1, "t": 0.0, "action": {"kind": "decision", "text": 5}},
        {"kind": "action", "seq": 1, "t": 0.0, "action": {"kind": "speed", "speed": True}},
        {
            "kind": "inject",
            "seq": 1,
            "t": 0.0,
            "id": "i",
            "source": "scripted",
            "channel": "phone",
            "sender": {"id": "x"},
            "to": "r",
            "text": "x",
            "priority": "normal",
            "world_time": "2026-01-01T00:00:00",
        },  # a sender without a name
    ],
)
def test_an_event_not_of_its_type_is_refused(body: dict) -> None:
    with pytest.raises(msgspec.ValidationError):
        decode_event(json.dumps(body))


def test_action_from_dict_reads_what_to_dict_wrote_and_refuses_other_shapes() -> None:
    for text in TYPED:
        action = Action("publish", text=text, role="r", channels=("web", "social"), fields={"k": text})
        assert Action.from_dict(json.loads(json.dumps(action.to_dict()))) == action
    assert Action.from_dict({"kind": "speed", "speed": 2}).to_dict() == {"kind": "speed", "speed": 2}  # an int stays
    assert Action.from_dict({"kind": "unknown_kind"}).kind == "unknown_kind"  # the engine refuses it, not the reader
    for bad in (
        [],
        {"text": "x"},
        {"kind": 1},
        {"kind": "speed", "speed": "2"},
        {"kind": "publish", "channels": "web"},
        {"kind": "situation_update", "fields": {"a": 1}},
        {"kind": "reply", "inject": 3},
    ):
        with pytest.raises(ValueError):
            Action.from_dict(bad)


def test_consumers_read_the_journal_and_the_engine_alike() -> None:
    events = _events(SCENARIOS[0], "diligent")
    from_journal = [decode_event(e.canonical_bytes()) for e in events]
    live, journal = gather(events), gather(from_journal)
    assert (live.posts, len(live.actions), sorted(live.injects)) == (
        journal.posts,
        len(journal.actions),
        sorted(journal.injects),
    )
    assert all(isinstance(a, Action) for _, a in journal.actions)
    assert any(isinstance(e, ActionTaken) for e in from_journal) and any(isinstance(e, Inject) for e in from_journal)
    assert any(isinstance(e, Post) for e in from_journal)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_figures_of_the_engine_and_of_the_journal_are_the_same(path: Path) -> None:
    """gather reads the engine's own events from their dicts (its hot path) and a journal's as typed events
    (`typed`): every fact the metrics read is the same either way, for every bundled scenario and bot team."""
    for policy in ("diligent", "realistic", "slow"):
        events = _events(path, policy)
        live, journal = gather(events), gather([typed(e) for e in events])
        assert live.injects == journal.injects, policy
        assert any(i.expect is not None for i in live.injects.values())
        assert live.actions == journal.actions
        assert [live.topics_of(a) for _, a in live.actions] == [journal.topics_of(a) for _, a in journal.actions]
        assert (live.covered, live.public_messages, live.rumour_times, live.posts, live.end) == (
            journal.covered,
            journal.public_messages,
            journal.rumour_times,
            journal.posts,
            journal.end,
        )
        assert [(t, s.rate) for t, s in live.samples] == [(t, s.rate) for t, s in journal.samples]


def test_one_vocabulary() -> None:
    # every event the engine emits has its kind in the vocabulary, every action kind a handler
    drill = Drill(load_scenario(SCENARIOS[0]), seed=1, policy=make_policy("diligent"))
    assert set(drill.actions.handlers) == set(ALL_ACTION_KINDS)
    assert set(ActionKind) < set(ALL_ACTION_KINDS)
    assert {e.kind for e in _events(SCENARIOS[0], "diligent")} <= set(EventKind)
    assert FEED_CATEGORIES[: len(PostCategory)] == tuple(PostCategory) and "official" in FEED_CATEGORIES
