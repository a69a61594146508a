"""MSEL spreadsheets (Master Scenario Events List, *inspelslista*) in and out of scenarios.

`import_msel` turns a facilitator's CSV or XLSX into a commented scenario file that loads;
`export_msel` writes a scenario's scripted injects as such a spreadsheet. See docs/msel.md.
This package uses `krisovning.scenario` only (never the engine, sessions or the UI).
"""

from __future__ import annotations

from krisovning.msel.draft import Draft
from krisovning.msel.export import export_msel
from krisovning.msel.problems import MselError
from krisovning.msel.read import read_msel
from krisovning.msel.write_yaml import SCHEMA_FILE, render
from krisovning.scenario import Scenario


def import_msel(
    raw: bytes, name: str, *, output_name: str = "scenario.yaml", start: str | None = None, sheet: str | None = None
) -> tuple[str, Draft, Scenario]:
    """The scenario text for an MSEL file's bytes, the draft behind it, and the loaded scenario."""
    draft = read_msel(raw, name, start=start, sheet=sheet)
    text, scenario = render(draft, output_name)
    return text, draft, scenario


__all__ = ["SCHEMA_FILE", "Draft", "MselError", "export_msel", "import_msel"]
