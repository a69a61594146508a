"""The `krisovning` command. Exit codes: 0 ok, 1 invalid input or failed operation, 2 usage.

The commands, and the module of each: docs/architecture.md §8.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from krisovning.cli.errors import CommandError, OutputError
from krisovning.cli.output import visible_output
from krisovning.cli.parser import build_parser, language_from_argv
from krisovning.cli.webseat import kept_stderr, show_failure
from krisovning.i18n import language_from_env, set_language, t
from krisovning.i18n.system import os_reason

_STREAM_KEYS = {"stdout": "cli.stdout", "stderr": "cli.stderr"}  # OutputError.stream


def main(argv: Sequence[str] | None = None) -> int:
    with kept_stderr() as kept:
        code = _main(argv)
        if code != 0 and kept is not None:  # a browser seat: say why in the page, not only on the server's stderr
            with contextlib.suppress(Exception):  # the message is on stderr already
                show_failure(kept)
        return code


def _main(argv: Sequence[str] | None) -> int:
    with visible_output():
        try:
            # A full disk or a closed pipe shows when the output is flushed: here, not at exit.
            return _flushed(_run(argv))
        except CommandError as exc:
            return _fail(f"krisovning: {exc}", exc.exit_code)
        except KeyboardInterrupt:
            return _fail(t("cli.interrupted"), 130)
        except BrokenPipeError:
            return _discard_output(1)  # the reader went away (e.g. `| head`): nothing to say to anyone
        except OutputError as exc:
            _discard_output(1)
            return _fail(
                f"krisovning: {t('cli.output_failed', stream=t(_STREAM_KEYS[exc.stream]), reason=exc.reason)}", 1
            )
        except OSError as exc:  # a file or folder the command used: which, and the system's reason
            where = exc.filename if exc.filename is not None else t("cli.unknown_file")
            return _fail(f"krisovning: {t('cli.io_failed', path=where, reason=os_reason(exc))}", 1)
        except Exception as exc:  # last line of defence: one line, never a traceback
            from krisovning.session.store import JournalError

            if isinstance(exc, JournalError):  # a journal fault no command turned into its own message
                return _fail(f"krisovning: {t(exc.key, **exc.fields)}", 1)
            if os.environ.get("KRISOVNING_DEBUG"):
                raise
            return _fail(t("cli.internal_error", kind=type(exc).__name__, detail=str(exc)[:300]), 1)


def _run(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    set_language(language_from_argv(args_list) or language_from_env())
    parser = build_parser(args_list)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    if getattr(args, "lang", None):
        set_language(args.lang)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    return int(args.handler(args) or 0)


def _flushed(code: int) -> int:
    sys.stdout.flush()
    return code


def _fail(message: str, code: int) -> int:
    try:
        print(message, file=sys.stderr)
        sys.stderr.flush()
    except (OSError, OutputError, ValueError):  # stderr itself is full or closed: the exit code is all there is
        pass
    return code


def _discard_output(code: int) -> int:
    """Point stdout at /dev/null, so Python's flush at exit does not fail on the same output again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code
