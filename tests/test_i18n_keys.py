"""Every catalogue key is written in full in the code that uses it: grep finds its users, and none is unused."""

from __future__ import annotations

import re
from pathlib import Path

import krisovning
from krisovning.i18n import catalogue, t

SV = catalogue("sv")
EN = catalogue("en")
SRC = Path(krisovning.__file__).parent
CATALOGUES = {SRC / "i18n" / "sv.py", SRC / "i18n" / "en.py"}
# The plural rule (`tn` in i18n/__init__.py) is the one place that adds to a key: `.one` / `.other`.
PLURAL = (".one", ".other")
QUOTED = re.compile(r"""(["'])([\w.-]+)\1""")


def _sources() -> dict[Path, str]:
    """Every file of the package that may name a key: code, templates, help texts."""
    return {
        path: path.read_text(encoding="utf-8")
        for path in sorted(SRC.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".md", ".html", ".j2", ".txt") and path not in CATALOGUES
    }


def _namespaces() -> set[str]:
    return {key.split(".", 1)[0] for key in SV}


def assembled_keys(text: str, namespaces: set[str]) -> list[str]:
    """Places in `text` that build a key from pieces: `f"channel.{x}"`, `"cli." + x`, `f"{a}.{b}"` passed to t."""
    ns = "|".join(sorted((re.escape(n) for n in namespaces), key=len, reverse=True))
    patterns = [
        # an f-string starting with a catalogue namespace and a dot, then a field
        rf"""[fF](["'])(?:{ns})\.[\w.-]*\{{""",
        # a catalogue namespace and a dot, glued on with +
        rf"""(["'])(?:{ns})\.[\w.-]*\1\s*\+""",
        # any f-string handed straight to the translation functions
        r"""(?<![\w.])(?:t|tn)\(\s*[fF]["']""",
        r"""(?<![\w.])t_in\([^,()]+,\s*[fF]["']""",
    ]
    found = []
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{line}: {text.splitlines()[line - 1].strip()}")
    return found


def test_the_assembly_scanner_finds_assembled_keys() -> None:
    namespaces = _namespaces()
    bad = [
        't(f"channel.{name}")',
        "t('outcome.' + code)",
        't_in(lang, f"msel.col.{c}")',
        "tn(f'{key}.x', 2)",
        'names = [f"ui.expect.{k}" for k in kinds]',
    ]
    assert all(assembled_keys(line, namespaces) for line in bad)
    good = ['t("channel.phone")', "t(CHANNEL_KEYS[name])", 'f"personas.{pid}.{name}"', "f\"{t('x.y')}: {v}\""]
    assert [line for line in good if assembled_keys(line, namespaces)] == []


def test_no_key_is_assembled_from_pieces() -> None:
    namespaces = _namespaces()
    found = {
        str(path.relative_to(SRC)): hits
        for path, text in _sources().items()
        if path.name != "__init__.py" or path.parent.name != "i18n"  # the plural rule itself
        if (hits := assembled_keys(text, namespaces))
    }
    assert found == {}


def test_every_key_is_named_in_full_somewhere() -> None:
    """A key no code names (`"key"` quoted, or a plural's stem) is unused: remove it from both catalogues."""
    named: set[str] = set()
    for text in _sources().values():
        named.update(match[2] for match in QUOTED.finditer(text))
    unused = [key for key in SV if key not in named and not (key.endswith(PLURAL) and key.rsplit(".", 1)[0] in named)]
    assert unused == []


def test_both_catalogues_name_the_same_keys() -> None:
    assert sorted(set(SV) ^ set(EN)) == []


def _tables() -> dict[str, dict[str, str]]:
    import krisovning.cli as cli_main
    from krisovning.cli import commands_notes, commands_session
    from krisovning.msel import keys as msel_keys
    from krisovning.report import keys as report_keys
    from krisovning.scenario import references
    from krisovning.tui import labels

    modules = {"tui": labels, "report": report_keys, "msel": msel_keys}
    tables = {
        f"{layer}.{name}": value
        for layer, module in modules.items()
        for name, value in vars(module).items()
        if name.endswith("_KEYS") and isinstance(value, dict)
    }
    tables["scenario._KIND_KEYS"] = references._KIND_KEYS
    tables["cli._STREAM_KEYS"] = cli_main._STREAM_KEYS
    tables["cli._STATUS_KEYS"] = commands_session._STATUS_KEYS
    tables["cli._KIND_KEYS"] = commands_notes._KIND_KEYS
    return tables


def test_every_key_table_names_keys_of_both_catalogues() -> None:
    tables = _tables()
    assert len(tables) >= 25
    missing = {name: [k for k in table.values() if k not in SV or k not in EN] for name, table in tables.items()}
    assert {name: keys for name, keys in missing.items() if keys} == {}


def test_key_tables_cover_the_vocabulary() -> None:
    """A channel, outcome or action kind added to `vocab.py` needs its label: the tables must follow."""
    from krisovning.msel import keys as msel_keys
    from krisovning.report import keys as report_keys
    from krisovning.scenario.model import HOLD
    from krisovning.tui import labels
    from krisovning.vocab import (
        EXPECTED_ACTIONS,
        ActionKind,
        CoordinationKind,
        FacilitatorKind,
        InjectChannel,
        Outcome,
        Priority,
        PublishChannel,
    )

    assert set(labels.CHANNEL_KEYS) == set(InjectChannel) == set(msel_keys.CHANNEL_WORD_KEYS)
    assert set(labels.PUBLISH_KEYS) == set(PublishChannel) == set(msel_keys.PUBLISH_WORD_KEYS)
    assert set(report_keys.CHANNEL_KEYS) == set(InjectChannel) | set(PublishChannel)
    assert set(report_keys.OUTCOME_KEYS) == set(Outcome) == set(report_keys.DERIVED_OUTCOME_KEYS)
    # what an inject can expect: an action, or to hold one back (scenario/model.py, Expectation)
    assert set(labels.EXPECT_KEYS) == {*EXPECTED_ACTIONS, HOLD} == set(report_keys.EXPECT_KEYS)
    assert set(msel_keys.ACTION_WORD_KEYS) == set(ActionKind) | {HOLD}  # an MSEL cell may ask the team to hold
    assert set(labels.PRIORITY_KEYS) == set(Priority)
    # the app says "done" for every action but the silent ones (`tui/app.py`, `act`)
    silent = {FacilitatorKind.pause, FacilitatorKind.resume, FacilitatorKind.speed, ActionKind.checklist}
    assert set(labels.DONE_KEYS) == (set(ActionKind) | set(CoordinationKind) | set(FacilitatorKind)) - silent


def test_a_word_outside_a_table_is_shown_as_it_is() -> None:
    from krisovning.report.fmt import channel, outcome
    from krisovning.tui import labels

    assert labels.channel("pigeon") == "pigeon"
    assert channel("pigeon") == "pigeon"
    assert outcome("met") == t("outcome.met")
    assert outcome("maybe") == "maybe"
