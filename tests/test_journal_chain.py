"""The journal is tamper-evident: every kind of hand edit is seen by resume, report and export.

EDITS is the table docs/journal.md counts ("Ändringar i efterhand"): each is made with plain
SQL on a copy of a real interrupted team drill, as someone with a database browser would.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from journal_tools import connection, reseal

from krisovning.cli import main
from krisovning.engine import Action
from krisovning.i18n import set_language
from krisovning.scenario import load_scenario_bytes
from krisovning.session import SqliteStore, check_session, open_for_resume
from krisovning.session.live import LiveDrill
from krisovning.session.store import is_address, open_store

STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")
MIN = 60.0


def _drill(folder: Path) -> tuple[Path, str]:
    """An interrupted drill played by a team: a reply, a decision, a speed change, a publication,
    a situation picture; then a hot-wash note."""
    db = folder / "j.db"
    live = LiveDrill.start(db, load_scenario_bytes(STARTER.encode(), "starter.yaml"), STARTER, "starter.yaml", 1, "sv")
    while live.now < 10 * MIN:
        live.tick(1.0)
    live.act(Action("reply", inject="p4-ringer", text="Vi återkommer inom en timme"))
    live.act(Action("decision", "Vi samlar krisledningen"))
    live.act(Action("speed", speed=2.0))
    while live.now < 20 * MIN:
        live.tick(1.0)
    live.act(Action("publish", "Koka vattnet före användning", channels=("web", "sms")))
    live.act(Action("situation_update", "Läget är oklart", fields={"läge": "oklart"}))
    while live.now < 25 * MIN:
        live.tick(1.0)
    session = live.recorder.info.id
    live.close(interrupted=True)
    assert main(["notes", session, "--db", str(db), "--strength", "Snabbt första besked"]) == 0
    return db, session


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, str]:
    set_language("sv")
    return _drill(tmp_path_factory.mktemp("chain"))


def _seq(con: sqlite3.Connection, where: str) -> int:
    return con.execute(f"SELECT seq FROM entries WHERE {where} ORDER BY seq LIMIT 1").fetchone()[0]


def _renumber(con: sqlite3.Connection, start: int, by: int) -> None:
    """seq += by for every entry from `start` (in two steps: the key must stay unique on the way)."""
    con.execute("UPDATE entries SET seq = -(seq + ?) WHERE seq >= ?", (by, start))
    con.execute("UPDATE entries SET seq = -seq WHERE seq < 0")


def _action_time(con: sqlite3.Connection) -> None:
    seq, t, world, body = con.execute(
        "SELECT seq, t, world_time, body FROM entries WHERE kind = 'action' AND body LIKE '%decision%'"
    ).fetchone()
    data = json.loads(body)
    data["t"] = round(t + 30, 3)
    later = (datetime.fromisoformat(world) + timedelta(seconds=30)).isoformat(timespec="seconds")
    con.execute(
        "UPDATE entries SET t = ?, world_time = ?, body = ? WHERE seq = ?",
        (t + 30, later, json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), seq),
    )


def _speed_removed(con: sqlite3.Connection) -> None:
    seq = _seq(con, "kind = 'action' AND body LIKE '%\"speed\"%'")
    con.execute("DELETE FROM entries WHERE seq = ?", (seq,))
    _renumber(con, seq + 1, -1)


def _inserted_middle(con: sqlite3.Connection) -> None:
    seq = _seq(con, "kind = 'post'")
    _renumber(con, seq, 1)
    con.execute(
        "INSERT INTO entries SELECT session_id, ?, t, kind, world_time, wall_time, body, link FROM entries "
        "WHERE seq = ?",
        (seq, seq + 1),
    )


def _swapped(con: sqlite3.Connection) -> None:
    a = _seq(con, "kind = 'post'")
    b = _seq(con, f"kind = 'post' AND seq > {a}")
    con.execute("UPDATE entries SET seq = -1 WHERE seq = ?", (a,))
    con.execute("UPDATE entries SET seq = ? WHERE seq = ?", (a, b))
    con.execute("UPDATE entries SET seq = ? WHERE seq = -1", (b,))


def _scenario_and_hash(con: sqlite3.Connection) -> None:
    import hashlib

    text = con.execute("SELECT scenario_text FROM sessions").fetchone()[0].replace("seed: 1", "seed: 2")
    con.execute(
        "UPDATE sessions SET scenario_text = ?, scenario_hash = ?", (text, hashlib.sha256(text.encode()).hexdigest())
    )


def sql(*statements: str) -> Callable[[sqlite3.Connection], None]:
    def run(con: sqlite3.Connection) -> None:
        for statement in statements:
            assert con.execute(statement).rowcount != 0 or statement.startswith("INSERT"), statement

    return run


# name → the edit. Each changes something the drill recorded, and nothing else.
EDITS: dict[str, Callable[[sqlite3.Connection], None]] = {
    "the team's reply text": sql(
        "UPDATE entries SET body = replace(body, 'inom en timme', 'i morgon') WHERE kind = 'action'"
    ),
    "the team's decision text": sql(
        "UPDATE entries SET body = replace(body, 'Vi samlar', 'Vi samlar inte') WHERE kind = 'action'"
    ),
    "an action's time, consistently": _action_time,
    "a speed action's value": sql(
        "UPDATE entries SET body = replace(body, '\"speed\":2.0', '\"speed\":5.0') WHERE kind = 'action'"
    ),
    "a speed action removed, later events renumbered": _speed_removed,
    "the clock moved forward": sql("UPDATE sessions SET exercise_time = exercise_time + 600"),
    "the clock moved back": sql("UPDATE sessions SET exercise_time = exercise_time - 30"),
    "the stored scenario text": sql("UPDATE sessions SET scenario_text = replace(scenario_text, 'seed: 1', 'seed: 2')"),
    "the scenario text and its hash": _scenario_and_hash,
    "an inject's text": sql("UPDATE entries SET body = replace(body, 'P4', 'P5') WHERE kind = 'inject'"),
    "a post's text": sql(
        'UPDATE entries SET body = replace(body, \'"text":"\', \'"text":"Inte sant: \') '
        "WHERE seq = (SELECT min(seq) FROM entries WHERE kind = 'post')"
    ),
    "an event's kind": sql(
        "UPDATE entries SET kind = 'inject' WHERE seq = (SELECT min(seq) FROM entries WHERE kind = 'post')"
    ),
    "an event's world time": sql("UPDATE entries SET world_time = '2030-01-01T00:00:00' WHERE seq = 3"),
    "an event's wall time": sql("UPDATE entries SET wall_time = '2000-01-01T00:00:00+00:00' WHERE seq = 3"),
    "a post deleted": sql(
        "DELETE FROM entries WHERE seq = (SELECT max(seq) FROM entries WHERE kind = 'post' AND t < 600)"
    ),
    "the inject the team answered deleted": sql(
        "DELETE FROM entries WHERE kind = 'inject' AND body LIKE '%p4-ringer%'"
    ),
    "the last rows deleted": sql("DELETE FROM entries WHERE seq > (SELECT max(seq) - 3 FROM entries)"),
    "a row added at the end": sql(
        "INSERT INTO entries SELECT session_id, seq + 1, t, kind, world_time, wall_time, body, link "
        "FROM entries WHERE seq = (SELECT max(seq) FROM entries)"
    ),
    "a row added in the middle, later events renumbered": _inserted_middle,
    "two events' order swapped": _swapped,
    "a stored link replaced by another row's": sql(
        "UPDATE entries SET link = (SELECT link FROM entries WHERE seq = 4) WHERE seq = 5"
    ),
    "the seed": sql("UPDATE sessions SET seed = 2"),
    "the team (people → a bot)": sql("UPDATE sessions SET team = 'diligent'"),
    "the start time": sql("UPDATE sessions SET started_at = '2020-01-01T09:00:00+01:00'"),
    "the engine version": sql("UPDATE sessions SET engine_version = '0.0.1'"),
    "the status (interrupted → finished, with an end)": sql(
        "UPDATE sessions SET status = 'finished', ended_at = started_at"
    ),
    "a hot-wash note's text": sql("UPDATE notes SET body = replace(body, 'Snabbt', 'Långsamt')"),
    "a hot-wash note deleted": sql("DELETE FROM notes"),
    "a hot-wash note added": sql(
        "INSERT INTO notes (session_id, kind, body, created_at, link) "
        "SELECT session_id, 'improvement', '{\"text\": \"x\"}', created_at, link FROM notes"
    ),
    "the seal removed": sql("UPDATE sessions SET seal = NULL"),
}


def edited(recorded: tuple[Path, str], folder: Path, edit: Callable[[sqlite3.Connection], None]) -> Path:
    db = folder / "edited.db"
    shutil.copyfile(recorded[0], db)
    con = sqlite3.connect(db, isolation_level=None)
    edit(con)
    con.close()
    return db


@pytest.fixture(params=["sqlite", "pg"])
def edit_in(request, recorded, tmp_path, capsys) -> Callable[[Callable[[sqlite3.Connection], None]], Path | str]:
    """An edit of the recorded drill made in a copy of it, once in a SQLite file and once in a PostgreSQL
    database (copied there with `krisovning copy`, edited with plain SQL as a database tool would)."""

    def make(edit: Callable[[sqlite3.Connection], None]) -> Path | str:
        if request.param == "sqlite":
            return edited(recorded, tmp_path, edit)
        db = str(request.getfixturevalue("pg_db"))
        assert main(["copy", recorded[1], "--db", str(recorded[0]), "--to", db]) == 0
        capsys.readouterr()  # what the copy said is not what the test reads
        with connection(db) as con:
            edit(con)
        return db

    return make


def held(db: Path | str) -> object:
    """What the journal holds, to compare before and after: the file's bytes, or every row of every table."""
    if not is_address(db):
        return Path(db).read_bytes()
    with connection(db) as con:
        tables = con.connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
        return {t: sorted(map(repr, con.connection.execute(f"SELECT * FROM {t}").fetchall())) for (t,) in tables}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_an_untouched_journal_is_intact_everywhere(recorded, edit_in, capsys) -> None:
    db = edit_in(lambda con: None)
    session = recorded[1]
    code, out, err = run(capsys, "export", session, "--db", str(db))
    assert code == 0 and err == ""
    header = json.loads(out.splitlines()[0])
    assert header["integrity"] == {
        "state": "intact",
        "problems": [],
        "chained_since": None,
        "entries": len(out.splitlines()) - 1,
        "notes": 1,
    }
    code, out, _ = run(capsys, "report", session, "--db", str(db))
    assert code == 0 and "CHANGED" not in out and "older krisovning" not in out
    code, out, _ = run(capsys, "report", session, "--db", str(db), "--format", "json")
    assert json.loads(out)["integrity"] == {"state": "intact", "problems": [], "chained_since": None}
    assert run(capsys, "resume", session, "--db", str(db), "--policy", "silent")[0] == 0
    store = open_store(db, write=False)  # and the bot's continuation is chained on
    try:
        assert check_session(store, store.session(session)).state == "intact"
    finally:
        store.close()


