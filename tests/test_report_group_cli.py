"""`krisovning report S1 S2 S3 --side-by-side`: the group report from the journal, its labels and its errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from hostile import TYPED, has_raw_control

from krisovning.cli import main
from krisovning.cli.commands_report import side_by_side
from krisovning.i18n import set_language
from krisovning.session import SqliteStore

STARTER = Path(__file__).parent.parent / "src/krisovning/data/starter.yaml"
RUNS = (("1", "realistic"), ("2", "diligent"), ("3", "slow"))


def run(capsys, *args: str, lang: str = "sv") -> tuple[int, str, str]:
    code = main(["--lang", lang, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line_error(result: tuple[int, str, str], code: int, *needles: str) -> None:
    got, out, err = result
    assert got == code, result
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and "internt fel" not in err and "internal error" not in err
    for needle in needles:
        assert needle in err, err


@pytest.fixture(scope="module")
def journal(tmp_path_factory) -> Path:
    """Three drills of the starter (seeds 1–3, three bot teams) and one of a variant for another municipality."""
    folder = tmp_path_factory.mktemp("group")
    db = folder / "j.db"
    text = STARTER.read_text(encoding="utf-8").replace("name: Sjöstads kommun", "name: Åby kommun", 1)
    start, end = text.index("  - id: mediesamtal"), text.index("  - id: lagesbild\n    title")
    (folder / "aby.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    for path, (seed, policy) in [(STARTER, run_) for run_ in RUNS] + [(folder / "aby.yaml", ("4", "realistic"))]:
        args = ["simulate", str(path), "--db", str(db), "--seed", seed, "--policy", policy, "--json"]
        assert main(["--lang", "sv", *args]) == 0
    set_language("sv")
    return db


def _ids(db: Path) -> list[str]:
    """The sessions by seed: the starter's three, then the variant's."""
    store = SqliteStore.open(db, write=False)
    try:
        by_seed = {s.seed: s.id for s in store.sessions()}
    finally:
        store.close()
    return [by_seed[1], by_seed[2], by_seed[3], by_seed[4]]


def test_three_sessions_side_by_side_with_default_labels(capsys, journal) -> None:
    db = journal
    a, b, c, _ = _ids(db)
    code, out, err = run(capsys, "report", a, b, c, "--side-by-side", "--db", str(db))
    assert code == 0 and err == ""
    assert out.startswith("# Jämförelse mellan kommuner\n")
    # three sessions of Sjöstads kommun: each label gets its session id
    header = next(line for line in out.splitlines() if line.startswith("| Nyckeltal |"))
    assert header == f"| Nyckeltal | Bäst | Sjöstads kommun ({a}) | Sjöstads kommun ({b}) | Sjöstads kommun ({c}) |"


def test_labels_by_session_id_or_its_start_and_the_variant(capsys, journal) -> None:
    db = journal
    a, b, _, aby = _ids(db)
    code, out, _ = run(
        capsys, "report", a[:-2], b, aby, "--side-by-side", "--db", str(db), "--label", f"{a[:-2]}=Sjöstad",
        "--label", f"{b}=Berga", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert [m["label"] for m in data["members"]] == ["Sjöstad", "Berga", "Åby kommun"]
    assert [m["session_id"] for m in data["members"]] == [a, b, aby]
    row = next(o for o in data["objectives"] if o["id"] == "mediesamtal")
    assert row["outcomes"][2] is None and None not in row["outcomes"][:2]
    md = run(capsys, "report", a, aby, "--side-by-side", "--db", str(db))[1]
    assert "> **OLIKA VERSIONER AV SCENARIOT:" in md and "saknas för Åby kommun" in md


def test_html_and_docx_go_to_a_file_named_after_the_first_session(capsys, journal, tmp_path, monkeypatch) -> None:
    db = journal
    a, b, c, _ = _ids(db)
    monkeypatch.chdir(tmp_path)
    for fmt in ("html", "docx"):
        code, out, err = run(capsys, "report", a, b, c, "--side-by-side", "--db", str(db), "--format", fmt)
        assert code == 0 and out == "" and f"krisovning-{a}-kommuner.{fmt}" in err
    html = (tmp_path / f"krisovning-{a}-kommuner.html").read_text(encoding="utf-8")
    assert '<h2 id="lessons">Vad regionen kan lära</h2>' in html
    document = docx.Document(io.BytesIO((tmp_path / f"krisovning-{a}-kommuner.docx").read_bytes()))
    assert len(document.tables) == 3
    # an existing file is kept unless --force
    code, out, err = run(capsys, "report", a, b, "--side-by-side", "--db", str(db), "--format", "html")
    assert code == 1 and "finns redan" in err


def test_the_function_the_group_command_calls(capsys, journal, tmp_path) -> None:
    db = journal
    a, b, c, _ = _ids(db)
    store = SqliteStore.open(db, write=False)
    try:
        target = tmp_path / "region.md"
        assert side_by_side(store, [(a, "Sjöstad"), (b, None), (c, "Berga")], "md", str(target)) == 0
    finally:
        store.close()
    text = target.read_text(encoding="utf-8")
    assert "| Nyckeltal | Bäst | Sjöstad | Sjöstads kommun | Berga |" in text


def test_hostile_labels_from_the_command_line(capsys, journal) -> None:
    db = journal
    a, b, _, _ = _ids(db)
    for label in TYPED:
        for fmt in ("md", "json"):
            code, out, err = run(
                capsys, "report", a, b, "--side-by-side", "--db", str(db), "--label", f"{a}={label}", "--format", fmt
            )
            assert code == 0, err
            assert not has_raw_control(out + err)
            if fmt == "md":
                assert "<script>" not in out
                header = next(line for line in out.splitlines() if line.startswith("| Nyckeltal |"))
                assert len(header.replace("\\|", "").split("|")) - 2 == 4


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["{a}", "{b}"], 2, "ange en övning, eller flera med --side-by-side"),
        (["{a}", "--side-by-side"], 2, "minst två övningar"),
        (["{a}", "{b}", "--side-by-side", "--compare", "{c}"], 2, "kan inte kombineras"),
        (["{a}", "--label", "{a}=X"], 2, "--label gäller bara med --side-by-side"),
        (["{a}", "{b}", "--side-by-side", "--label", "Sjöstad"], 2, "--label Sjöstad: skriv ÖVNING=NAMN"),
        (["{a}", "{b}", "--side-by-side", "--label", "{c}=X"], 2, "är inte med i jämförelsen"),
        (["{a}", "{a}", "--side-by-side"], 2, "angiven två gånger"),
        (["{a}", "finns-inte", "--side-by-side"], 1, 'okänd övning "finns-inte"'),
    ],
)
def test_mistakes_are_one_line_and_an_exit_code(capsys, journal, args, code, needle) -> None:
    db = journal
    a, b, c, _ = _ids(db)
    filled = [x.format(a=a, b=b, c=c) for x in args]
    one_line_error(run(capsys, "report", *filled, "--db", str(db)), code, needle.format(a=a, c=c))


def test_an_unreadable_journal_is_one_line(capsys, tmp_path) -> None:
    bad = tmp_path / "inte-en-journal.db"
    bad.write_bytes(b"det h\xe4r \xe4r ingen databas" * 100)
    result = run(capsys, "report", "a", "b", "--side-by-side", "--db", str(bad))
    one_line_error(result, 1, "inte-en-journal.db")


def test_english(capsys, journal) -> None:
    db = journal
    a, b, _, _ = _ids(db)
    code, out, _ = run(capsys, "report", a, b, "--side-by-side", "--db", str(db), lang="en")
    assert code == 0 and out.startswith("# Comparison of municipalities\n") and "## What the region can learn" in out
    one_line_error(run(capsys, "report", a, b, "--db", str(db), lang="en"), 2, "give one drill, or several")


def test_group_report_compares_the_groups_sessions_in_the_order_they_joined(capsys, journal, tmp_path) -> None:
    from krisovning.session.group import group_sessions, join

    db = tmp_path / "group.db"
    db.write_bytes(journal.read_bytes())
    first, second, third, _ = _ids(db)
    store = SqliteStore.open(db, write=True)
    try:
        for session, label in ((third, "Norrby <b>"), (first, "Ekebacka"), (second, "Åby")):
            join(store, session, "Kalmar län 2026", label)
    finally:
        store.close()
    code, out, err = run(capsys, "group", "report", "Kalmar län 2026", "--db", str(db))
    assert (code, err) == (0, ""), err
    store = SqliteStore.open(db, write=False)
    try:
        joined = [m.label for m in group_sessions(store, "Kalmar län 2026")]  # ties within a millisecond: by id
    finally:
        store.close()
    header = next(line for line in out.splitlines() if "Ekebacka" in line and "Åby" in line)
    assert sorted(joined, key=lambda label: header.index(label.split()[0])) == joined
    assert "<b>" not in out  # a label is text, escaped in Markdown
    code, out, err = run(
        capsys,
        "group",
        "report",
        "Kalmar län 2026",
        "--db",
        str(db),
        "--format",
        "html",
        "-o",
        str(tmp_path / "r.html"),
    )
    assert code == 0 and "&lt;b&gt;" in (tmp_path / "r.html").read_text(encoding="utf-8")
    # two of them only; one is too few; an unknown group is one line
    code, out, _ = run(
        capsys, "group", "report", "Kalmar län 2026", "--db", str(db), "--session", first, "--session", second
    )
    assert code == 0 and "Norrby" not in out and "Åby" in out
    one_line_error(
        run(capsys, "group", "report", "Kalmar län 2026", "--db", str(db), "--session", first), 2, "färre än två"
    )
    one_line_error(run(capsys, "group", "report", "Okänd", "--db", str(db), lang="en"), 1, "no group Okänd")
