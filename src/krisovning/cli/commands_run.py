"""The drill UI from the command line: run (and resume without --policy)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from krisovning.cli.commands_session import journal_error
from krisovning.cli.errors import CommandError
from krisovning.cli.inputs import load_or_explain
from krisovning.cli.settings import resolve_db_path
from krisovning.i18n import get_language, t
from krisovning.i18n.fmt import minutes
from krisovning.session import JournalError
from krisovning.session.live import SPEEDS, LiveDrill
from krisovning.web import in_browser


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("run")
    p.add_argument("file", metavar=t("cli.metavar.file"), help=t("cmd.simulate.file"))
    p.add_argument("--seed", type=int, help=t("cli.opt.seed"))
    p.add_argument(
        "--speed", type=float, default=1.0, help=t("cmd.run.speed", speeds=", ".join(f"{s:g}" for s in SPEEDS))
    )
    p.add_argument("--start-now", action="store_true", help=t("cmd.run.start_now"))
    p.set_defaults(handler=run)


def _need_terminal() -> None:
    if in_browser():  # textual-serve talks to the app through pipes, in its own protocol
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CommandError(t("run.no_terminal"))


def run(args: argparse.Namespace) -> int:
    if not 0 < args.speed <= 600:
        raise CommandError(t("action.bad_speed"), exit_code=2)
    scenario = load_or_explain(args.file)
    _need_terminal()
    text = Path(args.file).read_bytes().decode("utf-8-sig")  # closed at once (Windows keeps an open file)
    seed = scenario.seed if args.seed is None else args.seed
    try:
        live = LiveDrill.start(
            resolve_db_path(args.db),
            scenario,
            text,
            args.file,
            seed,
            get_language(),
            args.speed,
            briefing=not args.start_now,
        )
    except JournalError as exc:
        raise journal_error(exc) from None
    return open_ui(live)


def resume_ui(db: str | None, session: str | None, speed: float | None = None) -> int:
    if speed is not None and not 0 < speed <= 600:
        raise CommandError(t("action.bad_speed"), exit_code=2)
    _need_terminal()
    try:
        live = LiveDrill.resume(resolve_db_path(db), session, speed)
    except JournalError as exc:
        raise journal_error(exc) from None
    return open_ui(live)


def open_ui(live: LiveDrill) -> int:
    from krisovning.tui.app import make_app  # Textual is imported only when a UI is opened

    app = make_app(live)
    try:
        app.run()
    finally:
        if not app.closed:  # the UI ended some other way (a crash, a signal): keep the session resumable
            live.close(interrupted=True)
    info = live.recorder.info
    if live.fault is not None:  # the journal still could not be written when the drill closed
        actions = sum(1 for e in live.pending if e.kind == "action")
        lost = t("run.journal_lost", n=len(live.pending), actions=actions) if live.pending else ""
        raise CommandError(
            t(
                "run.journal_fault",
                session=info.id,
                problem=t(live.fault.key, **live.fault.fields),
                time=minutes(info.exercise_time),
                lost=lost,
            )
        )
    if info.status == "finished":
        print(t("run.finished", session=info.id))
    else:
        print(t("run.interrupted", session=info.id))
    return 0
