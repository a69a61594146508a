"""A scripted team (`simulate --actions FILE`): the actions of a JSON Lines file played against a scenario.

FILE has the shape `krisovning export` writes (session/export.py): each line a JSON object; a line whose
`action` is an object is an action entry, taken at exercise time `t`; every other line (the session
header, injects, posts, an `expectation_met` whose `action` is a number) is ignored. So a real team's
exported drill can be replayed against an edited scenario. A line that is not JSON, an entry without a
usable `t` or with an action that is not one are errors at FILE:LINE:COLUMN; an action the engine
refuses in this scenario (an inject it no longer has) is reported the same way and the rest is played.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from krisovning.engine.actions import Action, ActionRefused, decode_action
from krisovning.engine.drill import Drill
from krisovning.engine.events import Event
from krisovning.i18n import t
from krisovning.i18n.system import os_reason
from krisovning.scenario.model import Scenario
from krisovning.scenario.problems import Problem
from krisovning.textsafe import visible_line

MAX_BYTES = 64 * 1024 * 1024  # an export of a long team drill is a few MB
MAX_PROBLEMS = 20  # shown of a file with more: the first, then how many more


class ScriptError(Exception):
    """A script that cannot be played: its problems, each at its line and column."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


@dataclass(frozen=True)
class Scripted:
    line: int
    t: float
    action: Action


def read_script(path: str) -> list[Scripted]:
    """The action entries of `path` in time order (a tie keeps the file's order), or ScriptError."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScriptError([Problem(1, 1, t("script.unreadable", reason=os_reason(exc)), path)]) from None
    if len(raw) > MAX_BYTES:
        raise ScriptError([Problem(1, 1, t("script.too_large", limit=MAX_BYTES), path)])
    return parse_script(raw, path)


def parse_script(raw: bytes, name: str) -> list[Scripted]:
    problems: list[Problem] = []
    entries: list[Scripted] = []
    for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(number, exc.start + 1, t("script.not_utf8"), name))
            continue
        try:
            data = json.loads(text)
        except ValueError as exc:  # JSONDecodeError, or a number too long to convert
            column = getattr(exc, "colno", 1)
            reason = getattr(exc, "msg", str(exc))
            problems.append(Problem(number, column, t("script.not_json", reason=visible_line(reason)), name))
            continue
        if not isinstance(data, dict) or not isinstance(data.get("action"), dict):
            continue  # not an action entry (the header, an inject, a post …)
        if data.get("kind", "action") != "action":
            continue
        at = data.get("t")
        if isinstance(at, bool) or not isinstance(at, int | float) or not math.isfinite(at) or at < 0:
            problems.append(Problem(number, _column(text, '"t"'), t("script.bad_time"), name))
            continue
        try:
            action = decode_action(data["action"]).to_action()
        except ValueError as exc:
            reason = visible_line(str(exc))[:200]
            problems.append(Problem(number, _column(text, '"action"'), t("script.bad_action", reason=reason), name))
            continue
        entries.append(Scripted(number, float(at), action))
    if problems:
        raise ScriptError(problems)
    return sorted(entries, key=lambda e: e.t)


def _column(text: str, key: str) -> int:
    found = text.find(key)
    return found + 1 if found >= 0 else 1


def play(
    scenario: Scenario, seed: int | None, script: list[Scripted], name: str
) -> tuple[Drill, list[Event], list[Problem]]:
    """The whole drill with `script`'s actions taken at their times; the events, and each action the
    engine refused (or that came after the end) as a problem at its line."""
    drill = Drill(scenario, seed=seed)
    events: list[Event] = []
    refused: list[Problem] = []
    for entry in script:
        drill.advance(entry.t)
        events += drill.drain()
        if drill.finished or entry.t > drill.end_time:
            refused.append(Problem(entry.line, 1, t("script.after_end"), name))
            continue
        try:
            drill.act(entry.action)
        except ActionRefused as exc:
            refused.append(Problem(entry.line, 1, t("script.refused", reason=t(exc.key, **exc.fields)), name))
        events += drill.drain()
    drill.run_to_end()
    events += drill.drain()
    return drill, events, refused