@pytest.mark.parametrize("name", list(EDITS))
def test_every_hand_edit_is_detected_by_resume_report_and_export(recorded, edit_in, capsys, name) -> None:
    db = edit_in(EDITS[name])
    session = recorded[1]
    before = held(db)

    code, out, err = run(capsys, "export", session, "--db", str(db))
    assert code == 0 and "was changed after the drill was recorded" in err
    header = json.loads(out.splitlines()[0])
    assert header["integrity"]["state"] == "altered" and header["integrity"]["problems"]

    code, out, err = run(capsys, "report", session, "--db", str(db))
    if code == 1:  # what is left does not fit together: the refusal says why
        assert "was changed after the drill was recorded" in err and "no longer fits together" in err
    else:
        assert code == 0
        first_page = out.split("\n## ")[0]  # before the first section
        assert "THE JOURNAL WAS CHANGED" in first_page
        code, out, _ = run(capsys, "report", session, "--db", str(db), "--format", "json")
        assert json.loads(out)["integrity"]["state"] == "altered"
    assert held(db) == before  # reading never rewrites

    code, _, err = run(capsys, "resume", session, "--db", str(db), "--policy", "silent")
    assert code == 1 and "was changed after the drill" in err and "is not continued" in err
    assert held(db) == before


def test_html_and_docx_say_so_on_their_first_page(recorded, tmp_path, capsys) -> None:
    db = edited(recorded, tmp_path, EDITS["the team's decision text"])
    for fmt in ("html", "docx"):
        out = tmp_path / f"r.{fmt}"
        assert run(capsys, "report", recorded[1], "--db", str(db), "--format", fmt, "-o", str(out))[0] == 0
        if fmt == "html":
            text = out.read_text(encoding="utf-8")
            body = text[text.index("<body") :]
        else:
            with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as docx:
                body = docx.read("word/document.xml").decode("utf-8")
        banner = body.index("THE JOURNAL WAS CHANGED")
        first_section = body.index('<h2 id="summary"') if fmt == "html" else body.index(">Summary<")
        assert banner < first_section, fmt
        assert "event" in body[banner : banner + 600]  # says what differs


