"""export-msel, and the round trip export → import: what survives, and what is said to be lost."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from krisovning.engine.headless import run_headless
from krisovning.msel.export import COLUMNS
from krisovning.scenario import Scenario, load_scenario

SV_HEADERS = [
    "Nr",
    "Tid",
    "Villkor",
    "Kanal",
    "Från",
    "Till",
    "Ämne",
    "Inspel",
    "Förväntad åtgärd",
    "Tidsfrist (min)",
    "Övningsmål",
    "Anteckningar",
    "Prioritet",
]
EN_HEADERS = [
    "No.",
    "Time",
    "Condition",
    "Method",
    "From",
    "To",
    "Subject",
    "Message",
    "Expected action",
    "Maximum (minutes)",
    "Objective",
    "Notes",
    "Priority",
]

RICH = """\
# yaml-language-server: $schema=krisovning.schema.json
format: 1
id: vatten
title: Vattnet i Sjöstad
language: sv
duration: 3h
start: 2026-03-10T08:00
organisation: {name: Sjöstads kommun}
roles:
  - {id: kommunikationschef, name: Kommunikationschef}
  - {id: presssekreterare, name: Presssekreterare}
  - {id: webbredaktor, name: Webbredaktör}
facts:
  vattenverk: Norra vattenverket
personas:
  - {id: tib, name: Jonas Berg, kind: official, title: TiB}
  - {id: p4, name: Karin Ek, kind: journalist, outlet: P4 Kalmar}
  - {id: svt, name: Olle Nord, kind: journalist, outlet: SVT Småland}
  - {id: forening, name: Sjöstads Båtklubb, kind: organisation}
  - {id: anna, name: Anna Svensson, kind: citizen}
persona_pools:
  - {id: invanare, kind: citizen, size: 20}
objectives:
  - id: forsta
    title: Första beskedet inom en timme
    criterion: {type: first_public_message, within: 1h}
  - id: svar
    title: Mediesamtal besvaras inom 15 minuter
    criterion: {type: response_time, within: 15m, channels: [phone]}
checklists:
  - id: forsta-timmen
    title: Första timmen
    items: [{id: samla, text: Samla staben, due: 10m}]
injects:
  - id: larm
    at: 1m30s
    channel: phone
    from: tib
    to: kommunikationschef
    subject: "Larm: E. coli"
    text: |
      Hej, {sender.name} här. {vattenverk} har larmat om E. coli.
      Provsvaren kom nyss; "kokningsrekommendation" kan bli aktuell; ring mig.
    priority: critical
    expect: {action: situation_update, within: 90s, description: Samla en första lägesbild}
    objectives: [forsta]
    note: "=Spelledaren ringer från fast telefon; - inte mobil"
  - id: p4-ringer
    at: 10m
    channel: phone
    from: p4
    to: presssekreterare
    text: "Hej, {sender.name} på {sender.outlet}. Stämmer det att vattnet är förorenat?"
    expect: {action: reply, within: 15m}
    objectives: [svar, forsta]
    social: {thread: allmant, spike: 30}
  - id: forening-mejlar
    at: 25m
    channel: email
    from: forening
    to: webbredaktor
    subject: Båtklubbens kafé
    text: "+46 70 123 45 67 – ring oss; vi har 40 barn på läger. {{inte en platshållare}}"
    expect: {action: publish, within: 45m, channels: [web, social], description: Lägg ut råd på webben}
    priority: high
  - id: svt-igen
    when: {type: missed, inject: p4-ringer}
    delay: 5m
    channel: tv
    from: svt
    to: presssekreterare
    text: "SVT: kommunen tiger om vattnet."
  - id: uppfoljning
    after: larm
    delay: 20m
    channel: internal
    from: tib
    to: kommunikationschef
    text: "Hur går det med lägesbilden?"
    expect: {action: decision, within: 30m}
  - id: tack
    when: {type: met, inject: forening-mejlar}
    channel: sms
    from: anna
    to: webbredaktor
    text: "Tack för informationen!"
  - id: om-tyst
    when: {type: no_action, action: publish, by: 1h}
    channel: news
    from: svt
    to: kommunikationschef
    text: "Artikel: Tystnad från kommunen."
  - id: invanare-fragar
    at: 2h
    channel: social
    from: invanare
    to: webbredaktor
    text: "Kan man duscha i vattnet?"
