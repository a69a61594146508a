"""Commands for facilitators' spreadsheets: import-msel, export-msel (docs/msel.md)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from krisovning.cli.errors import CommandError
from krisovning.cli.files import write_file, write_if_absent
from krisovning.cli.inputs import load_or_explain
from krisovning.i18n import get_language, t, tn
from krisovning.i18n.system import os_reason
from krisovning.textsafe import visible_line


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("import-msel")
    p.add_argument("file", metavar=t("cli.metavar.file"), help=t("cmd.import-msel.file"))
    p.add_argument("-o", "--output", required=True, metavar=t("msel.metavar.yaml"), help=t("cmd.import-msel.output"))
    p.add_argument("--start", metavar=t("msel.metavar.start"), help=t("cmd.import-msel.start"))
    p.add_argument("--sheet", metavar=t("msel.metavar.sheet"), help=t("cmd.import-msel.sheet"))
    p.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    p.set_defaults(handler=import_msel)

    p = add("export-msel")
    p.add_argument("file", metavar=t("cli.metavar.file"), help=t("cmd.export-msel.file"))
    p.add_argument(
        "-o", "--output", required=True, metavar=t("msel.metavar.sheet_file"), help=t("cmd.export-msel.output")
    )
    p.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    p.set_defaults(handler=export_msel)


def _read(path: str) -> bytes:
    from krisovning.msel.table import MAX_FILE_BYTES

    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CommandError(
            t("msel.in_file", file=path, message=t("source.unreadable", reason=os_reason(exc)))
        ) from None


def import_msel(args: argparse.Namespace) -> int:
    from krisovning.cli.commands_scenario import SCHEMA_FILE, schema_text
    from krisovning.msel import MselError
    from krisovning.msel import import_msel as convert

    output = Path(args.output)
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise CommandError(t("msel.cli.yaml_suffix", file=output))
    raw = _read(args.file)
    try:
        text, draft, scenario = convert(raw, args.file, output_name=output.name, start=args.start, sheet=args.sheet)
    except MselError as exc:
        raise CommandError(str(exc)) from None
    from krisovning.msel.write_yaml import columns_used

    write_file(output, text.encode("utf-8"), force=args.force)
    print(
        t(
            "msel.cli.imported",
            file=output,
            injects=tn("count.injects", len(scenario.injects)),
            personas=tn("msel.count.personas", len(scenario.personas)),
            roles=tn("msel.count.roles", len(scenario.roles)),
        )
    )
    used, unknown = columns_used(draft)
    print(visible_line(t("msel.cli.columns", columns=used)))
    if unknown:
        print(visible_line(t("msel.cli.unknown_columns", columns=unknown)))
    schema_path = output.parent / SCHEMA_FILE
    if write_if_absent(schema_path, schema_text().encode("utf-8")):
        print(t("new.schema_written", file=schema_path))
    todos = text.count("# TODO:")
    if todos:
        print(tn("msel.cli.todos", todos))
    print(t("msel.cli.next", file=output))
    return 0


def export_msel(args: argparse.Namespace) -> int:
    from krisovning.msel import export_msel as convert

    output = Path(args.output)
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise CommandError(t("msel.cli.sheet_suffix", file=output))
    scenario = load_or_explain(args.file)
    data, sheet = convert(scenario, fmt, get_language(), Path(args.file).name)
    write_file(output, data, force=args.force)
    print(t("msel.cli.exported", file=output, injects=tn("count.injects", len(sheet.rows))))
    if sheet.lost:
        print(t("msel.cli.lost"))
        for item in sheet.lost:
            print(f"  - {item}")
    return 0
