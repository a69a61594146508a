"""Running a whole drill without a UI, with a bot team."""

from __future__ import annotations

from krisovning.engine.drill import Drill
from krisovning.engine.events import Event
from krisovning.engine.policies import make_policy
from krisovning.scenario.model import Scenario


def run_headless(scenario: Scenario, seed: int | None, policy: str) -> tuple[Drill, list[Event]]:
    drill = Drill(scenario, seed=seed, policy=make_policy(policy))
    drill.run_to_end()
    return drill, drill.drain()
