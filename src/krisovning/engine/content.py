"""What an expectation asks of an action's content, and holds: what must not be published yet.

A part of the drill's expectations (engine/timeline.py opens them, engine/actions_apply.py meets them):
a `publish` or `decision` expectation with `topics` (or a publish's `answers`) is met only by an action
that covers them, matched as the world matches topics (engine/topics.py). A `hold` is kept while no
public publication covers one of its topics, until its `until` inject arrives or `within` has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from krisovning.engine import events as ev
from krisovning.engine.records import InjectRecord
from krisovning.scenario.model import HOLD, Expectation

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill


def opened(expect: Expectation) -> dict[str, Any]:
    """The content part of an expectation as the inject event carries it (nothing for a plain one)."""
    out: dict[str, Any] = {}
    if expect.topics:
        out["topics"] = list(expect.topics)
    if expect.answers:
        out["answers"] = expect.answers
    if expect.until:
        out["until"] = expect.until
    return out


def needed(drill: Drill, expect: dict[str, Any]) -> set[str] | None:
    """The topics an action must cover to meet `expect` (empty: any will do); None: it cannot be met
    yet (it answers an inject that has not arrived)."""
    need = set(expect.get("topics") or ())
    answers = expect.get("answers")
    if answers:
        coverage = drill.world.topics
        if answers in coverage.ids:
            need.add(answers)
        else:
            record = drill.timeline.injects.get(answers)
            if record is None:
                return None  # a publication cannot answer what has not been said
            need |= coverage.matcher.topics(" ".join(filter(None, (record.subject, record.text))))
    return need


def covers(drill: Drill, expect: dict[str, Any], topics: Iterable[str]) -> bool:
    need = needed(drill, expect)
    return need is not None and need <= set(topics)


def check_holds(drill: Drill, topics: Iterable[str], action_seq: int) -> None:
    """A public publication on `topics` was made: it breaks every open hold on one of them."""
    said = set(topics)
    for record in list(drill.timeline.holds.values()):
        expect = record.expect
        if record.status == "open" and expect and expect["action"] == HOLD and said & set(expect["topics"]):
            record.status = "missed"
            drill.emit(ev.MISSED, {"inject": record.id, "deadline": record.deadline, "broken": action_seq})
            drill.timeline.after_missed(record.id)


def release_holds(drill: Drill, arrived: str) -> None:
    """The inject `arrived` has come: the open holds that wait for it are kept."""
    for record in list(drill.timeline.holds.values()):
        expect = record.expect
        if record.status == "open" and expect and expect["action"] == HOLD and expect.get("until") == arrived:
            kept(drill, record)


def kept(drill: Drill, record: InjectRecord) -> None:
    """A hold ran its course unbroken: met, with no action (`action` 0) and the time it held."""
    record.status = "met"
    record.met_at = drill.now
    held = round(float(drill.now - record.t), 3)
    drill.emit(ev.MET, {"inject": record.id, "action": 0, "response": held, "kept": True})
    drill.timeline.after_met(record.id)


def end_holds(drill: Drill) -> None:
    """The drill ends: a hold still open was kept for as long as it ran."""
    for record in list(drill.timeline.holds.values()):
        if record.status == "open" and record.expect and record.expect["action"] == HOLD:
            kept(drill, record)
