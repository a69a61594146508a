"""Unit tests of the safe YAML reader: YAML 1.2 core scalars, positions, merges and refusals."""

from __future__ import annotations

import math

import pytest
import yaml
from conftest import STARTER

from krisovning.i18n import set_language, t
from krisovning.scenario import load_scenario_bytes, yamlsource
from krisovning.scenario.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_NODES, SourceError, decode, parse


def data(text: str):
    return parse(text).data


def refused(text: str) -> SourceError:
    with pytest.raises(SourceError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize(
    "literal, expected",
    [
        ("on", "on"),
        ("off", "off"),
        ("yes", "yes"),
        ("no", "no"),
        ("Yes", "Yes"),
        ("y", "y"),
        ("n", "n"),
        ("true", True),
        ("True", True),
        ("false", False),
        ("FALSE", False),
        ("0o17", 15),
        ("0x1F", 31),
        ("012", 12),  # YAML 1.2: decimal, not octal
        ("+12", 12),
        ("-3", -3),
        ("1_000", "1_000"),  # YAML 1.1 digit groups are strings in 1.2
        ("1e5", 100000.0),
        ("2.5", 2.5),
        (".5", 0.5),
        ("-.inf", -math.inf),
        (".inf", math.inf),
        ("!!str 5", "5"),
        ("!!str true", "true"),
        ("!!str ~", "~"),
        ('"5"', "5"),
        ("'true'", "true"),
        ("~", None),
        ("null", None),
        ("", None),
        ("2026-11-24T08:00", "2026-11-24T08:00"),  # timestamps stay text for pydantic
        ("2026-11-24", "2026-11-24"),
        ("1:30", "1:30"),  # no YAML 1.1 sexagesimals
        ("15m", "15m"),
    ],
)
def test_core_schema_scalars(literal: str, expected: object) -> None:
    value = data(f"v: {literal}\n")["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_nan_is_a_float() -> None:
    value = data("v: .nan\n")["v"]
    assert isinstance(value, float) and math.isnan(value)


def test_block_scalars_are_strings() -> None:
    assert data("a: |\n  12\nb: >\n  true\n") == {"a": "12\n", "b": "true\n"}


def test_keys_are_strings() -> None:
    assert data("1: a\ntrue: b\n~: c\non: d\n") == {"1": "a", "True": "b", "": "c", "on": "d"}


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc = parse("# comment\ntop:\n  name: Sjöstad\n  list:\n    - first\n    - {x: 1}\n")
    assert doc.keys[("top",)] == (2, 1)
    assert doc.values[("top",)] == (3, 3)
    assert doc.keys[("top", "name")] == (3, 3)
    assert doc.values[("top", "name")] == (3, 9)
    assert doc.values[("top", "list", 0)] == (5, 7)
    assert doc.values[("top", "list", 1)] == (6, 7)
    assert doc.keys[("top", "list", 1, "x")] == (6, 8)
    assert doc.values[("top", "list", 1, "x")] == (6, 11)


def test_position_falls_back_to_the_nearest_known_node() -> None:
    doc = parse("a:\n  b: 1\n")
    assert doc.position(("a", "missing")) == (2, 3)  # the mapping that lacks it
    assert doc.position(("a", "b"), key=True) == (2, 3)
    assert doc.position(("nowhere", "at", "all")) == (1, 1)
    assert doc.position(()) == (1, 1)


def test_positions_count_characters_not_bytes() -> None:
    doc = parse("åäö: ÅÄÖ\nb: x\n")
    assert doc.values[("åäö",)] == (1, 6)


def test_merge_keys() -> None:
    text = "base: &b {x: 1, y: 2}\nother: &o {y: 9, z: 3}\nd:\n  <<: *b\n  y: 3\ne:\n  <<: [*b, *o]\n"
    result = data(text)
    assert result["d"] == {"x": 1, "y": 3}  # own keys win
    assert result["e"] == {"x": 1, "y": 2, "z": 3}  # earlier sources win
    assert "<<" not in result["d"]


def test_merging_a_scalar_is_refused() -> None:
    error = refused("d:\n  <<: 5\n")
    assert [(p.line, p.column) for p in error.problems] == [(2, 7)]
    assert error.problems[0].message == t("yaml.bad_merge")


def test_duplicate_keys_name_both_lines() -> None:
    error = refused("a: 1\nb: 2\n\na: 3\n")
    (problem,) = error.problems
    assert (problem.line, problem.column) == (4, 1)
    assert problem.message == t("yaml.duplicate_key", key="a", line=1)


def test_duplicate_keys_in_nested_mappings_and_after_quoting() -> None:
    error = refused('x:\n  - {k: 1, "k": 2}\n')
    assert [(p.line, p.column) for p in error.problems] == [(2, 12)]


def test_a_byte_order_mark_is_accepted() -> None:
    assert decode(b"\xef\xbb\xbfa: 1\n") == "a: 1\n"
    scenario = load_scenario_bytes(b"\xef\xbb\xbf" + STARTER.encode("utf-8"))
    assert scenario.id == "min-ovning"


def test_recursive_alias_is_refused_without_recursion_error() -> None:
    error = refused("a: &a [*a]\n")
    (problem,) = error.problems
    assert problem.message == t("yaml.too_deep", limit=MAX_DEPTH)
    assert problem.line == 1


def test_deep_nesting_is_refused_without_crashing() -> None:
    # 100 000 levels used to overflow libyaml's recursive composer (a segfault).
    error = refused("[" * 100_000 + "]" * 100_000)
    (problem,) = error.problems
    assert (problem.line, problem.column) == (1, MAX_DEPTH + 2)
    assert problem.message == t("yaml.too_deep", limit=MAX_DEPTH)
    deep_block = "".join("  " * i + "- \n" for i in range(MAX_DEPTH + 5))
    assert refused(deep_block).problems[0].message == t("yaml.too_deep", limit=MAX_DEPTH)


def _parser_with_limit(limit: int):
    """A PyYAML whose scanner reads ahead and stops at `limit` levels of `[` (as libyaml 6.0.4 does at 1000)."""
    real = yamlsource.yaml.parse

    def parse_with_limit(text: str, Loader=None):  # Loader: PyYAML's own keyword
        depth = 0
        for index, char in enumerate(text):
            depth += char == "["
            depth -= char == "]"
            if depth > limit:
                line = text.count("\n", 0, index)
                mark = yaml.Mark("<unicode string>", index, line, index - (text.rfind("\n", 0, index) + 1), None, None)
                raise yaml.scanner.ScannerError(
                    "while increasing flow level", mark, "exceeded maximum nesting depth", mark
                )
        yield from real(text, Loader=Loader)

    return parse_with_limit


@pytest.mark.parametrize("limit", [MAX_DEPTH + 1, 1000, 200_000])
@pytest.mark.parametrize("layout", ["one line", "lines"])
def test_our_nesting_limit_wins_whatever_pyyaml_does(monkeypatch: pytest.MonkeyPatch, limit: int, layout: str) -> None:
    # PyYAML 6.0.4's libyaml refuses 1000 levels itself, reading ahead of the events we check:
    # the message was its English one, at column 1003 instead of where our limit is crossed.
    monkeypatch.setattr(yamlsource.yaml, "parse", _parser_with_limit(limit))
    joint = "" if layout == "one line" else "\n"
    error = refused("a: " + joint.join("[" * 100_000) + "]" * 100_000 + "\n")
    (problem,) = error.problems
    assert problem.message == t("yaml.too_deep", limit=MAX_DEPTH)
    if layout == "one line":
        assert (problem.line, problem.column) == (1, 4 + MAX_DEPTH)
    else:
        assert (problem.line, problem.column) == (1 + MAX_DEPTH, 1)


def test_a_pyyaml_limit_below_ours_is_still_our_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource.yaml, "parse", _parser_with_limit(10))
    (problem,) = refused("a: " + "[" * 20 + "]" * 20 + "\n").problems
    assert (problem.line, problem.column, problem.message) == (1, 14, t("yaml.too_deep", limit=MAX_DEPTH))


def test_deep_nesting_with_the_pure_python_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "_Loader", yaml.SafeLoader)
    (problem,) = refused("a: " + "[" * 5000 + "]" * 5000 + "\n").problems
    assert (problem.line, problem.column) == (1, 4 + MAX_DEPTH)
    assert problem.message == t("yaml.too_deep", limit=MAX_DEPTH)


