"""The `krisovning` command. Exit codes: 0 ok, 1 invalid input or failed operation, 2 usage.

The commands, and the module of each: docs/architecture.md §8.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from krisovning.cli.errors import CommandError
from krisovning.cli.parser import build_parser, language_from_argv
from krisovning.i18n import language_from_env, set_language, t


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    set_language(language_from_argv(args_list) or language_from_env())
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    if getattr(args, "lang", None):
        set_language(args.lang)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except CommandError as exc:
        print(f"krisovning: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(t("cli.interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); silence the flush at exit too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, never a traceback
        if os.environ.get("KRISOVNING_DEBUG"):
            raise
        print(t("cli.internal_error", kind=type(exc).__name__, detail=str(exc)[:300]), file=sys.stderr)
        return 1
