"""A `Draft` → a commented scenario file, checked with the scenario loader before it is returned.

Strings are written as JSON strings (valid YAML double-quoted scalars) or, when a text has
several lines and nothing that needs escaping, as `|-` blocks. The result is read back with
the project's own YAML reader and must give exactly the data meant, then must load as a
scenario; anything else is a bug in this module and is reported as one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from krisovning.i18n import LANGUAGES, get_language, t
from krisovning.msel.draft import Draft, DraftInject
from krisovning.msel.keys import FIELD_KEYS
from krisovning.msel.problems import MselError
from krisovning.scenario import Scenario, ScenarioError, load_scenario_bytes
from krisovning.scenario.durations import format_duration
from krisovning.scenario.types import ID_PATTERN
from krisovning.scenario.yamlsource import MAX_BYTES, SourceError, decode, parse
from krisovning.slug import slug

SCHEMA_FILE = "krisovning.schema.json"
_ESCAPE_MORE = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085", "\ufeff": "\\ufeff"}
_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax), with YAML's own line breaks escaped too."""
    quoted = json.dumps(text, ensure_ascii=False)
    for raw, escaped in _ESCAPE_MORE.items():
        quoted = quoted.replace(raw, escaped)
    return _FORBIDDEN.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


def _text_lines(key: str, text: str, indent: str) -> list[str]:
    lines = text.split("\n")
    block_safe = (
        len(lines) > 1
        and text == text.strip()  # `|-` would lose a final line break, and leading space breaks indentation
        and all(line == line.rstrip() for line in lines)
        and not _FORBIDDEN.search(text)
        and not any(ch in text for ch in "\t\r" + "".join(_ESCAPE_MORE))
    )
    if not block_safe:
        return [f"{indent}{key}: {q(text)}"]
    body = " " * len(indent) + "  "
    return [f"{indent}{key}: |-"] + [f"{body}{line}" if line else "" for line in lines]


def _comment(text: str, indent: str = "") -> list[str]:
    # Every character YAML takes as a line break ends the comment, so each one starts a new `#` line
    # (a cell holding U+2028 must not turn the rest of its text into YAML).
    lines = _BREAKS.split(text)
    return [f"{indent}# {_FORBIDDEN.sub(' ', line)}".rstrip() for line in lines]


def _todo(text: str, indent: str = "") -> list[str]:
    return _comment(f"TODO: {text}", indent)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return q(str(value))


def _mapping(data: dict[str, Any], indent: str, first: str | None = None) -> list[str]:
    """A simple mapping (scalars and lists of scalars); `first` is the "- " of a list item."""
    lines = []
    for n, (key, value) in enumerate(data.items()):
        lead = first if (n == 0 and first is not None) else indent
        if isinstance(value, list):
            lines.append(f"{lead}{key}: {_flow(value)}")
        elif isinstance(value, str) and "\n" in value:
            lines.extend(_text_lines(key, value, lead))
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def scenario_data(draft: Draft) -> dict[str, Any]:
    """The scenario as plain data: what the YAML must read back as."""
    carried = draft.carried.settings if draft.carried else {}
    start = draft.start.strftime("%Y-%m-%dT%H:%M" + (":%S" if draft.start.second else "")) if draft.start else ""
    data: dict[str, Any] = {
        "format": 1,
        "id": _carried_id(carried.get("id")) or _scenario_id(draft.title),
        "title": draft.title,
        "description": t("msel.yaml.description", file=Path(draft.source).name),
        "language": carried.get("language") if carried.get("language") in LANGUAGES else get_language(),
        "duration": format_duration(draft.duration),
        "start": start,
        "seed": int(carried["seed"]) if carried.get("seed", "").isdigit() else 1,
        "organisation": {"name": carried.get("organisation") or t("msel.yaml.organisation")},
        "roles": draft.roles,
    }
    if draft.facts:
        data["facts"] = dict(draft.facts)
    if draft.topics:
        data["topics"] = draft.topics
    data["personas"] = draft.personas
    data["injects"] = [_inject_data(i) for i in draft.injects]
    return data


def _scenario_id(title: str) -> str:
    return slug(title, "msel-import")


def _carried_id(value: str | None) -> str | None:
    return value if value and re.fullmatch(ID_PATTERN[1:-1], value) else None


def _inject_data(inject: DraftInject) -> dict[str, Any]:
    data: dict[str, Any] = {"id": inject.id}
    if inject.after is not None:
        data["after"] = inject.after
    elif inject.when is not None:
        data["when"] = dict(inject.when)
    else:
        data["at"] = format_duration(inject.at or 0)
    if inject.delay:
        data["delay"] = format_duration(inject.delay)
    data.update({"channel": inject.channel, "from": inject.sender, "to": inject.to})
    if inject.subject:
        data["subject"] = inject.subject
    data["text"] = inject.text
    if inject.priority:
        data["priority"] = inject.priority
    if inject.expect:
        expect = dict(inject.expect)
        expect["within"] = format_duration(expect["within"])
        data["expect"] = expect
    if inject.do_not_answer:
        data["do_not_answer"] = True
    note = "\n".join(line for line in inject.note if line).strip()
    if note:
        data["note"] = note[:10_000]
    return data


