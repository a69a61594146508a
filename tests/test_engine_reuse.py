"""What the engine works out once and reuses, or makes only when needed (for `preview`'s many runs,
metrics/preview.py): each gives exactly what working it out again, or at once, would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hostile import TYPED

from krisovning.engine import Drill, digest_of
from krisovning.engine.actions import ACTION_TYPES, Action, foreign_field
from krisovning.engine.compose import Piece
from krisovning.engine.personas import People
from krisovning.engine.policies import make_policy
from krisovning.scenario import load_scenario
from krisovning.scenario.templates import fill

ROOT = Path(__file__).resolve().parent.parent
DRICKSVATTEN = ROOT / "scenarios" / "dricksvatten.yaml"


def _usable_now(drill: Drill, pieces: list[Piece], category: str) -> list[Piece]:
    """The templates usable now, read straight from the world (the rule of engine/feed.py's _pick)."""
    world = drill.world
    answered = set(world.topics.covered)
    out = []
    for piece in pieces:
        if category == "question" and answered & set(piece.topics):
            continue
        if piece.facts <= world.public and all(world.holds(condition) for condition in piece.when):
            out.append(piece)
    return out


def test_the_templates_are_chosen_once_for_each_state_of_what_decides_them() -> None:
    drill = Drill(load_scenario(DRICKSVATTEN), seed=3, policy=make_policy("realistic"))
    feed = drill.feed
    choose, pick = feed._choose, feed._pick
    chosen: list[Any] = []
    picks: list[float] = []

    def counting_choose(*args: Any) -> Any:
        chosen.append(args)
        return choose(*args)

    def checked_pick() -> None:
        pick()
        picks.append(drill.now)
        for thread in feed._feed:
            for category, ((own, generic), *_moods) in thread.content.items():
                assert own == _usable_now(drill, thread.pieces[category], category), (drill.now, thread.id)
                assert generic == _usable_now(drill, feed._generic[category], category), (drill.now, category)
        for category, pieces in feed._replies.items():
            assert feed.composer.replies[category] == _usable_now(drill, pieces, category), (drill.now, category)

    feed._choose, feed._pick = counting_choose, checked_pick  # type: ignore[method-assign]
    drill.run_to_end()
    # the world moves on ~125 times a drill; what decides the templates takes only a few states
    assert len(picks) > 50
    assert 2 <= len(chosen) <= 12
    assert len(chosen) == len(feed._picked)


def test_drills_of_one_scenario_compile_its_templates_once_and_play_as_if_each_had() -> None:
    scenario = load_scenario(DRICKSVATTEN)
    first, second = Drill(scenario, seed=1), Drill(scenario, seed=2)
    assert first.feed._generic is second.feed._generic
    assert all(a.pieces is b.pieces for a, b in zip(first.feed._feed, second.feed._feed, strict=True))
    # the same scenario loaded again is another object: compiled for itself
    again = Drill(load_scenario(DRICKSVATTEN), seed=2)
    assert again.feed._generic is not second.feed._generic
    for drill in (second, again):
        drill.run_to_end()
    assert digest_of(second.drain()) == digest_of(again.drain())


def test_a_pool_member_is_made_only_when_someone_needs_them_and_is_the_same_person_then() -> None:
    scenario = load_scenario(DRICKSVATTEN)
    pool = next(p for p in scenario.persona_pools if p.size >= 400)
    lazy, eager = People(scenario, 7), People(scenario, 7)
    everyone = [eager.member(pool, i) for i in range(400)]
    assert lazy.member(pool, 399) == everyone[399]
    made = lazy.members(pool)
    # drawn up to 399 (in index order, so 399 is who it always is), but only 399 is made
    assert len(made) == 400 and made[399] == everyone[399] and made[:399] == [None] * 399
    assert [lazy.member(pool, i) for i in range(400)] == everyone
    assert lazy.member(pool, 5) is lazy.member(pool, 5)  # made once


def test_the_foreign_field_is_the_first_the_journaled_form_holds_that_its_kind_has_not() -> None:
    # foreign_field reads the fields a kind has not, worked out once per kind, instead of writing the
    # journaled form (Action.to_dict) of every action: the same answer for every kind and field
    samples: dict[str, Any] = {"text": "x", "role": "r", "seat": "s", "sent": "2026-01-01T00:00:00", "inject": "i"}
    samples.update(post="p", channels=("web",), topics=("t",), checklist="c", item="i", speed=5, fields={"a": "b"})
    samples.update(objective="o", rating="met", replaces=3, withdrawn=True, declined=False)
    empty: dict[str, Any] = {"text": "", "role": None, "channels": (), "fields": {}, "speed": 0, "declined": None}
    for kind in sorted(ACTION_TYPES) + ["nonsense"]:
        for name, value in [*samples.items(), *empty.items()]:
            for other in ("text", "inject", "speed"):
                action = Action(kind, **{other: samples[other], name: value})
                has = ACTION_TYPES[kind].__struct_fields__ if kind in ACTION_TYPES else None
                journaled = [n for n in action.to_dict() if n != "kind" and has is not None and n not in has]
                assert foreign_field(action) == (journaled[0] if journaled else None), (kind, name, other)


_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z0-9_][A-Za-z0-9_.\-]*)\}|\{|\}")


def _substituted(template: str, values: dict[str, Any]) -> str:
    """Each token substituted where it is found (what `fill` did before it kept templates parsed)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        return token if match.group(1) is None else str(values.get(match.group(1), token))

    return _TOKEN.sub(replace, template)


def test_fill_keeps_templates_parsed_and_fills_them_as_substituting_each_token_would() -> None:
    values: dict[str, Any] = {"plats": "Ekebacka", "sender.name": "Anna {Ek}", "n": 3, "tom": ""}
    values.update({f"h{i}": text for i, text in enumerate(TYPED)})
    templates = [
        "Hej {sender.name} i {plats}! {{inte}} {okänd} }} {{{plats}}} { stray } {",
        "{n} liter, {tom}slut, {h3}{h9}",
        "",
        "{{",
        "inga namn alls",
        *TYPED,
        *(f"före {{h{i}}} efter" for i in range(len(TYPED))),
    ]
    for template in templates * 2:  # the second time from the parsed form kept
        assert fill(template, values) == _substituted(template, values), template


def test_the_holds_read_are_the_delivered_injects_that_ask_the_team_to_hold_in_order() -> None:
    drill = Drill(load_scenario(DRICKSVATTEN), seed=5, policy=make_policy("slow"))
    drill.run_to_end()
    injects = drill.timeline.injects.values()
    holds = [r for r in injects if r.expect and r.expect["action"] == "hold"]
    assert holds and list(drill.timeline.holds.values()) == holds
    assert {r.status for r in holds} <= {"met", "missed"}
