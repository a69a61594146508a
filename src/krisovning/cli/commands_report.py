"""The after-action report and the facilitator's hot-wash notes: report, notes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import msgspec

from krisovning.cli.commands_session import journal_error, open_store
from krisovning.cli.errors import CommandError
from krisovning.cli.files import write_file
from krisovning.cli.output import json_safe, json_text
from krisovning.cli.settings import resolve_db_path
from krisovning.engine.actions import decode_action
from krisovning.engine.typed import ActionTaken, decode_event
from krisovning.i18n import t
from krisovning.scenario import ScenarioError, load_scenario_bytes
from krisovning.session import JournalError, SqliteStore, add_notes, effective_status, find_session
from krisovning.session.chain import Check

MAX_NOTE = 2000


_NOTE_KEYS = {
    "strength": "notes.kind.strength",
    "improvement": "notes.kind.improvement",
    "plan": "notes.kind.plan",
    "decision": "notes.kind.decision",
    "participant": "notes.kind.participant",
}


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("report")
    p.add_argument("session", metavar=t("cli.metavar.session"), help=t("cmd.report.session"))
    p.add_argument("--format", choices=("md", "html", "docx", "json"), default="md", help=t("cmd.report.format"))
    p.add_argument("-o", "--output", metavar=t("cli.metavar.file"), help=t("cmd.report.output"))
    p.add_argument("--compare", nargs="+", metavar=t("cli.metavar.session"), help=t("cmd.report.compare"))
    p.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    p.set_defaults(handler=report)

    p = add("notes")
    p.add_argument("session", metavar=t("cli.metavar.session"), help=t("cmd.report.session"))
    p.add_argument(
        "--strength", action="append", default=[], metavar=t("cli.metavar.text"), help=t("cmd.notes.strength")
    )
    p.add_argument(
        "--improvement", action="append", default=[], metavar=t("cli.metavar.text"), help=t("cmd.notes.improvement")
    )
    p.add_argument("--plan", action="append", default=[], metavar=t("cmd.notes.plan_metavar"), help=t("cmd.notes.plan"))
    p.add_argument(
        "--decision", action="append", default=[], metavar=t("cli.metavar.text"), help=t("cmd.notes.decision")
    )
    p.add_argument(
        "--participant", action="append", default=[], metavar=t("cli.metavar.text"), help=t("cmd.notes.participant")
    )
    p.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    p.set_defaults(handler=notes)


def _parse_datetime(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def build_for(store: SqliteStore, wanted: str):
    from krisovning.report import FacilitatorNotes, PlanRow, ReportMeta, build_report

    info = find_session(store, wanted)
    try:
        scenario = load_scenario_bytes(info.scenario_text.encode("utf-8"), info.scenario_file)
    except ScenarioError as exc:
        raise CommandError(t("report.bad_scenario", session=info.id, problem=str(exc.problems[0]))) from None
    events = []
    check = Check(info, store.format)  # the chain is followed while the rows are read
    damaged: tuple[int, str] | None = None  # the first row not of its type: seq, why
    journaled: dict[int, str] = {}  # when each action was written: a team drill's request delays
    for row in check.entries(store.linked_entries(info.id)):
        try:  # read as its type (engine/typed.py): a row of the wrong shape is refused here, not deep in the report
            event = decode_event(row[5])
            if isinstance(event, ActionTaken):  # and an action as its kind's struct (engine/actions.py)
                decode_action(json.loads(row[5])["action"])
                if isinstance(row[4], str):
                    journaled[event.seq] = row[4]
            events.append(event)
        except (msgspec.MsgspecError, ValueError) as exc:  # ValueError: text msgspec cannot take (a lone surrogate)
            damaged = damaged or (row[0], str(exc)[:160])
    for _ in check.notes(store.linked_notes(info.id)):
        pass
    integrity = check.finish()
    if damaged is not None:  # told after the chain is checked: a row changed by hand is told as changed
        if integrity.state == "altered":
            raise CommandError(
                t(
                    "report.altered_damaged",
                    session=info.id,
                    problem=integrity.messages()[0],
                    detail=f"seq {damaged[0]}: {damaged[1]}",
                )
            )
        raise JournalError(
            "journal.bad_value", path=store.path, table="entries", column="body", value=f"seq {damaged[0]}"
        )
    found = FacilitatorNotes()
    participants: list[str] = []
    for kind, body in store.notes(info.id):
        if kind == "strength":
            found.strengths.append(body["text"])
        elif kind == "improvement":
            found.improvements.append(body["text"])
        elif kind == "plan":
            found.plan.append(
                PlanRow(body.get("area", ""), body.get("action", ""), body.get("owner", ""), body.get("due", ""))
            )
        elif kind == "decision":
            found.decisions.append(body.get("text", ""))
        elif kind == "participant":
            participants.append(body.get("text", ""))
    meta = ReportMeta(
        session_id=info.id,
        started=_parse_datetime(info.started_at),
        ended=_parse_datetime(info.ended_at),
        status=effective_status(store, info),
        seed=info.seed,
        team=info.team,
        notes=found,
        integrity=integrity.state,
        integrity_problems=integrity.messages(),
        chained_since=integrity.chained_since,
        journaled=journaled,
        participants=participants,
    )
    try:
        return build_report(scenario, events, meta)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:  # events of the wrong shape
        detail = f"{type(exc).__name__}: {exc}"[:160]
        if integrity.state == "altered":
            raise CommandError(
                t("report.altered_damaged", session=info.id, problem=integrity.messages()[0], detail=detail)
            ) from None
        raise CommandError(t("report.damaged", session=info.id, detail=detail)) from None


def report(args: argparse.Namespace) -> int:
    from krisovning.report import build_comparison, render, render_comparison

    store = open_store(args, write=False)
    try:
        main = build_for(store, args.session)
        data = (
            render(main, args.format)
            if not args.compare
            else render_comparison(
                build_comparison([main, *(build_for(store, other) for other in args.compare)]), args.format
            )
        )
        session = main.overview.session_id if hasattr(main.overview, "session_id") else args.session
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        store.close()
    output = args.output
    if output is None and args.format in ("html", "docx"):
        output = f"krisovning-{session}{'-jamforelse' if args.compare else ''}.{args.format}"
    if output is None:
        text = data.decode("utf-8")
        sys.stdout.write(json_safe(text) if args.format == "json" else text)
        return 0
    write_file(Path(output), data, force=args.force)
    print(t("report.written", file=output), file=sys.stderr)
    return 0


def _plan_row(text: str) -> dict[str, str]:
    parts = [p.strip() for p in text.split(";")]
    if len(parts) < 2 or not parts[0] or not parts[1] or len(parts) > 4:
        raise CommandError(t("notes.bad_plan", value=text), exit_code=2)
    return dict(zip(("area", "action", "owner", "due"), parts + [""] * (4 - len(parts)), strict=True))


def notes(args: argparse.Namespace) -> int:
    entries = [("strength", {"text": s}) for s in args.strength] + [
        ("improvement", {"text": s}) for s in args.improvement
    ]
    entries += [("plan", _plan_row(p)) for p in args.plan]
    entries += [("decision", {"text": s}) for s in args.decision]
    entries += [("participant", {"text": s}) for s in args.participant]
    for _kind, body in entries:
        if not any(v.strip() for v in body.values()):
            raise CommandError(t("action.empty_text"), exit_code=2)
        if any(len(v) > MAX_NOTE for v in body.values()):
            raise CommandError(t("action.too_long", limit=MAX_NOTE), exit_code=2)
    store = open_store(args, write=bool(entries))
    try:
        info = find_session(store, args.session)
        if entries:
            add_notes(resolve_db_path(getattr(args, "db", None)), store, info, entries)
        existing = store.notes(info.id)
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        store.close()
    if args.json:
        print(json_text([{"kind": k, **b} for k, b in existing]))
        return 0
    if entries:
        print(t("notes.added", n=len(entries), session=info.id))
    for kind, body in existing:
        text = body.get("text") or " – ".join(v for v in body.values() if v)
        print(f"{t(_NOTE_KEYS[kind]) if kind in _NOTE_KEYS else kind:<20} {text}")
    if not existing:
        print(t("notes.none", session=info.id))
    return 0
