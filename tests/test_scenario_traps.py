"""The traps authors fall into (issue 18): each gets a message at its own line and column that says
what happened and how to fix it, in Swedish and in English. The exact texts are the contract.

Every case is the starter with one change; positions are computed from the changed text.
"""

# ruff: noqa: E501  (the exact messages are the contract: each stays on one line to be read whole)
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import STARTER
from hostile import SCENARIO_SAFE, has_raw_control

from krisovning.i18n import set_language
from krisovning.scenario import Problem, ScenarioError, load_scenario, load_scenario_bytes


def mutate(old: str, new: str, text: str = STARTER) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once in the starter"
    return text.replace(old, new)


def where(text: str, needle: str, part: str | None = None) -> tuple[int, int]:
    """Line and column of `part` (default: `needle`) on the only line containing `needle`."""
    lines = [i for i, line in enumerate(text.split("\n")) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}"
    line = text.split("\n")[lines[0]]
    return lines[0] + 1, line.index(part if part is not None else needle) + 1


@dataclass
class Trap:
    id: str
    text: str
    at: tuple[int, int]
    sv: str
    en: str

    def __str__(self) -> str:
        return self.id


def _traps() -> list[Trap]:
    traps: list[Trap] = []
    add = traps.append

    # An unclosed quote: YAML reads on over the next keys to the next quote, and used to report
    # "indentation" there.
    note = '    note: "Ring tillbaka\n'
    text = mutate(
        "      within: 15m\n    social:\n      thread: allmant\n",
        f"      within: 15m\n{note}    social:\n      thread: allmant\n",
    )
    end = where(text, 'P4 sänder: "Sjöstads')[0]
    add(Trap("unclosed-double-quote", text, where(text, "Ring tillbaka", '"'),
             f"citattecknet som börjar här stängs inte på sin rad, så YAML läser raderna under som en del av texten (fram till rad {end}); lägg till det avslutande citattecknet",
             f"the quote that starts here is not closed on its line, so YAML reads the lines below as part of the text (up to line {end}); add the closing quote"))  # fmt: skip
    text = mutate(
        '      - "Var kan man ladda telefonen i Sjöstad?"\n', "      - 'Var kan man ladda telefonen i Sjöstad?\n"
    )
    text = mutate(
        '    criticism: ["Varför säger kommunen ingenting?"]\n',
        "    criticism: ['Varför säger kommunen ingenting?']\n",
        text,
    )
    end = where(text, "Varför säger")[0]
    add(Trap("unclosed-single-quote", text, where(text, "Var kan man", "'"),
             f"citattecknet som börjar här stängs inte på sin rad, så YAML läser raderna under som en del av texten (fram till rad {end}); lägg till det avslutande citattecknet",
             f"the quote that starts here is not closed on its line, so YAML reads the lines below as part of the text (up to line {end}); add the closing quote"))  # fmt: skip

    # A text that starts with a placeholder: `{` opens a mapping.
    text = mutate(
        "    text: >\n      Hej, {sender.name} på {sender.outlet}. Vi har",
        "    text: {sender.name} på {sender.outlet}. Vi har",
    )
    add(Trap("text-starts-with-placeholder", text, where(text, "text: {sender.name} på", "{"),
             'texten börjar med {sender.name}, och YAML läser { som början på en mappning; sätt citattecken runt hela texten: "{sender.name} på {sender.outlet}. Vi ha…"',
             'the text starts with {sender.name}, and YAML reads { as the start of a mapping; put the whole text in quotes: "{sender.name} på {sender.outlet}. Vi ha…"'))  # fmt: skip
    text = mutate(
        '      - "Hej! Hur länge blir vi utan ström? /{sender.name}"\n',
        "      - {sender.name} undrar hur länge vi blir utan ström\n",
    )
    add(Trap("list-item-starts-with-placeholder", text, where(text, "{sender.name} undrar", "{"),
             'texten börjar med {sender.name}, och YAML läser { som början på en mappning; sätt citattecken runt hela texten: "{sender.name} undrar hur länge vi blir …"',
             'the text starts with {sender.name}, and YAML reads { as the start of a mapping; put the whole text in quotes: "{sender.name} undrar hur länge vi blir …"'))  # fmt: skip
    text = mutate(
        "    text: >\n      Hej, {sender.name} på {sender.outlet}. Vi har fått samtal om strömavbrott\n      i Sjöstad. Vad vet kommunen och hur länge kan det hålla på?\n",
        "    text: {sender.name}\n",
    )
    add(Trap("text-is-a-placeholder", text, where(text, "text: {sender.name}", "{"),
             'texten börjar med {sender.name}, och YAML läser { som början på en mappning; sätt citattecken runt hela texten: "{sender.name}"',
             'the text starts with {sender.name}, and YAML reads { as the start of a mapping; put the whole text in quotes: "{sender.name}"'))  # fmt: skip

    # A decimal comma: in flow style `0,4` is 0 and a new key 4.
    text = mutate(
        "{information: 0.4, question: 0.4, eyewitness: 0.2}", "{information: 0,4, question: 0.4, eyewitness: 0.2}"
    )
    add(Trap("decimal-comma-flow", text, where(text, "information: 0,4", "4, question"),
             'information: "0,4" har decimalkomma, så YAML läser information: 0 och en ny nyckel 4; skriv decimaltal med punkt: 0.4',
             'information: "0,4" has a decimal comma, so YAML reads information: 0 and a new key 4; write decimals with a point: 0.4'))  # fmt: skip
    text = mutate(
        "      type: response_time\n      channels: [phone]\n      within: 15m\n",
        "      {type: response_time, within: 15m, share: 0,9}\n",
    )
    text = mutate("    criterion:\n      {type", "    criterion: {type", text)
    add(Trap("decimal-comma-share", text, where(text, "share: 0,9", "9}"),
             'share: "0,9" har decimalkomma, så YAML läser share: 0 och en ny nyckel 9; skriv decimaltal med punkt: 0.9',
             'share: "0,9" has a decimal comma, so YAML reads share: 0 and a new key 9; write decimals with a point: 0.9'))  # fmt: skip
    text = mutate("      within: 15m\n  - id: lagesbild", "      within: 15m\n      share: 0,9\n  - id: lagesbild")
    add(Trap("decimal-comma-block", text, where(text, "share: 0,9", "0,9"),
             'share: "0,9" har decimalkomma; skriv decimaltal med punkt: 0.9',
             'share: "0,9" has a decimal comma; write decimals with a point: 0.9'))  # fmt: skip

    # A time of day where a time from the start belongs (the starter starts at 08:00).
    text = mutate("    at: 8m\n", "    at: 09:15\n")
    add(Trap("clock-time", text, where(text, "at: 09:15", "09"),
             'at: "09:15" ser ut som ett klockslag, men at räknas från övningens start (08:00), inte från midnatt; klockan 09:15 blir at: 1h15m',
             "at: \"09:15\" looks like a time of day, but at counts from the drill's start (08:00), not from midnight; 09:15 is at: 1h15m"))  # fmt: skip
    text = mutate("    at: 8m\n", "    at: 09.15\n")
    add(Trap("clock-time-with-dot", text, where(text, "at: 09.15", "09"),
             'at: "09.15" ser ut som ett klockslag, men at räknas från övningens start (08:00), inte från midnatt; klockan 09:15 blir at: 1h15m',
             "at: \"09.15\" looks like a time of day, but at counts from the drill's start (08:00), not from midnight; 09:15 is at: 1h15m"))  # fmt: skip
    text = mutate("    at: 8m\n", "    at: 07:30\n")
    add(Trap("clock-time-before-start", text, where(text, "at: 07:30", "07"),
             'at: "07:30" ser ut som ett klockslag, men at räknas från övningens start (08:00), inte från midnatt; klockan 07:30 ligger före starten',
             "at: \"07:30\" looks like a time of day, but at counts from the drill's start (08:00), not from midnight; 07:30 is before the start"))  # fmt: skip

    # Swedish keys.
    text = mutate("    at: 8m\n    channel: phone\n", "    at: 8m\n    kanal: phone\n")
    add(Trap("swedish-key-kanal", text, where(text, "kanal: phone"),
             'okänd nyckel "kanal": nycklarna skrivs på engelska; menade du "channel"?',
             'unknown key "kanal": the keys are in English; did you mean "channel"?'))  # fmt: skip
    text = mutate("    at: 8m\n", "    tidpunkt: 8m\n")
    add(Trap("swedish-key-tidpunkt", text, where(text, "tidpunkt: 8m"),
             'okänd nyckel "tidpunkt": nycklarna skrivs på engelska; menade du "at"?',
             'unknown key "tidpunkt": the keys are in English; did you mean "at"?'))  # fmt: skip

    # å, ä and ö in ids.
    text = mutate("    to: [webbredaktor]\n", "    to: [webbredaktör]\n")
    add(Trap("role-id-with-o-umlaut", text, where(text, "webbredaktör]"),
             'to: "webbredaktör" får bara innehålla a–z, A–Z, siffror, - och _ (inga mellanslag eller åäö). Menade du "webbredaktor"?',
             'to: "webbredaktör" may only contain a–z, A–Z, digits, - and _ (no spaces or åäö). Did you mean "webbredaktor"?'))  # fmt: skip

    # Choices as the author writes them, with "eller" in Swedish.
    text = mutate(
        "      action: reply\n      within: 15m\n    social:", "      action: svara\n      within: 15m\n    social:"
    )
    add(Trap("enum-choices", text, where(text, "action: svara", "svara"),
             'action: "svara" är inte tillåtet; välj bland reply, publish, situation_update, decision eller hold.',
             'action: "svara" is not allowed; choose from reply, publish, situation_update, decision or hold.'))  # fmt: skip
    text = mutate("      type: missed\n", "      type: misad\n")
    add(Trap("union-tag-choices", text, where(text, "type: misad", "type"),
             'type: "misad" är inte tillåtet; välj bland missed, met, action, no_action eller metric',
             'type: "misad" is not allowed; choose from missed, met, action, no_action or metric'))  # fmt: skip

    # A fact name: the message no longer recommends the `-` it refuses.
    text = mutate("  natbolag: Sjöstad Energi\n", "  nät-bolag: Sjöstad Energi\n")
    add(Trap("fact-name", text, where(text, "nät-bolag:"),
             'facts: faktanamnet "nät-bolag" får bara innehålla a–z, A–Z, siffror och _ (inte -, mellanslag eller åäö) och får inte börja med en siffra. Menade du "nat_bolag"?',
             'facts: the fact name "nät-bolag" may only contain a–z, A–Z, digits and _ (not -, spaces or åäö) and may not start with a digit. Did you mean "nat_bolag"?'))  # fmt: skip

    # A duplicate id names where it was first used.
    text = mutate("  - id: p4-igen\n", "  - id: p4-ringer\n")
    first = where(text, "    at: 8m")[0] - 1  # the first p4-ringer stands on the line above
    add(Trap("duplicate-id", text, (where(text, "when:")[0] - 1, 9),
             f'id "p4-ringer" används redan (rad {first}); ge det här ett eget id',
             f'id "p4-ringer" is already used (line {first}); give this one an id of its own'))  # fmt: skip
    return traps


