"""The group control view (tui/group_control.py) with Pilot: hosts that answer (tests/groupkit.py), every
key, a host lost, both languages at 80×24 and 120×40, hostile labels, and one SVG snapshot at 120×40."""

from __future__ import annotations

import json
import sqlite3
from importlib.metadata import version

import pytest
from groupkit import GROUP, SCENARIO, HostThread
from hostile import TYPED
from pilotwait import until

from krisovning.i18n import set_language
from krisovning.scenario import load_scenario
from krisovning.session import group as group_module
from krisovning.session.host import HostDrill
from krisovning.session.relay import Relay
from krisovning.session.store import open_store
from krisovning.textsafe import visible_line
from krisovning.tui.group_control import GroupHelp, InjectScreen, SpeedScreen, control_class
from krisovning.tui.modals import ConfirmScreen

RECORDED_WITH = "8.2.8"  # as tests/test_tui_snapshots.py: pictures compare only on the Textual they were made with


@pytest.fixture
def group(tmp_path):
    """A SQLite journal and the hosts started on it (stopped after the test); yields (db, start)."""
    db = tmp_path / "j.db"
    started: list[HostThread] = []

    def start(*labels: str) -> list[HostThread]:
        started.extend(HostThread(db, label) for label in labels)
        return started

    yield db, start
    for host in started:
        host.stop()


def _states(app) -> list[str]:
    return [row.snapshot.state for row in app.rows]


def _answers(app) -> list[str]:
    return list(app.answers.values())


async def test_the_group_is_steered_from_the_view(group) -> None:
    db, start = group
    a, b = start("Ekebacka", "Norrby")
    store = open_store(db, write=True)
    app = control_class()(store, GROUP, refresh=0.1)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: _states(app) == ["briefing", "briefing"])
            await pilot.press("s")
            await until(pilot, lambda: _answers(app) == ["klart", "klart"] and _states(app) == ["running"] * 2)

            await pilot.press("space", "p")  # the highlighted one only
            await until(pilot, lambda: _states(app) == ["paused", "running"])
            assert list(app.answers) == [a.session] and "●" in str(app.query_one("#sessions").get_row_at(0)[0])

            await pilot.press("a", "v")  # all of them
            assert isinstance(app.screen, SpeedScreen)
            await pilot.press("0", "enter")
            assert "större än 0" in str(app.screen.query_one("#speed-error").render())
            await pilot.press("backspace", "3", "0", "enter")
            await until(pilot, lambda: [r.snapshot.speed for r in app.rows] == [30, 30])

            await pilot.press("i")
            assert isinstance(app.screen, InjectScreen)
            await pilot.press(*"finns-inte")
            await pilot.click("#fire")
            await until(pilot, lambda: _answers(app) == ['vägrades: okänt inspel "finns-inte"'] * 2)

            await pilot.press("i")
            screen = app.screen
            screen.query_one("#inject-text").value = "Presskonferens kl. 14 hos Länsstyrelsen"
            screen.query_one("#inject-to").value = "kommunikationschef"
            screen.query_one("#inject-from").value = "Länsstyrelsen"
            await pilot.click("#own")
            await until(pilot, lambda: _answers(app) == ["klart", "klart"])
            await until(pilot, lambda: all(r.snapshot.latest[0].kind == "add_inject" for r in app.rows))

            await pilot.press("e")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")  # not ended
            await pilot.press("e", "j")
            await until(pilot, lambda: _states(app) == ["ended", "ended"])
    finally:
        store.close()
    assert a.session and b.session


async def test_j_aligns_the_clocks(group) -> None:
    db, start = group
    start("Ekebacka", "Norrby")
    store = open_store(db, write=True)
    app = control_class()(store, GROUP, refresh=0.1)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: _states(app) == ["briefing", "briefing"])
            await pilot.press("s")
            await until(pilot, lambda: _states(app) == ["running"] * 2)
            await pilot.press("space", "p", "space")  # Ekebacka waits, Norrby runs on; then none selected
            await until(pilot, lambda: app.rows[1].snapshot.clock - app.rows[0].snapshot.clock >= 90)
            await pilot.press("j")
            await until(pilot, lambda: _answers(app) == ["klart", "klart"] and _states(app) == ["paused"] * 2)
            ekebacka, norrby = (row.snapshot.clock for row in app.rows)
            assert abs(norrby - ekebacka) <= 30, (ekebacka, norrby)
    finally:
        store.close()


