"""The evaluator decides (issue 17 point 3): a rating with a reason overrides the automatic one, which stays
beside it in every format; notes are listed, edited and deleted by new chained rows, never rewrites; a
plan row needs an action, an owner and a real due date; a rating made during the drill survives resume."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hostile import has_raw_control

from krisovning.cli import main
from krisovning.engine import Action
from krisovning.engine.actions import ActionRefused
from krisovning.i18n import set_language
from krisovning.scenario import load_scenario_bytes
from krisovning.session import SqliteStore, check_session
from krisovning.session.live import LiveDrill

STARTER = (Path(__file__).parent.parent / "src/krisovning/data/starter.yaml").read_text(encoding="utf-8")
MIN = 60.0


def _drill(db: Path, *, rate: bool = False) -> str:
    """An interrupted drill: no public message in its first 25 minutes (forsta-beskedet is not met)."""
    live = LiveDrill.start(db, load_scenario_bytes(STARTER.encode(), "starter.yaml"), STARTER, "starter.yaml", 1, "sv")
    while live.now < 10 * MIN:
        live.tick(1.0)
    live.act(Action("observation", "Talespersonen var osäker", objective="forsta-beskedet"))
    if rate:
        live.act(
            Action(
                "observation",
                "Beskedet gick ut muntligt på presskonferensen",
                objective="forsta-beskedet",
                rating="met",
            )
        )
    while live.now < 25 * MIN:
        live.tick(1.0)
    session = live.recorder.info.id
    live.close(interrupted=True)
    return session


@pytest.fixture
def drill(tmp_path) -> tuple[Path, str]:
    set_language("sv")
    db = tmp_path / "j.db"
    return db, _drill(db)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--lang", "sv", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _report(capsys, db: Path, session: str, fmt: str, tmp_path: Path) -> str:
    if fmt in ("html", "docx"):
        target = tmp_path / f"r.{fmt}"
        assert run(capsys, "report", session, "--db", str(db), "--format", fmt, "-o", str(target), "--force")[0] == 0
        if fmt == "html":
            return target.read_text(encoding="utf-8")
        with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as z:
            return z.read("word/document.xml").decode("utf-8")
    code, out, _ = run(capsys, "report", session, "--db", str(db), "--format", fmt)
    assert code == 0
    return out


def _objective(capsys, db: Path, session: str, tmp_path: Path) -> dict:
    data = json.loads(_report(capsys, db, session, "json", tmp_path))
    return next(o for o in data["objectives"] if o["id"] == "forsta-beskedet")


def test_a_rating_overrides_with_its_reason_in_every_format(drill, tmp_path, capsys) -> None:
    db, session = drill
    before = _objective(capsys, db, session, tmp_path)
    assert before["outcome"] == before["automatic"] == "not_met" and "reason" not in before
    assert before["criterion"].startswith("Första offentliga beskedet inom")

    code, _out, err = run(
        capsys, "notes", session, "--db", str(db), "--rating", "forsta-beskedet; delvis uppnått; Muntligt besked kl 10"
    )
    assert code == 0, err
    after = _objective(capsys, db, session, tmp_path)
    assert (after["outcome"], after["automatic"], after["reason"]) == ("partly_met", "not_met", "Muntligt besked kl 10")
    for fmt in ("md", "html", "docx"):
        text = _report(capsys, db, session, fmt, tmp_path)
        assert "Muntligt besked kl 10" in text, fmt
        assert "delvis uppnått (utvärderarens bedömning; automatiskt: ej uppnått)" in text, fmt
        assert "Första offentliga beskedet inom" in text, fmt  # the criterion, beside the rating


def test_notes_are_listed_edited_and_deleted_by_new_rows(drill, capsys) -> None:
    db, session = drill
    assert run(capsys, "notes", session, "--db", str(db), "--strength", "Bra samordning")[0] == 0
    assert run(capsys, "notes", session, "--db", str(db), "--plan", "Larm; Öva larmkedjan; Anna; 2026-09-30")[0] == 0
    code, out, _ = run(capsys, "notes", session, "--db", str(db), "--list")
    lines = out.splitlines()
    # the drill's observation first (number 1, at its time), then the hot wash's notes
    assert lines[0].split()[:2] == ["1", "Iakttagelse"] and "[forsta-beskedet] Talespersonen var osäker" in lines[0]
    assert lines[1].split()[:2] == ["2", "Styrka"] and lines[2].split()[:2] == ["3", "Åtgärd"]

    assert run(capsys, "notes", session, "--db", str(db), "--edit", "2", "Mycket bra samordning")[0] == 0
    assert run(capsys, "notes", session, "--db", str(db), "--edit", "1", "Talespersonen var säker")[0] == 0
    assert run(capsys, "notes", session, "--db", str(db), "--delete", "3")[0] == 0
    code, out, _ = run(capsys, "notes", session, "--db", str(db), "--json")
    listed = json.loads(out)
    assert [(n["n"], n["kind"], n.get("text"), n["edited"]) for n in listed] == [
        (1, "observation", "Talespersonen var säker", True),
        (2, "strength", "Mycket bra samordning", True),
    ]
    assert listed[0]["objective"] == "forsta-beskedet"  # an edit keeps the observation's objective

    # nothing rewritten: every change is a row of its own, chained and sealed
    con = sqlite3.connect(db)
    kinds = [k for (k,) in con.execute("SELECT kind FROM notes ORDER BY id")]
    con.close()
    assert kinds == ["strength", "plan", "edit", "edit", "delete"]
    store = SqliteStore.open(db, write=False)
    try:
        assert check_session(store, store.session(session)).state == "intact"
    finally:
        store.close()
    code, out, _ = run(capsys, "report", session, "--db", str(db), "--format", "json")
    report = json.loads(out)
    assert [o["text"] for o in report["observations"]] == ["Talespersonen var säker"]
    assert "Mycket bra samordning" in [s["text"] for s in report["strengths"]]
    assert all(p["action"] != "Öva larmkedjan" for p in report["plan"])  # deleted

    code, _, err = run(capsys, "notes", session, "--db", str(db), "--delete", "3")
    assert code == 2 and "anteckning 3 är redan borttagen" in err and "Traceback" not in err
    code, _, err = run(capsys, "notes", session, "--db", str(db), "--edit", "9", "x")
    assert code == 2 and "ingen anteckning nummer 9" in err


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Larm; ; Anna; 2026-09-30", "behöver en åtgärd"),
        ("Larm; Öva larmet; ; 2026-09-30", "behöver en ansvarig"),
        ("Larm; Öva larmet; Anna; ", "behöver ett datum"),
        ("Larm; Öva larmet; Anna; 2026-02-30", '"2026-02-30" är inget giltigt datum'),
        ("Larm; Öva larmet; Anna; snart", '"snart" är inget giltigt datum'),
        ("Larm; Öva larmet", "skrivs"),
    ],
)
def test_a_plan_row_without_action_owner_or_valid_date_is_refused(drill, capsys, row, message) -> None:
    db, session = drill
    code, _out, err = run(capsys, "notes", session, "--db", str(db), "--plan", row)
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and not has_raw_control(err)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM notes").fetchone()[0] == 0  # nothing stored
    con.close()


@pytest.mark.parametrize(
    ("rating", "message"),
    [
        ("okänt-mål; uppnått; skäl", 'inget övningsmål "okänt-mål"'),
        ("forsta-beskedet; toppen; skäl", 'okänd bedömning "toppen"'),
        ("forsta-beskedet; uppnått; ", "behöver ett skäl"),
        ("forsta-beskedet uppnått", "skrivs"),
    ],
)
def test_a_bad_rating_is_refused(drill, capsys, rating, message) -> None:
    db, session = drill
    code, _, err = run(capsys, "notes", session, "--db", str(db), "--rating", rating)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_rating_during_the_drill_survives_resume_and_stands_until_edited(tmp_path, capsys) -> None:
    set_language("sv")
    db = tmp_path / "j.db"
    session = _drill(db, rate=True)
    live = LiveDrill.resume(db, session)  # replayed: the rating is in the journal, not only in memory
    try:
        with pytest.raises(ActionRefused):
            live.act(Action("observation", "x", objective="forsta-beskedet", rating="bäst"))
        with pytest.raises(ActionRefused):
            live.act(Action("observation", "x", rating="met"))  # a rating names its objective
        with pytest.raises(ActionRefused):
            live.act(Action("observation", "", replaces=9999, withdrawn=True))  # no such observation
    finally:
        live.close(interrupted=True)
    o = _objective(capsys, db, session, tmp_path)
    assert (o["outcome"], o["automatic"], o["reason"]) == (
        "met",
        "not_met",
        "Beskedet gick ut muntligt på presskonferensen",
    )
    # the rating is note 2; the evaluator changes their mind afterwards
    assert (
        run(capsys, "notes", session, "--db", str(db), "--edit", "2", "forsta-beskedet; ej bedömt; Kunde inte höras")[0]
        == 0
    )
    o = _objective(capsys, db, session, tmp_path)
    assert (o["outcome"], o["automatic"], o["reason"]) == ("not_assessed", "not_met", "Kunde inte höras")
    assert run(capsys, "notes", session, "--db", str(db), "--delete", "2")[0] == 0
    o = _objective(capsys, db, session, tmp_path)
    assert (o["outcome"], o["automatic"]) == ("not_met", "not_met") and "reason" not in o


def test_an_observation_is_edited_and_withdrawn_during_the_drill(tmp_path, capsys) -> None:
    set_language("sv")
    db = tmp_path / "j.db"
    live = LiveDrill.start(db, load_scenario_bytes(STARTER.encode(), "starter.yaml"), STARTER, "starter.yaml", 1, "sv")
    live.tick(60.0)
    first = live.act(Action("observation", "Första", objective="lagesbild"))[-1].seq
    second = live.act(Action("observation", "Andra"))[-1].seq
    live.act(Action("observation", "Första, rättad", objective="lagesbild", replaces=first))
    live.act(Action("observation", "", replaces=second, withdrawn=True))
    with pytest.raises(ActionRefused):  # withdrawn: gone
        live.act(Action("observation", "igen", replaces=second))
    session = live.recorder.info.id
    live.close(interrupted=True)
    report = json.loads(run(capsys, "report", session, "--db", str(db), "--format", "json")[1])
    assert [(o["text"], o.get("objective")) for o in report["observations"]] == [("Första, rättad", "lagesbild")]
