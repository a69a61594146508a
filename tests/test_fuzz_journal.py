"""Property tests for the journal: whatever a database file holds — random bytes, a real journal cut
short, pages overwritten, rows tampered with — opening it (read and write), listing sessions,
finding one, exporting it and resuming it give a JournalError (or its ReplayMismatch) with a
message in both languages, never another exception; and a file that is not a journal (or is
refused as damaged, foreign or newer) is left byte for byte as it was.

Set KRISOVNING_FUZZ_EXAMPLES to run many more examples (fuzz/README.md).
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from journal_tools import reseal

from krisovning.cli import main
from krisovning.engine import Action, Drill
from krisovning.engine.policies import make_policy
from krisovning.i18n import catalogue, set_language, t
from krisovning.scenario import load_scenario_bytes
from krisovning.session import TEAM, JournalError, Recorder, SqliteStore, add_notes, find_session, open_for_resume
from krisovning.session.export import export_lines

EXAMPLES = int(os.environ.get("KRISOVNING_FUZZ_EXAMPLES", "0") or 0)


def _settings(examples: int) -> settings:
    return settings(
        derandomize=not EXAMPLES,
        database=None,
        deadline=None,
        max_examples=EXAMPLES or examples,
        suppress_health_check=list(HealthCheck),
    )


STARTER = resources.files("krisovning").joinpath("data/starter.yaml").read_bytes()
# Refusals whose message promises that the file was not changed.
UNCHANGED_KEYS = {
    "journal.foreign",
    "journal.corrupt",
    "journal.newer",
    "journal.older",
    "journal.unreadable",
    "journal.empty",
}


def _make_journal() -> bytes:
    """A real journal: a finished bot run (via the CLI), an unfinished team drill with actions,
    an unfinished bot drill and a hot-wash note — as one file's bytes."""
    with tempfile.TemporaryDirectory() as folder:
        scenario_path = Path(folder) / "s.yaml"
        scenario_path.write_bytes(STARTER)
        db = Path(folder) / "j.db"
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["simulate", str(scenario_path), "--db", str(db), "--seed", "3"]) == 0
            assert main(["notes", "latest", "--db", str(db), "--strength", "Snabb första kommunikation"]) == 0
        scenario = load_scenario_bytes(STARTER)
        text = STARTER.decode("utf-8")
        for team in (TEAM, "diligent"):
            recorder = Recorder.begin(db, scenario, text, str(scenario_path), 5, team, "sv")
            drill = Drill(scenario, seed=5, policy=make_policy(team) if team != TEAM else None)
            drill.advance(1500)
            recorder.record(drill.drain(), drill.now)
            if team == TEAM:
                for action in (
                    Action("decision", "Vi samlar krisledningen"),
                    Action("publish", "Koka vattnet", channels=("web", "sms")),
                ):
                    drill.act(action)
                    recorder.record(drill.drain(), drill.now)
                drill.advance(2400)
                recorder.record(drill.drain(), drill.now)
            recorder.close()  # not finished: resumable
        set_language("sv")
        return db.read_bytes()


JOURNAL = _make_journal()
PAGE = 4096


def _check_error(exc: JournalError) -> None:
    for lang in ("sv", "en"):
        assert exc.key in catalogue(lang), exc.key
        set_language(lang)
        message = t(exc.key, **exc.fields)
        assert message.strip() and "Traceback" not in message
    set_language("sv")


def attempt(path: Path, fn: Callable[[], Any]) -> Any:
    """`fn()`, or None when it refused with a JournalError; a refusal that says the file was not
    changed must be true."""
    before = path.read_bytes() if path.is_file() else None
    try:
        return fn()
    except JournalError as exc:
        _check_error(exc)
        if exc.key in UNCHANGED_KEYS and before is not None:
            assert path.read_bytes() == before, f"{exc.key} but the file changed"
        return None


def _reading(path: Path) -> None:
    store = attempt(path, lambda: SqliteStore.open(path, write=False))
    if store is None:
        return
    try:
        infos = attempt(path, store.sessions) or []
        attempt(path, store.session_ids)
        for wanted in (None, "latest", "2", "zzz", ""):
            attempt(path, lambda w=wanted: find_session(store, w))
            attempt(path, lambda w=wanted: find_session(store, w, unfinished=True))
        for info in infos[:4]:
            attempt(path, lambda i=info: find_session(store, i.id))
            attempt(path, lambda i=info: list(export_lines(store, i)))
            attempt(path, lambda i=info: store.notes(i.id))
            attempt(path, lambda i=info: store.session(i.id))
    finally:
        store.close()