generators:
  - id: fragor
    per_hour: 4
    channels: [email]
    from: [invanare]
    to: [webbredaktor]
    templates: ["Är vattnet farligt?"]
social:
  authors: [invanare]
  threads:
    - id: allmant
      baseline: 5
      mix: {question: 1}
      templates: {question: ["Vad händer med vattnet?"]}
"""


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    path = tmp_path / "vatten.yaml"
    path.write_text(RICH, encoding="utf-8")
    load_scenario(path)
    return path


def csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))


def xlsx_rows(path: Path) -> tuple[str, list[list[object]]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    return sheet.title, [[c.value for c in row] for row in sheet.iter_rows()]


def export(run_cli, source: Path, output: Path, *options: str) -> str:
    code, out, err = run_cli("export-msel", source, "-o", output, *options)
    assert code == 0, err
    return out


def reimport(run_cli, sheet: Path, *options: str) -> Scenario:
    target = sheet.with_name(sheet.stem + "-tillbaka.yaml")
    code, _, err = run_cli("import-msel", sheet, "-o", target, *options)
    assert code == 0, err
    return load_scenario(target)


# --- the spreadsheet ---


def test_csv_for_swedish_excel(rich, tmp_path, run_cli):
    out = export(run_cli, rich, tmp_path / "lista.csv")
    rows = csv_rows(tmp_path / "lista.csv")
    assert rows[0] == ["Inspelslista – Vattnet i Sjöstad"]
    assert "Följer inte med tillbaka" in rows[1][0] and rows[2] == []
    assert rows[3] == SV_HEADERS
    body = {r[0]: dict(zip(SV_HEADERS, r, strict=True)) for r in rows[4 : rows.index([], 4)]}
    assert list(body) == [
        "larm",
        "p4-ringer",
        "forening-mejlar",
        "svt-igen",
        "uppfoljning",
        "tack",
        "om-tyst",
        "invanare-fragar",
    ]
    larm = body["larm"]
    assert larm["Tid"] == "T+0:01:30" and larm["Kanal"] == "telefon" and larm["Från"] == "Jonas Berg, TiB"
    assert larm["Förväntad åtgärd"] == "Uppdatera lägesbilden: Samla en första lägesbild"
    assert larm["Tidsfrist (min)"] == "1,5" and larm["Prioritet"] == "kritisk"
    assert larm["Övningsmål"] == "Första beskedet inom en timme"
    assert larm["Anteckningar"].startswith("'=")  # never a formula in Excel
    assert body["p4-ringer"]["Från"] == "Karin Ek, P4 Kalmar" and body["p4-ringer"]["Tid"] == "T+0:10"
    assert body["forening-mejlar"]["Förväntad åtgärd"] == "Publicera (webb, sociala medier): Lägg ut råd på webben"
    assert body["forening-mejlar"]["Inspel"].startswith("'+46")
    assert body["svt-igen"]["Tid"] == "" and body["svt-igen"]["Villkor"] == "om p4-ringer missas + 5m"
    assert body["uppfoljning"]["Villkor"] == "efter larm + 20m"
    assert body["tack"]["Villkor"] == "om forening-mejlar uppfylls"
    assert body["om-tyst"]["Villkor"] == "om de övade inte har gjort: Publicera senast T+1:00"
    # under the injects: the block import-msel reads back (msel/carry.py)
    block = rows[rows.index([], 4) + 1 :]
    assert block[0][0].startswith("krisovning: följer med tillbaka till import-msel")
    assert ["start", "2026-03-10T08:00:00"] in block and ["seed", "1"] in block
    assert ["role", "webbredaktor", "Webbredaktör"] in block
    assert ["fact", "vattenverk", "Norra vattenverket"] in block
    p4 = next(r for r in block if r[:2] == ["person", "p4"])
    assert p4[2] == "Karin Ek, P4 Kalmar" and p4[3:6] == ["Karin Ek", "journalist", "P4 Kalmar"]
    assert body["invanare-fragar"]["Från"] == "invanare"
    for needle in (
        "Följer inte med",
        "effekter på sociala medier i inspelen (1)",
        "slumpade inspel, generators (1)",
        "checklistor (1)",
        "personpooler (1",
    ):
        assert needle in out
    assert "villkor" not in out  # conditions on the players' actions come back now


def test_english_headers_with_lang_en(rich, tmp_path, run_cli):
    out = export(run_cli, rich, tmp_path / "msel.csv", "--lang", "en")
    rows = csv_rows(tmp_path / "msel.csv")
    assert rows[0] == ["MSEL – Vattnet i Sjöstad"] and rows[3] == EN_HEADERS
    larm = dict(zip(EN_HEADERS, rows[4], strict=True))
    assert larm["Method"] == "phone" and larm["Expected action"].startswith("Update the situation picture")
    assert larm["Maximum (minutes)"] == "1.5"
    assert dict(zip(EN_HEADERS, rows[7], strict=True))["Condition"] == "if p4-ringer is missed + 5m"
    assert "Not carried back" in out


def test_xlsx(rich, tmp_path, run_cli):
    export(run_cli, rich, tmp_path / "lista.xlsx")
    title, rows = xlsx_rows(tmp_path / "lista.xlsx")
    assert title == "Inspelslista"
    assert rows[0][0] == "Inspelslista – Vattnet i Sjöstad"
    assert rows[3] == SV_HEADERS
    larm = dict(zip(SV_HEADERS, rows[4], strict=True))
    assert larm["Anteckningar"].startswith("=Spelledaren")  # stored as text, not as a formula
    assert larm["Tidsfrist (min)"] == 1.5 and rows[5][9] == 15
    import openpyxl

    cell = openpyxl.load_workbook(tmp_path / "lista.xlsx").active.cell(row=5, column=12)
    assert cell.data_type == "s"


def test_columns_match_the_catalogue():
    from krisovning.i18n import t_in
    from krisovning.msel.columns import header_field

    assert [t_in("sv", f"msel.col.{c}") for c in COLUMNS] == SV_HEADERS
    assert [t_in("en", f"msel.col.{c}") for c in COLUMNS] == EN_HEADERS
    expected = [
        "id",
        "time",
        "condition",
        "channel",
        "sender",
        "to",
        "subject",
        "text",
        "expect",
        "deadline",
        "objective",
        "notes",
        "priority",
    ]
    assert [header_field(h) for h in SV_HEADERS] == expected
    assert [header_field(h) for h in EN_HEADERS] == expected


# --- the round trip ---


def _filled(scenario: Scenario, text: str) -> str:
    """`{personas.x.name}` as the spreadsheet shows it: filled in (other placeholders stay)."""
    for persona in scenario.personas:
        for field in ("name", "outlet", "title", "organisation", "phone", "email", "handle"):
            text = text.replace(f"{{personas.{persona.id}.{field}}}", str(getattr(persona, field) or ""))
    return text


def _names(scenario: Scenario) -> tuple[dict, dict]:
    return {p.id: p for p in scenario.personas}, {r.id: r.name for r in scenario.roles}


def _comparable(scenario: Scenario, inject) -> dict:
    personas, roles = _names(scenario)
    sender = personas.get(inject.sender)
    expect = inject.expect
    return {
        "id": inject.id,
        "at": inject.at,
        "after": inject.after,
        "when": inject.when.model_dump(mode="json") if inject.when else None,
        "delay": inject.delay if inject.at is None else 0,
        "channel": inject.channel.value,
        "sender": sender.name if sender else inject.sender,
        "outlet": sender.outlet if sender and sender.kind.value == "journalist" else None,
        "to": roles[inject.to],
        "subject": inject.subject,
        "text": _filled(scenario, inject.text).strip(),
        "priority": inject.priority.value,
        "expect": (
            str(expect.action),
            expect.within,
            [c.value for c in expect.channels or []],
            (expect.description or "").strip() or None,
            expect.topics,
            expect.answers,
            expect.until,
        )
        if expect
        else None,
        "do_not_answer": inject.do_not_answer,
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_round_trip_keeps_the_injects(rich, tmp_path, run_cli, fmt, lang):
    original = load_scenario(rich)
    sheet = tmp_path / f"lista.{fmt}"
    export(run_cli, rich, sheet, "--lang", lang)
    back = reimport(run_cli, sheet, "--lang", lang)
    assert back.title == original.title
    assert [_comparable(back, i) for i in back.injects] == [_comparable(original, i) for i in original.injects]
    om_tyst = next(i for i in back.injects if i.id == "om-tyst")  # a no_action condition comes back too
    assert om_tyst.when.type == "no_action" and om_tyst.when.by == 3600
    text = sheet.with_name(sheet.stem + "-tillbaka.yaml").read_text(encoding="utf-8")
    assert "TODO: villkoret" not in text and "TODO: the condition" not in text
    assert back.facts == {"vattenverk": "Norra vattenverket"}  # carried in the block under the injects
    # the objectives' names come back in the note
    larm = next(i for i in back.injects if i.id == "larm")
    assert "Första beskedet inom en timme" in larm.note and larm.note.startswith("=Spelledaren")
    # both simulate, and deliver the same timed injects
    for scenario in (original, back):
        _, events = run_headless(scenario, 1, "diligent")
        delivered = {e.data["id"] for e in events if e.kind == "inject" and e.data.get("source") == "scripted"}
        assert {"larm", "p4-ringer", "forening-mejlar", "uppfoljning", "invanare-fragar"} <= delivered


def test_second_export_is_identical(rich, tmp_path, run_cli):
    """export → import → export gives the same rows: nothing drifts on the way."""
    first = tmp_path / "ett.csv"
    export(run_cli, rich, first)
    back_path = tmp_path / "ett-tillbaka.yaml"
    reimport(run_cli, first)
    second = tmp_path / "tva.csv"
    export(run_cli, back_path, second)
    one, two = csv_rows(first)[3:], csv_rows(second)[3:]

    def strip_notes(rows):  # objectives are not kept as objectives: their names move into the notes
        return [r[:10] + r[12:] for r in rows]

    assert strip_notes(two) == strip_notes(one)


def test_round_trip_of_the_starter(tmp_path, run_cli, starter_text):
    source = tmp_path / "start.yaml"
    source.write_text(starter_text, encoding="utf-8")
    original = load_scenario(source)
    export(run_cli, source, tmp_path / "start.csv")
    back = reimport(run_cli, tmp_path / "start.csv")
    assert [_comparable(back, i) for i in back.injects] == [_comparable(original, i) for i in original.injects]


# --- refusals ---


def test_export_refusals(rich, tmp_path, run_cli):
    code, _, err = run_cli("export-msel", rich, "-o", tmp_path / "lista.txt")
    assert code == 1 and ".csv" in err and not (tmp_path / "lista.txt").exists()
    target = tmp_path / "lista.csv"
    target.write_text("annat\n", encoding="utf-8")
    code, _, err = run_cli("export-msel", rich, "-o", target)
    assert code == 1 and "--force" in err and target.read_text(encoding="utf-8") == "annat\n"
    assert run_cli("export-msel", rich, "-o", target, "--force")[0] == 0
    broken = tmp_path / "trasig.yaml"
    broken.write_text(RICH.replace("channel: tv", "channel: brevduva"), encoding="utf-8")
    code, _, err = run_cli("export-msel", broken, "-o", tmp_path / "x.csv")
    assert code == 1 and "trasig.yaml:" in err and "brevduva" in err and not (tmp_path / "x.csv").exists()
    code, _, err = run_cli("export-msel", tmp_path / "saknas.yaml", "-o", tmp_path / "y.csv")
    assert code == 1 and not (tmp_path / "y.csv").exists()


BUNDLED = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_round_trip_of_the_bundled_scenarios(tmp_path, run_cli, path):
    original = load_scenario(path)
    sheet = tmp_path / f"{path.stem}.xlsx"
    export(run_cli, path, sheet)
    back = reimport(run_cli, sheet)
    lost = {i.id for i in original.injects if i.when is not None and i.when.type not in ("missed", "met")}
    assert [_comparable(back, i) for i in back.injects if i.id not in lost] == [
        _comparable(original, i) for i in original.injects if i.id not in lost
    ]
    _, events = run_headless(back, 1, "diligent")
    delivered = {e.data["id"] for e in events if e.kind == "inject" and e.data.get("source") == "scripted"}
    assert {i.id for i in back.injects if i.at is not None} <= delivered


@pytest.mark.parametrize(
    "value", ["=A1+1", "+46 70 123", "-", "- punkt", "@kommunen", "'", "''", "'=x", "a'=b", "vanlig text"]
)
def test_formula_guard_round_trips(value):
    from krisovning.msel.export import _safe
    from krisovning.msel.table import _unguard

    guarded = _safe(value)
    assert not guarded.lstrip("'").startswith(("=", "+", "-", "@")) or guarded.startswith("'")
    assert _unguard(guarded) == value