def test_nesting_up_to_the_limit_is_fine() -> None:
    value = data("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")["a"]
    for _ in range(MAX_DEPTH - 1):
        (value,) = value
    assert value == []


def test_alias_bomb_is_bounded() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    error = refused("\n".join(lines) + "\n")
    assert error.problems[0].message == t("yaml.too_many_nodes", limit=MAX_NODES)


def test_nul_byte_is_refused_with_its_position() -> None:
    with pytest.raises(SourceError) as info:
        decode(b"a: 1\nb: x\x00y\n")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 5)
    assert problem.message == t("source.nul")


def test_bad_utf8_column_counts_characters() -> None:
    with pytest.raises(SourceError) as info:
        decode("a: 1\nb: åä".encode() + b"\xc3(\n")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 6)
    assert "0xc3" in problem.message


def test_size_limit() -> None:
    assert decode(b"#" * MAX_BYTES) == "#" * MAX_BYTES
    with pytest.raises(SourceError) as info:
        decode(b"#" * (MAX_BYTES + 1))
    assert info.value.problems[0].message == t("source.too_large", size=MAX_BYTES + 1, limit=MAX_BYTES)


@pytest.mark.parametrize(
    "text, tag",
    [
        ("a: !!python/object/apply:os.system ['echo hi']\n", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
        ("a: !!binary aGVq\n", "!!binary"),
        ("a: !!set {x: null}\n", "!!set"),
        ("a: !!omap [x: 1]\n", "!!omap"),
        ("a: !custom 1\n", "!custom"),
    ],
)
def test_tags_outside_the_core_schema_are_refused(text: str, tag: str) -> None:
    (problem,) = refused(text).problems
    assert (problem.line, problem.column) == (1, 4)
    assert problem.message == t("yaml.tag_refused", tag=tag)


def test_a_complex_key_is_refused() -> None:
    (problem,) = refused("? [a, b]\n: 1\n").problems
    assert (problem.line, problem.column) == (1, 3)
    assert problem.message == t("yaml.complex_key")


@pytest.mark.parametrize(
    "text, position, key",
    [
        ("a: 1\n\tb: 2\n", (2, 1), "yaml.tab"),
        ("a:\n  b: 1\n\tc: 2\n", (3, 1), "yaml.tab"),
        ('a: 1\nb: "open\nc: 2\n', (2, 4), "yaml.unclosed_quote"),
        ("a: 1\nb: 'open\n", (2, 4), "yaml.unclosed_quote"),
        ("a: [1, 2\n", (1, 4), "yaml.unclosed_flow"),
        ("a: {x: 1\n", (1, 4), "yaml.unclosed_flow"),
        ("a: 1\n---\nb: 2\n", (2, 1), "yaml.many_documents"),
        ("a: b: c\n", (1, 5), "yaml.mapping_values"),
        ("a: *nowhere\n", (1, 4), "yaml.undefined_alias"),
        ('a: "\\q"\n', (1, 5), "yaml.bad_escape"),
        ("a: 1\n b: 2\n", (2, 3), "yaml.mapping_values"),
        ("- a\nb: 1\n", (2, 1), "yaml.expected_dash"),
        ("channels: - phone\n", (1, 11), "yaml.sequence_here"),
        ("a: ok\nb: bell\x07\n", (2, 8), "yaml.control_chars"),
        ("a: åäö\nb: x\x1b[0m\n", (2, 5), "yaml.control_chars"),  # a column in characters, not bytes
    ],
)
def test_syntax_errors_are_translated_and_placed(text: str, position: tuple[int, int], key: str) -> None:
    (problem,) = refused(text).problems
    assert (problem.line, problem.column) == position
    assert problem.message == t(key)
    set_language("en")
    assert refused(text).problems[0].message == t(key)
    assert t(key) != "" and not t(key).startswith("YAML")


def test_empty_documents_are_refused() -> None:
    for text in ("", "\n\n", "# only a comment\n", "\ufeff# bom and comment\n"):
        (problem,) = refused(text).problems
        assert (problem.line, problem.column, problem.message) == (1, 1, t("source.empty"))
