"""The Swedish and English catalogues are complete, consistent, and cover every key the code uses."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import krisovning
from krisovning.cli.parser import _ARGPARSE, _COMMAND_KEYS, build_parser
from krisovning.i18n import catalogue, get_language, normalise_language, set_language, system, t, tn
from krisovning.scenario import loader, references, yamlsource

SV = catalogue("sv")
EN = catalogue("en")
SRC = Path(krisovning.__file__).parent

# t("key"…) / tn("key"…) / t_in(lang, "key"…) with a literal key.
# A key built at run time (`t("outcome." + x)`) is not a literal: the key must end the argument.
CALL = re.compile(
    r"""(?<![\w.])(t|tn)\(\s*["']([^"'{}]+)["']\s*[,)]|(?<![\w.])t_in\([^,()]+,\s*["']([^"'{}]+)["']\s*[,)]"""
)
PERCENT = re.compile(r"%\((\w+)\)[sdr]|%[sdr]")


def format_fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def used_keys() -> dict[str, list[str]]:
    """Every literal catalogue key in the source, with the files that use it."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if path.parent.name == "i18n":
            continue
        for match in CALL.finditer(path.read_text(encoding="utf-8")):
            function, key = match[1] or "t_in", match[2] or match[3]
            keys = [f"{key}.one", f"{key}.other"] if function == "tn" else [key]
            for k in keys:
                found.setdefault(k, []).append(str(path.relative_to(SRC)))
    return found


def test_catalogues_have_the_same_keys() -> None:
    assert sorted(set(SV) - set(EN)) == [], "missing in English"
    assert sorted(set(EN) - set(SV)) == [], "missing in Swedish"


@pytest.mark.parametrize("key", sorted(SV))
def test_both_languages_use_the_same_fields(key: str) -> None:
    assert format_fields(SV[key]) == format_fields(EN[key])
    assert sorted(PERCENT.findall(SV[key])) == sorted(PERCENT.findall(EN[key]))


@pytest.mark.parametrize("key", sorted(SV))
def test_every_message_formats(key: str) -> None:
    fields = {name: "X" for name in format_fields(SV[key])}
    for lang in ("sv", "en"):
        text = catalogue(lang)[key].format(**fields)
        assert text.strip(), f"{lang}:{key} is empty"


def test_the_scanner_finds_keys() -> None:
    keys = used_keys()
    assert "source.empty" in keys and "count.injects.one" in keys and "cli.opt.json" in keys


PACKAGES = sorted({p.relative_to(SRC).parts[0] for p in SRC.rglob("*.py") if p.parent != SRC} - {"i18n"})


@pytest.mark.parametrize("package", PACKAGES)
def test_every_key_used_in_the_source_exists(package: str) -> None:
    """One test per subpackage, so a missing key points at the code that needs it."""
    missing = {
        key: files
        for key, files in used_keys().items()
        if any(f.startswith(package + "/") for f in files) and (key not in SV or key not in EN)
    }
    assert missing == {}


@pytest.mark.parametrize(
    "keys",
    [
        sorted(set(loader._SIMPLE.values())),
        sorted({key for _, key in yamlsource._YAML_PROBLEMS}),
        sorted(set(system.OS_REASONS.values())),
        sorted(set(_ARGPARSE.values())),
        sorted(references._KIND_KEYS.values()),
    ],
    ids=["loader-simple", "yaml-problems", "os-reasons", "argparse", "kinds"],
)
def test_keys_named_in_tables_exist(keys: list[str]) -> None:
    assert keys
    assert [k for k in keys if k not in SV or k not in EN] == []


def test_kinds_used_by_reference_checks_exist() -> None:
    source = Path(references.__file__).read_text(encoding="utf-8")
    kinds = set(re.findall(r"""self\.refs?\(.*,\s*["'](\w+)["']\)$""", source, re.MULTILINE))
    assert {"role", "person", "inject"} <= kinds
    assert sorted(kinds - set(references._KIND_KEYS)) == []


def test_every_command_has_help_and_description() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices
    assert {"validate", "schema", "new"} <= set(commands)
    assert set(commands) == set(_COMMAND_KEYS)
    for name in commands:
        for key in _COMMAND_KEYS[name]:
            assert key in SV and key in EN


def test_loader_simple_messages_get_the_fields_they_need() -> None:
    # _describe fills `key`, `value` and pydantic's ctx; the ctx names used by our messages:
    known = {"key", "value", "gt", "ge", "lt", "le", "min_length", "max_length", "pattern", "expected"}
    for key in set(loader._SIMPLE.values()):
        assert format_fields(SV[key]) <= known, key


def test_plural_forms() -> None:
    assert tn("count.files", 1) == "1 fil"
    assert tn("count.files", 2) == "2 filer"
    assert tn("count.files", 0) == "0 filer"
    set_language("en")
    assert tn("count.problems", 1) == "1 problem"
    assert tn("count.problems", 3) == "3 problems"


def test_set_language_and_fallbacks() -> None:
    assert set_language("en_GB.UTF-8") == "en" and get_language() == "en"
    assert t("source.nul") == EN["source.nul"]
    assert set_language("de") == "sv"
    assert set_language(None) == "sv"
    assert t("no.such.key") == "no.such.key"  # a missing key never crashes a user
    assert normalise_language("SV-se") == "sv"
    assert normalise_language("") is None


def test_literal_braces_survive_formatting() -> None:
    assert t("ref.brace") == "ensam klammerparentes; skriv {{ eller }} för en bokstavlig klammer"
    assert t("ref.placeholder", name="x") == "okänd platshållare {x}."
    set_language("en")
    assert t("yaml.unclosed_flow") == "a [list] or {mapping} is not closed"
