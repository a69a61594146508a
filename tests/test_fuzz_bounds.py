"""Bounds and files written (hardening): every documented bound is enforced with a clear message
and listed in docs/scenario-format.md §12; every command that writes a file goes through
cli/files.write_file (never through a symlink, never over a file without --force)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from conftest import STARTER

from krisovning.i18n import t
from krisovning.msel import MselError, import_msel
from krisovning.msel.table import MAX_FILE_BYTES, MAX_ROWS
from krisovning.scenario import ScenarioError, load_scenario, load_scenario_bytes

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "krisovning"


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(text.encode("utf-8"), "s.yaml")
    return [str(p) for p in info.value.problems]


def changed(old: str, new: str, text: str = STARTER) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --- the scenario file ---

BOUNDS = [
    # (what, the change to the starter, what the message says)
    (
        "inject text",
        (
            "      efter stormen i natt. Krisledningsgruppen samlas klockan nio.\n",
            "      efter stormen i natt. " + "x" * 10_000 + "\n",
        ),
        "högst 10000 tecken",
    ),
    ("persona pool size", ("    size: 100\n", "    size: 5001\n"), "större än 5000"),
    ("per_hour", ("    per_hour: 6\n", "    per_hour: 601\n"), "större än 600"),
    ("per_hour zero", ("    per_hour: 6\n", "    per_hour: 0\n"), "större än 0"),
    ("generated in all", ("duration: 1h30m ", "duration: 168h "), None),  # with per_hour 600 below
    ("max_posts", ("  half_life: 10m\n", "  half_life: 10m\n  max_posts: 500001\n"), "större än 500000"),
    ("spike size", ("      spike: 40\n", "      spike: 100001\n"), "större än 100000"),
    ("baseline", ("      baseline: 10 ", "      baseline: 10001 "), "större än 10000"),
    # infinite (or together infinite) weights loaded, then crashed the engine with an IndexError
    ("mix weight", ("{rumour: 0.8, criticism: 0.2}", "{rumour: .inf, criticism: 0.2}"), "större än 1000000"),
    ("mix weights", ("{rumour: 0.8, criticism: 0.2}", "{rumour: 1e308, criticism: 1e308}"), "större än 1000000"),
    (
        "sentiment weight",
        ("  half_life: 10m\n", "  half_life: 10m\n  sentiment: {rumour: {negative: .inf}}\n"),
        "större än 1000000",
    ),
]


@pytest.mark.parametrize(("what", "change", "needle"), BOUNDS, ids=[b[0] for b in BOUNDS])
def test_scenario_bounds_are_enforced_with_a_message(what: str, change: tuple[str, str], needle: str | None) -> None:
    text = changed(*change)
    if what == "generated in all":
        text = changed("    per_hour: 6\n", "    per_hour: 600\n", text)
        needle = t("ref.too_many_generated", n=100_700, limit=20_000)
    found = problems(text)
    assert any(needle in p for p in found), found


def test_generators_just_under_the_total_load() -> None:
    text = changed("duration: 1h30m ", "duration: 24h ", changed("    per_hour: 6\n", "    per_hour: 600\n"))
    load_scenario_bytes(text.encode())  # 14 300 on average: allowed


def test_file_size(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(STARTER.encode() + b"#" * (2 * 1024 * 1024))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "gränsen är 2097152 byte" in str(info.value.problems[0])


# --- other inputs ---


def test_preview_runs(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(STARTER, encoding="utf-8")
    for runs in ("0", "10001"):
        code, _, err = run_cli("preview", path, "--runs", runs)
        assert code == 2 and "mellan 1 och 10000" in err


def test_note_length(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("notes", "latest", "--db", tmp_path / "j.db", "--strength", "x" * 2001)
    assert code == 2 and "högst 2000 tecken" in err


def test_msel_bounds() -> None:
    rows = [["Tid", "Inspel"]] + [["09:00", "a"]] * MAX_ROWS
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    with pytest.raises(MselError, match=f"fler än {MAX_ROWS} rader"):
        import_msel(buffer.getvalue().encode(), "x.csv")
    with pytest.raises(MselError, match="för stor"):
        import_msel(b"Tid;Inspel\n" + b"09:00;a\n" * (MAX_FILE_BYTES // 8), "x.csv")


def test_an_xlsx_that_unpacks_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A "zip bomb": a small file whose parts unpack to gigabytes (openpyxl would read them all)."""
    import openpyxl

    from krisovning.msel import table

    workbook = openpyxl.Workbook()
    workbook.active.append(["Tid", "Inspel"])
    workbook.active.append(["09:00", "x" * 50_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_msel(buffer.getvalue(), "x.xlsx")
    monkeypatch.setattr(table, "MAX_UNZIPPED_BYTES", 40_000)
    with pytest.raises(MselError, match="för stor uppackad"):
        import_msel(buffer.getvalue(), "x.xlsx")


def test_every_bound_is_listed_in_the_format_guide() -> None:
    guide = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    limits = guide[guide.index("## 12. Gränser") : guide.index("## 13.")]
    for needle in (
        "2 MiB",
        "200 000 värden",
        "50 nivåers",
        "1–10 000 tecken",
        "1–200 tecken",
        "7 dygn",
        "roller | 1–50",
        "poolstorlek 1–5 000",
        "inspel | högst 5 000",
        "`per_hour` över 0 och högst 600",
        "20 000",
        "`baseline` 0–10 000",
        "`size` 1–100 000",
        "`sentiment` 0–1 000 000",
        "1–500 000",
        "`preview --runs` | 1–10 000",
        "2 000 tecken",
        "20 MiB",
        "20 000 rader",
        "200 kolumner",
        "10 000 tecken",
    ):
        assert needle in limits, needle


# --- files written ---


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py"))


# Writing that is not a command's output file: SQLite's own files, the session lock, the backup
# before a journal migration, stdout silenced after a broken pipe (or, in the seat server, once it
# has answered the host), documents built in memory, a seat's unsent texts (tui/drafts.py: its own
# atomic write, the UI cannot use the CLI's), the screen text a test asks a seat for.
ALLOWED_WRITES = {
    "session/store.py": ["shutil.copy2(path, backup)"],
    "session/lock.py": ["os.open(self.path, os.O_RDWR | os.O_CREAT"],
    "cli/files.py": ['os.fdopen(fd, "wb")', "os.replace(temp, target)"],
    "cli/__init__.py": ["os.open(os.devnull, os.O_WRONLY)"],
    "web/__main__.py": ["os.open(os.devnull, os.O_WRONLY)"],
    "tui/testscreen.py": [
        'open(f"{path}.part", "w"',  # KRISOVNING_TEST_SCREEN
        'os.replace(f"{path}.part", path)',
        'open(path, "a"',  # KRISOVNING_TRACE_SHOWN (bench/bench_team.py)
    ],
    "report/docx.py": ["doc.save(out)"],  # out is an io.BytesIO
    "msel/export.py": ["workbook.save(buffer)"],  # an io.BytesIO
    "tui/drafts.py": ['os.fdopen(fd, "w"', "os.replace(tmp, self.path)"],
    "tui/seat_ui.py": ["self._drafts.save(self.collect_drafts())"],
}
WRITE_CALLS = re.compile(
    r"open\([^)]*['\"][wax]b?\+?['\"]|\.write_text\(|\.write_bytes\(|\.save\(|shutil\.(copy\w*|move)\("
    r"|os\.open\([^)]*O_(WRONLY|RDWR|CREAT)|os\.fdopen\(|os\.(replace|rename)\(|\.touch\("
)


def test_no_file_is_written_around_write_file() -> None:
    unexpected = []
    for path in _sources():
        name = path.relative_to(SRC).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITE_CALLS.search(line) and not any(allowed in line for allowed in ALLOWED_WRITES.get(name, ())):
                unexpected.append(f"{name}:{number}: {line.strip()}")
    assert not unexpected, "write through cli/files.write_file:\n" + "\n".join(unexpected)


@pytest.fixture
def journal(run_cli, tmp_path: Path) -> tuple[Path, Path]:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(STARTER, encoding="utf-8")
    db = tmp_path / "j.db"
    assert run_cli("simulate", scenario, "--db", db)[0] == 0
    return scenario, db


def _msel(path: Path) -> Path:
    path.write_text("Tid;Inspel\n09:00;Hej\n", encoding="utf-8")
    return path


COMMANDS = {
    "new": lambda s, db, out: ["new", out.with_suffix(".yaml")],
    "schema": lambda s, db, out: ["schema", "-o", out],
    "import-msel": lambda s, db, out: ["import-msel", _msel(s.parent / "m.csv"), "-o", out.with_suffix(".yaml")],
    "export-msel": lambda s, db, out: ["export-msel", s, "-o", out.with_suffix(".csv")],
    "export": lambda s, db, out: ["export", "latest", "--db", db, "-o", out],
    "report-md": lambda s, db, out: ["report", "latest", "--db", db, "-o", out],
    "report-html": lambda s, db, out: ["report", "latest", "--db", db, "--format", "html", "-o", out],
    "report-docx": lambda s, db, out: ["report", "latest", "--db", db, "--format", "docx", "-o", out],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_commands_never_overwrite_or_follow_a_symlink(run_cli, journal, tmp_path: Path, command: str) -> None:
    scenario, db = journal
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    args = COMMANDS[command](scenario, db, out_dir / "result.txt")
    target = Path(args[args.index("-o") + 1]) if "-o" in args else Path(args[-1])
    # an existing file: refused, left alone; with --force: replaced
    target.write_text("mine", encoding="utf-8")
    code, _, err = run_cli(*args)
    assert code == 1 and "finns redan" in err and target.read_text(encoding="utf-8") == "mine"
    assert run_cli(*args, "--force")[0] == 0 and target.read_text(encoding="latin-1") != "mine"
    # a symlink: never written through, not even with --force
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not yours", encoding="utf-8")
    target.unlink()
    target.symlink_to(elsewhere)
    for extra in ((), ("--force",)):
        code, _, err = run_cli(*args, *extra)
        assert code == 1 and "symbolisk länk" in err
        assert target.is_symlink() and elsewhere.read_text(encoding="utf-8") == "not yours"


@pytest.mark.parametrize("command", ["new", "import-msel"])
def test_the_schema_beside_is_never_written_through_a_symlink(run_cli, tmp_path: Path, command: str) -> None:
    """A dangling symlink where the schema goes: the scenario is written, the link left as it is
    (it used to end the command with an error after the scenario had been written)."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "krisovning.schema.json").symlink_to(tmp_path / "nowhere.json")
    args = (
        ["new", folder / "s.yaml"]
        if command == "new"
        else ["import-msel", _msel(tmp_path / "m.csv"), "-o", folder / "s.yaml"]
    )
    code, _, err = run_cli(*args)
    assert code == 0, err
    assert (folder / "s.yaml").is_file() and (folder / "krisovning.schema.json").is_symlink()
    assert not (tmp_path / "nowhere.json").exists()