TRAPS = _traps()


def _empty_placeholders() -> list[Trap]:
    """Warnings, not faults: a scenario a journal already recorded must still load (resume, report)."""
    empties: list[Trap] = []
    add = empties.append
    # A placeholder that will be empty: "Hej, Karin Ek på ."
    text = mutate("    outlet: Sveriges Radio P4\n", "")
    block = where(text, "Hej, {sender.name} på {sender.outlet}")[0] - 1  # the text's `>` on the line above
    add(Trap("empty-placeholder", text, (block, 11),
             "{sender.outlet} blir tom: p4-reporter har ingen outlet; lägg till outlet: hos p4-reporter eller ta bort platshållaren",
             "{sender.outlet} will be empty: p4-reporter has no outlet; add outlet: to p4-reporter or remove the placeholder"))  # fmt: skip
    text = mutate(
        '"Var kan man ladda telefonen i Sjöstad?"', '"Var kan man ladda telefonen? /{sender.name}, {sender.title}"'
    )
    add(Trap("empty-placeholder-pool", text, where(text, "{sender.title}", '"'),
             "{sender.title} blir tom för personerna i invanare: gruppen ger dem ingen title; lägg till den i gruppen eller ta bort platshållaren",
             "{sender.title} will be empty for the people in invanare: the pool gives them no title; add it to the pool or remove the placeholder"))  # fmt: skip

    return empties


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("trap", _empty_placeholders(), ids=str)
def test_a_placeholder_that_will_be_empty_is_a_warning_at_its_text(trap: Trap, lang: str) -> None:
    set_language(lang)
    warnings: list[Problem] = []
    load_scenario_bytes(trap.text.encode("utf-8"), "trap.yaml", warnings)
    assert warnings == [Problem(*trap.at, trap.sv if lang == "sv" else trap.en, "trap.yaml")]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("trap", TRAPS, ids=str)
