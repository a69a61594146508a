"""Issue 18 point 5: MSELs as they are found (tests/data/msel, made by make_corpus.py there) import,
validate and simulate; day and time in one cell, 12-hour clocks, a send time beside the scenario's
time, headers not seen before, a role name with "/", and TODOs that say why."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_msel_export import export, reimport
from test_msel_import import imported

from krisovning.msel.columns import header_field
from krisovning.msel.times import Clock, Day, parse_time

CORPUS = Path(__file__).resolve().parent / "data" / "msel"
SHEETS = sorted(p for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx"))


def test_the_corpus_is_what_make_corpus_writes(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for sheet in SHEETS:
        if sheet.suffix == ".csv":  # an xlsx carries the time it was written
            assert (tmp_path / sheet.name).read_bytes() == sheet.read_bytes(), sheet.name
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in SHEETS]


@pytest.mark.parametrize("sheet", SHEETS, ids=[p.name for p in SHEETS])
def test_each_imports_validates_and_simulates(tmp_path, run_cli, sheet):
    copy = tmp_path / sheet.name
    copy.write_bytes(sheet.read_bytes())
    scenario, _text, out = imported(run_cli, copy)  # asserts validate and a diligent simulation
    assert "Kolumner som används:" in out
    assert len(scenario.injects) >= 3


@pytest.mark.parametrize(
    ("cell", "seconds", "day"),
    [
        ("Monday 9:30 AM", 9 * 3600 + 30 * 60, Day("weekday", 0)),
        ("måndag 09.30", 9 * 3600 + 30 * 60, Day("weekday", 0)),
        ("Day 2 14:00", 14 * 3600, Day("n", 2)),
        ("Day 2, 2:15 PM", 14 * 3600 + 15 * 60, Day("n", 2)),
        ("12:15 PM", 12 * 3600 + 15 * 60, None),
        ("12:05 AM", 5 * 60, None),
        ("1 PM", 13 * 3600, None),
        ("Tuesday, 10:00 a.m.", 10 * 3600, Day("weekday", 1)),
    ],
)
def test_day_and_time_in_one_cell(cell, seconds, day):
    assert parse_time(cell) == Clock(seconds, day)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Real Time", "real_time"),
        ("Klocktid", "real_time"),
        ("Utskickstid", "real_time"),
        ("Designated Scenario Time", "time"),
        ("Datum/Tid", "time"),
        ("Inspelsbeskrivning", "synopsis"),
        ("Leveranskanal", "channel"),
        ("Övningsledarens anteckningar", "notes"),
        ("Mottagande funktion", "to"),
        ("Målgrupp", "to"),
        ("Förväntat agerande", "expect"),
        ("Action Required", "expect"),
        ("Max. Response (min)", "deadline"),
        ("Svarstid", "deadline"),  # a whole known word wins over the compound ending "-tid"
        ("Att bedöma", None),
    ],
)
def test_headers_not_seen_before(header, field):
    assert header_field(header) == field


def _copy(tmp_path: Path, name: str) -> Path:
    copy = tmp_path / name
    copy.write_bytes((CORPUS / name).read_bytes())
    return copy


def test_send_time_beside_scenario_time(tmp_path, run_cli):
    scenario, text, out = imported(run_cli, _copy(tmp_path, "hseep-real-time.csv"))
    # Real Time times the injects (9:30 AM is T+0; 1:05 PM is 3 h 35 min later) …
    assert [i.at for i in scenario.injects] == [0, 15 * 60, 35 * 60, 2 * 3600 + 45 * 60, 3 * 3600 + 35 * 60]
    # … the scenario's own time goes to the note, and its first row gives the world's time at T+0
    assert "Designated Scenario Time: Day 3 06:00" in scenario.injects[0].note
    assert scenario.start.hour == 6 and scenario.start.minute == 0
    assert '"Real Time" → sändtid (at)' in out and '"Designated Scenario Time" → tid i scenariots värld' in out
    assert 'Kolumner som inte används (texten sparas i varje inspels note): "Evaluator Cue"' in out
    assert scenario.injects[0].expect.within == 15 * 60  # "Max. Response (min)"
    assert {r.name for r in scenario.roles} == {"Press/Info", "Krisledning/Stab"}
    assert "flera mottagare" not in text


def test_a_date_with_a_time_beside_a_clock_is_the_scenario_time(tmp_path, run_cli):
    scenario, text, _ = imported(run_cli, _copy(tmp_path, "brand-realtid.xlsx"))
    assert [i.at for i in scenario.injects] == [0, 25 * 60, 50 * 60]
    assert scenario.start.isoformat() == "2026-03-12T14:00:00"
    assert "Datum: 2026-03-12 15:30" in scenario.injects[1].note
    assert "TODO: datum och klockslag" not in text  # the date is known


def test_two_days_with_12_hour_clocks(tmp_path, run_cli):
    scenario, _, _ = imported(run_cli, _copy(tmp_path, "winter-storm-two-days.xlsx"))
    assert [i.at for i in scenario.injects] == [
        0,
        20 * 60,
        15 * 3600 + 30 * 60,
        23 * 3600 + 15 * 60,
        30 * 3600 + 15 * 60,
    ]
    assert scenario.roles[0].name == "PIO/JIC"


def test_todos_say_the_real_reason(tmp_path, run_cli):
    scenario, text, _ = imported(run_cli, _copy(tmp_path, "skyfall-sv.csv"))
    assert (
        '# TODO: raden som hänvisas till ("2", rad 5) hade ingen förväntad åtgärd, så villkoret kunde inte byggas'
        in text
    )
    assert '# TODO: villkoret hänvisar till "99", men ingen rad har det numret eller id:t' in text
    by_id = {i.id: i for i in scenario.injects}
    assert by_id["inspel-5"].when.type == "met" and by_id["inspel-5"].when.inject == "inspel-4"
    assert by_id["inspel-3"].at == by_id["inspel-2"].at  # the row above's time, as the TODO says
    assert {r.name for r in scenario.roles} == {"Kommunikation/Press", "Webbredaktör"}


def test_todo_reasons_in_english(tmp_path, run_cli):
    _, text, _ = imported(run_cli, _copy(tmp_path, "skyfall-sv.csv"), "--lang", "en")
    assert (
        '# TODO: the row referred to ("2", row 5) had no expected action, so the condition could not be built' in text
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_role_with_a_slash_round_trips(tmp_path, run_cli, fmt):
    source = tmp_path / "s.yaml"
    source.write_text(
        """\
