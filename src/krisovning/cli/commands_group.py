"""`krisovning group …`: a county's parallel drills, listed, followed and steered from one place
(session/group.py; the control view is tui/group_control.py)."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable

from krisovning.cli.commands_session import journal_error
from krisovning.cli.errors import CommandError
from krisovning.cli.output import json_text
from krisovning.cli.parser import _add_globals, _Formatter
from krisovning.cli.settings import resolve_db_path
from krisovning.engine import Action
from krisovning.i18n import t, tn
from krisovning.i18n.fmt import exercise_clock, exercise_time
from krisovning.metrics.progress import Progress, ProgressWatch, action_text, objectives_text, outcome_text, state_text
from krisovning.session.group import (
    GroupError,
    GroupMember,
    Outcome,
    Watch,
    check_name,
    groups,
    members,
    send,
)
from krisovning.session.store import JournalError, SqliteStore, open_store
from krisovning.textsafe import visible_line
from krisovning.vocab import InjectChannel

MAX_SPEED = 600  # as `host --speed`
SIMPLE = ("start", "pause", "resume", "end")
_HELP = {  # each subcommand's help, the keys in full (so grep finds them)
    "list": "cmd.group.list.help",
    "status": "cmd.group.status.help",
    "start": "cmd.group.start.help",
    "pause": "cmd.group.pause.help",
    "resume": "cmd.group.resume.help",
    "end": "cmd.group.end.help",
    "speed": "cmd.group.speed.help",
    "inject": "cmd.group.inject.help",
    "control": "cmd.group.control.help",
    "report": "cmd.group.report.help",
    "align": "cmd.group.align.help",
}


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("group")
    p.set_defaults(handler=lambda _args: _usage(p))
    subs = p.add_subparsers(title=t("cli.commands"), metavar=t("cli.metavar.command"))

    def sub(name: str) -> argparse.ArgumentParser:
        q = subs.add_parser(
            name,
            help=t(_HELP[name]),
            description=t(_HELP[name]),
            formatter_class=_Formatter,
        )
        _add_globals(q, suppress=True)
        if name != "list":
            q.add_argument("name", metavar=t("cmd.group.metavar_name"), help=t("cmd.group.name"))
        return q

    sub("list").set_defaults(handler=list_groups)
    q = sub("status")
    q.add_argument("--json", action="store_true", help=t("cmd.group.json"))
    q.set_defaults(handler=status)
    for name in SIMPLE:
        q = sub(name)
        _add_sessions(q)
        if name == "end":
            q.add_argument("--yes", action="store_true", help=t("cmd.group.yes"))
        q.set_defaults(handler=steer, action=name)
    q = sub("speed")
    q.add_argument("speed", type=float, metavar=t("cmd.group.metavar_speed"), help=t("cmd.group.speed_value"))
    _add_sessions(q)
    q.set_defaults(handler=steer, action="speed")
    q = sub("inject")
    which = q.add_mutually_exclusive_group(required=True)
    which.add_argument("--fire", metavar=t("cmd.group.metavar_inject"), help=t("cmd.group.fire"))
    which.add_argument("--text", help=t("cmd.group.text"))
    q.add_argument("--to", metavar=t("cmd.group.metavar_role"), help=t("cmd.group.to"))
    q.add_argument("--from", dest="sender", metavar=t("cmd.group.metavar_from"), help=t("cmd.group.from"))
    channels = [c.value for c in InjectChannel]
    q.add_argument("--channel", choices=channels, default="email", help=t("cmd.group.channel"))
    _add_sessions(q)
    q.set_defaults(handler=steer, action="inject")
    q = sub("control")
    q.set_defaults(handler=control)
    q = sub("align")
    _add_sessions(q)
    q.set_defaults(handler=align_clocks)
    q = sub("report")
    q.add_argument("--format", choices=("md", "html", "docx", "json"), default="md", help=t("cmd.report.format"))
    q.add_argument("-o", "--output", metavar=t("cli.metavar.file"), help=t("cmd.report.output"))
    q.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    _add_sessions(q)
    q.set_defaults(handler=report)


def _add_sessions(q: argparse.ArgumentParser) -> None:
    q.add_argument(
        "--session",
        action="append",
        default=[],
        metavar=t("cli.metavar.session"),
        help=t("cmd.group.session"),
    )


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 2


def _open(args: argparse.Namespace, *, write: bool) -> SqliteStore:
    try:
        return open_store(resolve_db_path(getattr(args, "db", None)), write=write)
    except JournalError as exc:
        raise journal_error(exc) from None


def _name(args: argparse.Namespace) -> str:
    try:
        return check_name(args.name)
    except GroupError as exc:
        raise CommandError(t(exc.key, **exc.fields), exit_code=2) from None


def _group_error(exc: GroupError | JournalError) -> CommandError:
    return CommandError(t(exc.key, **exc.fields))


# --- list and status ---


def list_groups(args: argparse.Namespace) -> int:
    store = _open(args, write=False)
    try:
        found = groups(store)
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        store.close(tidy=False)  # the hosts write on
    if not found:
        print(t("group.none", path=store.path))
        return 0
    width = max(len(name) for name, _ in found)
    for name, n in found:
        print(f"{visible_line(name):<{width}}  {tn('group.sessions_count', n)}")
    return 0


def status(args: argparse.Namespace) -> int:
    name = _name(args)
    store = _open(args, write=False)
    try:
        rows = ProgressWatch(Watch(store, name)).look()
    except (GroupError, JournalError) as exc:
        raise _group_error(exc) from None
    finally:
        store.close(tidy=False)  # the hosts write on
    if args.json:
        print(json_text({"group": name, "sessions": [row.to_dict() for row in rows]}))
        return 0
    print(tn("group.status_title", len(rows), group=visible_line(name)))
    for row in rows:
        print()
        print("\n".join(status_lines(row)))
    return 0


def status_lines(row: Progress) -> list[str]:
    s = row.snapshot
    title = s.info.scenario_title if s.info is not None else t("group.session_missing")
    lines = [
        f"{visible_line(s.member.label)} · {visible_line(title)} · {s.member.session}",
        "  "
        + t(
            "group.status_line",
            clock=exercise_time(s.clock),
            speed=f"{s.speed:g}",
            state=state_text(row),
            seats=s.seats,
            offered=s.offered,
        ),
        "  " + t("group.objectives_label") + " " + objectives_text(row),
    ]
    if not s.latest:
        lines.append("  " + t("group.latest_none"))
    for action in s.latest:
        who = visible_line(action.who) or "—"
        lines.append(f"  {exercise_time(action.t)}  {who}: {action_text(action.kind, action.text)}")
    return lines


# --- the report ---


def report(args: argparse.Namespace) -> int:
    """The group's municipalities side by side (report/group.py), in the order they joined."""
    from krisovning.cli.commands_report import side_by_side

    name = _name(args)
    store = _open(args, write=False)
    try:
        chosen = members(store, name, args.session)
        if len(chosen) < 2:
            raise CommandError(t("group.report_too_few", group=visible_line(name)), exit_code=2)
        return side_by_side(
            store,
            [(m.session, m.label) for m in chosen],
            args.format,
            args.output,
            force=args.force,
            name=_file_name(name),
        )
    except (GroupError, JournalError) as exc:
        raise _group_error(exc) from None
    finally:
        store.close(tidy=False)  # the hosts may write on


