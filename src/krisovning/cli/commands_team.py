"""A team drill from the command line: `host` runs it, `seat` opens one seat of it (session/host.py,
session/follower.py). The host's own screen is tui/host_console.py on a terminal, else a plain log
(cli/host_log.py)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from krisovning.cli.commands_run import _need_terminal
from krisovning.cli.commands_session import journal_error
from krisovning.cli.errors import CommandError
from krisovning.cli.inputs import load_or_explain
from krisovning.cli.settings import default_db_path, resolve_db_path
from krisovning.i18n import get_language, t
from krisovning.i18n.fmt import minutes
from krisovning.session import JournalError, find_session
from krisovning.session.group import GroupError, check_label, check_name, group_of
from krisovning.session.host import HostDrill
from krisovning.session.live import SPEEDS
from krisovning.session.relay import Relay, SeatSeen
from krisovning.session.roster import Invitation, invitations, seat_label
from krisovning.session.seats import FACILITATOR, OBSERVER, Seat
from krisovning.session.store import open_store, shown
from krisovning.textsafe import visible_line
from krisovning.web.runner import SeatCommand, WebError, WebHandle, listen_warning, parse_listen, start_web

HOST_HZ = 20  # the host's steps per second of wall time (requests are taken at the next one)


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("host")
    p.add_argument("file", nargs="?", metavar=t("cli.metavar.file"), help=t("cmd.host.file"))
    p.add_argument("--resume", nargs="?", const="", metavar=t("cli.metavar.session"), help=t("cmd.host.resume"))
    p.add_argument("--seed", type=int, help=t("cli.opt.seed"))
    speeds = ", ".join(f"{s:g}" for s in SPEEDS)
    p.add_argument("--speed", type=float, help=t("cmd.run.speed", speeds=speeds))
    p.add_argument("--start-now", action="store_true", help=t("cmd.run.start_now"))
    p.add_argument("--web", action="store_true", help=t("cmd.host.web"))
    p.add_argument("--listen", metavar=t("cmd.host.metavar_listen"), help=t("cmd.host.listen"))
    p.add_argument("--group", metavar=t("cmd.group.metavar_name"), help=t("cmd.host.group"))
    p.add_argument("--label", metavar=t("cmd.host.metavar_label"), help=t("cmd.host.label"))
    p.set_defaults(handler=host)

    p = add("seat")
    p.add_argument("session", metavar=t("cli.metavar.session"), help=t("cmd.seat.session"))
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--role", action="append", metavar=t("cmd.seat.metavar_role"), help=t("cmd.seat.role"))
    who.add_argument("--facilitator", action="store_true", help=t("cmd.seat.facilitator"))
    who.add_argument("--observer", action="store_true", help=t("cmd.seat.observer"))
    who.add_argument("--token", help=t("cmd.seat.token"))
    p.set_defaults(handler=seat)


# --- host ---


def host(args: argparse.Namespace) -> int:
    if args.speed is not None and not 0 < args.speed <= 600:
        raise CommandError(t("action.bad_speed"), exit_code=2)
    if (args.resume is None) == (args.file is None):
        raise CommandError(t("host.file_or_resume"), exit_code=2)
    if args.resume is not None and args.seed is not None:
        raise CommandError(t("host.seed_on_resume"), exit_code=2)
    _check_group(args)
    db = resolve_db_path(args.db)
    web = _web_server(args)  # before the drill: a mistyped --listen is said before anything is recorded
    drill = _open_drill(args, db)
    try:
        _say_group(drill)
        invites = _invitations(drill, db, web)
        if sys.stdin.isatty() and sys.stdout.isatty():
            from krisovning.tui.host_console import run_console  # Textual only on a terminal

            run_console(drill, invites, HOST_HZ)
        else:
            from krisovning.cli.host_log import run_log

            run_log(drill, invites, HOST_HZ)
    finally:
        if web is not None:
            web.stop()
        drill.close(interrupted=True)  # left interrupted unless the drill is over
    return _farewell(drill)


def _open_drill(args: argparse.Namespace, db: Path | str) -> HostDrill:
    try:
        if args.resume is not None:
            return HostDrill.resume(db, args.resume or None, args.speed)
        scenario = load_or_explain(args.file)
        text = Path(args.file).read_bytes().decode("utf-8-sig")  # closed at once (Windows keeps an open file)
        seed = scenario.seed if args.seed is None else args.seed
        speed = args.speed or 1.0
        group = None
        if args.group is not None:
            label = args.label if args.label is not None else scenario.organisation.name
            group = (args.group, _checked(check_label, label))
        return HostDrill.start(
            db, scenario, text, args.file, seed, get_language(), speed, briefing=not args.start_now, group=group
        )
    except JournalError as exc:
        raise journal_error(exc) from None


def _say_group(drill: HostDrill) -> None:
    """The group the session drills in (a resumed one too): its briefing waits for the group's start."""
    try:
        found = group_of(drill.live.recorder.store, drill.live.session_id)
    except JournalError:
        return  # the console says what is wrong with the journal soon enough
    if found is not None:
        name, member = found
        key = "host.in_group" if drill.live.briefing else "host.in_group_resumed"
        print(t(key, group=visible_line(name), label=visible_line(member.label)), flush=True)


def _check_group(args: argparse.Namespace) -> None:
    """`--group`/`--label`: said before anything is recorded; a resumed host stays in the group it was in."""
    if args.group is None:
        if args.label is not None:
            raise CommandError(t("host.label_without_group"), exit_code=2)
        return
    if args.resume is not None:
        raise CommandError(t("host.group_on_resume"), exit_code=2)
    if args.start_now:
        raise CommandError(t("host.group_start_now"), exit_code=2)
    args.group = _checked(check_name, args.group)
    if args.label is not None:
        args.label = _checked(check_label, args.label)


