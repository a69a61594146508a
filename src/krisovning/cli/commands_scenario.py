"""Commands for scenario authors: validate, schema, new."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from krisovning.cli.errors import CommandError
from krisovning.cli.files import write_file, write_if_absent
from krisovning.cli.output import json_text
from krisovning.i18n import t, tn
from krisovning.scenario import Problem, ScenarioError, load_scenario, scenario_schema

SCHEMA_FILE = "krisovning.schema.json"


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("validate")
    p.add_argument("files", nargs="+", metavar=t("cli.metavar.file"), help=t("cmd.validate.files"))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    p.set_defaults(handler=validate)

    p = add("schema")
    p.add_argument("-o", "--output", metavar=t("cli.metavar.file"), help=t("cmd.schema.output"))
    p.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    p.set_defaults(handler=schema)

    p = add("new")
    p.add_argument("file", metavar=t("cli.metavar.file"), help=t("cmd.new.file"))
    p.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    p.set_defaults(handler=new)


def validate(args: argparse.Namespace) -> int:
    results = []
    invalid = problems_total = 0
    for name in args.files:
        warnings: list[Problem] = []  # a ` #` that cut a text short: the file loads, the text is not what was meant
        try:
            scenario = load_scenario(name, warnings)
        except ScenarioError as exc:
            invalid += 1
            problems_total += len(exc.problems)
            results.append({"file": name, "valid": False, "problems": exc.problems, "warnings": []})  # faults first
            continue
        results.append({"file": name, "valid": True, "problems": [], "warnings": warnings, "scenario": scenario})
    if args.json:
        print(json_text([_result_json(r) for r in results]))
    else:
        for result in results:
            if result["valid"]:
                s = result["scenario"]
                print(
                    t(
                        "validate.ok",
                        file=result["file"],
                        title=s.title,
                        injects=tn("count.injects", len(s.injects)),
                        objectives=tn("count.objectives", len(s.objectives)),
                    )
                )
            for warning in result["warnings"]:
                print(
                    t(
                        "validate.warning",
                        file=warning.file,
                        line=warning.line,
                        column=warning.column,
                        message=warning.message,
                    )
                )
            for problem in result["problems"]:
                print(problem)
        files = tn("count.files", len(results))
        if invalid:
            print(tn("validate.summary_bad", invalid, files=files, problems=tn("count.problems", problems_total)))
        else:
            print(t("validate.summary_ok", files=files))
    return 1 if invalid else 0


def _result_json(result: dict) -> dict:
    return {
        "file": result["file"],
        "valid": result["valid"],
        "problems": [{"line": p.line, "column": p.column, "message": p.message} for p in result["problems"]],
        "warnings": [{"line": p.line, "column": p.column, "message": p.message} for p in result["warnings"]],
    }


def schema_text() -> str:
    return json.dumps(scenario_schema(), ensure_ascii=False, indent=2) + "\n"


def schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if not args.output:
        sys.stdout.write(text)
        return 0
    write_file(args.output, text.encode("utf-8"), force=args.force)
    print(t("schema.written", file=args.output), file=sys.stderr)
    return 0


def new(args: argparse.Namespace) -> int:
    target = Path(args.file)
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise CommandError(t("new.suffix", file=target))
    starter = resources.files("krisovning").joinpath("data/starter.yaml").read_text(encoding="utf-8")
    write_file(target, starter.encode("utf-8"), force=args.force)
    print(t("new.written", file=target))
    # Editors autocomplete from the schema the file's first line names; put it beside the file.
    schema_path = target.parent / SCHEMA_FILE
    if write_if_absent(schema_path, schema_text().encode("utf-8")):
        print(t("new.schema_written", file=schema_path))
    print(t("new.next", file=target))
    return 0