format: 1
id: snedstreck
title: Snedstreck
duration: 1h
start: 2026-03-10T08:00
organisation: {name: Testby}
roles:
  - {id: press, name: Press/Info}
  - {id: stab, name: "Krisledning / Stab"}
personas: [{id: p4, name: Karin Ek, kind: journalist, outlet: P4 Kalmar}]
injects:
  - {id: a, at: 5m, channel: phone, from: p4, to: press, text: Hej}
  - {id: b, at: 9m, channel: phone, from: p4, to: stab, text: Hej igen}
""",
        encoding="utf-8",
    )
    sheet = tmp_path / f"lista.{fmt}"
    export(run_cli, source, sheet)
    back = reimport(run_cli, sheet)
    assert [r.name for r in back.roles] == ["Press/Info", "Krisledning / Stab"]
    assert [(i.id, {r.id: r.name for r in back.roles}[i.to]) for i in back.injects] == [
        ("a", "Press/Info"),
        ("b", "Krisledning / Stab"),
    ]


def test_a_date_and_a_scenario_time_beside_a_send_time_are_both_kept(tmp_path, run_cli):
    rows = [
        ["Date", "Real Time", "Scenario Time", "From", "To", "Message"],
        ["2026-03-12 14:00", "9:15 AM", "Day 3 06:00", "Jonas Berg, TiB", "Press", "Brand i lagret."],
        ["2026-03-12 15:30", "9:40 AM", "Day 3 07:30", "Jonas Berg, TiB", "Press", "Röken sprids."],
    ]
    import csv

    path = tmp_path / "both.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    scenario, _, _ = imported(run_cli, path)
    note = scenario.injects[1].note
    assert "Scenario Time: Day 3 07:30" in note and "Date: 2026-03-12 15:30" in note
    assert [i.at for i in scenario.injects] == [0, 25 * 60]
