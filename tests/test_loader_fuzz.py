"""Property tests: whatever bytes a scenario file holds, loading gives a Scenario or clear,
positioned problems (ScenarioError) — never another exception, never a position outside the file."""

from __future__ import annotations

import re

from conftest import STARTER
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from krisovning.scenario import Scenario, ScenarioError, load_scenario_bytes

SETTINGS = settings(
    derandomize=True, database=None, deadline=None, max_examples=250, suppress_health_check=[HealthCheck.too_slow]
)
LINES = STARTER.split("\n")

# Characters that mean something to YAML, to our templates, or to decoders.
YAMLISH = st.sampled_from(
    list(" \t\n\r:-?,[]{}#&*!|>'\"%@`\\~<=")
    + [
        "<<",
        "---",
        "...",
        "!!str",
        "!!python/object/apply:os.system",
        "{x}",
        "{{",
        "&a",
        "*a",
        "\x00",
        "\x07",
        "\x85",
        "\u2028",
        "\ufeff",
        "é",
        "åäö",
        "0o7",
        "1e9",
        ".nan",
        "-1",
        "15m",
    ]
)


def check(raw: bytes) -> None:
    try:
        result = load_scenario_bytes(raw, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError must carry at least one problem"
        text = raw.decode("utf-8", "replace")
        last_line = len(re.findall(r"\r\n|\r|\n", text)) + 1  # line breaks as editors count them
        for problem in exc.problems:
            assert problem.line >= 1 and problem.column >= 1, problem
            assert problem.line <= last_line, (problem, last_line)
            assert problem.message.strip(), problem
            assert "Traceback" not in problem.message
            assert problem.file == "fuzz.yaml"
            assert str(problem).startswith(f"fuzz.yaml:{problem.line}:{problem.column}: ")
    else:
        assert isinstance(result, Scenario)


# --- (a) arbitrary input ---


@SETTINGS
@given(st.binary(max_size=400))
@example(b"")
@example(b"\xff\xfe")
@example(b"\xef\xbb\xbf")
@example(b"[" * 5000)
@example(b"a: &a [*a]")
def test_random_bytes(raw: bytes) -> None:
    check(raw)


@SETTINGS
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.lists(YAMLISH | st.text(alphabet="abcxyz019 ", max_size=4), max_size=60).map("".join))
def test_yaml_like_text(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


# --- (b) mutations of the valid starter ---


@SETTINGS
@given(st.integers(0, len(LINES) - 1))
def test_delete_a_line(index: int) -> None:
    check("\n".join(LINES[:index] + LINES[index + 1 :]).encode())


@SETTINGS
@given(st.integers(0, len(LINES) - 1))
def test_duplicate_a_line(index: int) -> None:
    check("\n".join(LINES[: index + 1] + LINES[index:]).encode())


@SETTINGS
@given(st.integers(0, len(LINES) - 1), st.integers(0, len(LINES) - 1))
def test_swap_two_lines(a: int, b: int) -> None:
    lines = list(LINES)
    lines[a], lines[b] = lines[b], lines[a]
    check("\n".join(lines).encode())


@SETTINGS
@given(st.integers(0, len(STARTER)), st.lists(YAMLISH | st.characters(), min_size=1, max_size=4).map("".join))
def test_insert_characters(position: int, inserted: str) -> None:
    check((STARTER[:position] + inserted + STARTER[position:]).encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.integers(0, len(LINES) - 1), st.integers(0, 9), st.sampled_from([" ", "\t"]))
def test_change_indentation(index: int, width: int, char: str) -> None:
    lines = list(LINES)
    lines[index] = char * width + lines[index].lstrip()
    check("\n".join(lines).encode())


@SETTINGS
@given(st.integers(0, len(STARTER.encode()) - 1), st.integers(0, 255))
def test_flip_a_byte(position: int, value: int) -> None:
    raw = bytearray(STARTER.encode())
    raw[position] = value
    check(bytes(raw))


@SETTINGS
@given(st.data())
def test_replace_a_value(data: st.DataObject) -> None:
    candidates = [i for i, line in enumerate(LINES) if ": " in line and not line.lstrip().startswith("#")]
    index = data.draw(st.sampled_from(candidates))
    value = data.draw(
        st.sampled_from(
            [
                "",
                "~",
                "-1",
                "0",
                "1e400",
                ".nan",
                "[]",
                "{}",
                "true",
                "yes",
                "0o7",
                "'x'",
                "2026-13-45",
                "99999h",
                "x" * 300,
                "{a}",
                "*nope",
                "&a",
                "!!binary aGVq",
                "[*a]",
            ]
        )
        | st.text(max_size=10)
    )
    lines = list(LINES)
    lines[index] = lines[index].split(": ", 1)[0] + ": " + value
    check("\n".join(lines).encode("utf-8", "surrogatepass"))


def test_the_starter_itself_loads() -> None:
    check(STARTER.encode())
    assert isinstance(load_scenario_bytes(STARTER.encode()), Scenario)
