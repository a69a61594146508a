"""Property tests for actions: whatever a team or facilitator sends — any kind (also unknown ones),
any text (empty, huge, any Unicode), any inject id, channel, checklist item, speed (NaN, ±inf,
negative) or fields — at whatever moment, the drill either takes it (one `action` event, first in
what it delivers) or refuses it with ActionRefused (a message in both languages, and nothing
changes: no event, no state). Afterwards the drill still runs to its end, every event has its
canonical journal form, and the journal of the drill replays to exactly the same events (so a
crashed drill can be resumed).

Set KRISOVNING_FUZZ_EXAMPLES to run many more examples (fuzz/README.md).
"""

from __future__ import annotations

import copy
import json
import math
import os
from typing import Any

import orjson
from conftest import STARTER
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from krisovning.engine import Action, ActionRefused, Drill, Event
from krisovning.engine.actions import MAX_ACTION_TEXT
from krisovning.i18n import catalogue, set_language, t
from krisovning.scenario import load_scenario_bytes
from krisovning.scenario.types import InjectChannel, Priority, PublishChannel
from krisovning.session import TEAM, SessionInfo, replay
from krisovning.vocab import ALL_ACTION_KINDS as KINDS

EXAMPLES = int(os.environ.get("KRISOVNING_FUZZ_EXAMPLES", "0") or 0)


def _settings(examples: int) -> settings:
    return settings(
        derandomize=not EXAMPLES,
        database=None,
        deadline=None,
        max_examples=EXAMPLES or examples,
        suppress_health_check=list(HealthCheck),
    )


SCENARIO = load_scenario_bytes(STARTER.encode("utf-8"))
INJECT_IDS = [i.id for i in SCENARIO.injects] + [f"{g.id}#1" for g in SCENARIO.generators] + ["adhoc#1"]
ROLE_IDS = [r.id for r in SCENARIO.roles]
CHECKLISTS = {c.id: [i.id for i in c.items] for c in SCENARIO.checklists}

TEXT = st.text(max_size=40) | st.sampled_from(
    [
        "",
        " ",
        "\n",
        "\x00",
        "Vi samlar krisledningen",
        "åäö ÅÄÖ",
        "😀" * 3,
        "\u202eabc",
        "{x}",
        "{{",
        "<script>alert(1)</script>",
        "x" * MAX_ACTION_TEXT,
        "x" * (MAX_ACTION_TEXT + 1),
        "y" * 200_000,
        "\ud800",
        "a\udfffb",
    ]
)
NAME = (
    st.sampled_from(INJECT_IDS + ROLE_IDS + list(CHECKLISTS) + [i for items in CHECKLISTS.values() for i in items])
    | TEXT
)
CHANNEL = st.sampled_from([c.value for c in PublishChannel] + [c.value for c in InjectChannel] + ["", "nowhere", "WEB"])
SPEED = (
    st.none()
    | st.sampled_from([0.0, -1.0, 1.0, 600.0, 600.0001, 1e308, math.nan, math.inf, -math.inf, 5])
    | st.floats()
)
FIELD_VALUES = {
    "channel": st.sampled_from([c.value for c in InjectChannel] + ["", "web", "nowhere"]),
    "to": st.sampled_from(ROLE_IDS + ["", "nobody"]),
    "text": TEXT,
    "subject": TEXT,
    "from": TEXT,
    "expect": st.sampled_from(["", "reply", "publish", "decision", "situation_update", "checklist", "x"]),
    "within": st.sampled_from(["15m", "0", "0m", "-5m", "1h30m", "99999h", "7d", "8d", "nan", "", "x", "1e9s"]) | TEXT,
    "priority": st.sampled_from([p.value for p in Priority] + ["", "urgent"]),
}
FIELDS = st.dictionaries(st.sampled_from(sorted(FIELD_VALUES)), st.just(None), max_size=8).flatmap(
    lambda keys: st.fixed_dictionaries({k: FIELD_VALUES[k] for k in keys})
) | st.dictionaries(TEXT, TEXT, max_size=4)


@st.composite
def actions(draw: st.DrawFn) -> Action:
    kind = draw(
        st.sampled_from(KINDS)
        | st.sampled_from(KINDS)
        | st.sampled_from(["", "REPLY", "delete", "x" * 1000])
        | st.text(max_size=10)
    )
    checklist = draw(st.none() | st.sampled_from(list(CHECKLISTS)) | TEXT)
    item = draw(st.none() | st.sampled_from(CHECKLISTS.get(checklist or "", ["x"])) | NAME)
    return Action(
        kind=kind,
        text=draw(TEXT),
        role=draw(st.none() | st.sampled_from(ROLE_IDS) | TEXT),
        inject=draw(st.none() | NAME),
        post=draw(st.none() | TEXT),
        channels=tuple(draw(st.lists(CHANNEL, max_size=4))),
        checklist=checklist,
        item=item,
        speed=draw(SPEED),
        fields=draw(FIELDS),
    )


