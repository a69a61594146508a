"""The argument parser, in the chosen language — argparse's own words included."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

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


# Each command's module, in the order `--help` lists the commands. Only the chosen command's module is
# imported (its arguments and handler): the others would cost start-up, `preview` runs included.
_COMMAND_MODULES = {
    "validate": "commands_scenario",
    "schema": "commands_scenario",
    "new": "commands_scenario",
    "lint": "commands_lint",
    "simulate": "commands_drill",
    "preview": "commands_drill",
    "run": "commands_run",
    "host": "commands_team",
    "seat": "commands_team",
    "group": "commands_group",
    "sessions": "commands_session",
    "resume": "commands_session",
    "export": "commands_session",
    "copy": "commands_session",
    "report": "commands_report",
    "notes": "commands_report",
    "import-msel": "commands_msel",
    "export-msel": "commands_msel",
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Every command with its help; the arguments of those named in `argv` (of all when it is None)."""
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
    subs = {}
    for name in _COMMAND_MODULES:
        subs[name] = commands.add_parser(
            name,
            help=t(_COMMAND_KEYS[name][0]),
            description=t(_COMMAND_KEYS[name][1]),
            formatter_class=_Formatter,
        )
        _add_globals(subs[name], suppress=True)

    def add(name: str) -> argparse.ArgumentParser:
        return subs[name]

    # any word of argv that names a command (a file called `report` only costs an import)
    named = set(_COMMAND_MODULES) if argv is None else set(argv)
    for module in dict.fromkeys(m for name, m in _COMMAND_MODULES.items() if name in named):
        importlib.import_module(f"krisovning.cli.{module}").register(add)
    return parser