def test_a_comparison_names_the_altered_drill(recorded, tmp_path, capsys) -> None:
    db = edited(recorded, tmp_path, EDITS["the clock moved forward"])
    code, out, _ = run(capsys, "report", recorded[1], "--db", str(db), "--compare", recorded[1])
    assert code == 0 and f"THE JOURNAL WAS CHANGED after recording for: {recorded[1]}" in out


def test_notes_are_not_added_to_an_altered_journal(recorded, tmp_path, capsys) -> None:
    db = edited(recorded, tmp_path, EDITS["the seed"])
    code, _, err = run(capsys, "notes", recorded[1], "--db", str(db), "--strength", "Bra")
    assert code == 1 and "no notes were added" in err


def test_notes_are_chained_and_an_edit_of_one_is_seen(recorded, tmp_path, capsys) -> None:
    db = edited(recorded, tmp_path, lambda con: None)
    assert (
        run(
            capsys,
            "notes",
            recorded[1],
            "--db",
            str(db),
            "--improvement",
            "Rollerna",
            "--plan",
            "Larm; Öva larmet; Anna; 2026-09-30",
        )[0]
        == 0
    )
    store = SqliteStore.open(db, write=False)
    try:
        integrity = check_session(store, store.session(recorded[1]))
        assert (integrity.state, integrity.notes) == ("intact", 3)
    finally:
        store.close()
    with sqlite3.connect(db) as con:
        con.execute("UPDATE notes SET body = replace(body, 'Rollerna', 'Allt') WHERE kind = 'improvement'")
    _code, out, _ = run(capsys, "report", recorded[1], "--db", str(db))
    assert "note 2 was changed" in out.split("\n## ")[0]


