"""A live drill's journal: the clock is written about once a second, the log is checkpointed, and a
journal that cannot be written holds the drill instead of crashing it — nothing lost, nothing twice."""

from __future__ import annotations

import errno
import json
import sqlite3
from pathlib import Path

import pytest

from krisovning.engine import Action, ActionRefused
from krisovning.scenario import load_scenario_bytes
from krisovning.session import SqliteStore, check_session, open_for_resume
from krisovning.session.live import CLOCK_EVERY, LiveDrill
from krisovning.session.store import io_error, open_store

STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")
TICK = 1 / 15  # tui/app.py's timer


def start(where: Path | str, speed: float = 1.0) -> LiveDrill:
    """A live drill journaled in the folder `where` (j.db), or at a PostgreSQL address."""
    scenario = load_scenario_bytes(STARTER.encode(), "starter.yaml")
    db = where if isinstance(where, str) else where / "j.db"
    return LiveDrill.start(db, scenario, STARTER, "starter.yaml", 1, "sv", speed)


def count_writes(live: LiveDrill) -> list[int]:
    """The number of rows in each transaction the recorder commits from now on."""
    sizes: list[int] = []
    append = live.recorder.store.append

    def counting(session_id, rows, *rest, **kw):
        result = append(session_id, rows, *rest, **kw)
        sizes.append(len(rows))
        return result

    live.recorder.store.append = counting  # type: ignore[method-assign]  # counts the transactions
    return sizes


def ticks(live: LiveDrill, seconds: float) -> list:
    out = []
    for _ in range(round(seconds / TICK)):
        out += live.tick(TICK)
    return out


def stored(db: Path | str) -> tuple[float, list[dict]]:
    store = open_store(db, write=False)
    try:
        info = store.sessions()[0]
        return info.exercise_time, [json.loads(row[5]) for row in store.entries(info.id)]
    finally:
        store.close()


# --- the clock and the log ---


def test_the_clock_alone_is_written_at_most_once_a_second(journal_db) -> None:
    live = start(journal_db)
    writes = count_writes(live)
    ticks(live, 60.0)
    clock_only = writes.count(0)
    assert 55 <= clock_only <= 61, clock_only  # was one per tick: 900
    assert len(writes) - clock_only == len([w for w in writes if w]) <= 10  # events are written as they come
    clock, _ = stored(journal_db)
    assert live.now - CLOCK_EVERY <= clock <= live.now
    live.close(interrupted=True)
    assert stored(journal_db)[0] == live.now  # closing writes the last of the clock


def test_a_crash_loses_under_a_second_of_clock_and_never_an_action(journal_db) -> None:
    live = start(journal_db, speed=2.0)
    ticks(live, 30.4)
    live.act(Action("decision", "Vi samlar krisledningen"))
    ticks(live, 0.6)
    crashed_at = live.now
    live.recorder.lock.release()  # as if the process were killed: nothing more is written
    recorder, _scenario, drill = open_for_resume(journal_db, live.recorder.info.id)
    try:
        assert crashed_at - CLOCK_EVERY * 2.0 <= drill.now <= crashed_at
        assert drill.log.decisions and drill.log.decisions[0][1]["text"] == "Vi samlar krisledningen"
    finally:
        recorder.close()


def test_an_idle_drill_keeps_its_write_ahead_log_small(tmp_path) -> None:
    live = start(tmp_path)
    ticks(live, 600.0)
    wal = Path(f"{tmp_path / 'j.db'}-wal").stat().st_size
    assert wal < 1024 * 1024, wal  # was 15 clock transactions a second up to the ~40 MB autocheckpoint
    live.close(interrupted=True)


# --- a journal that cannot be written ---