def _file_name(name: str) -> str:
    """The group's name as part of a file name ("Kalmar län 2026" → "Kalmar-län-2026")."""
    return "-".join("".join(c if c.isalnum() or c in "-_" else " " for c in name).split()) or "grupp"


# --- steering ---


def action_for(args: argparse.Namespace) -> Action:
    """The facilitator's action the command asks for (a usage error, exit 2, when it cannot be one)."""
    if args.action in SIMPLE:
        return Action(args.action)
    if args.action == "speed":
        if not 0 < args.speed <= MAX_SPEED:
            raise CommandError(t("action.bad_speed"), exit_code=2)
        speed = int(args.speed) if float(args.speed).is_integer() else args.speed
        return Action("speed", speed=speed)
    if args.fire is not None:
        if args.to or args.sender:
            raise CommandError(t("group.fire_alone"), exit_code=2)
        return Action("fire_inject", inject=args.fire)
    if not args.to:
        raise CommandError(t("group.text_needs_to"), exit_code=2)
    if not args.text.strip():
        raise CommandError(t("action.empty_text"), exit_code=2)
    fields = {"channel": args.channel, "to": args.to, "text": args.text}
    if args.sender:
        fields["from"] = args.sender
    return Action("add_inject", fields=fields)


def _chosen(store: SqliteStore, name: str, sessions: list[str]) -> list[GroupMember]:
    """The group's sessions a command is for; a session not in the group is a usage error (exit 2)."""
    try:
        return members(store, name, sessions)
    except GroupError as exc:
        raise CommandError(t(exc.key, **exc.fields), exit_code=2 if exc.key == "group.not_member" else 1) from None


