"""Spreadsheet bytes → rows of cell values: CSV (`,` `;` or tab; UTF-8 with or without BOM,
UTF-16 as Excel's "Unicode text", cp1252 as Swedish Excel writes it) or XLSX (openpyxl).

Files that are not spreadsheets (a .docx or .xls renamed, binary junk, an empty file) are
named as what they are, so the user knows what to save instead.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from krisovning.i18n import t
from krisovning.msel.problems import MselError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an XLSX's parts, unpacked: a "zip bomb" stops here
MAX_ROWS = 20_000
MAX_COLUMNS = 200
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, list[Any]]]  # (1-based row number as the spreadsheet shows it, cells)


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    sheets: list[Sheet]
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def clean_text(value: str) -> str:
    """Line breaks as \\n (NEL too), no control characters (a scenario refuses them), no stray spaces at the ends."""
    return _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")).strip()


def read_table(raw: bytes, name: str) -> Table:
    if len(raw) > MAX_FILE_BYTES:
        raise MselError(name, t("msel.file.too_large", size=len(raw), limit=MAX_FILE_BYTES))
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise MselError(name, t("msel.file.empty"))
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"PK\x05\x06"):
        return _read_zip(raw, name)
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise MselError(name, t("msel.file.ole"))
    if raw.startswith(b"%PDF"):
        raise MselError(name, t("msel.file.pdf"))
    if raw.startswith(b"{\\rtf"):
        raise MselError(name, t("msel.file.rtf"))
    return _read_csv(raw, name)


# --- CSV ---


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise MselError(name, t("msel.file.binary")) from None
    if b"\x00" in raw[:65536]:
        raise MselError(name, t("msel.file.binary"))
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:
            raise MselError(name, t("msel.file.bad_utf8")) from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Swedish Excel's "CSV (semikolonavgränsad)" is Windows-1252; the few bytes it leaves
    # undefined are replaced rather than refused.
    return raw.decode("cp1252", errors="replace"), "Windows-1252"


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\ufffd")
    return odd > max(8, len(sample) // 50)


def _sniff(text: str) -> str:
    """The delimiter that splits the first lines into the most equal, widest rows."""
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    sample = "\n".join(lines)
    best, best_score = ",", (-1, -1)
    for delimiter in (";", "\t", ","):
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        counts = [len(r) for r in rows if len(r) > 1]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(raw: bytes, name: str) -> Table:
    text, encoding = _decode(raw, name)
    if _looks_binary(text):
        raise MselError(name, t("msel.file.binary"))
    first_line, _, rest = text.partition("\n")
    hinted = re.match(r'^"?sep=(.)"?\s*$', first_line.strip(), re.IGNORECASE)  # Excel's "sep=;" line
    offset = 0
    if hinted:
        delimiter, text, offset = hinted[1], rest, 1
    else:
        delimiter = _sniff(text)
    rows: list[tuple[int, list[Any]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1 + offset):
            if number > MAX_ROWS:
                raise MselError(name, t("msel.file.too_many_rows", limit=MAX_ROWS))
            rows.append((number, [_unguard(clean_text(c)) or None for c in cells[:MAX_COLUMNS]]))
    except csv.Error as exc:
        raise MselError(name, t("msel.file.csv_error", detail=str(exc)), row=reader.line_num) from None
    return Table("csv", [Sheet("", rows)], encoding=encoding, delimiter=delimiter)


def _unguard(text: str) -> str:
    """`'=SUMMA…` → `=SUMMA…`: the apostrophe export-msel (and careful users) put before a
    leading = + - @ so that Excel does not run the cell as a formula."""
    return text[1:] if re.match(r"^'+[=+\-@]", text) else text


# --- XLSX ---

_OTHER_ZIPS = (
    ("word/", "msel.file.docx"),
    ("ppt/", "msel.file.pptx"),
)


def _read_zip(raw: bytes, name: str) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
            unzipped = sum(info.file_size for info in archive.infolist())  # zipfile never unpacks more than this
            mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, NotImplementedError):
        raise MselError(name, t("msel.file.bad_zip")) from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise MselError(name, t("msel.file.too_large_unzipped", size=unzipped, limit=MAX_UNZIPPED_BYTES))
    if "opendocument" in mimetype:
        raise MselError(name, t("msel.file.ods" if "spreadsheet" in mimetype else "msel.file.odt"))
    for prefix, key in _OTHER_ZIPS:
        if any(n.startswith(prefix) for n in names):
            raise MselError(name, t(key))
    if "xl/workbook.xml" not in names and not any(n.startswith("xl/") for n in names):
        raise MselError(name, t("msel.file.zip_not_xlsx"))
    return _read_xlsx(raw, name)


def _read_xlsx(raw: bytes, name: str) -> Table:
    import openpyxl  # imported here: CSV users and the rest of the CLI do not pay for it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise MselError(name, t("msel.file.bad_xlsx", detail=f"{type(exc).__name__}: {exc}"[:200])) from None
    sheets = []
    try:
        active = workbook.active
        ordered = [active] + [ws for ws in workbook.worksheets if ws is not active] if active else workbook.worksheets
        for worksheet in ordered:
            if not hasattr(worksheet, "iter_rows"):  # a chart sheet
                continue
            rows: list[tuple[int, list[Any]]] = []
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    raise MselError(name, t("msel.file.too_many_rows", limit=MAX_ROWS))
                cells = [clean_text(v) or None if isinstance(v, str) else v for v in values[:MAX_COLUMNS]]
                rows.append((number, cells))
            sheets.append(Sheet(worksheet.title, rows))
    except MselError:
        raise
    except Exception as exc:  # as above, while the sheets are read
        raise MselError(name, t("msel.file.bad_xlsx", detail=f"{type(exc).__name__}: {exc}"[:200])) from None
    finally:
        workbook.close()
    return Table("xlsx", sheets)
