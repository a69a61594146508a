"""`krisovning export` checks each entry against its type (engine/typed.py, engine/actions.py) and says
which is the first that is not, without refusing: export is how an altered journal is inspected.
`report` checks the same and refuses: a report is built only from entries of their types."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hostile import CONTROL, has_raw_control
from journal_tools import reseal

from krisovning.cli import main
from krisovning.engine import Action
from krisovning.i18n import set_language
from krisovning.scenario import load_scenario_bytes
from krisovning.session.live import LiveDrill

STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Path, str]:
    set_language("sv")
    db = tmp_path / "j.db"
    live = LiveDrill.start(db, load_scenario_bytes(STARTER.encode(), "starter.yaml"), STARTER, "starter.yaml", 1, "sv")
    while live.now < 600:
        live.tick(1.0)
    live.act(Action("decision", "Vi samlar krisledningen"))
    live.act(Action("publish", "Koka vattnet", channels=("web",)))
    session = live.recorder.info.id
    live.close(interrupted=True)
    return db, session


def _export(capsys, db: Path, session: str) -> tuple[dict, list[dict], str]:
    assert main(["--lang", "en", "export", session, "--db", str(db)]) == 0
    out = capsys.readouterr()
    lines = [json.loads(line) for line in out.out.splitlines()]
    return lines[0], lines[1:], out.err


def _edit(db: Path, sql: str, *args: object) -> int:
    with sqlite3.connect(db) as con:
        seq = con.execute("SELECT seq FROM entries WHERE kind = 'action' ORDER BY seq LIMIT 1").fetchone()[0]
        con.execute(sql, (*args, seq))
    con.close()
    reseal(db)  # so that only the type check, not the chain, can see it
    return seq


def test_an_untouched_journal_is_of_its_types(recorded, capsys) -> None:
    header, entries, err = _export(capsys, *recorded)
    assert header["types"] == {"valid": True, "first_bad": None}
    assert header["export_format"] == 3
    assert err == "" and any(e["kind"] == "action" for e in entries)


@pytest.mark.parametrize(
    "action",
    [
        {"kind": "decision", "text": "x", "speed": 5},  # a field the kind has not
        {"kind": "reply", "text": "x"},  # a missing field
        {"kind": "decision", "text": 5},  # a wrong type
        {"kind": "nonsense" + CONTROL[0]},  # an unknown kind, with a control character
        # a team drill's fields and kinds (session/host.py stamps them)
        {"kind": "claim", "seat": "presssekreterare"},  # a claim of no inject
        {"kind": "release", "inject": "a", "text": "x"},
        {"kind": "decision", "text": "x", "objective": "lagesbild"},  # only an observation bears on an objective
        {"kind": "reply", "inject": "a", "text": "x", "seat": 5},
        {"kind": "reply", "inject": "a", "text": "x", "sent": ["2026-12-06T10:00:00+01:00"]},
    ],
)
def test_an_entry_not_of_its_type_is_exported_and_named(recorded, capsys, action) -> None:
    db, session = recorded
    body = json.dumps({"action": action, "kind": "action", "seq": 0, "t": 600.0})
    seq = _edit(db, "UPDATE entries SET body = json_set(?, '$.seq', seq) WHERE seq = ?", body)
    header, entries, err = _export(capsys, db, session)
    assert header["integrity"]["state"] == "intact"  # resealed: the chain cannot see it
    assert header["types"]["valid"] is False and header["types"]["first_bad"]["seq"] == seq
    assert f"entry {seq} is not of its type" in err and '"types"' in err
    assert not has_raw_control(err)
    assert next(e for e in entries if e["seq"] == seq)["action"] == action  # exported as it is


def test_an_event_not_of_its_type_is_named(recorded, capsys) -> None:
    db, session = recorded
    with sqlite3.connect(db) as con:
        seq = con.execute("SELECT seq FROM entries WHERE kind = 'social_sample' ORDER BY seq LIMIT 1").fetchone()[0]
        con.execute("UPDATE entries SET body = json_remove(body, '$.rate') WHERE seq = ?", (seq,))
    con.close()
    reseal(db)
    header, _, err = _export(capsys, db, session)
    assert header["types"]["first_bad"]["seq"] == seq and "rate" in header["types"]["first_bad"]["problem"]
    assert f"entry {seq} is not of its type" in err


@pytest.mark.parametrize(
    "action",
    [
        {"kind": "decision", "text": "x", "speed": 5},  # a field the kind has not
        {"kind": "reply", "text": "x"},  # a missing field
    ],
)
def test_the_report_refuses_an_action_not_of_its_kind(recorded, capsys, action) -> None:
    db, session = recorded
    body = json.dumps({"action": action, "kind": "action", "seq": 0, "t": 600.0})
    seq = _edit(db, "UPDATE entries SET body = json_set(?, '$.seq', seq) WHERE seq = ?", body)
    assert (
        main(["--lang", "en", "report", session, "--db", str(db), "--format", "json", "-o", str(db.parent / "r.json")])
        == 1
    )
    err = capsys.readouterr().err
    assert "is damaged" in err and f"seq {seq}," in err
    assert not (db.parent / "r.json").exists()


@pytest.mark.parametrize(
    "action",
    [
        {
            "kind": "claim",
            "inject": "a",
            "role": "presssekreterare",
            "seat": "presssekreterare",
            "sent": "2026-12-06T10:00:00+01:00",
        },
        {"kind": "release", "inject": "a", "seat": "presssekreterare+kommunikationschef"},
        {"kind": "observation", "text": "x", "seat": "observer", "objective": "forsta-beskedet"},
    ],
)
def test_a_team_drills_actions_are_of_their_types(recorded, capsys, action) -> None:
    db, session = recorded
    body = json.dumps({"action": action, "kind": "action", "seq": 0, "t": 600.0})
    seq = _edit(db, "UPDATE entries SET body = json_set(?, '$.seq', seq) WHERE seq = ?", body)
    header, entries, err = _export(capsys, db, session)
    assert header["types"] == {"valid": True, "first_bad": None} and err == ""
    assert next(e for e in entries if e["seq"] == seq)["action"] == action