def _checked(check: Callable[[str], str], value: str) -> str:
    try:
        return check(value)
    except GroupError as exc:
        raise CommandError(t(exc.key, **exc.fields), exit_code=2) from None


def _invitations(drill: HostDrill, db: Path | str, web: _Web | None) -> list[Invitation]:
    named: Path | str | None
    if isinstance(db, str):  # a PostgreSQL address: named without its password, which the seats get from
        named = shown(db)  # PGPASSWORD (set here for the browser seats' processes) or ~/.pgpass, as libpq does
        password = urlsplit(db).password
        if password and "PGPASSWORD" not in os.environ:
            os.environ["PGPASSWORD"] = unquote(password)
    else:
        named = None if db == default_db_path() else db.absolute()
    seats = drill.relay.seats()
    urls = web.start(drill, seats, named) if web is not None else None
    return invitations(drill.live.scenario, drill.live.session_id, seats, named, urls)


def _farewell(drill: HostDrill) -> int:
    live = drill.live
    info = live.recorder.info
    if live.fault is not None:
        raise CommandError(
            t(
                "host.journal_fault",
                session=info.id,
                problem=t(live.fault.key, **live.fault.fields),
                time=minutes(info.exercise_time),
            )
        )
    print(t("run.finished", session=info.id) if live.finished else t("host.interrupted", session=info.id))
    return 0


# --- browser seats (src/krisovning/web) ---


class _Web:
    """The browser seats' server, started once the seats and their tokens are known."""

    def __init__(self, listen: str | None) -> None:
        try:
            self.host, self.port = parse_listen(listen) if listen else ("127.0.0.1", 0)
        except WebError as exc:
            raise CommandError(str(exc), exit_code=2) from None
        self.handle: WebHandle | None = None

    def start(self, drill: HostDrill, seats: list[SeatSeen], db: Path | str | None) -> dict[str, str]:
        commands = {}
        for seen in seats:
            argv = [sys.executable, "-m", "krisovning", "seat", drill.live.session_id, "--token", seen.token]
            if db is not None:
                argv += ["--db", str(db)]
            commands[seen.token] = SeatCommand(tuple(argv), _page_title(drill, seen.seat))
        self.handle = self._listen(drill, commands)
        drill.web = f"{self.host}:{self.handle.port}"
        drill.say()
        warning = listen_warning(self.host)
        if warning is not None:
            print(warning, file=sys.stderr, flush=True)
        return {seen.seat: self.handle.url(seen.token) for seen in seats}

    def _listen(self, drill: HostDrill, commands: dict[str, SeatCommand]) -> WebHandle:
        """On the port asked for; else, for a resumed host, where its pages were (a reload then finds it
        again), and on any free port when that one is taken."""
        before = drill.web_before.rpartition(":") if drill.web_before else None
        try:
            if self.port == 0 and before is not None and before[0] == self.host and before[2].isdigit():
                try:
                    return start_web(commands, self.host, int(before[2]))
                except WebError:
                    print(t("host.web_moved", before=drill.web_before), file=sys.stderr, flush=True)
            return start_web(commands, self.host, self.port)
        except WebError as exc:
            raise CommandError(str(exc)) from None

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.stop()


def _web_server(args: argparse.Namespace) -> _Web | None:
    return _Web(args.listen) if args.web or args.listen else None


def _page_title(drill: HostDrill, seat_id: str) -> str:
    return f"{drill.live.scenario.title} – {seat_label(drill.live.scenario, seat_id)}"


# --- seat ---


def seat(args: argparse.Namespace) -> int:
    db = resolve_db_path(args.db)
    try:
        chosen = _chosen_seat(args, db)
    except JournalError as exc:
        raise journal_error(exc) from None
    from krisovning.session.follower import SeatLink

    try:
        link = SeatLink.open(db, args.session, chosen)
    except JournalError as exc:
        raise journal_error(exc) from None
    try:  # what is wrong with the seat is said before what is wrong with the terminal
        _check_hosted(link)
        _need_terminal()
    except BaseException:
        link.close(interrupted=False)
        raise
    from krisovning.tui.app import make_app  # Textual is imported only when a UI is opened

    app = make_app(link)
    try:
        app.run()
    finally:
        link.close(interrupted=False)
    print(t("seat.left", session=link.session_id))
    return 0


def _chosen_seat(args: argparse.Namespace, db: Path | str) -> Seat:
    if args.facilitator:
        return FACILITATOR
    if args.observer:
        return OBSERVER
    if args.role:
        for role in args.role:
            try:
                alone = Seat.parse(role) == Seat.team([role])
            except ValueError:
                alone = False
            if not alone:  # "facilitator", "a+b" or not a name at all
                raise CommandError(t("seat.bad_role", role=role), exit_code=2)
        return Seat.team(args.role)
    store = open_store(db, write=False)
    try:
        info = find_session(store, args.session)
        named = Relay(store, info.id).token_seat(args.token)
    finally:
        store.close()
    if named is None:
        raise CommandError(t("seat.bad_token", session=info.id))
    return Seat.parse(named)


def _check_hosted(link: Any) -> None:
    """A seat of a drill no host has run (a solo or a bot drill) would wait for one forever: say so."""
    offered = {seen.seat for seen in link.relay.seats()}
    if not offered:
        raise CommandError(t("seat.never_hosted", session=link.session_id))
    if link.seat.id not in offered:
        link.relay.offer([link.seat.id])  # a seat of several roles: the host's console lists it too
