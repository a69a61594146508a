"""The hostile corpus (tests/hostile.py) through every command that shows or writes text.

Scenario strings (`SCENARIO_SAFE`) go into every text field of a scenario; strings with
control characters (`TYPED`) reach a journal as the team's and the facilitator's typing and
as notes. validate, simulate, preview, sessions, notes, report (md, html, docx, json),
export and export-msel must then: not crash, print no raw control character, show the text
literally (markup is never interpreted), escape it in HTML, and keep the exact data in files.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import STARTER
from hostile import CONTROL, SCENARIO_SAFE, TYPED, has_raw_control

from krisovning.engine import Action
from krisovning.scenario import load_scenario_bytes
from krisovning.scenario.yamlsource import parse
from krisovning.session.live import LiveDrill
from krisovning.textsafe import visible

TITLE = 200


def fill(data: dict, s: str) -> tuple[dict, int]:
    """The starter's data with `s` in every text field (templates with braces doubled); how many fields."""
    d = copy.deepcopy(data)
    title, template = s[:TITLE], s.replace("{", "{{").replace("}", "}}")
    count = 0

    def put(obj: dict, key: str, value: str | list) -> None:
        nonlocal count
        obj[key] = value
        count += len(value) if isinstance(value, list) else 1

    put(d, "title", title)
    put(d, "description", s)
    for key in ("name", "short_name", "region", "website"):
        put(d["organisation"], key, title)
    for role in d["roles"]:
        put(role, "name", title)
        put(role, "description", s)
    for key in d["facts"]:
        put(d["facts"], key, s)
    for persona in d["personas"]:
        for key in ("name", "outlet", "title", "organisation", "phone", "email", "handle"):
            put(persona, key, title)
        put(persona, "description", s)
    for pool in d["persona_pools"]:
        put(pool, "outlets", [title])
        put(pool, "titles", [title])
        put(pool, "organisation", title)
    for checklist in d["checklists"]:
        put(checklist, "title", title)
        for item in checklist["items"]:
            put(item, "text", s)
    for objective in d["objectives"]:
        put(objective, "title", title)
        put(objective, "description", s)
    for inject in d["injects"]:
        put(inject, "subject", template[:TITLE] if len(template) <= TITLE else title.replace("{", "").replace("}", ""))
        put(inject, "text", template)
        put(inject, "note", s)
        if "expect" in inject:
            put(inject["expect"], "description", s)
    for generator in d["generators"]:
        put(
            generator,
            "subjects",
            [template[:TITLE] if len(template) <= TITLE else title.replace("{", "").replace("}", "")],
        )
        put(generator, "templates", [template])
    for thread in d["social"]["threads"]:
        put(thread, "title", title)
        put(thread, "templates", {category: [template] for category in thread["mix"]})
    for category in d["social"]["templates"]:
        put(d["social"]["templates"], category, [template])
    return d, count


STARTER_DATA = parse(STARTER).data


def text_of_html(html: str) -> tuple[str, list[tuple[str, dict]]]:
    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.text: list[str] = []
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

        def handle_data(self, data):
            self.text.append(data)

    collect = Collect()
    collect.feed(html)
    return "".join(collect.text).replace("\u200b", ""), collect.tags


def strings_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings_in(k) + strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def assert_terminal_safe(*outputs: str) -> None:
    for output in outputs:
        assert not has_raw_control(output)
        assert "Traceback" not in output and "internal error" not in output and "internt fel" not in output


def assert_html_safe(html: str) -> None:
    assert not has_raw_control(html)
    _, tags = text_of_html(html)
    assert all(tag != "script" and not any(k.startswith("on") for k in attrs) for tag, attrs in tags)
    assert all(attrs.get("href", "#").startswith("#") for tag, attrs in tags if tag == "a")  # internal links only