def _writing(path: Path) -> None:
    store = attempt(path, lambda: SqliteStore.open(path, write=True))
    unfinished: list[str] = []
    if store is not None:
        try:
            infos = attempt(path, store.sessions) or []
            unfinished = [info.id for info in infos if info.status != "finished"][:3]
            if infos:
                attempt(path, lambda: add_notes(path, store, infos[0], [("strength", {"text": "bra"})]))
        finally:
            store.close()
    for wanted in [None, *unfinished]:  # the latest (a bot's), and each by id (the team's replays its actions)
        opened = attempt(path, lambda w=wanted: open_for_resume(path, w, with_history=True))
        if opened is not None:
            recorder, _scenario, drill, _events = opened
            try:
                drill.advance(drill.now + 300)
                attempt(path, lambda r=recorder, d=drill: r.record(d.drain(), d.now))
            finally:
                recorder.close()


def exercise(raw: bytes, *, journal: bool) -> None:
    """Every reading and writing entry point on a file holding `raw`. When `journal` is False the
    file is not a krisovning journal at all, and nothing may change it or add files beside it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.db"
        path.write_bytes(raw)
        _reading(path)
        _writing(path)
        _reading(path)
        if not journal:
            assert path.read_bytes() == raw
            # SQLite itself may add an empty -wal and a -shm beside a file whose header says WAL mode
            # when it opens it read-only; nothing else may appear.
            beside = {p.name: p.stat().st_size for p in Path(folder).iterdir()}
            assert set(beside) <= {"fuzz.db", "fuzz.db-wal", "fuzz.db-shm"} and beside.get("fuzz.db-wal", 0) == 0, (
                beside
            )


def test_the_journal_itself_works() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "j.db"
        path.write_bytes(JOURNAL)
        store = SqliteStore.open(path, write=False)
        assert len(store.sessions()) == 3
        store.close()
        recorder, _, _drill = open_for_resume(path, None)
        recorder.close()
    exercise(JOURNAL, journal=True)


# --- (a) files that are not journals ---


@_settings(150)
@given(st.binary(max_size=3000))
@example(b"")
@example(b"SQLite format 3\x00")
@example(b"SQLite format 3\x00" + b"\x00" * 100)
@example(b"SQLite format 3\x00" + b"\xff" * 5000)
@example(JOURNAL[:100])
def test_random_bytes(raw: bytes) -> None:
    exercise(raw, journal=False)  # not even an empty file is adopted as a journal


_FORMAT = "CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('app', 'krisovning'), ('format', {})"


@_settings(40)
@given(
    st.sampled_from(
        [
            "CREATE TABLE customers (name TEXT)",
            "CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('app', 'other')",
            "CREATE TABLE meta (key TEXT, value TEXT)",
            "CREATE TABLE meta (k TEXT)",
            "CREATE VIEW meta AS SELECT 1 AS key, 2 AS value",
            _FORMAT.format("'99'"),
            _FORMAT.format("'abc'"),
            _FORMAT.format("'0'"),
            _FORMAT.format("NULL"),
            _FORMAT.format("'1e400'"),
            _FORMAT.format("x'00ff'"),
            _FORMAT.format("1.5"),
        ]
    ),
    st.booleans(),
)
def test_other_sqlite_databases(sql: str, wal: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "other.db"
        con = sqlite3.connect(db)
        if wal:
            con.execute("PRAGMA journal_mode=WAL")
        con.executescript(sql)
        con.commit()
        con.close()
        raw = db.read_bytes()
    foreign = "'krisovning'" not in sql or "'0'" in sql or "'99'" in sql
    exercise(raw, journal=not foreign)


# --- (b) a real journal, damaged ---


@_settings(60)
@given(st.integers(0, len(JOURNAL)))
def test_truncated(length: int) -> None:
    exercise(JOURNAL[:length], journal=True)


@_settings(100)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(JOURNAL) // PAGE - 1),
            st.sampled_from(["zero", "random", "flip", "swap"]),
            st.binary(min_size=PAGE, max_size=PAGE),
            st.integers(0, PAGE - 1),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_pages_overwritten(damage: list[tuple[int, str, bytes, int]]) -> None:
    raw = bytearray(JOURNAL)
    for page, how, noise, offset in damage:
        start = page * PAGE
        if how == "zero":
            raw[start : start + PAGE] = bytes(PAGE)
        elif how == "random":
            raw[start : start + PAGE] = noise
        elif how == "flip":
            raw[start + offset] ^= 0xFF
        else:
            other = (page * 7 + 3) % (len(JOURNAL) // PAGE)
            raw[start : start + PAGE] = JOURNAL[other * PAGE : other * PAGE + PAGE]
    exercise(bytes(raw), journal=True)


@_settings(120)
@given(st.lists(st.tuples(st.integers(0, len(JOURNAL) - 1), st.integers(0, 255)), min_size=1, max_size=10))
def test_bytes_flipped(flips: list[tuple[int, int]]) -> None:
    raw = bytearray(JOURNAL)
    for position, value in flips:
        raw[position] = value
    exercise(bytes(raw), journal=True)


# --- (c) a real journal, rows tampered with through SQLite ---

JSONISH = st.sampled_from(
    [
        "",
        "{",
        "null",
        "[]",
        "{}",
        "1",
        '"x"',
        "nan",
        '{"action": 5}',
        '{"action": null}',
        '{"action": {}}',
        '{"action": {"kind": "reply"}}',
        '{"action": {"kind": 5}}',
        '{"action": {"kind": "publish", "text": "x", "channels": 5}}',
        '{"action": {"kind": "publish", "text": "x", "channels": ["web"], "fields": []}}',
        '{"action": {"kind": "decision", "text": 5}}',
        '{"action": {"kind": "speed", "speed": "fast"}}',
        '{"action": {"kind": "fire_inject", "inject": ["x"]}}',
        '{"action": {"kind": "nope", "text": "x"}}',
        '{"action": {"kind": "decision", "text": "x", "bogus": 1}}',
        '{"seq": "a", "t": "b", "kind": null}',
        '{"text": 5}',
        '{"text": null}',
        '{"area": 1}',
        "\ud800",
        "x" * 5000,
    ]
)
SQLISH = st.sampled_from(
    [
        None,
        "",
        "x",
        "abc",
        -1,
        0,
        1,
        2**63 - 1,
        -(2**63),
        1e308,
        float("nan"),
        1.5,
        b"\x00\xff",
        "latest",
        "finished",
        "running",
        "team",
        "realistic",
        "1",
        "99",
        "\ud800",
    ]
)
# (table, column) → what can be written there
TARGETS = {
    ("entries", "body"): JSONISH | SQLISH,
    ("entries", "seq"): SQLISH | st.integers(-5, 400),
    ("entries", "t"): SQLISH | st.floats(),
    ("entries", "kind"): SQLISH | st.sampled_from(["action", "inject", "post", "drill_end"]),
    ("entries", "session_id"): SQLISH,
    ("entries", "world_time"): SQLISH,
    ("sessions", "id"): SQLISH,
    ("sessions", "scenario_text"): SQLISH
    | st.sampled_from([STARTER.decode()[:500], STARTER.decode().replace("seed: 1", "seed: 2")]),
    ("sessions", "scenario_file"): SQLISH,
    ("sessions", "seed"): SQLISH,
    ("sessions", "team"): SQLISH,
    ("sessions", "status"): SQLISH,
    ("sessions", "exercise_time"): SQLISH | st.floats(),
    ("sessions", "started_at"): SQLISH,
    ("sessions", "ended_at"): SQLISH,
    ("sessions", "journal_format"): SQLISH,
    ("sessions", "lang"): SQLISH,
    ("sessions", "scenario_title"): SQLISH,
    ("meta", "value"): SQLISH | st.sampled_from(["krisovning", "2", "0"]),
    ("meta", "key"): SQLISH | st.sampled_from(["app", "format"]),
    ("notes", "body"): JSONISH | SQLISH,
    ("notes", "kind"): SQLISH | st.sampled_from(["strength", "improvement", "plan"]),
    ("notes", "session_id"): SQLISH,
    # the chain (session/chain.py): a link, anchor or seal of any type is a changed journal, never a crash
    ("entries", "link"): SQLISH,
    ("notes", "link"): SQLISH,
    ("sessions", "anchor"): SQLISH,
    ("sessions", "seal"): SQLISH,
    ("sessions", "chained_since"): SQLISH,
}
STATEMENTS = st.sampled_from(
    [
        "DELETE FROM sessions WHERE rowid = (SELECT min(rowid) FROM sessions)",
        "DELETE FROM sessions",
        "DELETE FROM entries WHERE seq % 7 = 3",
        "DELETE FROM entries WHERE kind = 'action'",
        "DELETE FROM meta WHERE key = 'format'",
        "DELETE FROM meta WHERE key = 'app'",
        "DELETE FROM meta",
        "DROP TABLE entries",
        "DROP TABLE notes",
        "DROP TABLE sessions",
        "DROP TABLE meta",
        "ALTER TABLE sessions ADD COLUMN extra TEXT",
        "ALTER TABLE sessions DROP COLUMN lang",
        "ALTER TABLE entries RENAME COLUMN body TO bodies",
        "ALTER TABLE sessions RENAME TO sessions_old",
        "UPDATE entries SET seq = seq + 1000 WHERE seq > 100",
        "UPDATE entries SET body = replace(body, '\"t\":', '\"tt\":')",
        "UPDATE entries SET body = replace(body, 'decision', 'unknown_kind')",
        "UPDATE entries SET body = replace(body, 'web', 'nowhere')",
        "UPDATE entries SET body = replace(body, '\"to\":', '\"tx\":')",
        "UPDATE entries SET body = replace(body, '\"inject\"', '\"injecu\"')",
        'UPDATE entries SET body = replace(body, \'"t":\', \'"t":"x","u":\')',
        'UPDATE entries SET body = replace(body, \'"response":\', \'"response":null,"r":\')',
        'UPDATE entries SET body = replace(body, \'"channel":"\', \'"channel":["\')',
        "UPDATE sessions SET team = 'team' WHERE team = 'realistic'",
        "UPDATE sessions SET status = 'running'",
        "UPDATE sessions SET exercise_time = exercise_time * 100",
        "UPDATE sessions SET exercise_time = -exercise_time",
        "UPDATE sessions SET scenario_text = replace(scenario_text, 'duration: 3h', 'duration: 7d')",
        "UPDATE sessions SET scenario_text = replace(scenario_text, 'duration: 3h', 'duration: 1m')",
        "UPDATE sessions SET id = NULL WHERE rowid = 1",
        "UPDATE sessions SET seed = '12abc'",
        "INSERT INTO sessions SELECT * FROM sessions WHERE 0",
        "INSERT INTO notes (session_id, kind, body, created_at) SELECT id, 'plan', '{\"area\": 5}', 'x' FROM sessions",
        "UPDATE meta SET value = '99' WHERE key = 'format'",
        "UPDATE meta SET value = 'abc' WHERE key = 'format'",
        "UPDATE meta SET value = '' WHERE key = 'format'",
        "UPDATE meta SET value = ' 1 ' WHERE key = 'format'",
        "CREATE TRIGGER boom BEFORE INSERT ON entries BEGIN SELECT RAISE(ABORT, 'no'); END",
        "CREATE TRIGGER boom2 BEFORE UPDATE ON sessions BEGIN SELECT RAISE(FAIL, 'no'); END",
        "PRAGMA user_version = 77",
    ]
)


@st.composite
def tampering(draw: st.DrawFn) -> list[tuple[str, Any]]:
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            steps.append(("sql", draw(STATEMENTS)))
        else:
            table, column = draw(st.sampled_from(sorted(TARGETS)))
            steps.append(
                ("set", (table, column, draw(TARGETS[(table, column)]), draw(st.sampled_from(["one", "all", "last"]))))
            )
    return steps


TEAM_SESSION = "SELECT id FROM sessions WHERE team = 'team'"


def _tamper(raw: bytes, steps: list[tuple[str, Any]]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "t.db"
        db.write_bytes(raw)
        con = sqlite3.connect(db, isolation_level=None)
        for kind, step in steps:
            try:
                if kind == "sql":
                    con.execute(step)
                else:
                    table, column, value, which = step
                    where = {
                        "one": "WHERE rowid = (SELECT min(rowid) FROM {t})",
                        "all": "",
                        "last": "WHERE rowid = (SELECT max(rowid) FROM {t})",
                    }[which].format(t=table)
                    if table == "entries":  # WITHOUT ROWID
                        where = {
                            "one": "WHERE seq = (SELECT min(seq) FROM entries)",
                            "all": "",
                            "last": f"WHERE session_id = ({TEAM_SESSION}) AND seq = (SELECT max(seq) FROM entries "
                            f"WHERE kind = 'action' AND session_id = ({TEAM_SESSION}))",
                        }[which]
                    if isinstance(value, str):
                        value = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                    con.execute(f"UPDATE {table} SET {column} = ? {where}", (value,))
            except sqlite3.DatabaseError:
                pass  # a constraint said no: tamper less
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        return db.read_bytes()


@_settings(150)
@given(tampering())
@example([("sql", "UPDATE sessions SET id = NULL WHERE rowid = 1")])
@example([("sql", "ALTER TABLE sessions ADD COLUMN extra TEXT")])
@example([("sql", "UPDATE meta SET value = 'abc' WHERE key = 'format'")])
@example([("set", ("entries", "body", "{", "last"))])
@example([("set", ("entries", "body", '{"action": {"kind": "decision", "text": 5}}', "last"))])
@example([("set", ("notes", "body", "{", "all"))])
@example([("set", ("sessions", "scenario_text", "x", "all"))])
@example([("set", ("sessions", "seed", "abc", "all"))])
@example([("sql", "DROP TABLE entries")])
def test_rows_tampered(steps: list[tuple[str, Any]]) -> None:
    exercise(_tamper(JOURNAL, steps), journal=True)


# --- (d) the same damage through the command line: one line on stderr, never a traceback ---

COMMANDS = [
    ["sessions"],
    ["sessions", "--json"],
    ["export", "latest"],
    ["report", "latest", "--format", "json"],
    ["report", "latest"],
    ["notes", "latest"],
    ["resume", "--policy", "silent"],
]


@_settings(80)
@given(tampering(), st.sampled_from(COMMANDS))
@example([("set", ("entries", "body", "{", "all"))], ["report", "latest"])
@example(
    [("set", ("entries", "body", '{"seq": "a", "t": "b", "kind": null}', "all"))],
    ["report", "latest", "--format", "json"],
)
@example([("set", ("entries", "body", "[]", "all"))], ["export", "latest"])
@example([("set", ("notes", "body", '{"area": 1}', "all"))], ["notes", "latest"])
@example([("set", ("notes", "body", "{}", "all"))], ["report", "latest"])
@example([("set", ("sessions", "scenario_text", "x", "all"))], ["report", "latest"])
@example([("set", ("sessions", "exercise_time", "x", "all"))], ["sessions"])
@example([("set", ("sessions", "started_at", None, "all"))], ["sessions"])
def test_commands_on_a_tampered_journal(steps: list[tuple[str, Any]], command: list[str]) -> None:
    raw = _tamper(JOURNAL, steps)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "fuzz.db"
        db.write_bytes(raw)
        os.environ["KRISOVNING_DEBUG"] = "1"  # an unexpected exception propagates and fails the test
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main([*command, "--db", str(db)])
        finally:
            del os.environ["KRISOVNING_DEBUG"]
        assert code in (0, 1), (code, err.getvalue())
        assert code == 0 or err.getvalue().rstrip().splitlines()[-1].startswith("krisovning: "), err.getvalue()
        assert "Traceback" not in err.getvalue()


# --- regressions: what the fuzzing found (each was a traceback of another type before) ---


def _refusal(steps: list[tuple[str, Any]], fn: Callable[[Path], Any], *, resealed: bool = False) -> JournalError:
    """The refusal of `fn` on the journal tampered with by `steps` (`resealed`: and its chain rewritten
    to match, so that what comes after the chain check is reached)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.db"
        path.write_bytes(_tamper(JOURNAL, steps))
        if resealed:
            reseal(path)
        raw = path.read_bytes()
        try:
            fn(path)
        except JournalError as exc:
            _check_error(exc)
            if exc.key in UNCHANGED_KEYS:
                assert path.read_bytes() == raw
            return exc
        raise AssertionError("no JournalError")