async def test_a_lost_host_is_shown_clearly(group, monkeypatch) -> None:
    db, start = group
    _a, b = start("Ekebacka", "Norrby")
    monkeypatch.setattr(group_module, "SILENT", 1.5)  # beats come every 0.5 s (session/host.py)
    store = open_store(db, write=True)
    app = control_class()(store, GROUP, refresh=0.1)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: _states(app) == ["briefing", "briefing"])
            b.vanish()
            await until(pilot, lambda: _states(app) == ["briefing", "unreachable"], timeout=30)
            await pilot.pause()
            row = app.query_one("#sessions").get_row_at(1)
            assert row[4].plain == "värden nås inte" and "red" in str(row[4].style)
            assert "1 värd nås inte" in str(app.query_one("#summary").render())
            await pilot.press("s")
            await until(pilot, lambda: _answers(app) == ["klart", "ingen värd svarar"])
    finally:
        store.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_english_and_help_at_both_sizes(group, size) -> None:
    db, start = group
    start("Ekebacka")
    set_language("en")
    store = open_store(db, write=True)
    app = control_class()(store, GROUP, refresh=0)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            table = app.query_one("#sessions")
            assert [str(c.label) for c in table.columns.values()][:3] == ["✓", "Municipality", "Clock"]
            assert table.get_row_at(0)[4].plain == "briefing"
            assert table.region.height >= 3 and app.query_one("#detail").region.height >= 3
            assert "Objectives so far" in str(app.query_one("#detail").render())
            await pilot.press("f1")
            assert isinstance(app.screen, GroupHelp)
            assert "space" in str(app.screen.query_one("Static").render())
            await pilot.press("escape")
            assert not isinstance(app.screen, GroupHelp)
    finally:
        store.close()


async def test_hostile_labels_are_shown_as_text(tmp_path) -> None:
    db = tmp_path / "j.db"
    sessions = []
    for i in range(len(TYPED)):
        host = HostDrill.start(
            db, load_scenario(SCENARIO), SCENARIO.read_text("utf-8"), str(SCENARIO), 7, "sv", group=(GROUP, f"K{i}")
        )
        sessions.append(host.live.session_id)
        host.close(interrupted=True)
    with sqlite3.connect(db) as con:
        for session, label in zip(sessions, TYPED, strict=True):
            con.execute("UPDATE group_members SET label = ? WHERE session_id = ?", (label, session))
    store = open_store(db, write=True)
    app = control_class()(store, GROUP, refresh=0)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            table = app.query_one("#sessions")
            shown = sorted(table.get_row_at(i)[1].plain for i in range(table.row_count))
            assert shown == sorted(visible_line(label) for label in TYPED)
            for i in range(3):
                table.move_cursor(row=i)
                await pilot.pause()
                row = app.highlighted()
                assert row is not None and visible_line(row.snapshot.member.label) in str(
                    app.query_one("#detail").render()
                )
    finally:
        store.close()


# --- the picture ---

IDS = ("20261206-100000-aaaa", "20261206-100000-bbbb", "20261206-100000-cccc")


def _ask(host: HostDrill, seat: str, action: dict) -> None:
    Relay(host.live.recorder.store, host.live.session_id).send(seat, json.dumps(action, ensure_ascii=False))
    host.step(0.0)


@pytest.mark.skipif(version("textual") != RECORDED_WITH, reason=f"snapshot recorded with textual {RECORDED_WITH}")
def test_snapshot_of_a_group_in_three_states(tmp_path, monkeypatch, snap_compare) -> None:
    """Seed 7: Ekebacka paused at T+0:10 after the team's decision (markup in it, shown as text), Norrby in its
    briefing, Söderås's host gone (closed at T+0:05); Ekebacka selected and highlighted."""
    ids = iter(IDS)
    monkeypatch.setattr("krisovning.session.journal.new_session_id", lambda: next(ids))
    monkeypatch.setattr(group_module, "SILENT", 1e9)  # the picture does not depend on how fast this machine is
    db = tmp_path / "j.db"
    text = SCENARIO.read_text("utf-8")
    scenario = load_scenario(SCENARIO)
    hosts = [
        HostDrill.start(db, scenario, text, str(SCENARIO), 7, "sv", 60.0, group=(GROUP, label))
        for label in ("Ekebacka", "Norrby", "Söderås")
    ]
    ekebacka, norrby, soderas = hosts
    _ask(ekebacka, "facilitator", {"kind": "start"})
    ekebacka.step(10.0)
    _ask(ekebacka, "kommunikationschef", {"kind": "decision", "text": "Kokningsrekommendation [b]nu[/b]"})
    _ask(ekebacka, "facilitator", {"kind": "pause"})
    _ask(soderas, "facilitator", {"kind": "start"})
    soderas.step(5.0)
    soderas.close(interrupted=True)
    store = open_store(db, write=True)
    app = control_class()(store, GROUP, refresh=0, clock=lambda: 2e9)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
    finally:
        store.close()
        for host in (ekebacka, norrby):
            host.close(interrupted=True)


async def test_the_host_console_names_its_group(tmp_path) -> None:
    """On a terminal the host's console covers what `host --group` printed: it says the group itself."""
    from krisovning.tui.host_console import console_class

    text = SCENARIO.read_text("utf-8")
    drill = HostDrill.start(
        tmp_path / "j.db", load_scenario(SCENARIO), text, str(SCENARIO), 7, "sv", group=(GROUP, "[b]Norrby[/b]")
    )
    try:
        app = console_class()(drill, [], 20)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.title == "[b]Norrby[/b] i gruppen Kalmar län"  # the municipality first: the end may be cut
            assert app.sub_title.startswith("krisovning host – E. coli")
            assert "[b]Norrby[/b]" in str(app.query_one("HeaderTitle").render())
    finally:
        drill.close(interrupted=True)