@pytest.mark.parametrize("s", SCENARIO_SAFE, ids=range(len(SCENARIO_SAFE)))
def test_scenario_strings_in_every_field_through_every_command(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KRISOVNING_DB", str(tmp_path / "journal.db"))
    data, count = fill(STARTER_DATA, s)
    assert count >= 60
    text = json.dumps(data, ensure_ascii=False, indent=1)  # JSON is YAML: every string exactly as given
    Path("s.yaml").write_text(text, encoding="utf-8")
    scenario = load_scenario_bytes(text.encode("utf-8"), "s.yaml")
    title = s[:TITLE]
    assert scenario.title == title and scenario.injects[0].text == s.replace("{", "{{").replace("}", "}}")

    code, out, err = run_cli("validate", "s.yaml")
    assert code == 0 and f"s.yaml: OK – {title} (" in out
    assert_terminal_safe(out, err)

    code, out, err = run_cli("simulate", "s.yaml")
    assert code == 0 and title in out.splitlines()[0]
    assert_terminal_safe(out, err)
    code, out, err = run_cli("simulate", "s.yaml", "--json", "--seed", "2")
    assert code == 0
    session = json.loads(out)["session"]
    assert_terminal_safe(out, err)

    code, out, err = run_cli("preview", "s.yaml", "--runs", "1")
    assert code == 0 and title in out
    assert_terminal_safe(out, err)

    code, out, err = run_cli("sessions")
    assert code == 0 and title in out
    assert_terminal_safe(out, err)

    code, out, err = run_cli("report", session)
    assert code == 0 and out.startswith("# ")
    assert_terminal_safe(out, err)
    code, out, err = run_cli("report", session, "--format", "json")
    assert code == 0 and json.loads(out)["overview"]["title"] == title
    assert_terminal_safe(out, err)
    code, _, err = run_cli("report", session, "--format", "html", "-o", "r.html")
    assert code == 0
    html = Path("r.html").read_text(encoding="utf-8")
    assert_html_safe(html)
    shown, _ = text_of_html(html)
    assert title in shown and s in shown  # the title, and the inject texts of the timeline
    code, _, err = run_cli("report", session, "--format", "docx", "-o", "r.docx")
    assert code == 0
    document = docx.Document("r.docx")
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert title in paragraphs

    code, out, err = run_cli("export", session)
    assert code == 0
    assert_terminal_safe(out, err)
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["scenario_title"] == title
    assert any(e.get("kind") == "inject" and e["text"] == s for e in lines[1:])

    code, out, err = run_cli("export-msel", "s.yaml", "-o", "m.csv")
    assert code == 0
    assert_terminal_safe(out, err)
    cells = [
        c for row in csv.reader(io.StringIO(Path("m.csv").read_text(encoding="utf-8-sig")), delimiter=";") for c in row
    ]
    assert s in cells
    code, out, err = run_cli("export-msel", "s.yaml", "-o", "m.xlsx")
    assert code == 0
    sheet = openpyxl.load_workbook("m.xlsx").active
    assert s in [c.value for row in sheet.iter_rows() for c in row]


def typed_drill(db: Path, s: str) -> str:
    """A drill whose team and facilitator typed `s` into every text an action has; returns its id."""
    scenario = load_scenario_bytes(STARTER.encode("utf-8"), "s.yaml")
    live = LiveDrill.start(db, scenario, STARTER, "s.yaml", 1, "sv")
    try:
        live.tick(600.0)
        first = next(e.data["id"] for e in live.history if e.kind == "inject")
        live.act(Action("reply", text=s, inject=first, role="kommunikationschef"))
        live.act(Action("publish", text=s, channels=("web",)))
        live.act(Action("decision", text=s, role="kommunikationschef"))
        live.act(Action("situation_update", text=s, fields={s[:60]: s, "läge": s}))
        live.act(Action("observation", text=s))
        live.act(
            Action(
                "add_inject",
                fields={"channel": "phone", "to": "presssekreterare", "from": s, "subject": s[:200], "text": s},
            )
        )
        live.tick(60.0)
        return live.recorder.info.id
    finally:
        live.close(interrupted=True)


ACTION_FIELDS = (
    11  # texts typed above: reply, publish, decision, update (text, field name, two values), observation, ad-hoc (3)
)


@pytest.mark.parametrize("s", TYPED, ids=range(len(TYPED)))
def test_typed_strings_through_the_journal_commands(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s: str
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "journal.db"
    monkeypatch.setenv("KRISOVNING_DB", str(db))
    session = typed_drill(db, s)
    shown = visible(s.replace("\r", "\n"))  # how a report shows it: the line break kept as one

    code, out, err = run_cli(
        "notes",
        session,
        "--strength",
        s,
        "--improvement",
        s,
        "--plan",
        f"{s.replace(';', ',')[:100]};{s.replace(';', ',')[:100]};{s.replace(';', ',')[:100]};2026-09-30",
    )
    assert code == 0
    assert_terminal_safe(out, err)
    code, out, err = run_cli("notes", session)
    assert code == 0 and visible(s)[:50] in out
    assert_terminal_safe(out, err)

    code, out, err = run_cli("sessions")
    assert code == 0 and session in out
    assert_terminal_safe(out, err)

    code, out, err = run_cli("report", session)
    assert code == 0
    assert_terminal_safe(out, err)
    code, out, err = run_cli("report", session, "--format", "json")
    assert code == 0
    assert_terminal_safe(out, err)
    assert any(shown in text for text in strings_in(json.loads(out)))
    code, _, err = run_cli("report", session, "--format", "html", "-o", "r.html")
    assert code == 0
    html = Path("r.html").read_text(encoding="utf-8")
    assert_html_safe(html)
    assert shown.split("\n")[0][:40] in text_of_html(html)[0]
    code, _, err = run_cli("report", session, "--format", "docx", "-o", "r.docx")
    assert code == 0
    cells = "\n".join(c.text for t in docx.Document("r.docx").tables for r in t.rows for c in r.cells)
    assert not has_raw_control(cells) and shown.split("\n")[0][:40] in cells

    code, out, err = run_cli("export", session)
    assert code == 0
    assert_terminal_safe(out, err)
    entries = [json.loads(line) for line in out.splitlines()][1:]
    texts = [e["action"].get("text") for e in entries if e["kind"] == "action"]
    assert texts.count(s) == 5  # exactly as typed: the export is data, escaped only as JSON escapes
    code, _, err = run_cli("export", session, "-o", "e.jsonl")
    assert code == 0
    exported = [json.loads(line) for line in Path("e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert exported == [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize("s", CONTROL, ids=range(len(CONTROL)))
def test_a_file_name_with_control_characters_is_shown_escaped(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s: str
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "s" + s.replace("\x00", "").replace("/", "") + ".yaml"  # a file name cannot hold NUL or /
    Path(name).write_text(STARTER, encoding="utf-8")
    for args in (
        ["validate", name],
        ["export-msel", name, "-o", name + ".csv"],
        ["validate", name + ".missing"],
        ["export-msel", name, "-o", name + ".csv"],
        ["report", "x", "--db", name + ".db"],
    ):
        code, out, err = run_cli(*args)
        assert visible(name) in out + err
        assert_terminal_safe(out, err)
    code, out, err = run_cli("simulate", name, "--db", "j.db")
    assert code == 0
    assert_terminal_safe(out, err)
