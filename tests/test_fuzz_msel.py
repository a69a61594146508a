"""Property tests for import-msel: whatever bytes a facilitator's spreadsheet holds, the importer
gives a scenario that loads, or one clear MselError (naming the row and column when it is about a
cell) — never another exception, and never its own "internal error" (a bug in write_yaml).

Valid CSV and XLSX files are built here and then damaged: bytes flipped, rows and columns dropped
or repeated, cells replaced by awkward text, other encodings and delimiters. Set
KRISOVNING_FUZZ_EXAMPLES to run many more examples (fuzz/README.md).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import math
import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from krisovning.i18n import t
from krisovning.msel import MselError, import_msel
from krisovning.msel.problems import CellError
from krisovning.scenario import Scenario, load_scenario_bytes

EXAMPLES = int(os.environ.get("KRISOVNING_FUZZ_EXAMPLES", "0") or 0)


def _settings(examples: int) -> settings:
    return settings(
        derandomize=not EXAMPLES,
        database=None,
        deadline=None,
        max_examples=EXAMPLES or examples,
        suppress_health_check=list(HealthCheck),
    )


HEADER = [
    "Nr",
    "Tid",
    "Avsändare",
    "Mottagare",
    "Kanal",
    "Ämne",
    "Inspel",
    "Förväntad åtgärd",
    "Tidsfrist",
    "Anteckningar",
]
ROWS = [
    [
        "1",
        "09:00",
        "TiB",
        "Kommunikationschef",
        "Telefon",
        "",
        "Larm: E. coli i vattnet i {kommun}",
        "Uppdatera lägesbilden",
        "20",
        "Start",
    ],
    [
        "2",
        "09:15",
        "Karin Ek (P4 Kalmar)",
        "Presssekreterare",
        "samtal",
        "",
        "Stämmer det att vattnet är förorenat?",
        "Svara",
        "15 min",
        "",
    ],
    ["3", "", "", "", "", "", "…och hur länge?", "", "", ""],
    [
        "4",
        "10:30",
        "Aftonbladet",
        "Presssekreterare",
        "mejl",
        "Kommentar?",
        "Vi publicerar om en halvtimme.",
        "Ring tillbaka",
        "0:20",
        "",
    ],
    ["5", "", "Krisledningsgruppen", "Kommunikationschef", "intranät", "", "Beslut behövs.", "Beslut", "1h", ""],
    ["6", "", "Invånare", "Webbredaktör", "Facebook", "", "Vad gäller nu?", "Publicera på webben", "45", ""],
]
ENGLISH_HEADER = [
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
    "Trigger",
]
ENGLISH_ROWS = [
    [
        "1",
        "T+0:05",
        "County Administrative Board",
        "Head of Communications",
        "E-mail",
        "Status",
        "Send a report.",
        "Send situation report",
        "30",
        "Obj 1",
        "",
    ],
    ["2", "T+0:20", "Karin Ek, P4 Kalmar", "Press Officer", "Phone", "", "Is the water safe?", "Reply", "", "", ""],
    [
        "3",
        "",
        "Worried parent",
        "Web editor",
        "Twitter",
        "",
        "Nobody tells us!",
        "Publish",
        "45",
        "Obj 2",
        "if 2 missed",
    ],
]
XLSX_ROWS = [
    ["Inspelslista – Stormen över Sjöstad"],
    [],
    ["Nr", "Dag", "Tid", "Från", "Till", "Kanal", "Inspel", "Förväntad åtgärd", "Svarstid"],
    [1, "Dag 1", dt.time(9, 0), "TiB", "Kommunikationschef", "Telefon", "Stormen har fällt träd.", "lägesbild", 20],
    [
        2,
        None,
        dt.time(9, 10),
        "Karin Ek, P4 Kalmar",
        "Presssekreterare",
        "Telefon",
        "Hur många saknar ström?",
        "svara",
        15,
    ],
    [3, None, None, "Expressen", "Presssekreterare", "Telefon", "Vi vill ha en kommentar.", None, None],
    [4, None, 0.40625, "Invånare", "Webbredaktör", "Instagram", "Bild på träd över vägen", None, None],
    [
        5,
        "Dag 2",
        dt.datetime(1899, 12, 30, 10, 0),
        "Länsstyrelsen",
        "Kommunikationschef",
        "E-post",
        "Samverkan kl 10.30",
        None,
        None,
    ],
]

# Text a cell might hold: times in every notation, references, placeholders, formulas, control
# characters, right-to-left and astral characters, very long text.
AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "09:00",
        "9:00 AM",
        "T+0:10",
        "T-0:10",
        "+15",
        "45",
        "1h50m",
        "H+1:30",
        "T+200:00",
        "kl nio",
        "Dag 2",
        "måndag",
        "2026-13-45",
        "2026-08-17 09:00",
        "efter 2",
        "After 2 if not answered",
        "om 3 missas",
        "när 1 besvarats",
        "{kommun}",
        "{{",
        "}",
        "{sender.name}",
        "{personas.x.name}",
        "=SUMMA(A1:A3)",
        "'=1+1",
        "@x",
        "-",
        "#",
        "Nr",
        "Tid",
        "Inspel",
        "Till",
        "Från",
        "Kanal",
        "Telefon",
        "mejl",
        "Publicera",
        "Svara",
        "Beslut",
        "Ring tillbaka",
        "20",
        "0:20",
        "snart",
        "1e400",
        "nan",
        "-1",
        "0",
        "\x00",
        "\x07",
        "\x85",
        "\u2028",
        "\ufeff",
        "\u202e",
        "é",
        "åäö",
        "😀",
        "a\r\nb",
        '"',
        "'",
        ";",
        ",",
        "\t",
        "x" * 12_000,
        "Roll " * 50,
        "ord " * 3000,
        "}" * 30,
        "a}" * 6000,
        "1" * 400,
        "T+" + "9" * 400,
    ]
)
CELL = AWKWARD | st.text(max_size=30)
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1", "utf-32", "mac_roman", "cp437", "shift_jis"]

INTERNAL = [t(key, detail="\x01").split("\x01")[0] for key in ("msel.internal_yaml", "msel.internal_invalid")]


def check(raw: bytes, name: str = "fuzz.csv") -> None:
    try:
        text, _draft, scenario = import_msel(raw, name, output_name="fuzz.yaml")
    except MselError as exc:
        assert exc.file == name
        assert exc.message.strip(), exc
        assert "Traceback" not in str(exc)
        assert not any(exc.message.startswith(p) for p in INTERNAL), str(exc)  # write_yaml's own bug
        assert exc.row is None or exc.row >= 1, exc.row
        assert exc.column is None or (exc.row is not None and exc.column.strip()), (exc.row, exc.column)
        assert str(exc).startswith(f"{name}: ")
    else:
        assert isinstance(scenario, Scenario)
        assert isinstance(load_scenario_bytes(text.encode("utf-8"), "fuzz.yaml"), Scenario)


def to_csv(rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8-sig", terminator: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def to_xlsx(rows: list[list[object]], title: str = "Inspel") -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Built once: the mutation tests start from files that import.
VALID_CSV = to_csv([HEADER, *ROWS])
VALID_XLSX = to_xlsx(XLSX_ROWS)


def test_the_valid_files_import() -> None:
    for raw, name in (
        (VALID_CSV, "x.csv"),
        (VALID_XLSX, "x.xlsx"),
        (to_csv([ENGLISH_HEADER, *ENGLISH_ROWS], ","), "e.csv"),
    ):
        text, _, scenario = import_msel(raw, name)
        assert scenario.injects and isinstance(load_scenario_bytes(text.encode()), Scenario)


# --- (a) arbitrary bytes ---


@_settings(300)
@given(st.binary(max_size=600))
@example(b"")
@example(b"PK\x03\x04")
@example(b"PK\x05\x06" + b"\x00" * 18)
@example(b"\xff\xfe")
@example(b"\xfe\xff\x00T")
@example(b"\xef\xbb\xbf")
@example(b"sep=")
@example(b'"sep=;"\n')
@example(b'"' * 3000)
@example(b"Tid;Inspel\n" + b"09:00;" + b'"' * 5)
def test_random_bytes(raw: bytes) -> None:
    check(raw)


@_settings(150)
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


# --- (b) valid CSV, damaged ---


@st.composite
def damaged_rows(draw: st.DrawFn, header: list[str], rows: list[list[str]]) -> list[list[str]]:
    table = [list(header)] + [list(r) for r in rows]
    for _ in range(draw(st.integers(0, 4))):
        op = draw(
            st.sampled_from(["drop_row", "dup_row", "drop_col", "dup_col", "cell", "swap_rows", "ragged", "blank_row"])
        )
        if op == "drop_row" and len(table) > 1:
            del table[draw(st.integers(0, len(table) - 1))]
        elif op == "dup_row":
            i = draw(st.integers(0, len(table) - 1))
            table.insert(draw(st.integers(0, len(table))), list(table[i]))
        elif op in ("drop_col", "dup_col"):
            width = max(len(r) for r in table)
            j = draw(st.integers(0, width - 1))
            for r in table:
                if j < len(r):
                    if op == "drop_col":
                        del r[j]
                    else:
                        r.insert(j, r[j])
        elif op == "cell":
            i = draw(st.integers(0, len(table) - 1))
            if table[i]:
                table[i][draw(st.integers(0, len(table[i]) - 1))] = draw(CELL)
        elif op == "swap_rows" and len(table) > 1:
            a, b = draw(st.integers(0, len(table) - 1)), draw(st.integers(0, len(table) - 1))
            table[a], table[b] = table[b], table[a]
        elif op == "ragged":
            i = draw(st.integers(0, len(table) - 1))
            table[i] = table[i][: draw(st.integers(0, len(table[i])))] + draw(st.lists(CELL, max_size=3))
        elif op == "blank_row":
            table.insert(draw(st.integers(0, len(table))), [])
    return table


@_settings(250)
@given(
    damaged_rows(HEADER, ROWS),
    st.sampled_from([";", ",", "\t", "|"]),
    st.sampled_from(ENCODINGS),
    st.sampled_from(["\r\n", "\n", "\r"]),
    st.booleans(),
)
def test_damaged_csv(table: list[list[str]], delimiter: str, encoding: str, terminator: str, sep_line: bool) -> None:
    raw = to_csv(table, delimiter, encoding, terminator)
    if sep_line:
        raw = f"sep={delimiter}\r\n".encode() + raw
    check(raw)


@_settings(100)
@given(damaged_rows(ENGLISH_HEADER, ENGLISH_ROWS), st.sampled_from([",", ";"]), st.sampled_from(ENCODINGS))
def test_damaged_english_csv(table: list[list[str]], delimiter: str, encoding: str) -> None:
    check(to_csv(table, delimiter, encoding, "\n"))


@_settings(200)
@given(st.lists(st.tuples(st.integers(0, len(VALID_CSV) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_flipped_bytes_in_csv(flips: list[tuple[int, int]]) -> None:
    raw = bytearray(VALID_CSV)
    for position, value in flips:
        raw[position] = value
    check(bytes(raw))


@_settings(100)
@given(st.integers(0, len(VALID_CSV)), st.binary(min_size=1, max_size=40))
def test_inserted_bytes_in_csv(position: int, inserted: bytes) -> None:
    check(VALID_CSV[:position] + inserted + VALID_CSV[position:])


@_settings(60)
@given(st.integers(0, len(VALID_CSV)))
def test_truncated_csv(length: int) -> None:
    check(VALID_CSV[:length])


# --- (c) valid XLSX, damaged ---

XLSX_VALUE = (
    CELL
    | st.none()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.times()
    | st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1))
    | st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1))
    | st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=30))
)


@st.composite
def damaged_sheet(draw: st.DrawFn) -> list[list[object]]:
    table = [list(r) for r in XLSX_ROWS]
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["drop_row", "dup_row", "drop_col", "cell", "cell"]))
        if op == "drop_row" and len(table) > 1:
            del table[draw(st.integers(0, len(table) - 1))]
        elif op == "dup_row":
            i = draw(st.integers(0, len(table) - 1))
            table.insert(draw(st.integers(0, len(table))), list(table[i]))
        elif op == "drop_col":
            j = draw(st.integers(0, 8))
            for r in table:
                if j < len(r):
                    del r[j]
        else:
            i = draw(st.integers(0, len(table) - 1))
            if table[i]:
                value = draw(XLSX_VALUE)
                if isinstance(value, float) and not math.isfinite(value):
                    value = str(value)  # openpyxl writes these as text anyway
                table[i][draw(st.integers(0, len(table[i]) - 1))] = value
    return table


@_settings(80)
@given(damaged_sheet(), st.sampled_from(["Inspel", "Blad1", "MSEL", "x" * 31]))
def test_damaged_xlsx(table: list[list[object]], title: str) -> None:
    check(to_xlsx(table, title), "fuzz.xlsx")


@_settings(100)
@given(st.lists(st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=6))
def test_flipped_bytes_in_xlsx(flips: list[tuple[int, int]]) -> None:
    raw = bytearray(VALID_XLSX)
    for position, value in flips:
        raw[position] = value
    check(bytes(raw), "fuzz.xlsx")


@_settings(40)
@given(st.integers(0, len(VALID_XLSX)))
def test_truncated_xlsx(length: int) -> None:
    check(VALID_XLSX[:length], "fuzz.xlsx")


def test_a_zip_bomb_shaped_xlsx_is_refused_or_read() -> None:
    """A workbook whose sheet expands to many rows: bounded by MAX_ROWS, never unbounded."""
    check(to_xlsx([HEADER] + [["1", "09:00", "A", "B", "mejl", "", "x", "", "", ""]] * 20_001), "big.xlsx")


# --- regressions: what the fuzzing found (each imported as an internal error before the fix) ---

REGRESSIONS = {
    # a line break YAML knows but the comment writer did not (U+2028, U+0085) turned the rest of a
    # comment into YAML: a duplicate `injects:` key, or a key the scenario does not have
    "u2028_in_skipped_id_comment": [HEADER, ROWS[0], ["x\u2028injects: 1", "", "", "", "", "", "", "", "", ""]],
    "u2028_in_unknown_header": [["Tid", "Inspel", "Ex\u2028tra: 1"], ["09:00", "a", "x"]],
    "nel_in_unknown_header": [["Tid", "Inspel", "Ex\x85tra: 1"], ["09:00", "a", "x"]],
    "u2029_in_title_row": [["Övning\u2029id: x"], ["Tid", "Inspel", "Extra"], ["09:00", "a", "b\u2029c"]],
    # a subject longer than 200 characters (also used as the text when the text is missing)
    "long_subject_without_text": [["Tid", "Ämne", "Inspel"], ["09:00", "x" * 12_000, ""]],
    "long_subject": [["Tid", "Ämne", "Inspel"], ["09:00", "Ämne " * 100, "a"]],
    # braces are doubled so that they show as written: a text at the limit grew past it
    "doubled_braces_past_the_limit": [["Tid", "Inspel", "Ämne"], ["09:00", "a}" * 5000, "{ " * 100]],
    "doubled_braces_at_the_cut": [["Tid", "Inspel"], ["09:00", "a" * 9_999 + "{x" + "}" * 10]],
    # a cell of many words near the top: the header search tried every phrase in it (hung for hours)
    "many_words_in_a_cell": [["Tid", "Inspel"], ["09:00", "ord " * 3000]],
    # a number id of 58 digits (an XLSX cell holding 1e57) became an id longer than 64 characters,
    # and so did the 1 000th repeat of a long id
    "long_number_id": [["Nr", "Tid", "Inspel"], ["1" * 80, "09:00", "a"]],
    "repeated_long_id": [["Nr", "Tid", "Inspel"]] + [["x" * 64, "09:00", "a"]] * 1001,
    # the rest of a sender cell becomes a persona's description (at most 10 000 characters)
    "long_sender_description": [["Tid", "Inspel", "Från"], ["09:00", "a", "Anna, " + "b" * 20_000]],
}


def _patched(raw: bytes, old: bytes, new: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(old, new) if info.filename.startswith("xl/worksheets/") else data)
    assert new in b"".join(zipfile.ZipFile(out).read(n) for n in zipfile.ZipFile(out).namelist())
    return out.getvalue()


def test_regressions_in_xlsx_cells() -> None:
    """Number cells past year 9999 or not finite (an XLSX can hold INF): OverflowError, ValueError."""
    huge = 987654321  # written, then replaced in the sheet's XML by a 401-digit number (openpyxl cannot write one)
    cases = (
        (2958466, dt.time(9, 0), 20),
        (1, 3e6 + 0.5, 20),
        (1, dt.time(9, 0), 1e300),
        (1, dt.time(9, 0), 3e306),
        (1, huge, 20),
        (huge, dt.time(9, 0), 20),
        (1, dt.time(9, 0), huge),
    )
    for day, time, deadline in cases:
        rows = [["Dag", "Tid", "Inspel", "Svarstid"], [day, time, "a", deadline]]
        raw = to_xlsx(rows)
        if huge in rows[1]:
            raw = _patched(raw, b"<v>987654321</v>", b"<v>1" + b"0" * 400 + b"</v>")
        try:
            import_msel(raw, "x.xlsx")
        except MselError as exc:
            assert exc.row == 2 and exc.column in ("Dag", "Tid", "Svarstid"), exc
        else:
            raise AssertionError(rows)
    from krisovning.msel.times import parse_day, parse_deadline, parse_time

    for parse in (parse_day, parse_time, parse_deadline):
        for value in (
            math.inf,
            -math.inf,
            math.nan,
            10**30,
            10**400,
            -(10**400),
            2958466,
            3e6 + 0.5,
            3e306,
            "1" * 400,
            "T+" + "9" * 400,
            "inom " + "1" * 400,
        ):
            with contextlib.suppress(CellError):
                parse(value)


def test_regressions() -> None:
    for case, rows in REGRESSIONS.items():
        raw = to_csv(rows, ";", "utf-8")
        text, _, scenario = import_msel(raw, f"{case}.csv")  # imports, no MselError
        assert load_scenario_bytes(text.encode("utf-8")) == scenario, case
    text, _, scenario = import_msel(to_csv(REGRESSIONS["long_subject"], ";", "utf-8"), "x.csv")
    assert len(scenario.injects[0].subject) <= 200 and t("msel.todo.subject_cut", limit=200) in text
    text, _, scenario = import_msel(to_csv(REGRESSIONS["long_subject_without_text"], ";", "utf-8"), "x.csv")
    assert scenario.injects[0].text == "x" * 10_000 and scenario.injects[0].subject == "x" * 200
    _, _, scenario = import_msel(to_csv(REGRESSIONS["doubled_braces_past_the_limit"], ";", "utf-8"), "x.csv")
    text = scenario.injects[0].text
    assert len(text) == 10_000 and text.startswith("a}}a}}") and "}" not in text.replace("}}", "")  # no lone brace
    assert scenario.injects[0].subject == ("{{ " * 67).rstrip()
    _, _, scenario = import_msel(to_csv(REGRESSIONS["doubled_braces_at_the_cut"], ";", "utf-8"), "x.csv")
    assert scenario.injects[0].text == "a" * 9_999  # `{x` became `{{x`: cut before it, not inside it
    _, _, scenario = import_msel(to_xlsx([["Nr", "Tid", "Inspel"], [1e57, dt.time(9, 0), "a"]]), "x.xlsx")
    assert len(scenario.injects[0].id) == 64
    _, _, scenario = import_msel(to_csv(REGRESSIONS["u2028_in_skipped_id_comment"], ";", "utf-8"), "x.csv")
    assert [i.id for i in scenario.injects] == ["inspel-1"]
