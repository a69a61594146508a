"""The after-action report (and, beside it, the evaluator's notes: cli/commands_notes.py)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import msgspec

from krisovning.cli import commands_notes
from krisovning.cli.commands_session import journal_error, open_store
from krisovning.cli.errors import CommandError
from krisovning.cli.files import write_file
from krisovning.cli.output import json_safe
from krisovning.engine.actions import decode_action
from krisovning.engine.typed import ActionTaken, decode_event
from krisovning.i18n import t
from krisovning.scenario import ScenarioError, load_scenario_bytes
from krisovning.session import JournalError, SqliteStore, effective_status, find_session
from krisovning.session.chain import Check


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("report")
    p.add_argument("session", nargs="+", metavar=t("cli.metavar.session"), help=t("cmd.report.session"))
    p.add_argument("--format", choices=("md", "html", "docx", "json"), default="md", help=t("cmd.report.format"))
    p.add_argument("-o", "--output", metavar=t("cli.metavar.file"), help=t("cmd.report.output"))
    p.add_argument("--compare", nargs="+", metavar=t("cli.metavar.session"), help=t("cmd.report.compare"))
    p.add_argument("--side-by-side", action="store_true", help=t("cmd.report.side_by_side"))
    p.add_argument(
        "--label", action="append", default=[], metavar=t("cli.metavar.session_label"), help=t("cmd.report.label")
    )
    p.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    p.set_defaults(handler=report)

    commands_notes.register(add)


def _parse_datetime(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def build_for(store: SqliteStore, wanted: str):
    from krisovning.report import ReportMeta, build_report

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
    meta = ReportMeta(
        session_id=info.id,
        started=_parse_datetime(info.started_at),
        ended=_parse_datetime(info.ended_at),
        status=effective_status(store, info),
        seed=info.seed,
        team=info.team,
        stored_notes=store.notes(info.id),
        integrity=integrity.state,
        integrity_problems=integrity.messages(),
        chained_since=integrity.chained_since,
        journaled=journaled,
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

    if args.side_by_side:
        return _side_by_side_command(args)
    if args.label:
        raise CommandError(t("report.group.label_without"), exit_code=2)
    if len(args.session) > 1:
        raise CommandError(t("report.group.one_session"), exit_code=2)
    store = open_store(args, write=False)
    try:
        main = build_for(store, args.session[0])
        data = (
            render(main, args.format)
            if not args.compare
            else render_comparison(
                build_comparison([main, *(build_for(store, other) for other in args.compare)]), args.format
            )
        )
        session = main.overview.session_id
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        store.close()
    output = args.output
    if output is None and args.format in ("html", "docx"):
        output = f"krisovning-{session}{'-jamforelse' if args.compare else ''}.{args.format}"
    return _deliver(data, args.format, output, force=args.force)


def _deliver(data: bytes, fmt: str, output: str | None, *, force: bool) -> int:
    if output is None:
        text = data.decode("utf-8")
        sys.stdout.write(json_safe(text) if fmt == "json" else text)
        return 0
    write_file(Path(output), data, force=force)
    print(t("report.written", file=output), file=sys.stderr)
    return 0


def _side_by_side_command(args: argparse.Namespace) -> int:
    if args.compare:
        raise CommandError(t("report.group.with_compare"), exit_code=2)
    if len(args.session) < 2:
        raise CommandError(t("report.group.too_few"), exit_code=2)
    given: list[tuple[str, str]] = []
    for value in args.label:
        session, sep, text = value.partition("=")
        if not sep or not session.strip() or not text.strip():
            raise CommandError(t("report.group.bad_label", value=value), exit_code=2)
        given.append((session.strip(), text))
    store = open_store(args, write=False)
    try:
        try:
            ids = [find_session(store, wanted).id for wanted in args.session]
        except JournalError as exc:
            raise journal_error(exc) from None
        twice = next((i for i in ids if ids.count(i) > 1), None)
        if twice is not None:
            raise CommandError(t("report.group.twice", session=twice), exit_code=2)
        labels: dict[str, str] = {}
        for session, text in given:
            matches = {i for wanted, i in zip(args.session, ids, strict=True) if session in (wanted, i)}
            matches = matches or {i for i in ids if i.startswith(session)}
            if len(matches) != 1:
                raise CommandError(
                    t("report.group.label_unknown", value=f"{session}={text}", session=session), exit_code=2
                )
            labels[matches.pop()] = text
        return side_by_side(
            store, [(i, labels.get(i)) for i in ids], args.format, args.output, force=args.force, name=ids[0]
        )
    finally:
        store.close()


def side_by_side(
    store: SqliteStore,
    members: list[tuple[str, str | None]],
    fmt: str,
    out: str | None,
    *,
    force: bool = False,
    name: str = "",
) -> int:
    """The group report of several sessions side by side (`report --side-by-side`; the group command's report):
    `members` are (session id, label or None for the scenario's organisation), in the order to show them;
    written to `out`, or for md and json to standard output when `out` is None (html and docx: to a file
    named after `name`, or the first session). Returns the exit code; a failure is a CommandError."""
    from krisovning.report import build_group_report, render_group

    seen: set[str] = set()
    try:
        reports = []
        for session, _ in members:
            built = build_for(store, session)
            if built.overview.session_id in seen:
                raise CommandError(t("report.group.twice", session=built.overview.session_id), exit_code=2)
            seen.add(built.overview.session_id)
            reports.append(built)
    except JournalError as exc:
        raise journal_error(exc) from None
    named = list(zip(default_labels(reports, [label for _, label in members]), reports, strict=True))
    data = render_group(build_group_report(named), fmt)
    if out is None and fmt in ("html", "docx"):
        out = f"krisovning-{name or reports[0].overview.session_id}-kommuner.{fmt}"
    return _deliver(data, fmt, out, force=force)


def default_labels(reports: list, given: list[str | None]) -> list[str]:
    """The labels given, else each session's scenario organisation, with the session id added where that would
    be the same as another municipality's label."""
    names = [label if label is not None else r.overview.organisation for label, r in zip(given, reports, strict=True)]
    return [
        f"{name} ({r.overview.session_id})" if label is None and names.count(name) > 1 else name
        for name, label, r in zip(names, given, reports, strict=True)
    ]