def steer(args: argparse.Namespace) -> int:
    name = _name(args)
    action = action_for(args)
    store = _open(args, write=True)
    try:
        chosen = _chosen(store, name, args.session)
        asked = args.action == "end" and not args.yes and sys.stdin.isatty()
        if asked and not _confirmed(tn("group.confirm_end", len(chosen), group=visible_line(name))):
            print(t("group.not_ended"))
            return 1
        try:
            outcomes = send(store, [m.session for m in chosen], action)
        except JournalError as exc:
            raise journal_error(exc) from None
    finally:
        store.close(tidy=False)  # the hosts write on
    for member, outcome in zip(chosen, outcomes, strict=True):
        print(outcome_line(member, outcome))
    done = sum(1 for o in outcomes if o.status == "done")
    print(t("group.done_count", done=done, n=len(outcomes)))
    return 0 if done == len(outcomes) else 1


def align_clocks(args: argparse.Namespace) -> int:
    """The drills behind catch up with the one furthest on while the others wait; all paused at the end."""
    from krisovning.session.group_align import align

    name = _name(args)
    store = _open(args, write=True)
    try:
        chosen = {m.session: m for m in _chosen(store, name, args.session)}
        print(t("group.align.waiting"), flush=True)
        try:
            target, aligned = align(store, name, list(chosen))
        except (GroupError, JournalError) as exc:
            raise _group_error(exc) from None
    finally:
        store.close(tidy=False)  # the hosts write on
    for one in aligned:
        moved = t("group.align.moved", before=exercise_clock(one.before), after=exercise_clock(one.after))
        print(f"{outcome_line(chosen[one.session], one.outcome)} · {moved}")
    done = sum(1 for one in aligned if one.outcome.status == "done")
    if done:
        group = shlex.quote(visible_line(name))  # to be typed again: quoted as a shell wants it
        print(t("group.align.result", clock=exercise_clock(target), done=done, n=len(aligned), group=group))
    return 0 if done == len(aligned) else 1


def outcome_line(member: GroupMember, outcome: Outcome) -> str:
    return f"{visible_line(member.label)} ({member.session}): {outcome_text(outcome)}"


def _confirmed(question: str) -> bool:
    try:
        answer = input(f"{question} [{t('group.yes_letter')}/{t('group.no_letter').upper()}] ")
    except EOFError:
        return False
    return answer.strip().lower() in (t("group.yes_letter"), t("group.yes_word"))


# --- the control view ---


def control(args: argparse.Namespace) -> int:
    from krisovning.cli.commands_run import _need_terminal

    name = _name(args)
    store = _open(args, write=True)
    try:
        try:
            members(store, name)
        except (GroupError, JournalError) as exc:
            raise _group_error(exc) from None
        _need_terminal()
        from krisovning.tui.group_control import control_class  # Textual only when the view opens

        control_class()(store, name).run()
    finally:
        store.close(tidy=False)  # the hosts write on
    return 0