STEPS = st.lists(st.tuples(st.floats(0, 1800, allow_nan=False), actions()), min_size=1, max_size=8)


def _state(drill: Drill) -> Any:
    """Everything an action can change, to compare before and after a refusal."""
    log = drill.log
    return (
        drill.seq,
        drill.finished,
        drill.end_reason,
        sorted(drill.pending),
        sorted(drill.skipped),
        drill.actions.adhoc,
        {k: (r.status, r.replied_at, r.met_at) for k, r in drill.injects.items()},
        copy.deepcopy(
            (log.replies, log.publications, log.decisions, log.situation, log.observations, log.ticks, log.first_public)
        ),
        [i.id for i in drill.timeline.on_action],
        sorted(drill.feed.reactions_used),
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _check_refusal(exc: ActionRefused) -> None:
    for lang in ("sv", "en"):
        assert exc.key in catalogue(lang), exc.key
        set_language(lang)
        assert t(exc.key, **exc.fields).strip()
    set_language("sv")


def _note(text: str) -> None:
    if currently_in_test_context():  # statistics (--hypothesis-show-statistics): how many are taken
        event(text)


def play(steps: list[tuple[float, Action]]) -> None:
    drill = Drill(SCENARIO, seed=3)
    events: list[Event] = []
    for wait, action in steps:
        drill.advance(drill.now + wait)
        events += drill.drain()
        before = _state(drill)
        try:
            taken = drill.act(action)
        except ActionRefused as exc:
            _note(f"refused: {exc.key}")
            _check_refusal(exc)
            assert drill.drain() == [], "a refused action left an event"
            assert _state(drill) == before, "a refused action changed the drill"
            continue
        _note(f"taken: {action.kind}")
        delivered = drill.drain()
        assert delivered[0] is taken and taken.kind == "action" and taken.t == drill.now
        assert taken.data["action"] == action.to_dict()
        for text in _strings(action.to_dict()):
            assert len(text) <= MAX_ACTION_TEXT, "an accepted action carries an unbounded text"
        events += delivered
    drill.run_to_end()
    events += drill.drain()
    assert drill.finished
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    rows = []
    for e in events:
        line = e.canonical()  # what the journal stores; must not fail
        assert json.loads(line) == orjson.loads(line)
        rows.append((e.seq, float(e.t), e.kind, line))  # as Recorder.record journals it, as resume reads it
    # The journal of this drill resumes to exactly the same events.
    info = SessionInfo(
        id="fuzz",
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
        exercise_time=drill.now,
    )
    _, again, produced = replay(info, rows)
    assert [e.canonical() for e in produced] == [r[3] for r in rows]
    assert again.finished


@_settings(250)
@given(STEPS)
@example([(0.0, Action("speed", speed=math.nan))])
@example([(0.0, Action("pause", speed=math.nan))])
@example([(0.0, Action("pause", speed=math.inf))])
@example([(0.0, Action("decision", text="a\udfffb"))])
@example([(60.0, Action("add_inject", fields={"channel": "email", "to": "kommunikationschef", "text": "y" * 200_000}))])
@example(
    [
        (
            60.0,
            Action(
                "add_inject",
                fields={"channel": "email", "to": "kommunikationschef", "text": "x", "expect": "reply", "within": "8d"},
            ),
        )
    ]
)
@example(
    [
        (
            60.0,
            Action(
                "add_inject",
                fields={"channel": "email", "to": "kommunikationschef", "text": "x", "expect": "reply", "within": "x"},
            ),
        )
    ]
)
@example(
    [
        (
            60.0,
            Action(
                "add_inject",
                fields={
                    "channel": "email",
                    "to": "kommunikationschef",
                    "text": "x",
                    "expect": "reply",
                    "within": "200h",
                },
            ),
        )
    ]
)
@example([(60.0, Action("situation_update", fields={"lage": "z" * 200_000}))])
@example([(0.0, Action("end")), (10.0, Action("decision", text="x"))])
@example([(600.0, Action("fire_inject", inject="p4-igen")), (1.0, Action("skip_inject", inject="p4-igen"))])
@example([(1800.0, Action("reply", inject="larm", text="ok")), (1.0, Action("reply", inject="larm", text="igen"))])
@example(
    [
        (0.0, Action("checklist", checklist="forsta-timmen", item="samla")),
        (0.0, Action("checklist", checklist="forsta-timmen", item="samla")),
    ]
)
def test_random_actions(steps: list[tuple[float, Action]]) -> None:
    play(steps)


PLAUSIBLE_TEXT = st.sampled_from(
    ["Vi samlar krisledningen", "Koka vattnet", "åäö 😀", "x" * MAX_ACTION_TEXT]
) | st.text(min_size=1, max_size=30)


@st.composite
def plausible_actions(draw: st.DrawFn) -> Action:
    """Known kinds with real ids, channels and fields: most are taken, so the later checks bite."""
    kind = draw(st.sampled_from([k for k in KINDS if k != "end"] * 4 + ["end"]))
    checklist = draw(st.sampled_from(list(CHECKLISTS)))
    fields = {}
    if kind == "add_inject":
        fields = {
            "channel": draw(st.sampled_from([c.value for c in InjectChannel])),
            "to": draw(st.sampled_from(ROLE_IDS)),
            "text": draw(PLAUSIBLE_TEXT),
        }
        if draw(st.booleans()):
            fields |= {
                "expect": draw(st.sampled_from(["reply", "publish", "decision", "situation_update"])),
                "within": draw(st.sampled_from(["5m", "15m", "1h"])),
            }
    elif kind == "situation_update" and draw(st.booleans()):
        fields = {"lage": draw(PLAUSIBLE_TEXT), "atgarder": draw(st.text(max_size=20))}
    return Action(
        kind=kind,
        text=draw(PLAUSIBLE_TEXT),
        role=draw(st.sampled_from(ROLE_IDS)),
        inject=draw(st.sampled_from(INJECT_IDS)),
        channels=tuple(draw(st.lists(st.sampled_from([c.value for c in PublishChannel]), min_size=1, max_size=3))),
        checklist=checklist,
        item=draw(st.sampled_from(CHECKLISTS[checklist])),
        speed=draw(st.sampled_from([1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 600.0])) if kind == "speed" else None,
        fields=fields,
    )


@_settings(250)
@given(st.lists(st.tuples(st.floats(0, 900, allow_nan=False), plausible_actions()), min_size=1, max_size=15))
def test_plausible_actions(steps: list[tuple[float, Action]]) -> None:
    play(steps)


# --- regressions: what the fuzzing found ---


def _refused(action: Action, at: float = 60.0) -> str:
    drill = Drill(SCENARIO, seed=3)
    drill.advance(at)
    drill.drain()
    try:
        drill.act(action)
    except ActionRefused as exc:
        assert drill.drain() == []
        return exc.key
    raise AssertionError(f"{action!r} was taken")


def test_regressions() -> None:
    # A NaN or infinite speed was journaled as null and the drill could not be resumed.
    assert _refused(Action("pause", speed=math.nan)) == "action.bad_speed"
    assert _refused(Action("resume", speed=-math.inf)) == "action.bad_speed"
    # A lone surrogate (a terminal decoding bytes it did not understand) made journaling fail.
    assert _refused(Action("decision", text="a\udfffb")) == "action.bad_text"
    assert _refused(Action("situation_update", fields={"läge": "\ud800"})) == "action.bad_text"
    # Only `text` had a bound; the fields (an ad-hoc inject's text, the situation picture) had none.
    ad_hoc = {"channel": "email", "to": "kommunikationschef", "text": "y" * (MAX_ACTION_TEXT + 1)}
    assert _refused(Action("add_inject", fields=ad_hoc)) == "action.too_long"
    assert _refused(Action("situation_update", fields={"läge": "z" * (MAX_ACTION_TEXT + 1)})) == "action.too_long"
    assert _refused(Action("publish", text="x", channels=("web",) * 51)) == "action.too_many"
    # An ad-hoc inject whose deadline was longer than a drill may be raised a ValidationError.
    ad_hoc = {"channel": "email", "to": "kommunikationschef", "text": "x", "expect": "reply", "within": "200h"}
    assert _refused(Action("add_inject", fields=ad_hoc)) == "action.bad_expectation"
    # Replay acted at the journal's millisecond-rounded time, after events the action came before.
    play([(899.9999999999999, Action("decision", text="x"))])
    play([(59.9999999, Action("publish", text="x", channels=("web",)))])