def test_each_trap_has_its_exact_message_at_its_place(trap: Trap, lang: str) -> None:
    set_language(lang)
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(trap.text.encode("utf-8"), "trap.yaml")
    expected = Problem(*trap.at, trap.sv if lang == "sv" else trap.en, "trap.yaml")
    assert info.value.problems == [expected]


def test_the_starter_falls_into_none_of_them() -> None:
    warnings: list[Problem] = []
    load_scenario_bytes(STARTER.encode("utf-8"), "starter.yaml", warnings)
    assert warnings == []


# ` #` in an unquoted text: the rest of the line is a comment to YAML and silently gone, so warn.

HASH_CASES = [
    ("title: Stormen över Sjöstad\n", "title: Stormen över Sjöstad #kris\n", "#kris"),
    ('      - "Var kan man ladda telefonen i Sjöstad?"\n', "      - Ring 113 13 # inte 112\n", "# inte 112"),
]


@pytest.mark.parametrize(("old", "new", "lost"), HASH_CASES, ids=["hashtag", "comment-in-prose"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_hash_that_cuts_a_text_short_is_a_warning(old: str, new: str, lost: str, lang: str) -> None:
    set_language(lang)
    text = mutate(old, new)
    warnings: list[Problem] = []
    scenario = load_scenario_bytes(text.encode("utf-8"), "hash.yaml", warnings)  # still valid
    assert scenario.title
    message = {
        "sv": f'allt efter " #" är en kommentar i YAML och kommer inte med i texten ("{lost}"); sätt citattecken runt texten om det ska vara med',
        "en": f'everything after " #" is a comment in YAML and is left out of the text ("{lost}"); put the text in quotes if it belongs there',
    }[lang]  # fmt: skip
    assert warnings == [Problem(*where(text, new.strip(), "#"), message, "hash.yaml")]


def test_a_comment_after_a_value_that_is_not_prose_is_no_warning() -> None:
    text = mutate("    at: 8m\n", "    at: 8m   # åtta minuter in\n")
    text = mutate("  - id: p4-ringer\n", "  - id: p4-ringer  # radion\n", text)
    warnings: list[Problem] = []
    load_scenario_bytes(text.encode("utf-8"), "ok.yaml", warnings)
    assert warnings == []


def test_validate_prints_the_warning_and_succeeds(run_cli, tmp_path: Path) -> None:
    file = tmp_path / "hash.yaml"
    file.write_text(mutate("title: Stormen över Sjöstad\n", "title: Stormen över Sjöstad #kris\n"), encoding="utf-8")
    code, out, _ = run_cli("validate", file)
    line, column = where(file.read_text(encoding="utf-8"), "#kris", "#")
    assert code == 0
    assert f"{file}:{line}:{column}: varning: allt efter" in out


def test_bundled_scenarios_give_no_warnings() -> None:
    root = Path(__file__).resolve().parents[1] / "scenarios"
    for file in sorted(root.glob("*.yaml")):
        warnings: list[Problem] = []
        load_scenario(file, warnings)
        assert warnings == [], file


def test_a_swedish_key_is_one_problem_not_also_a_missing_key() -> None:
    text = mutate("    at: 8m\n    channel: phone\n", "    at: 8m\n    kanal: phone\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(text.encode("utf-8"), "x.yaml")
    assert [p.message for p in info.value.problems if "saknas" in p.message] == []


@pytest.mark.parametrize("hostile", SCENARIO_SAFE)
def test_the_trap_messages_quote_hostile_text_safely(hostile: str) -> None:
    """What a message quotes from the file is data: it never brings a control character to the terminal."""
    hostile = hostile.replace("\n", " ")
    texts = [
        mutate("    text: >\n      Hej, {sender.name} på", f"    text: {{sender.name}} {hostile}\u2028\n      Hej, på"),
        mutate("title: Stormen över Sjöstad\n", f"title: Stormen över Sjöstad # {hostile}\u2028\n"),
        mutate('      - "Var kan man ladda telefonen i Sjöstad?"\n', f'      - "{hostile}\u0085\n'),
    ]
    for text in texts:
        warnings: list[Problem] = []
        try:
            load_scenario_bytes(text.encode("utf-8"), "hostile.yaml", warnings)
        except ScenarioError as exc:
            warnings.extend(exc.problems)
        assert warnings
        assert not any(has_raw_control(str(p)) or "\u2028" in str(p) or "\x85" in str(p) for p in warnings)