def test_a_whole_chain_rewritten_with_the_code_is_not_detected(recorded, tmp_path, capsys) -> None:
    """The documented limit (docs/journal.md): tamper-evident, not tamper-proof."""
    db = edited(recorded, tmp_path, EDITS["the team's decision text"])
    reseal(db)
    _code, out, _ = run(capsys, "report", recorded[1], "--db", str(db), "--format", "json")
    assert json.loads(out)["integrity"]["state"] == "intact"


def _as_format_1(db: Path) -> None:
    """The journal as krisovning wrote it before the chain (format 1: no link, anchor, seal or chained_since)."""
    con = sqlite3.connect(db, isolation_level=None)
    for table, column in (
        ("entries", "link"),
        ("notes", "link"),
        ("sessions", "seal"),
        ("sessions", "anchor"),
        ("sessions", "chained_since"),
    ):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.execute("UPDATE sessions SET journal_format = 1")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'format'")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def test_a_format_1_journal_is_read_as_unchained_and_left_as_it_is(recorded, tmp_path, capsys) -> None:
    db = edited(recorded, tmp_path, lambda con: None)
    _as_format_1(db)
    before = db.read_bytes()
    code, out, err = run(capsys, "report", recorded[1], "--db", str(db))
    assert code == 0 and "older krisovning (format 1) without a chain" in out.split("\n## ")[0], err
    code, out, _err = run(capsys, "export", recorded[1], "--db", str(db))
    header = json.loads(out.splitlines()[0])
    assert header["integrity"]["state"] == "unchained" and json.loads(out.splitlines()[1])["link"] is None
    assert run(capsys, "sessions", "--db", str(db), "--json")[0] == 0
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_a_format_1_journal_is_upgraded_when_resumed_and_checked_from_then_on(recorded, tmp_path, capsys) -> None:
    db = edited(recorded, tmp_path, lambda con: None)
    _as_format_1(db)
    old = db.read_bytes()
    recorder, _scenario, _drill = open_for_resume(db, recorded[1])
    since = recorder.info.chained_since
    recorder.finish("interrupted")
    recorder.close()
    assert since and (tmp_path / "edited.db.format1.bak").read_bytes() == old  # the old file, kept
    code, out, _ = run(capsys, "report", recorded[1], "--db", str(db), "--format", "json")
    assert json.loads(out)["integrity"] == {"state": "intact", "problems": [], "chained_since": since}
    code, out, _ = run(capsys, "report", recorded[1], "--db", str(db))
    assert "got its chain on" in out.split("\n## ")[0]
    with sqlite3.connect(db) as con:
        con.execute("UPDATE entries SET body = replace(body, 'Vi samlar', 'Vi samlar inte') WHERE kind = 'action'")
    code, _, err = run(capsys, "resume", recorded[1], "--db", str(db), "--policy", "silent")
    assert code == 1 and "was changed after the drill" in err


