"""Reading a scenario file for a command: the scenario, or its problems and exit code 1."""

from __future__ import annotations

import sys

from krisovning.cli.errors import CommandError
from krisovning.i18n import t
from krisovning.scenario import Scenario, ScenarioError, load_scenario


def load_or_explain(path: str) -> Scenario:
    """The scenario, or its problems printed (FILE:LINE:COL) and a CommandError."""
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise CommandError(t("scenario.invalid", file=path)) from None
