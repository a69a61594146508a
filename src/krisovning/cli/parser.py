"""The argument parser, in the chosen language — argparse's own words included."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from krisovning import __version__
from krisovning.i18n import LANGUAGES, normalise_language, t

# argparse's English message ids → our catalogue keys.
_ARGPARSE = {
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positional",
    "options": "argparse.options",
    "show this help message and exit": "argparse.help",
    "show program's version number and exit": "argparse.version",
    "the following arguments are required: %s": "argparse.required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "invalid choice: %(value)r (choose from {choices})": "argparse.invalid_choice_new",
    "%(prog)s: error: %(message)s\n": "argparse.error",
    "expected one argument": "argparse.expected_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "not allowed with argument %s": "argparse.not_allowed_with",
    "one of the arguments %s is required": "argparse.one_required",
}


# Each command's help and description, the keys in full (so grep finds them).
_COMMAND_KEYS = {
    "validate": ("cmd.validate.help", "cmd.validate.description"),
    "lint": ("cmd.lint.help", "cmd.lint.description"),
    "schema": ("cmd.schema.help", "cmd.schema.description"),
    "new": ("cmd.new.help", "cmd.new.description"),
    "simulate": ("cmd.simulate.help", "cmd.simulate.description"),
    "preview": ("cmd.preview.help", "cmd.preview.description"),
    "run": ("cmd.run.help", "cmd.run.description"),
    "resume": ("cmd.resume.help", "cmd.resume.description"),
    "host": ("cmd.host.help", "cmd.host.description"),
    "seat": ("cmd.seat.help", "cmd.seat.description"),
    "sessions": ("cmd.sessions.help", "cmd.sessions.description"),
    "report": ("cmd.report.help", "cmd.report.description"),
    "notes": ("cmd.notes.help", "cmd.notes.description"),
    "export": ("cmd.export.help", "cmd.export.description"),
    "copy": ("cmd.copy.help", "cmd.copy.description"),
    "group": ("cmd.group.help", "cmd.group.description"),
    "import-msel": ("cmd.import-msel.help", "cmd.import-msel.description"),
    "export-msel": ("cmd.export-msel.help", "cmd.export-msel.description"),
}


def _gettext(message: str) -> str:
    key = _ARGPARSE.get(message)
    return t(key) if key else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


# argparse translates through these two module globals (gettext's), which typeshed does not declare.
argparse._ = _gettext  # type: ignore[attr-defined]  # see above
argparse.ngettext = _ngettext  # type: ignore[attr-defined]  # see above


def language_from_argv(argv: Sequence[str]) -> str | None:
    """Find `--lang X` / `--lang=X` anywhere, before the parser (whose help it translates) exists."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return normalise_language(argv[i + 1])
        if arg.startswith("--lang="):
            return normalise_language(arg.split("=", 1)[1])
    return None


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


def _add_globals(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group(t("cli.global_options"))
    group.add_argument("--lang", choices=LANGUAGES, default=default, help=t("cli.opt.lang"))
    group.add_argument("--db", metavar=t("cli.metavar.path"), default=default, help=t("cli.opt.db"))


def build_parser() -> argparse.ArgumentParser:
    from krisovning.cli import (
        commands_drill,
        commands_group,
        commands_lint,
        commands_msel,
        commands_report,
        commands_run,
        commands_scenario,
        commands_session,
        commands_team,
    )

    parser = argparse.ArgumentParser(
        prog="krisovning",
        description=t("cli.description"),
        epilog=t("cli.epilog"),
        formatter_class=_Formatter,
    )
    # Python 3.11's argparse does not pass the --version help through gettext: name it here.
    parser.add_argument("--version", action="version", version=f"krisovning {__version__}", help=t("argparse.version"))
    _add_globals(parser, suppress=False)
    commands = parser.add_subparsers(title=t("cli.commands"), metavar=t("cli.metavar.command"))

    def add(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=t(_COMMAND_KEYS[name][0]),
            description=t(_COMMAND_KEYS[name][1]),
            formatter_class=_Formatter,
            **kwargs,
        )
        _add_globals(sub, suppress=True)
        return sub

    commands_scenario.register(add)
    commands_lint.register(add)
    commands_drill.register(add)
    commands_run.register(add)
    commands_team.register(add)
    commands_group.register(add)
    commands_session.register(add)
    commands_report.register(add)
    commands_msel.register(add)
    return parser
