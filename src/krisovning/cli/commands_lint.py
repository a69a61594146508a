"""`krisovning lint SCENARIO`: a seasoned facilitator's advice (metrics/lint.py), positioned FILE:LINE:COL.

Exit codes: 0 no advice, 1 the scenario is invalid (as `validate`), 2 usage, 3 advice only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import NoReturn

from krisovning.cli.errors import CommandError
from krisovning.cli.output import json_text
from krisovning.cli.preview_text import Progress
from krisovning.i18n import t, tn
from krisovning.metrics.lint import PLAYED, lint
from krisovning.scenario import Problem, ScenarioError
from krisovning.scenario.loader import load_document
from krisovning.scenario.yamlsource import MAX_BYTES, SourceError, decode, parse

ADVICE = 3  # exit code: valid, with advice
MAX_LINT_RUNS = 1000


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("lint")
    p.add_argument("file", metavar=t("cli.metavar.file"), help=t("cmd.simulate.file"))
    p.add_argument("--runs", type=int, default=20, help=t("cmd.lint.runs"))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    p.set_defaults(handler=lint_command)


def lint_command(args: argparse.Namespace) -> int:
    if not 0 <= args.runs <= MAX_LINT_RUNS:
        raise CommandError(t("lint.runs_range", limit=MAX_LINT_RUNS), exit_code=2)
    name = args.file
    with open(name, "rb") as handle:  # an unreadable file: the CLI's one-line message names it
        raw = handle.read(MAX_BYTES + 1)
    try:
        document = parse(decode(raw))
        scenario = load_document(document, name)
    except SourceError as exc:
        return _invalid(name, [Problem(p.line, p.column, p.message, name) for p in exc.problems])
    except ScenarioError as exc:
        return _invalid(name, exc.problems)
    advice = lint(scenario, document.data, args.runs, progress=Progress())
    located = sorted(
        (Problem(*document.position(a.path, key=a.key), t("lint.line", code=a.code, message=a.message), name), a)
        for a in advice
    )
    if args.json:
        print(
            json_text(
                {
                    "file": name,
                    "valid": True,
                    "runs": args.runs,
                    "advice": [
                        {"line": p.line, "column": p.column, "code": a.code, "message": a.message} for p, a in located
                    ],
                }
            )
        )
    else:
        for problem, _ in located:
            print(problem)
        if args.runs == 0:
            print(t("lint.not_played", rules=", ".join(sorted(PLAYED))))
        if located:
            print(tn("lint.summary", len(located), file=name))
        else:
            print(t("lint.clean", file=name, runs=args.runs))
    return ADVICE if located else 0


def _invalid(name: str, problems: list[Problem]) -> NoReturn:
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    raise CommandError(t("scenario.invalid", file=name))