def _listing(path: Path) -> Any:
    store = SqliteStore.open(path, write=False)
    try:
        return [find_session(store, info.id) for info in store.sessions()]
    finally:
        store.close()


def _export_all(path: Path) -> Any:
    store = SqliteStore.open(path, write=False)
    try:
        return [list(export_lines(store, info)) for info in store.sessions()]
    finally:
        store.close()


def _notes(path: Path) -> Any:
    store = SqliteStore.open(path, write=False)
    try:
        return [store.notes(info.id) for info in store.sessions()]
    finally:
        store.close()


def test_regressions() -> None:
    def sql(statement):
        return [("sql", statement)]

    def set_(table, column, value):
        return [("set", (table, column, value, "all"))]

    # meta's format not a number: ValueError (int('abc'))
    assert _refusal(sql("UPDATE meta SET value = 'abc' WHERE key = 'format'"), _listing).key == "journal.bad_format"
    assert _refusal(sql("UPDATE meta SET value = '1.5' WHERE key = 'format'"), _listing).key == "journal.bad_format"
    # a session row of the wrong shape or type: TypeError / AttributeError in SessionInfo, find_session, sessions
    assert _refusal(sql("ALTER TABLE sessions ADD COLUMN extra TEXT"), _listing).key == "journal.bad_value"
    assert _refusal(sql("UPDATE sessions SET id = NULL WHERE rowid = 1"), _listing).key == "journal.bad_value"
    assert _refusal(set_("sessions", "seed", "abc"), _listing).key == "journal.bad_value"
    assert _refusal(set_("sessions", "exercise_time", "x"), _listing).key == "journal.bad_value"
    # a session id is also the name of its lock file: no path may hide in it
    assert _refusal([("set", ("sessions", "id", "../../x", "one"))], _listing).key == "journal.bad_value"
    # an entry that is not JSON, or not an object: JSONDecodeError / TypeError in export
    assert _refusal(set_("entries", "body", "{"), _export_all).key == "journal.bad_value"
    assert _refusal(set_("entries", "body", "[]"), _export_all).key == "journal.bad_value"
    assert _refusal(set_("entries", "t", "x"), _export_all).key == "journal.bad_value"
    # a note that is not JSON or lacks its text: JSONDecodeError / KeyError (notes, report)
    assert _refusal(set_("notes", "body", "{"), _notes).key == "journal.bad_value"
    assert _refusal(set_("notes", "body", "{}"), _notes).key == "journal.bad_value"

    # resuming: a stored scenario that no longer loads (ScenarioError), an action that cannot be read
    # (KeyError, TypeError), an action the engine refuses (ActionRefused)
    def resume(path: Path) -> None:
        with contextlib.closing(sqlite3.connect(path)) as con:
            team_session = con.execute(TEAM_SESSION).fetchone()[0]
        open_for_resume(path, team_session)[0].close()

    # (each is first seen by the chain; rewritten to match, the replay refuses it on its own)
    assert _refusal(set_("sessions", "scenario_text", "x"), resume).key == "journal.altered_resume"
    assert _refusal(set_("sessions", "scenario_text", "x"), resume, resealed=True).key == "session.bad_scenario"
    last_action = [("set", ("entries", "body", '{"action": {"kind": "decision", "text": 5}}', "last"))]
    assert _refusal(last_action, resume).key == "journal.altered_resume"
    assert _refusal(last_action, resume, resealed=True).key == "session.bad_action"
    unknown_kind = sql("UPDATE entries SET body = replace(body, 'decision', 'unknown_kind')")
    assert _refusal(unknown_kind, resume, resealed=True).key == "session.refused_action"
    # a text column holding bytes that are not UTF-8: UnicodeDecodeError from sqlite3
    assert _refusal(sql("UPDATE sessions SET scenario_title = CAST(x'ff00fe' AS TEXT)"), _listing).key in (
        "journal.io",
        "journal.corrupt",
    )


def test_a_report_of_a_damaged_journal_is_one_line(tmp_path, capsys) -> None:
    db = tmp_path / "r.db"
    db.write_bytes(_tamper(JOURNAL, [("sql", "UPDATE entries SET body = replace(body, '\"to\":', '\"tx\":')")]))
    assert main(["report", "latest", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("krisovning: ") and err.count("\n") == 1 and "har ändrats efter" in err
    reseal(db)  # the same damage with a chain that matches it: damaged, not changed by hand
    assert main(["report", "latest", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("krisovning: ") and err.count("\n") == 1 and "skadad" in err