class FullDisk:
    """The journal's connection on a full disk: SQLite refuses every write as it does then
    (SQLITE_FULL, "database or disk is full"); reads go on."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getattr__(self, name: str):
        return getattr(self.db, name)

    @staticmethod
    def _refuse(sql: str) -> None:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COMMIT")):
            exc = sqlite3.OperationalError("database or disk is full")
            exc.sqlite_errorname = "SQLITE_FULL"
            raise exc

    def execute(self, sql: str, *args):
        self._refuse(sql)
        return self.db.execute(sql, *args)

    def executemany(self, sql: str, *args):
        self._refuse(sql)
        return self.db.executemany(sql, *args)


def disk_full(live: LiveDrill) -> None:
    live.recorder.store.db = FullDisk(live.recorder.store.db)


def space_back(live: LiveDrill) -> None:
    live.recorder.store.db = live.recorder.store.db.db


def test_a_full_disk_holds_the_drill_and_it_goes_on_once_there_is_space(tmp_path) -> None:
    live = start(tmp_path, speed=60.0)
    shown = ticks(live, 5.0)
    saved_clock, saved = stored(tmp_path / "j.db")
    disk_full(live)
    shown += ticks(live, 10.0)  # 10 min of exercise time would bring posts: they cannot be written
    assert live.fault is not None and live.fault.key == "journal.full"
    assert live.fault.errno == errno.ENOSPC and live.fault.fields["path"] == tmp_path / "j.db"
    held_at = live.now
    ticks(live, 5.0)
    assert live.now == held_at  # the clock stands still while nothing can be saved
    with pytest.raises(ActionRefused) as refused:
        live.act(Action("decision", "Medan disken är full"))
    assert refused.value.key == "journal.action_held"
    assert stored(tmp_path / "j.db")[1] == saved  # everything saved before is still there
    assert all(e.seq <= saved[-1]["seq"] for e in shown)  # nothing unsaved was handed out

    space_back(live)
    shown += ticks(live, 2.5)  # the next attempt (every other second) succeeds
    assert live.fault is None
    shown += ticks(live, 5.0)
    assert live.now > held_at
    shown += live.act(Action("decision", "Efter felet"))
    live.close(interrupted=True)
    _, journal = stored(tmp_path / "j.db")
    assert [e["seq"] for e in journal] == list(range(1, len(journal) + 1))  # nothing lost, nothing twice
    assert journal[0]["action"]["kind"] == "speed"  # start()'s own action, handed out there
    assert [e.seq for e in shown] == [e["seq"] for e in journal[1:]]  # each handed out once, in order
    assert saved_clock <= held_at
    store = SqliteStore.open(tmp_path / "j.db", write=False)
    try:
        assert check_session(store, store.sessions()[0]).state == "intact"
    finally:
        store.close()


def test_an_action_whose_write_fails_is_kept_and_written_once(tmp_path) -> None:
    live = start(tmp_path)
    ticks(live, 3.0)
    disk_full(live)
    events = live.act(Action("decision", "Vi samlar krisledningen"))
    assert events == [] and live.fault is not None  # taken, not yet shown: it is not saved
    assert [e.kind for e in live.pending] == ["action"]
    space_back(live)
    events = ticks(live, 2.5)
    assert [e.data["action"]["text"] for e in events if e.kind == "action"] == ["Vi samlar krisledningen"]
    live.close(interrupted=True)
    _, journal = stored(tmp_path / "j.db")
    assert [e["action"]["text"] for e in journal if e["kind"] == "action"] == ["Vi samlar krisledningen"]


@pytest.mark.parametrize("reason", ["enospc", "eio"])
def test_an_os_error_on_write_is_a_fault_with_the_os_reason(tmp_path, monkeypatch, reason) -> None:
    live = start(tmp_path)
    code = errno.ENOSPC if reason == "enospc" else errno.EIO
    store = live.recorder.store

    def failing(*_args, **_kw):
        raise io_error(OSError(code, __import__("os").strerror(code)), store.path)

    monkeypatch.setattr(store, "_write", failing)
    ticks(live, 3.0)
    assert live.fault is not None and live.fault.errno == code
    assert live.fault.key == ("journal.full" if code == errno.ENOSPC else "journal.io")
    assert live.fault.fields["reason"] == __import__("os").strerror(code)
    monkeypatch.undo()
    ticks(live, 2.5)
    assert live.fault is None
    live.close(interrupted=True)


def test_closing_while_the_journal_cannot_be_written_does_not_raise(tmp_path) -> None:
    live = start(tmp_path)
    ticks(live, 3.0)
    disk_full(live)
    live.act(Action("decision", "Sista beslutet"))
    live.close(interrupted=True)  # never raises: the UI is closing
    assert live.fault is not None and [e.kind for e in live.pending] == ["action"]


# --- the drill UI while the journal cannot be written ---


def _bar(app) -> str:
    return str(app.team.query_one("#clock-bar").visual)


def _told(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_drill_ui_holds_says_where_and_why_and_goes_on(tmp_path) -> None:
    from textual.widgets import Input

    from krisovning.i18n import set_language
    from krisovning.tui.app import make_app

    set_language("sv")
    live = start(tmp_path, speed=60.0)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.step(1.0)
        disk_full(live)
        app.step(1.0)  # a minute of exercise time that cannot be saved: no traceback, the drill holds
        await pilot.pause()
        assert live.fault is not None and "JOURNALEN KAN INTE SKRIVAS" in _bar(app)
        told = [m for m in _told(app) if "Journalen kan inte skrivas" in m]
        assert len(told) == 1 and str(tmp_path) in told[0] and "full" in told[0] and "Frigör utrymme" in told[0]
        app.step(1.0)
        assert len([m for m in _told(app) if "Journalen kan inte skrivas" in m]) == 1  # told once

        await pilot.press("f6")  # the decision log: what the team types meanwhile is kept, not taken
        field = app.team.query_one("#decision-text", Input)
        field.value = "Beslut medan disken är full"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("togs inte emot" in m for m in _told(app))
        assert field.value == "Beslut medan disken är full"

        space_back(live)
        app.step(2.5)
        await pilot.pause()
        assert live.fault is None and "JOURNALEN" not in _bar(app)
        assert any("kan skrivas igen" in m for m in _told(app))
        await pilot.press("ctrl+s")  # now it is taken, once
        await pilot.pause()
        app.shutdown(interrupted=True)
    _, journal = stored(tmp_path / "j.db")
    decisions = [e["action"]["text"] for e in journal if e["kind"] == "action" and e["action"]["kind"] == "decision"]
    assert decisions == ["Beslut medan disken är full"]
    assert [e["seq"] for e in journal] == list(range(1, len(journal) + 1))


def test_run_says_what_was_not_saved_when_the_journal_still_fails_at_the_end(tmp_path, monkeypatch) -> None:
    import krisovning.tui.app as tui_app
    from krisovning.cli.commands_run import open_ui
    from krisovning.cli.errors import CommandError
    from krisovning.i18n import set_language

    class ClosedByASignal:  # the UI ended without its own shutdown (live.close is left to open_ui)
        closed = False

        def run(self) -> None:
            pass

    set_language("en")
    live = start(tmp_path)
    ticks(live, 3.0)
    disk_full(live)
    live.act(Action("decision", "Sista beslutet"))
    monkeypatch.setattr(tui_app, "make_app", lambda _live: ClosedByASignal())
    with pytest.raises(CommandError) as failed:
        open_ui(live)
    message = str(failed.value)
    assert str(tmp_path / "j.db") in message and "full" in message
    assert "not saved: 1 events, of which 1 actions" in message and "krisovning resume" in message
    set_language("sv")


def test_simulate_on_a_full_disk_names_the_journal_and_the_reason(tmp_path, monkeypatch, capsys) -> None:
    from krisovning.cli import main
    from krisovning.session import journal

    scenario = tmp_path / "s.yaml"
    scenario.write_text(STARTER, encoding="utf-8")
    real_begin = journal.Recorder.begin.__func__

    def begin_on_a_full_disk(cls, *args, **kw):
        recorder = real_begin(cls, *args, **kw)
        recorder.store.db = FullDisk(recorder.store.db)
        return recorder

    monkeypatch.setattr(journal.Recorder, "begin", classmethod(begin_on_a_full_disk))
    assert main(["--lang", "en", "simulate", str(scenario), "--db", str(tmp_path / "j.db")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" not in err
    assert str(tmp_path / "j.db") in err and "full" in err


async def test_a_decision_sent_as_the_disk_fills_is_held_then_saved_once(tmp_path) -> None:
    from textual.widgets import Input

    from krisovning.i18n import set_language
    from krisovning.tui.app import make_app

    set_language("sv")
    live = start(tmp_path)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.step(1.0)
        await pilot.press("f6")
        app.team.query_one("#decision-text", Input).value = "Vi samlar krisledningen"
        disk_full(live)  # the very write of this decision fails
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("mottagen men inte sparad" in m for m in _told(app))
        assert not any("Beslutet är loggat" in m for m in _told(app))
        assert "JOURNALEN KAN INTE SKRIVAS" in _bar(app)
        space_back(live)
        app.step(2.5)
        await pilot.pause()
        assert live.fault is None and not live.pending
        app.shutdown(interrupted=True)
    _, journal = stored(tmp_path / "j.db")
    assert [e["action"]["text"] for e in journal if e["kind"] == "action"] == ["Vi samlar krisledningen"]


# --- an action before the first tick ---


def test_a_drill_started_with_a_speed_and_an_inject_at_zero_resumes(journal_db: str) -> None:
    """`run --speed 5` journals a speed action at T+0 before the first tick; an inject due at T+0 must
    come before it, as replay puts it (it used to be after, so such a drill could never be resumed)."""
    text = STARTER.replace("    at: 2m\n", "    at: 0s\n", 1)
    assert text != STARTER
    scenario = load_scenario_bytes(text.encode(), "zero.yaml")
    live = LiveDrill.start(journal_db, scenario, text, "zero.yaml", 1, "sv", 5.0)
    assert [e.kind for e in live.history][:2] == ["inject", "action"]
    ticks(live, 2.0)
    live.close(interrupted=True)
    resumed = LiveDrill.resume(journal_db, None)
    assert resumed.speed == 5.0
    assert [e.kind for e in resumed.history][:2] == ["inject", "action"]
    resumed.close(interrupted=True)
