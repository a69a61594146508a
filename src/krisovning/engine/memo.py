"""What a drill makes from its scenario alone, made once per scenario and process.

A preview plays the same scenario hundreds of times in one process (metrics/preview.py); what depends
only on the scenario (compiled templates, template values, keyword patterns, stemmed topics) is the same
in each run. A loaded scenario is not changed afterwards, so its identity is the key; each entry keeps
its scenario, so an id is never mistaken for another's after the first is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from krisovning.scenario.model import Scenario

T = TypeVar("T")

_MADE: dict[tuple[int, str], tuple[Scenario, Any]] = {}
_MAX = 64  # a few scenarios' worth (a process seldom plays more than one)


def per_scenario(scenario: Scenario, what: str, make: Callable[[], T]) -> T:
    """`make()`'s result for `scenario`, made the first time `what` is asked for it. What it returns is
    shared by every drill of the scenario: never change it."""
    key = (id(scenario), what)
    known = _MADE.get(key)
    if known is not None and known[0] is scenario:
        made: T = known[1]
        return made
    made = make()
    if len(_MADE) >= _MAX:
        _MADE.clear()
    _MADE[key] = (scenario, made)
    return made