def render(draft: Draft, output_name: str) -> tuple[str, Scenario]:
    data = scenario_data(draft)
    out: list[str] = [f"# yaml-language-server: $schema={SCHEMA_FILE}", "#"]
    out += _comment(t("msel.yaml.header", file=Path(draft.source).name, output=output_name))
    out += _comment(_columns_summary(draft))
    out += ["#"] + _comment(t("msel.yaml.todo_hint")) + [""]
    for key in ("format", "id", "title", "description", "language"):
        out.append(f"{key}: {_scalar(data[key])}")
    carried = draft.carried.settings if draft.carried else {}
    if not draft.duration_carried:
        out += _todo(t("msel.todo.duration"))
    out.append(f"duration: {data['duration']}")
    if draft.start_note:
        out += _comment(draft.start_note)
    if draft.start_guessed:
        out += _todo(t("msel.todo.start"))
    elif draft.start_ambiguous:
        out += _todo(t("msel.todo.start_ambiguous"))
    out.append(f"start: {q(data['start'])}")
    out += [f"seed: {data['seed']}", "", "organisation:"]
    if not carried.get("organisation"):
        out += _todo(t("msel.todo.organisation"), "  ")
    out += _mapping(data["organisation"], "  ")
    out += [""] + _comment(t("msel.yaml.roles"))
    if draft.default_role_rows:
        out += _todo(t("msel.todo.default_role", role=draft.default_role, n=draft.default_role_rows))
    out.append("roles:")
    for role in data["roles"]:
        out += _mapping(role, "    ", "  - ")
    if "facts" in data:
        carried_facts = draft.carried.facts if draft.carried else {}
        out += [""] + ([] if set(data["facts"]) <= set(carried_facts) else _todo(t("msel.todo.facts"))) + ["facts:"]
        for key, value in data["facts"].items():
            out.append(f"  {key if _PLAIN_KEY.match(key) else q(key)}: {q(value)}")
    if "topics" in data:
        out += ["", "topics:"]
        for topic in data["topics"]:
            out += _mapping(topic, "    ", "  - ")
    out += [""] + _comment(t("msel.yaml.personas"))
    if draft.default_sender_rows:
        out += _todo(t("msel.todo.default_sender", n=draft.default_sender_rows))
    out.append("personas:")
    for persona in data["personas"]:
        out += _mapping(persona, "    ", "  - ")
    out += [""] + _objectives(draft) + [""] + _comment(t("msel.yaml.injects"))
    for note in draft.notes + draft.skipped:
        out += _comment(note)
    out.append("injects:")
    for inject, item in zip(draft.injects, data["injects"], strict=True):
        out += _inject_lines(inject, item)
    text = "\n".join(out) + "\n"
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise MselError(draft.source, t("msel.too_large_yaml", limit=MAX_BYTES))
    return text, _verify(text, data, draft.source)


def _objectives(draft: Draft) -> list[str]:
    lines = _todo(t("msel.todo.objectives"))
    if draft.objectives:
        lines += _comment(t("msel.yaml.objectives_named", names=", ".join(f'"{n}"' for n in draft.objectives)))
    lines += _comment(t("msel.yaml.objectives_example"))
    return lines


def _inject_lines(inject: DraftInject, item: dict[str, Any]) -> list[str]:
    lines = [""] + _comment(t("msel.yaml.row", row=inject.row), "  ")
    for comment in inject.comments:
        lines += _comment(comment, "  ")
    for todo in inject.todo:
        lines += _todo(todo, "  ")
    for n, (key, value) in enumerate(item.items()):
        lead = "  - " if n == 0 else "    "
        if isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            lines += _mapping(value, "      ")
        elif key in ("text", "note", "subject") and isinstance(value, str):
            lines += _text_lines(key, value, lead)
        elif isinstance(value, str) and key in ("at", "delay"):
            lines.append(f"{lead}{key}: {value}")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def columns_used(draft: Draft) -> tuple[str, str]:
    """The columns read, each with what it became, and those not understood (kept in the notes)."""
    beside = any(c.field == "scenario_time" for c in draft.columns)  # the time column is then the send time
    known = [
        f'"{c.header}" → {t(FIELD_KEYS["real_time" if beside and c.field == "time" else c.field])}'
        if c.field in FIELD_KEYS
        else f'"{c.header}" → {c.field}'
        for c in draft.columns
        if c.field
    ]
    unknown = [f'"{c.header}"' for c in draft.columns if not c.field]
    return ", ".join(known), ", ".join(unknown)


def _columns_summary(draft: Draft) -> str:
    known, unknown = columns_used(draft)
    text = t("msel.yaml.columns", columns=known)
    if unknown:
        text += "\n" + t("msel.yaml.unknown_columns", columns=unknown)
    read = []
    if draft.sheet:
        read.append(t("msel.yaml.sheet", sheet=draft.sheet))
    if draft.encoding:
        read.append(t("msel.yaml.encoding", encoding=draft.encoding, delimiter=_delimiter_name(draft.delimiter)))
    return text + ("\n" + "; ".join(read) if read else "")


def _delimiter_name(delimiter: str | None) -> str:
    return {";": t("msel.delimiter.semicolon"), ",": t("msel.delimiter.comma"), "\t": t("msel.delimiter.tab")}.get(
        delimiter or "", repr(delimiter)
    )


def _verify(text: str, data: dict[str, Any], source: str) -> Scenario:
    """Read the text back: it must be exactly `data`, and a valid scenario."""
    try:
        document = parse(decode(text.encode("utf-8")))
    except SourceError as exc:
        raise MselError(source, t("msel.internal_yaml", detail=exc.problems[0])) from None
    if document.data != data:
        differing = sorted(k for k in data if document.data.get(k) != data[k])
        raise MselError(source, t("msel.internal_yaml", detail=", ".join(differing)))
    try:
        return load_scenario_bytes(text.encode("utf-8"), source)
    except ScenarioError as exc:
        raise MselError(
            source, t("msel.internal_invalid", detail="; ".join(str(p) for p in exc.problems[:3]))
        ) from None