def test_a_report_or_export_of_a_drill_being_recorded_is_not_called_altered(tmp_path, monkeypatch, capsys) -> None:
    """A live drill commits rows and seal while a report reads: the reader sees one moment."""
    import krisovning.cli.commands_report as commands_report
    import krisovning.cli.commands_session as commands_session

    live = LiveDrill.start(
        tmp_path / "j.db", load_scenario_bytes(STARTER.encode(), "starter.yaml"), STARTER, "starter.yaml", 1, "sv", 60.0
    )
    live.tick(2.0)
    for module in (commands_report, commands_session):
        real = module.find_session

        def find_then_the_drill_goes_on(store, wanted, *, unfinished=False, real=real):
            info = real(store, wanted, unfinished=unfinished)
            live.tick(1.0)  # a minute of exercise time committed between the session row and its entries
            live.act(Action("decision", "Under tiden"))
            return info

        monkeypatch.setattr(module, "find_session", find_then_the_drill_goes_on)
    try:
        code, out, _ = run(capsys, "report", "latest", "--db", str(tmp_path / "j.db"), "--format", "json")
        assert code == 0 and json.loads(out)["integrity"]["state"] == "intact"
        code, out, err = run(capsys, "export", "latest", "--db", str(tmp_path / "j.db"))
        assert code == 0 and json.loads(out.splitlines()[0])["integrity"]["state"] == "intact" and err == ""
    finally:
        live.close(interrupted=True)


def test_hostile_text_is_chained_and_comes_back_exactly(tmp_path, capsys) -> None:
    from hostile import TYPED

    live = LiveDrill.start(
        tmp_path / "j.db", load_scenario_bytes(STARTER.encode(), "starter.yaml"), STARTER, "starter.yaml", 1, "sv"
    )
    for text in TYPED:
        live.act(Action("decision", text))
        live.tick(1.0)
    session = live.recorder.info.id
    live.close(interrupted=True)
    assert (
        run(
            capsys, "notes", session, "--db", str(tmp_path / "j.db"), *[arg for s in TYPED for arg in ("--strength", s)]
        )[0]
        == 0
    )
    code, out, err = run(capsys, "export", session, "--db", str(tmp_path / "j.db"))
    lines = [json.loads(line) for line in out.splitlines()]
    assert (
        code == 0
        and err == ""
        and lines[0]["integrity"]["state"] == "intact"
        and lines[0]["integrity"]["notes"] == len(TYPED)
    )
    assert [e["action"]["text"] for e in lines[1:] if e["kind"] == "action"] == list(TYPED)
    recorder, _scenario, drill = open_for_resume(tmp_path / "j.db", session)
    try:
        assert [d[1]["text"] for d in drill.log.decisions] == list(TYPED)
    finally:
        recorder.close()
