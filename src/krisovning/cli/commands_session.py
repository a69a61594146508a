"""Commands over the journal: sessions, resume, export."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from krisovning.cli.errors import CommandError
from krisovning.cli.files import write_file
from krisovning.cli.output import json_safe, json_text
from krisovning.cli.settings import resolve_db_path
from krisovning.engine.policies import POLICIES, make_policy
from krisovning.i18n import get_language, t
from krisovning.i18n.fmt import minutes
from krisovning.scenario import Scenario
from krisovning.session import JournalError, Recorder, SqliteStore, effective_status, find_session, open_for_resume
from krisovning.session.chain import ALTERED, Check
from krisovning.session.copy import copy_session
from krisovning.session.export import TypeCheck, export_lines
from krisovning.session.store import open_store as open_journal
from krisovning.session.store import shown
from krisovning.textsafe import visible_line

# A session's status as `sessions` lists it (`session/store.py` gives the words).
_STATUS_KEYS = {"running": "status.running", "finished": "status.finished", "interrupted": "status.interrupted"}


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("sessions")
    p.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    p.set_defaults(handler=sessions)

    p = add("resume")
    p.add_argument("session", nargs="?", metavar=t("cli.metavar.session"), help=t("cmd.resume.session"))
    p.add_argument("--policy", choices=POLICIES, help=t("cmd.resume.policy"))
    p.add_argument("--speed", type=float, help=t("cmd.resume.speed"))
    p.set_defaults(handler=resume)

    p = add("export")
    p.add_argument("session", metavar=t("cli.metavar.session"), help=t("cmd.export.session"))
    p.add_argument("-o", "--output", metavar=t("cli.metavar.file"), help=t("cmd.export.output"))
    p.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    p.set_defaults(handler=export)

    p = add("copy")
    p.add_argument("session", metavar=t("cli.metavar.session"), help=t("cmd.copy.session"))
    p.add_argument("--to", required=True, metavar=t("cmd.copy.to_metavar"), help=t("cmd.copy.to"))
    p.set_defaults(handler=copy)


def journal_error(exc: JournalError) -> CommandError:
    return CommandError(t(exc.key, **exc.fields))


def open_store(args: argparse.Namespace, *, write: bool) -> SqliteStore:
    try:
        return open_journal(resolve_db_path(getattr(args, "db", None)), write=write)
    except JournalError as exc:
        raise journal_error(exc) from None


def record_run(
    args: argparse.Namespace, scenario: Scenario, path: str, seed: int, team: str, events, now: float
) -> str:
    """Journal a finished headless run; returns the session id."""
    text = Path(path).read_bytes().decode("utf-8-sig")  # closed at once (Windows keeps an open file)
    try:
        recorder = Recorder.begin(
            resolve_db_path(getattr(args, "db", None)), scenario, text, path, seed, team, get_language()
        )
    except JournalError as exc:
        raise journal_error(exc) from None
    try:
        recorder.record(events, now)
        recorder.finish("finished")
    except JournalError as exc:  # a full disk: what is recorded stays, the drill can be resumed
        raise journal_error(exc) from None
    finally:
        recorder.close()
    return recorder.info.id


def sessions(args: argparse.Namespace) -> int:
    store = open_store(args, write=False)
    try:
        rows = [(info, effective_status(store, info)) for info in store.sessions()]
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        store.close()
    if args.json:
        print(json_text([{**info.public(), "status": status} for info, status in rows]))
        return 0
    if not rows:
        print(t("sessions.none"))
        return 0
    headers = [
        t("sessions.id"),
        t("sessions.scenario"),
        t("sessions.started"),
        t("sessions.duration"),
        t("sessions.status"),
        t("sessions.seed"),
        t("sessions.team"),
    ]
    table = [
        [
            info.id,
            info.scenario_title,
            info.started_at[:16].replace("T", " "),
            minutes(info.exercise_time),
            t(_STATUS_KEYS[status]),
            str(info.seed),
            info.team,
        ]
        for info, status in rows
    ]
    widths = [max(len(r[i]) for r in [headers] + table) for i in range(len(headers))]
    for row in [headers] + table:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    return 0


def resume(args: argparse.Namespace) -> int:
    if args.policy is None and not _bot_session(args):
        from krisovning.cli.commands_run import resume_ui

        return resume_ui(args.db, args.session, args.speed)
    try:
        recorder, scenario, drill = open_for_resume(resolve_db_path(args.db), args.session)
    except JournalError as exc:
        raise journal_error(exc) from None
    try:
        info = recorder.info
        policy_name = args.policy or info.team
        if drill.policy is None:
            drill.attach_policy(make_policy(policy_name))
        print(t("resume.continuing", session=info.id, title=scenario.title, time=minutes(drill.now)), file=sys.stderr)
        while not drill.finished:
            drill.advance(drill.now + 60.0)  # journal minute by minute, as a live drill would
            recorder.record(drill.drain(), drill.now)
        recorder.finish("finished")
        print(t("resume.finished", session=info.id))
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        recorder.close()
    return 0


def _bot_session(args: argparse.Namespace) -> bool:
    """Whether the session to resume was played by a bot (then it is finished headless)."""
    store = open_store(args, write=False)
    try:
        return find_session(store, args.session, unfinished=True).team in POLICIES
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        store.close()


def copy(args: argparse.Namespace) -> int:
    """A session to another journal (session/copy.py), its chain checked before and after."""
    target = resolve_db_path(args.to) if args.to else None
    assert target is not None  # argparse requires --to
    store = open_store(args, write=False)
    try:
        info = find_session(store, args.session)
        count = copy_session(store, info, target)
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        store.close()
    where = shown(target) if isinstance(target, str) else str(target)
    print(t("copy.done", session=info.id, n=count, target=where))
    return 0


def export(args: argparse.Namespace) -> int:
    store = open_store(args, write=False)
    try:
        info = find_session(store, args.session)
        check = Check(info, store.format)
        types = TypeCheck()
        lines = "\n".join(export_lines(store, info, check, types)) + "\n"
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        store.close()
    if check.result.state == ALTERED:
        print(t("export.altered", session=info.id, problem="; ".join(check.result.messages())), file=sys.stderr)
    if types.seq is not None:
        print(
            visible_line(t("export.bad_type", session=info.id, seq=types.seq, problem=types.problem)), file=sys.stderr
        )
    if args.output:
        write_file(args.output, lines.encode("utf-8"), force=args.force)
        print(t("export.written", file=args.output, session=info.id), file=sys.stderr)
    else:
        sys.stdout.write(json_safe(lines))
    return 0
