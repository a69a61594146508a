"""Writes the messy MSEL corpus in this folder (tests/test_msel_messy.py reads it): spreadsheets in the
shapes facilitators share, made up for the tests. Run it again after changing a sheet here:
`python tests/data/msel/make_corpus.py`; the CSV files are written as such sheets are saved."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

HSEEP = [
    ["Master Scenario Events List – River flood, Sjöstad"],
    ["Exercise date: Monday; all times local"],
    [],
    [
        "Inject #",
        "Date",
        "Real Time",
        "Designated Scenario Time",
        "From",
        "Player Role",
        "Media/Method",
        "Inject Description",
        "Expected Player Action(s)",
        "Max. Response (min)",
        "Controller Name",
        "Evaluator Cue",
    ],
    [
        "1",
        "Day 1",
        "Monday 9:30 AM",
        "Day 3 06:00",
        "Karin Ek, P4 Kalmar",
        "Press/Info",
        "Phone",
        "Reporter asks whether the levee at Norra ån holds.",
        "Reply",
        "15",
        "Anna",
        "Is the PIO briefed?",
    ],
    [
        "2",
        "",
        "9:45 AM",
        "Day 3 07:10",
        "SMHI",
        "Krisledning/Stab",
        "E-mail",
        "Class 3 warning for high flows issued for Sjöstad.",
        "Update the situation picture",
        "20",
        "Anna",
        "",
    ],
    [
        "3",
        "",
        "10:05 AM",
        "Day 3 08:00",
        "Concerned resident",
        "Press/Info",
        "Facebook",
        "Rumour: the dam upstream has broken.",
        "Publish on social media and web",
        "30",
        "Bo",
        "",
    ],
    [
        "4",
        "",
        "12:15 PM",
        "Day 3 10:30",
        "Olle Nord, SVT Småland",
        "Press/Info",
        "Phone",
        "TV wants a live interview at 13:00.",
        "Reply",
        "10",
        "Bo",
        "",
    ],
    [
        "5",
        "",
        "1:05 PM",
        "Day 3 11:20",
        "County Administrative Board",
        "Krisledning/Stab",
        "Email",
        "Request for a joint press release.",
        "Log a decision",
        "45",
        "Anna",
        "",
    ],
]

SWEDISH = [
    ["Inspelslista – Skyfall i Sjöstad (övningsledningens exemplar)"],
    [],
    [
        "Löpnr",
        "Tidpunkt",
        "Avsändare/Källa",
        "Mottagande funktion",
        "Leveranskanal",
        "Inspelsbeskrivning",
        "Förväntat agerande",
        "Svarstid",
        "Villkor",
        "Övningsledarens anteckningar",
        "Att bedöma",
    ],
    [
        "1",
        "måndag 09.30",
        "Jonas Berg, TiB",
        "Kommunikation/Press",
        "telefon",
        "TiB larmar: källare översvämmade i centrum.",
        "Uppdatera lägesbilden",
        "20 min",
        "",
        "Spelledaren ringer",
        "Tid till lägesbild",
    ],
    [
        "2",
        "måndag 09.50",
        "P4 Kalmar",
        "Kommunikation/Press",
        "telefon",
        "P4 frågar om evakuering.",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "3",
        "",
        "Karin Ek, P4 Kalmar",
        "Kommunikation/Press",
        "telefon",
        "P4 ringer igen och är irriterad.",
        "Svara",
        "15",
        "om 2 missas + 5m",
        "",
        "",
    ],
    [
        "4",
        "måndag 10.40",
        "Sjöstads Båtklubb",
        "Webbredaktör",
        "mejl",
        "Båtklubben undrar om hamnen stängs.",
        "Svara",
        "30",
        "",
        "",
        "",
    ],
    ["5", "", "Anna Svensson", "Webbredaktör", "sms", "Tack för beskedet!", "", "", "om 4 uppfylls", "", ""],
    ["6", "", "Anna Svensson", "Webbredaktör", "sms", "Hallå?", "", "", "om 99 missas", "", ""],
    [
        "7",
        "måndag 11.15",
        "Länsstyrelsen",
        "Kommunikation/Press",
        "e-post",
        "Länsstyrelsen vill ha en samlad lägesrapport.",
        "Uppdatera lägesbilden",
        "30",
        "",
        "",
        "",
    ],
]

MULTI_DAY = [
    ["MSEL – Winter storm (two operational periods)"],
    ["Day", "Time", "From", "To", "Method", "Message", "Expected response", "Deadline", "Notes"],
    [
        "Day 1",
        "8:00 AM",
        "Vattenfall",
        "PIO/JIC",
        "Email",
        "Outage affects 12 000 customers.",
        "Publish on the web",
        "40",
        "",
    ],
    ["", "8:20 AM", "Olle Nord, SVT Småland", "PIO/JIC", "Phone", "How many are without power?", "Reply", "15", ""],
    [
        "",
        "Day 1 11:30 PM",
        "Police",
        "Duty officer",
        "Phone",
        "Road 23 blocked by fallen trees.",
        "Log a decision",
        "30",
        "night shift",
    ],
    [
        "Day 2",
        "7:15 AM",
        "Karin Ek, P4 Kalmar",
        "PIO/JIC",
        "Phone",
        "Morning show: when is power back?",
        "Reply",
        "15",
        "",
    ],
    ["", "Day 2 2:15 PM", "Resident", "PIO/JIC", "Twitter", "Still no power in Norrby!!", "", "", ""],
]

REAL_TIME_SV = [
    ["Datum", "Klocktid", "Från", "Till", "Kanal", "Meddelande", "Förväntad åtgärd", "Tidsfrist (min)"],
    [
        dt.datetime(2026, 3, 12, 14, 0),
        dt.time(9, 15),
        "Jonas Berg, TiB",
        "Kommunikationschef",
        "telefon",
        "Brand i lagerlokal, rök över bostadsområde.",
        "Uppdatera lägesbilden",
        20,
    ],
    [
        dt.datetime(2026, 3, 12, 15, 30),
        dt.time(9, 40),
        "Karin Ek, P4 Kalmar",
        "Presssekreterare / talesperson",
        "telefon",
        "Ska folk hålla fönstren stängda?",
        "Svara",
        15,
    ],
    [
        dt.datetime(2026, 3, 12, 18, 0),
        dt.time(10, 5),
        "Räddningstjänsten",
        "Kommunikationschef",
        "Rakel",
        "VMA övervägs för Norrby.",
        "Publicera VMA och på webben",
        20,
    ],
]


def csv_bytes(rows: list[list[object]], delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx(path: Path, rows: list[list[object]], title: str) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Read me"
    notes["A1"] = "Exercise control only"
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(row)
    workbook.active = 1
    workbook.save(path)


def main() -> None:
    (HERE / "hseep-real-time.csv").write_bytes(csv_bytes(HSEEP, ",", "utf-8"))
    (HERE / "skyfall-sv.csv").write_bytes(csv_bytes(SWEDISH, ";", "cp1252"))
    xlsx(HERE / "winter-storm-two-days.xlsx", MULTI_DAY, "MSEL")
    xlsx(HERE / "brand-realtid.xlsx", REAL_TIME_SV, "Inspel")


if __name__ == "__main__":
    main()
