"""import-msel: spreadsheets as facilitators write them → scenarios that validate and simulate.

Every fixture spreadsheet is made here, in tmp_path: English (HSEEP) and Swedish headers,
comma/semicolon/tab, UTF-8 with and without BOM, cp1252, UTF-16, xlsx with time cells,
day + time, T+ and clock times, merged-cell leftovers; and the bad inputs a user meets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisovning.engine.headless import run_headless
from krisovning.msel import columns, times
from krisovning.msel.draft import Column, Draft, DraftInject
from krisovning.msel.problems import CellError
from krisovning.msel.write_yaml import render
from krisovning.scenario import Scenario, load_scenario
from krisovning.slug import slug

# --- helpers ---


def write_csv(path: Path, rows: list[list[object]], *, delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(
    path: Path, rows: list[list[object]], *, title: str = "Inspel", extra_sheets: int = 0, merge: list[str] = ()
) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    for n in range(extra_sheets):  # sheets without an MSEL, in front of the real one
        other = workbook.active if n == 0 else workbook.create_sheet()
        other.title = f"Info {n}"
        other["A1"] = "Övningens syfte"
    sheet = workbook.active if not extra_sheets else workbook.create_sheet()
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def simulate(scenario: Scenario) -> list[dict]:
    """Run the drill with the diligent bot; every timed inject (and those after one) must be delivered."""
    _, events = run_headless(scenario, 1, "diligent")
    delivered = [e.data for e in events if e.kind == "inject" and e.data.get("source") == "scripted"]
    timed = {i.id for i in scenario.injects if i.at is not None or i.after is not None}
    assert timed <= {d["id"] for d in delivered}
    assert timed
    return delivered


def imported(run_cli, source: Path, *options: str) -> tuple[Scenario, str, str]:
    """Import `source`; assert success, a file that validates and simulates; (scenario, yaml text, stdout)."""
    output = source.with_suffix(".yaml")
    code, out, err = run_cli("import-msel", source, "-o", output, *options)
    assert code == 0, err
    assert err == ""
    scenario = load_scenario(output)
    text = output.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=krisovning.schema.json\n")
    code, _, err = run_cli("validate", output)
    assert code == 0, err
    simulate(scenario)
    return scenario, text, out


def by_id(scenario: Scenario) -> dict:
    return {i.id: i for i in scenario.injects}


def persona(scenario: Scenario, ident: str):
    return next(p for p in scenario.personas if p.id == ident)


# --- formats and header variants ---


def test_english_hseep_headers_comma_csv(tmp_path, run_cli):
    rows = [
        [
            "MSEL #",
            "Designated Scenario Time",
            "Originator",
            "Player",
            "Delivery Method",
            "Subject",
            "Script",
            "Expected Player Action",
            "Maximum (minutes)",
            "Objective",
            "Responsible Controller",
            "Location",
        ],
        [
            "1",
            "9:00 AM",
            "County Administrative Board",
            "Head of Communications",
            "E-mail",
            "Status request",
            "Please send a situation report by 10:00.",
            "Send situation report",
            "30",
            "Obj 1 Situation awareness",
            "Anna",
            "EOC",
        ],
        [
            "2",
            "9:20 AM",
            "Karin Ek, P4 Kalmar",
            "Press Officer",
            "Phone",
            "",
            "Is the water safe to drink?",
            "Reply to the journalist",
            "",
            "",
            "",
            "",
        ],
        [
            "3",
            "10:05 AM",
            "Worried parent",
            "Web editor",
            "Twitter",
            "",
            "Nobody tells us anything!",
            "Publish a statement on the web and social media",
            "45",
            "Obj 2 Public information",
            "",
            "",
        ],
    ]
    scenario, text, out = imported(run_cli, write_csv(tmp_path / "msel.csv", rows, delimiter=",", encoding="utf-8"))
    injects = by_id(scenario)
    assert list(injects) == ["inspel-1", "inspel-2", "inspel-3"]
    assert [i.at for i in scenario.injects] == [0, 20 * 60, 65 * 60]
    assert [i.channel.value for i in scenario.injects] == ["email", "phone", "social"]
    first = injects["inspel-1"]
    assert first.subject == "Status request"
    assert first.expect.action.value == "situation_update" and first.expect.within == 30 * 60
    assert first.expect.description == "Send situation report"
    assert (
        "Location: EOC" in first.note and "Anna" in first.note and "Objective: Obj 1 Situation awareness" in first.note
    )
    assert injects["inspel-2"].expect.action.value == "reply" and injects["inspel-2"].expect.within == 15 * 60
    third = injects["inspel-3"].expect
    assert third.action.value == "publish" and third.within == 45 * 60
    assert [c.value for c in third.channels] == ["web", "social"]
    assert persona(scenario, "county-administrative-board").kind.value == "official"
    karin = persona(scenario, injects["inspel-2"].sender)
    assert (karin.name, karin.kind.value, karin.outlet) == ("Karin Ek", "journalist", "P4 Kalmar")
    assert persona(scenario, injects["inspel-3"].sender).kind.value == "citizen"
    assert [r.id for r in scenario.roles] == ["head-of-communications", "press-officer", "web-editor"]
    assert "Obj 1 Situation awareness" in text and "# TODO: övningsmål" in text
    assert "saker att bestämma" in out


def test_swedish_headers_semicolons_bom_and_t_plus_times(tmp_path, run_cli):
    rows = [
        [
            "Nr",
            "Speltid",
            "Avsändare",
            "Mottagare",
            "Kanal",
            "Ämne",
            "Meddelande",
            "Förväntad åtgärd",
            "Tidsfrist",
            "Anteckningar",
        ],
        [
            "1",
            "T+00:05",
            "TiB",
            "Kommunikationschef",
            "Telefon",
            "",
            "Larm: E. coli i vattnet",
            "Uppdatera lägesbilden",
            "20",
            "Start",
        ],
        [
            "2",
            "T+0:15",
            "Karin Ek (P4 Kalmar)",
            "Presssekreterare",
            "samtal",
            "",
            "Stämmer det att vattnet är förorenat?",
            "Svara",
            "15 min",
            "",
        ],
        [
            "3",
            "T+1:30",
            "Aftonbladet",
            "Presssekreterare",
            "mejl",
            "Kommentar?",
            "Vi publicerar om en halvtimme.",
            "Ring tillbaka",
            "0:20",
            "",
        ],
        [
            "4",
            "T+1:30",
            "Krisledningsgruppen",
            "Kommunikationschef",
            "intranät",
            "",
            "Beslut om kokningsrekommendation behövs.",
            "Beslut",
            "1h",
            "",
        ],
    ]
    path = write_csv(tmp_path / "inspel.csv", rows)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    scenario, text, _ = imported(run_cli, path)
    assert [i.at for i in scenario.injects] == [5 * 60, 15 * 60, 90 * 60, 90 * 60]  # rows may share a time
    assert [i.channel.value for i in scenario.injects] == ["phone", "phone", "email", "internal"]
    assert [i.expect.action.value for i in scenario.injects] == ["situation_update", "reply", "reply", "decision"]
    assert [i.expect.within for i in scenario.injects] == [20 * 60, 15 * 60, 20 * 60, 3600]
    assert scenario.injects[1].expect.description is None  # just the label "Svara"
    assert persona(scenario, scenario.injects[1].sender).outlet == "P4 Kalmar"
    assert persona(scenario, scenario.injects[2].sender).kind.value == "journalist"
    assert scenario.injects[2].subject == "Kommentar?"
    assert "avgränsare semikolon" in text and "UTF-8 (BOM)" in text


def test_cp1252_as_swedish_excel_writes_it(tmp_path, run_cli):
    rows = [
        ["Nr", "Tid", "Från", "Till", "Kanal", "Inspel"],
        ["1", "08:30", "Räddningstjänsten Öst", "Webbredaktör", "Webb", "Brand i Ärlingeskogen, rök över Åby."],
        ["2", "08:45", "Sjöstads Energi AB", "Kommunikationschef", "sms", "Strömavbrott på Östermalm – åtgärd pågår."],
    ]
    path = write_csv(tmp_path / "excel.csv", rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    scenario, text, _ = imported(run_cli, path)
    assert scenario.injects[0].text == "Brand i Ärlingeskogen, rök över Åby."
    assert [r.id for r in scenario.roles] == ["webbredaktor", "kommunikationschef"]
    assert scenario.injects[0].sender == "raddningstjansten-ost"
    assert persona(scenario, "raddningstjansten-ost").kind.value == "official"
    assert persona(scenario, "sjostads-energi-ab").kind.value == "organisation"
    assert [i.channel.value for i in scenario.injects] == ["news", "sms"]
    assert "Windows-1252" in text


def test_tab_separated_relative_times(tmp_path, run_cli):
    rows = [
        ["#", "Time", "From", "To", "Method", "Message"],
        ["a", "+15", "SMHI", "Krisledning", "e-post", "Klass 2-varning för storm."],
        ["b", "H+1:30", "SVT Nyheter", "Krisledning", "TV", "SVT rapporterar om stormen."],
        ["c", "45", "Invånare", "Krisledning", "Facebook", "Var kan jag ladda min telefon?"],
        ["d", "1h50m", "P4 Kalmar", "Krisledning", "radio", "P4 sänder nyheter om strömavbrottet."],
    ]
    scenario, text, _ = imported(run_cli, write_csv(tmp_path / "tabs.tsv", rows, delimiter="\t", encoding="utf-8"))
    assert [(i.id, i.at) for i in scenario.injects] == [("a", 900), ("b", 5400), ("c", 2700), ("d", 6600)]
    assert [i.channel.value for i in scenario.injects] == ["email", "tv", "social", "radio"]
    assert "avgränsare tabb" in text


def test_utf16_unicode_text_from_excel(tmp_path, run_cli):
    rows = [["Tid", "Inspel"], ["T+0:10", "Hej från Excels Unicode-text"]]
    scenario, _, _ = imported(run_cli, write_csv(tmp_path / "u16.txt", rows, delimiter="\t", encoding="utf-16"))
    assert scenario.injects[0].text == "Hej från Excels Unicode-text" and scenario.injects[0].at == 600


def test_xlsx_with_time_cells_title_row_and_merged_cells(tmp_path, run_cli):
    rows = [
        ["Inspelslista – Stormen över Sjöstad"],
        [],
        ["Nr", "Tid", "Från", "Till", "Kanal", "Inspel", "Förväntad åtgärd", "Svarstid"],
        [
            1,
            dt.time(9, 0),
            "TiB",
            "Kommunikationschef",
            "Telefon",
            "Stormen har fällt träd över ledningar.",
            "lägesbild",
            20,
        ],
        [
            2,
            dt.time(9, 10),
            "Karin Ek, P4 Kalmar",
            "Presssekreterare",
            "Telefon",
            "Hur många saknar ström?",
            "svara",
            15,
        ],
        [3, None, "Expressen", "Presssekreterare", "Telefon", "Vi vill ha en kommentar.", None, None],
        [
            4,
            0.40625,
            "Invånare",
            "Webbredaktör",
            "Instagram",
            "Bild på träd över vägen",
            None,
            None,
        ],  # 09:45 as a day fraction
        [
            5,
            dt.datetime(1899, 12, 30, 10, 0),
            "Länsstyrelsen",
            "Kommunikationschef",
            "E-post",
            "Samverkanskonferens kl 10.30",
            None,
            None,
        ],
    ]
    path = write_xlsx(tmp_path / "storm.xlsx", rows, extra_sheets=1, merge=["B5:B6"])
    scenario, text, _ = imported(run_cli, path)
    assert scenario.title == "Stormen över Sjöstad"
    assert [i.at for i in scenario.injects] == [0, 600, 600, 45 * 60, 3600]
    assert "samma tid som raden ovanför" in text  # the merged time cell
    assert "blad: Inspel" in text
    assert scenario.start.time() == dt.time(9, 0)


def test_xlsx_timedelta_and_text_times(tmp_path, run_cli):
    rows = [
        ["Event No.", "Time", "Message", "Method"],
        ["E1", dt.timedelta(minutes=5), "Five minutes in", "phone"],
        ["E2", "T+0:25", "Twenty-five minutes in", "news"],
        ["E3", 40, "Forty minutes in", "sms"],
    ]
    scenario, _, _ = imported(run_cli, write_xlsx(tmp_path / "td.xlsx", rows))
    assert [(i.id, i.at) for i in scenario.injects] == [("E1", 300), ("E2", 1500), ("E3", 2400)]


def test_split_day_and_time_columns(tmp_path, run_cli):
    rows = [
        ["Dag", "Tid", "Från", "Till", "Inspel"],
        ["Dag 1", "14:00", "TiB", "Kommunikationschef", "Larm om brand."],
        ["", "16:30", "SVT", "Presssekreterare", "Hur går släckningen?"],
        ["Dag 2", "08:00", "Länsstyrelsen", "Kommunikationschef", "Morgonens lägesbild?"],
        ["", "09:15", "P4 Kalmar", "Presssekreterare", "Evakueringen – stämmer det?"],
    ]
    scenario, _text, _ = imported(run_cli, write_csv(tmp_path / "dagar.csv", rows))
    day = 24 * 3600
    assert [i.at for i in scenario.injects] == [0, 2.5 * 3600, day - 6 * 3600, day - 4.75 * 3600]
    assert scenario.start.time() == dt.time(14, 0)
    assert scenario.duration >= scenario.injects[-1].at


def test_day_and_time_in_one_cell_and_weekdays(tmp_path, run_cli):
    rows = [["Tid", "Inspel"], ["Dag 1 09:15", "första"], ["Dag 1 11:00", "andra"], ["Dag 2 09:00", "tredje"]]
    scenario, _, _ = imported(run_cli, write_csv(tmp_path / "dag.csv", rows))
    assert [i.at for i in scenario.injects] == [0, 105 * 60, 24 * 3600 - 15 * 60]
    rows = [["Time", "Message"], ["Monday 9:30 AM", "one"], ["Tuesday 8:00 AM", "two"]]
    scenario, _, _ = imported(run_cli, write_csv(tmp_path / "weekday.csv", rows, delimiter=","))
    assert [i.at for i in scenario.injects] == [0, 24 * 3600 - 90 * 60]
    assert scenario.start.weekday() == 0


def test_full_date_times_set_the_start(tmp_path, run_cli):
    rows = [["Tid", "Inspel"], ["2026-03-10 09:15", "ett"], ["2026-03-10 10:00", "två"], ["2026-03-11 08:00", "tre"]]
    scenario, text, _ = imported(run_cli, write_csv(tmp_path / "datum.csv", rows))
    assert scenario.start == dt.datetime(2026, 3, 10, 9, 15)
    assert [i.at for i in scenario.injects] == [0, 45 * 60, 22 * 3600 + 45 * 60]
    assert "datumet är gissat" not in text


def test_t3sf_style_columns_and_ambiguous_dates(tmp_path, run_cli):
    rows = [
        ["#", "Real Time", "Date", "Subject", "From", "Player", "Script", "Photo", "Profile", "Poll"],
        [
            "1",
            "10:00 AM",
            "03/10/2026",
            "Breaking",
            "Reuters",
            "Legal",
            "Reports of a breach, details unclear",
            "",
            "",
            "",
        ],
        ["2", "10:30 AM", "03/10/2026", "Follow-up", "Jane Doe", "Legal", "Can you confirm?", "img.png", "", ""],
    ]
    scenario, text, _ = imported(run_cli, write_csv(tmp_path / "t3sf.csv", rows, delimiter=",", encoding="utf-8"))
    assert [i.at for i in scenario.injects] == [0, 1800]
    assert scenario.injects[1].note == "Photo: img.png"
    assert persona(scenario, scenario.injects[0].sender).kind.value == "journalist"
    assert "TODO: kontrollera datumet" in text
    assert 'Okända kolumner (sparade i varje inspels note): "Photo", "Profile", "Poll"' in text


def test_start_option_and_midnight(tmp_path, run_cli):
    rows = [["Tid", "Inspel"], ["08:15", "ett"], ["09:00", "två"]]
    scenario, text, _ = imported(run_cli, write_csv(tmp_path / "start.csv", rows), "--start", "2026-05-04T08:00")
    assert [i.at for i in scenario.injects] == [900, 3600]
    assert scenario.start == dt.datetime(2026, 5, 4, 8, 0)
    rows = [["Tid", "Inspel"], ["23:30", "sent"], ["00:15", "efter midnatt"]]
    scenario, text, _ = imported(run_cli, write_csv(tmp_path / "natt.csv", rows))
    assert [i.at for i in scenario.injects] == [0, 45 * 60]
    assert "nästa dygn" in text


def test_merged_cell_leftovers(tmp_path, run_cli):
    rows = [
        ["Nr", "Tid", "Från", "Till", "Inspel"],
        ["1", "09:00", "TiB", "Kommunikationschef", "Första stycket."],
        ["", "", "", "", "Andra stycket av samma inspel."],
        ["", "", "", "", ""],
        ["2", "09:10", "P4", "Presssekreterare", "Ett samtal."],
        ["", "", "SVT", "Presssekreterare", "Ett samtal till, samma minut."],
        ["", "09:30", "", "", ""],
        ["", "", "", "", "Text vars tid stod på raden ovanför."],
        ["Nr", "Tid", "Från", "Till", "Inspel"],  # the header printed again
        ["", "09:50", "", "", ""],
    ]
    scenario, text, _ = imported(run_cli, write_csv(tmp_path / "merged.csv", rows))
    texts = [i.text for i in scenario.injects]
    assert texts[0] == "Första stycket.\nAndra stycket av samma inspel."
    assert [i.at for i in scenario.injects] == [0, 600, 600, 1800]
    assert texts[3] == "Text vars tid stod på raden ovanför."
    assert "rad 3 hade bara text" in text
    assert "tiden kommer från rad 7" in text
    assert "rad 10 hade bara en tid och hoppades över" in text
    assert len(scenario.injects) == 4


def test_unknown_channel_expectation_and_receivers(tmp_path, run_cli):
    rows = [
        ["Tid", "Från", "Till", "Kanal", "Inspel", "Förväntad åtgärd", "Maximum (minutes)"],
        ["10:00", "Okänd person", "Alla", "Brevduva", "Ett meddelande.", "Ha en bra dag", ""],
        ["10:05", "", "Presssekreterare, Kommunikationschef", "", "Ingen avsändare.", "", "10"],
    ]
    scenario, text, _ = imported(run_cli, write_csv(tmp_path / "okand.csv", rows))
    first, second = scenario.injects
    assert first.channel.value == "email" and 'TODO: okänd kanal "Brevduva"' in text
    assert first.expect is None and "Förväntad åtgärd: Ha en bra dag" in first.note
    assert first.to == "presssekreterare"  # "Alla" → the default role: the first named
    assert "TODO: rader utan mottagare eller till alla (1)" in text
    assert second.expect.action.value == "reply" and second.expect.within == 600 and "antog svar" in text
    assert persona(scenario, second.sender).name == "Okänd avsändare"
    assert "TODO: flera mottagare" in text


def test_placeholders_braces_and_facts(tmp_path, run_cli):
    rows = [
        ["Tid", "Från", "Inspel"],
        [
            "T+0:05",
            "P4 Kalmar",
            "Hej, {sender.name} här. {stromlosa} saknar ström. Se {personas.okand.name} och {en sak}, } {",
        ],
    ]
    scenario, text, _ = imported(run_cli, write_csv(tmp_path / "klammer.csv", rows))
    assert scenario.facts == {"stromlosa": "[stromlosa]"}
    assert (
        scenario.injects[0].text
        == "Hej, {sender.name} här. {stromlosa} saknar ström. Se {{personas.okand.name}} och {{en sak}}, }} {{"
    )
    assert "TODO: fyll i värdena" in text and "klammerparenteser" in text


def test_conditions_column(tmp_path, run_cli):
    rows = [
        ["Nr", "Tid", "Villkor", "Från", "Inspel", "Förväntad åtgärd"],
        ["larm", "T+0:05", "", "TiB", "Larm", "Svara"],
        ["igen", "", "om larm missas + 5m", "TiB", "Hallå?", ""],
        ["sedan", "", "efter larm + 10m", "TiB", "Uppföljning", ""],
        ["tack", "", "om larm uppfylls", "TiB", "Tack!", ""],
        ["oklart", "", "när det regnar", "TiB", "Regn", ""],
        ["tidsatt", "T+0:40", "om ingen svarat", "TiB", "Villkor med tid", ""],
    ]
    scenario, text, _ = imported(run_cli, write_csv(tmp_path / "villkor.csv", rows))
    injects = by_id(scenario)
    assert (
        injects["igen"].when.type == "missed" and injects["igen"].when.inject == "larm" and injects["igen"].delay == 300
    )
    assert injects["sedan"].after == "larm" and injects["sedan"].delay == 600
    assert injects["tack"].when.type == "met"
    assert injects["oklart"].at == 300 and "Villkor: när det regnar" in injects["oklart"].note
    assert injects["tidsatt"].at == 2400 and "villkoret (se note) följer inte med" in text


def test_generated_yaml_has_todos_for_the_facilitator(tmp_path, run_cli):
    rows = [["Tid", "Inspel", "Övningsmål"], ["09:00", "Hej", "Mål 1: Första beskedet"]]
    _, text, out = imported(run_cli, write_csv(tmp_path / "todo.csv", rows))
    for needle in (
        "# TODO: övningens längd",
        "# TODO: datum och klockslag",
        "# TODO: kommunens namn",
        "# TODO: övningsmål",
        'Inspelslistan nämner: "Mål 1: Första beskedet"',
    ):
        assert needle in text
    assert "krisovning validate" in out and "todo.yaml" in out


def test_english_ui_writes_english_comments(tmp_path, run_cli):
    rows = [["Time", "Message"], ["09:00", "Hello"]]
    path = write_csv(tmp_path / "en.csv", rows, delimiter=",")
    code, out, err = run_cli("import-msel", path, "-o", tmp_path / "en.yaml", "--lang", "en")
    assert code == 0, err
    text = (tmp_path / "en.yaml").read_text(encoding="utf-8")
    assert "# TODO: the length of the exercise" in text and 'language: "en"' in text
    assert "Wrote" in out
    load_scenario(tmp_path / "en.yaml")


def test_never_overwrites_without_force(tmp_path, run_cli):
    path = write_csv(tmp_path / "a.csv", [["Tid", "Inspel"], ["09:00", "Hej"]])
    target = tmp_path / "a.yaml"
    target.write_text("mitt arbete\n", encoding="utf-8")
    code, _, err = run_cli("import-msel", path, "-o", target)
    assert code == 1 and "--force" in err and target.read_text(encoding="utf-8") == "mitt arbete\n"
    code, _, err = run_cli("import-msel", path, "-o", target, "--force")
    assert code == 0, err
    load_scenario(target)


# --- bad input: one clear line naming row and column, exit 1, nothing written ---


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


BAD = [
    (
        "no_time",
        lambda p: write_csv(p / "x.csv", [["Från", "Till", "Inspel"], ["A", "B", "Hej"]]),
        ["rad 1", "tidskolumn", '"Inspel"'],
    ),
    (
        "no_text",
        lambda p: write_csv(p / "x.csv", [["Tid", "Från", "Till"], ["09:00", "A", "B"]]),
        ["rad 1", "inspelets text"],
    ),
    (
        "bad_time",
        lambda p: write_csv(p / "x.csv", [["Tid", "Inspel"], ["09:00", "a"], ["09:10", "b"], ["kl nio", "c"]]),
        ['rad 4, kolumn "Tid": kan inte tolka tiden "kl nio"'],
    ),
    (
        "bad_time_xlsx",
        lambda p: write_xlsx(p / "x.xlsx", [["Title"], ["Time", "Message"], ["soon", "x"]]),
        ['rad 3, kolumn "Time"', '"soon"'],
    ),
    (
        "bad_deadline",
        lambda p: write_csv(p / "x.csv", [["Tid", "Inspel", "Tidsfrist"], ["09:00", "a", "snart"]]),
        ['rad 2, kolumn "Tidsfrist"', '"snart"'],
    ),
    (
        "bad_day",
        lambda p: write_csv(p / "x.csv", [["Dag", "Tid", "Inspel"], ["igår", "09:00", "a"]]),
        ['rad 2, kolumn "Dag"'],
    ),
    (
        "negative",
        lambda p: write_csv(p / "x.csv", [["Tid", "Inspel"], ["T-0:10", "a"]]),
        ['rad 2, kolumn "Tid"', "negativa"],
    ),
    (
        "too_late",
        lambda p: write_csv(p / "x.csv", [["Tid", "Inspel"], ["T+200:00", "a"]]),
        ['rad 2, kolumn "Tid"', "7 dygn"],
    ),
    (
        "no_first_time",
        lambda p: write_csv(p / "x.csv", [["Tid", "Från", "Inspel"], ["", "A", "a"]]),
        ['rad 2, kolumn "Tid"', "saknas"],
    ),
    ("header_only", lambda p: write_csv(p / "x.csv", [["Tid", "Inspel"]]), ["rad 1", "inga inspel"]),
    ("no_header", lambda p: write_csv(p / "x.csv", [["hej", "hopp"], ["1", "2"]]), ["ingen rubrikrad"]),
    ("junk", lambda p: (p / "x.csv").write_bytes(bytes(range(256)) * 20) and p / "x.csv", ["inte ett kalkylark"]),
    ("docx_as_xlsx", lambda p: _docx(p / "x.xlsx"), ["Word-dokument"]),
    ("docx_as_csv", lambda p: _docx(p / "x.csv"), ["Word-dokument"]),
    (
        "xls",
        lambda p: (p / "x.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) and p / "x.xls",
        [".xls"],
    ),
    ("broken_zip", lambda p: (p / "x.xlsx").write_bytes(b"PK\x03\x04" + b"garbage" * 50) and p / "x.xlsx", ["skadad"]),
    ("pdf", lambda p: (p / "x.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj") and p / "x.pdf", ["PDF"]),
    ("empty", lambda p: (p / "x.csv").write_bytes(b"") or p / "x.csv", ["filen är tom"]),
    ("blank", lambda p: (p / "x.csv").write_bytes(b"\xef\xbb\xbf \r\n\r\n") and p / "x.csv", ["filen är tom"]),
    ("missing", lambda p: p / "finns-inte.csv", ["finns inte"]),
    ("directory", lambda p: p, ["katalog"]),
    (
        "too_many_roles",
        lambda p: write_csv(
            p / "x.csv", [["Tid", "Till", "Inspel"]] + [["09:00", f"Roll {n}", "a"] for n in range(60)]
        ),
        ["60 olika mottagare", "högst 50"],
    ),
    (
        "before_start",
        lambda p: write_csv(p / "x.csv", [["Tid", "Inspel"], ["09:00", "a"]]),
        ['rad 2, kolumn "Tid"', "före övningens start"],
    ),
]


@pytest.mark.parametrize(("case", "make", "needles"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_clear_line(tmp_path, run_cli, case, make, needles):
    folder = tmp_path / "in"
    folder.mkdir()
    source = make(folder)
    output = tmp_path / "out" / "scenario.yaml"
    output.parent.mkdir()
    extra = ["--start", "10:00"] if case == "before_start" else []
    code, out, err = run_cli("import-msel", source, "-o", output, *extra)
    assert code == 1
    assert out == ""
    assert err.startswith("krisovning: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err
    assert list(output.parent.iterdir()) == []  # nothing written, not even the schema


def test_bad_input_in_english(tmp_path, run_cli):
    path = write_csv(tmp_path / "x.csv", [["Time", "Message"], ["half past nine", "a"]], delimiter=",")
    code, _, err = run_cli("import-msel", path, "-o", tmp_path / "x.yaml", "--lang", "en")
    assert code == 1
    assert 'x.csv: row 2, column "Time": cannot read the time "half past nine"' in err


def test_output_must_be_yaml(tmp_path, run_cli):
    path = write_csv(tmp_path / "x.csv", [["Tid", "Inspel"], ["09:00", "a"]])
    code, _, err = run_cli("import-msel", path, "-o", tmp_path / "x.txt")
    assert code == 1 and ".yaml" in err and not (tmp_path / "x.txt").exists()


# --- the recognisers ---


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Tid", "time"),
        ("TID ", "time"),
        ("Speltid", "time"),
        ("Designated Scenario Time", "time"),
        ("Inject time", "time"),
        ("Date/Time Delivered", "time"),
        ("T+", "time"),
        ("#", "id"),
        ("MSEL #", "id"),
        ("Event No.", "id"),
        ("Nr", "id"),
        ("Inject", "id"),
        ("Från", "sender"),
        ("FRAN", "sender"),
        ("Avsändare", "sender"),
        ("Originator", "sender"),
        ("Till", "to"),
        ("Mottagare", "to"),
        ("Player", "to"),
        ("Recipient", "to"),
        ("Kanal", "channel"),
        ("Delivery Method", "channel"),
        ("Inject Mode", "channel"),
        ("Inspel", "text"),
        ("Meddelande", "text"),
        ("Script", "text"),
        ("Message text", "text"),
        ("Ämne", "subject"),
        ("Message subject", "subject"),
        ("Förväntad åtgärd", "expect"),
        ("förväntad  åtgärd:", "expect"),
        ("Expected (Player) Action", "expect"),
        ("Expected Outcome", "expect"),
        ("Övningsmål", "objective"),
        ("Mål", "objective"),
        ("Core Capability", "objective"),
        ("Anteckningar", "notes"),
        ("Notes", "notes"),
        ("Responsible Controller", "notes"),
        ("Maximum (minutes)", "deadline"),
        ("Tidsfrist (min)", "deadline"),
        ("Svarstid", "deadline"),
        ("Time to respond", "deadline"),
        ("Dag", "day"),
        ("Datum", "day"),
        ("Event Synopsis", "synopsis"),
        ("Händelse", "synopsis"),
        ("Villkor", "condition"),
        ("Prioritet", "priority"),
        ("Plats", None),
        ("Location", None),
        ("", None),
    ],
)
def test_header_recognition(header, field):
    assert columns.header_field(header) == field


@pytest.mark.parametrize(
    ("word", "channel"),
    [
        ("Telefon", "phone"),
        ("samtal", "phone"),
        ("Phone call", "phone"),
        ("telefonsamtal", "phone"),
        ("E-post", "email"),
        ("e-mail", "email"),
        ("Mejl", "email"),
        ("SMS", "sms"),
        ("Twitter", "social"),
        ("X", "social"),
        ("Kvitter", "social"),
        ("Facebook", "social"),
        ("FB", "social"),
        ("Instagram", "social"),
        ("Sociala medier", "social"),
        ("Radio", "radio"),
        ("P4 Kalmar", "radio"),
        ("VMA", "radio"),
        ("TV", "tv"),
        ("SVT", "tv"),
        ("Webb", "news"),
        ("web", "news"),
        ("Artikel", "news"),
        ("Nyheter (webb)", "news"),
        ("news", "news"),
        ("Intranät", "internal"),
        ("internt", "internal"),
        ("Internal", "internal"),
        ("Telefon (P4)", "phone"),
        ("Brevduva", None),
        ("", None),
    ],
)
def test_channel_words(word, channel):
    assert columns.channel_of(word) == channel


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Svara journalisten", "reply"),
        ("svar inom 15 min", "reply"),
        ("Reply", "reply"),
        ("Ring tillbaka", "reply"),
        ("Publicera på webben", "publish"),
        ("Skriv ett pressmeddelande", "publish"),
        ("Publish a press release", "publish"),
        ("Uppdatera lägesbilden", "situation_update"),
        ("Lägesbild till krisledningen", "situation_update"),
        ("Send a situation report", "situation_update"),
        ("Beslut om presskonferens", "decision"),
        ("Log a decision", "decision"),
        ("Ha en bra dag", None),
    ],
)
def test_expected_action_words(text, action):
    assert columns.action_of(text) == action


@pytest.mark.parametrize(
    ("sender", "kind"),
    [
        ("Karin Ek, P4 Kalmar", "journalist"),
        ("SVT Småland", "journalist"),
        ("Aftonbladet", "journalist"),
        ("Barometern", "journalist"),
        ("Smålandsposten", "journalist"),
        ("Länsstyrelsen Kalmar", "official"),
        ("Polisen", "official"),
        ("TiB", "official"),
        ("Sjöstad Energi AB", "organisation"),
        ("Röda Korset", "organisation"),
        ("Orolig förälder", "citizen"),
        ("Anna Svensson", "citizen"),
    ],
)
def test_persona_kind(sender, kind):
    assert columns.persona_kind(sender) == kind


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [
        ("Karin Ek, P4 Kalmar", ("Karin Ek", "journalist", "P4 Kalmar")),
        ("P4 Kalmar, Karin Ek", ("Karin Ek", "journalist", "P4 Kalmar")),
        ("Karin Ek (P4 Kalmar)", ("Karin Ek", "journalist", "P4 Kalmar")),
        ("Karin Ek – SVT", ("Karin Ek", "journalist", "SVT")),
        ("Lisa Holm, reporter på Computer Sweden", ("Lisa Holm", "journalist", "Computer Sweden")),
        ("Hanna Sjödin, Gefle Dagblad", ("Hanna Sjödin", "journalist", "Gefle Dagblad")),
        ("Integritetsskyddsmyndigheten (IMY)", ("Integritetsskyddsmyndigheten (IMY)", "official", None)),
        ("Jonas Berg, Tjänsteperson i beredskap (TiB)", ("Jonas Berg", "official", "Tjänsteperson i beredskap (TiB)")),
        (
            "Redaktionen för krisinformation.se, Myndigheten för civilt försvar",
            ("Redaktionen för krisinformation.se", "official", "Myndigheten för civilt försvar"),
        ),
        ("Anna Svensson, boende i Sjöstad", ("Anna Svensson", "citizen", "boende i Sjöstad")),
        ("Sjöstads Båtklubb", ("Sjöstads Båtklubb", "organisation", None)),
    ],
)
def test_sender_cells(cell, parsed):
    from krisovning.msel.people import parse_sender

    assert parse_sender(cell) == parsed


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("Webbredaktör", "webbredaktor"),
        ("Räddningstjänsten Öst", "raddningstjansten-ost"),
        ("Åsa Öberg", "asa-oberg"),
        ("  Press / Media ", "press-media"),
        ("Café Übel", "cafe-ubel"),
        ("!!!", "x"),
    ],
)
def test_slug(text, ident):  # the one slug rule (slug.py): å/ä/ö → a/a/o, as the engine's generated people
    assert slug(text) == ident


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("09:15", times.Clock(9 * 3600 + 900)),
        ("9.15", times.Clock(9 * 3600 + 900)),
        ("kl 9", times.Clock(9 * 3600)),
        ("kl. 09.30", times.Clock(9 * 3600 + 1800)),
        ("07:29 PM", times.Clock(19 * 3600 + 29 * 60)),
        ("12:05 a.m.", times.Clock(300)),
        ("T+00:15", times.Offset(900)),
        ("T + 1:30:15", times.Offset(5415)),
        ("+15", times.Offset(900)),
        ("H+1:30", times.Offset(5400)),
        ("15", times.Offset(900)),
        ("1h30m", times.Offset(5400)),
        ("90 min", times.Offset(5400)),
        ("2,5", times.Offset(150)),
        ("Dag 2 08:00", times.Clock(8 * 3600, times.Day("n", 2))),
        ("måndag 9:30", times.Clock(9 * 3600 + 1800, times.Day("weekday", 0))),
        ("Dag 3", times.Day("n", 3)),
        ("2026-03-10 09:15", times.Clock(9 * 3600 + 900, times.Day("date", dt.date(2026, 3, 10).toordinal()))),
        ("10/03/2026 09:15", times.Clock(9 * 3600 + 900, times.Day("date", dt.date(2026, 3, 10).toordinal()))),
        (dt.time(9, 15), times.Clock(9 * 3600 + 900)),
        (dt.timedelta(minutes=20), times.Offset(1200)),
        (0.5, times.Clock(12 * 3600)),
        (30, times.Offset(1800)),
        (None, None),
        ("  ", None),
    ],
)
def test_time_forms(value, expected):
    assert times.parse_time(value) == expected


@pytest.mark.parametrize("value", ["kl nio", "25:00", "9:75", "snart", "T+abc", "13:00 PM", True, "2026-02-30 10:00"])
def test_bad_time_forms(value):
    with pytest.raises(CellError):
        times.parse_time(value)


# --- the YAML writer: any text survives quoting ---

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="{}")
    | st.sampled_from("\n\t\u2028\"'#:- "),
    min_size=1,
    max_size=80,
).filter(lambda s: s.strip())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, subject=st.one_of(st.none(), _TEXT.map(lambda s: " ".join(s.split())[:200] or "x")), name=_TEXT)
def test_any_text_survives_the_yaml_writer(text, subject, name):
    inject = DraftInject(
        row=2,
        raw_id=None,
        id="inspel-1",
        at=60,
        channel="phone",
        sender="p",
        to="r",
        text=text,
        subject=subject,
        note=[text],
    )
    draft = Draft(
        source="x.csv",
        title=" ".join(name.split())[:200] or "t",
        columns=[Column(0, "Tid", "time")],
        injects=[inject],
        personas=[{"id": "p", "name": " ".join(name.split())[:200] or "n", "kind": "citizen"}],
        roles=[{"id": "r", "name": "Roll"}],
        start=dt.datetime(2026, 1, 1, 9),
        duration=3600,
    )
    _, scenario = render(draft, "x.yaml")
    assert scenario.injects[0].text == text
    assert scenario.injects[0].subject == subject
    assert scenario.injects[0].note == text.strip()
