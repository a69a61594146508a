"""Coverage-guided fuzzing of the scenario loader with atheris (libFuzzer for Python).

Not part of the test suite and not a dependency: run it on demand (fuzz/README.md). The
property is the one tests/test_loader_fuzz.py checks: whatever bytes a scenario file holds,
loading gives a Scenario, or a ScenarioError whose problems each name a line and column
inside the file and carry a message — never any other exception, hang or crash.

    pip install atheris
    python fuzz/fuzz_loader.py -dict=fuzz/scenario.dict -max_total_time=600 /tmp/corpus
"""

from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports(include=["krisovning"]):
    from krisovning.scenario import Scenario, ScenarioError, load_scenario_bytes

_BREAK = re.compile(r"\r\n|\r|\n")


def test_one_input(data: bytes) -> None:
    try:
        result = load_scenario_bytes(data, "fuzz.yaml")
    except ScenarioError as exc:
        if not exc.problems:
            raise AssertionError("a ScenarioError without problems") from None
        last_line = len(_BREAK.findall(data.decode("utf-8", "replace"))) + 1
        for problem in exc.problems:
            if not (1 <= problem.line <= last_line and problem.column >= 1 and problem.message.strip()):
                raise AssertionError(f"a problem outside the file or without a message: {problem!r}") from None
            if "Traceback" in problem.message:
                raise AssertionError(problem.message) from None
        return
    if not isinstance(result, Scenario):
        raise AssertionError(f"load_scenario_bytes returned {type(result).__name__}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
