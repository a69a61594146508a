"""Load a scenario file: bytes → YAML with positions → pydantic model → cross-references.

Every problem is collected (not just the first) and reported at its own line.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, Tag, ValidationError

from krisovning.i18n import t
from krisovning.i18n.system import os_reason
from krisovning.scenario import traps
from krisovning.scenario.model import Scenario
from krisovning.scenario.problems import Problem, ScenarioError
from krisovning.scenario.references import check_references
from krisovning.scenario.yamlsource import MAX_BYTES, Document, Path, Position, SourceError, decode, parse
from krisovning.scenario.yamltraps import brace_problem


def load_scenario(path: str | FsPath, warnings: list[Problem] | None = None) -> Scenario:
    """The scenario in `path`, or ScenarioError with every problem found; `warnings` (when given) gets
    what loads but may not be what the author meant (a ` #` that cut a text short)."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
            if len(raw) > MAX_BYTES:  # name the file's real size, not the bytes read to notice it
                size = max(os.fstat(handle.fileno()).st_size, len(raw))
                raise ScenarioError(name, [Problem(1, 1, t("source.too_large", size=size, limit=MAX_BYTES), name)])
    except OSError as exc:
        reason = os_reason(exc)
        raise ScenarioError(name, [Problem(1, 1, t("source.unreadable", reason=reason), name)]) from None
    return load_scenario_bytes(raw, name, warnings)


def load_scenario_bytes(raw: bytes, name: str = "<scenario>", warnings: list[Problem] | None = None) -> Scenario:
    try:
        document = parse(decode(raw))
    except SourceError as exc:
        raise ScenarioError(name, [_named(p, name) for p in exc.problems]) from None
    return load_document(document, name, warnings)


def load_document(document: Document, name: str, warnings: list[Problem] | None = None) -> Scenario:
    if not isinstance(document.data, dict):
        line, column = document.position(())
        kind = t("type.list") if isinstance(document.data, list) else t("type.scalar")
        raise ScenarioError(name, [Problem(line, column, t("source.top_level", kind=kind), name)])
    try:
        scenario = Scenario.model_validate(document.data)
    except ValidationError as exc:
        raise ScenarioError(name, [_named(p, name) for p in _problems_from(exc, document)]) from None
    later: list[tuple[Any, str, bool]] = []
    found = check_references(scenario, document.data, lambda path: document.position(path, key=True), later)
    problems = [Problem(*document.position(path, key=at_key), message, name) for path, message, at_key in found]
    if warnings is not None:
        warnings.extend(_named(p, name) for p in document.warnings)
        warnings.extend(Problem(*document.position(path, key=at_key), message, name) for path, message, at_key in later)
    if problems:
        raise ScenarioError(name, problems)
    return scenario


def _named(problem: Problem, name: str) -> Problem:
    return Problem(problem.line, problem.column, problem.message, name)


def _problems_from(exc: ValidationError, document: Document) -> list[Problem]:
    problems = []
    seen = set()
    for error in exc.errors(include_url=False):
        path = _data_path(error["loc"], document.data)
        kind = error["type"]
        if kind == "missing" and _synonym_given(path, document.data):
            continue  # `kanal:` instead of `channel:` is one fault, told at the key written
        comma = _flow_comma(path, document)
        if comma is not None:
            (line, column), message = comma
        else:
            message = _describe(error, path, document)
            at_key = kind == "extra_forbidden" or error["loc"][-1:] == ("[key]",)  # a mapping's key itself
            line, column = document.position(path, key=at_key)
        if (line, column, message) not in seen:  # unions can report one fault several times
            seen.add((line, column, message))
            problems.append(Problem(line, column, message))
    return problems


def _data_path(loc: tuple[Any, ...], data: Any) -> Path:
    """pydantic's `loc` minus the parts that are not in the data (union tags, validator names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part not in node and part == loc[-1]:
            path.append(part)  # a missing or unknown key: still name it
    return tuple(path)


def _synonym_given(path: Path, data: Any) -> bool:
    """The missing key's Swedish synonym stands in the same mapping (traps.SYNONYMS)."""
    parent = _node(data, path[:-1])
    return isinstance(parent, dict) and any(traps.SYNONYMS.get(str(k).lower()) == path[-1] for k in parent)


def _node(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _flow_comma(path: Path, document: Document) -> tuple[Position, str] | None:
    """`{share: 0,9}`: a decimal comma in a flow mapping makes a key `9`; every error about it is this one."""
    if not path or not isinstance(path[-1], str):
        return None
    position = document.position(path, key=True)
    message = traps.flow_decimal_comma(document.text, document.offset(position), path[-1])
    return (position, message) if message is not None else None


def _source(document: Document, path: Path) -> str:
    """The value as written at `path` (a plain scalar), for messages that quote it."""
    offset = document.offset(document.position(path))
    match = re.compile(r"[^\s#,}\]]+").match(document.text, offset)
    return match.group() if match else ""


def _field_label(path: Path) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return ""


def _describe(error: Any, path: Path, document: Document) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    key = _field_label(path)
    trap = _trap(kind, ctx, value, key, path, document)
    if trap is not None:
        return trap
    if kind == "extra_forbidden":
        choices = _valid_keys(error["loc"][:-1])
        synonym = traps.key_synonym(str(key), choices)
        if synonym is not None:
            return synonym
        close = difflib.get_close_matches(str(key), choices, n=1, cutoff=0.6)
        if close:
            return t("err.unknown_key_hint", key=key, hint=close[0])
        return t("err.unknown_key", key=key, keys=", ".join(sorted(choices)) or "-")
    if kind == "missing":
        return t("err.missing", key=key)
    if kind in ("literal_error", "enum"):
        options = traps.choices(str(ctx.get("expected", "")))  # the values, not the enum members' repr
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        base = t("err.choice", key=key, value=_short(value), expected=traps.or_list(options))
        return f"{base} {t('err.did_you_mean', hint=close[0])}" if close else base
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return t(
            "err.union_tag",
            tag=ctx.get("tag", _short(value)),
            expected=traps.or_list(traps.choices(str(ctx.get("expected_tags", "")))),
            key=ctx.get("discriminator", "type").strip("'"),
        )
    if kind in _SIMPLE:
        fields = {"key": key, "value": _short(value)}
        fields.update({k: _short(v) for k, v in ctx.items() if k != "error"})
        return t(_SIMPLE[kind], **fields)
    return t("err.other", key=key, detail=error.get("msg", kind))


def _trap(kind: str, ctx: dict[str, Any], value: Any, key: str, path: Path, document: Document) -> str | None:
    """The message for a mistake authors often make (traps.py), or None."""
    if kind == "string_pattern_mismatch":
        return traps.pattern(key, value, str(ctx.get("pattern", "")))
    if kind in ("float_parsing", "float_type"):  # an integer field would refuse 0.9 as well
        return traps.decimal_comma(key, value)
    if kind in ("duration", "duration_type"):
        data = document.data if isinstance(document.data, dict) else {}
        return traps.clock_time(key, value, _source(document, path), data.get("start"))
    if kind in ("string_type", "model_type", "dict_type") and isinstance(value, dict):
        found = brace_problem(document.text, document.offset(document.position(path)), lambda _: (0, 0))
        return found.message if found else None
    return None


_SIMPLE = {
    "string_type": "err.string_type",
    "int_type": "err.int_type",
    "int_parsing": "err.int_type",
    "int_from_float": "err.int_type",
    "float_type": "err.float_type",
    "float_parsing": "err.float_type",
    "bool_type": "err.bool_type",
    "bool_parsing": "err.bool_type",
    "list_type": "err.list_type",
    "dict_type": "err.dict_type",
    "model_type": "err.dict_type",
    "model_attributes_type": "err.dict_type",
    "datetime_type": "err.datetime",
    "datetime_parsing": "err.datetime",
    "datetime_from_date_parsing": "err.datetime",
    "greater_than": "err.greater_than",
    "greater_than_equal": "err.greater_than_equal",
    "less_than": "err.less_than",
    "less_than_equal": "err.less_than_equal",
    "too_short": "err.too_short",
    "too_long": "err.too_long",
    "string_too_short": "err.string_too_short",
    "string_too_long": "err.string_too_long",
    "string_pattern_mismatch": "err.pattern",
    "duration": "err.duration",
    "duration_type": "err.duration",
    "negative_duration": "err.negative_duration",
    "duration_too_long": "err.duration_too_long",
    "one_trigger": "err.one_trigger",
    "delay_with_at": "err.delay_with_at",
    "channels_need_publish": "err.channels_need_publish",
    "one_threshold": "err.one_threshold",
    "empty_mix": "err.empty_mix",
    "silence_needs_after": "err.silence_needs_after",
    "injects_need_missed": "err.injects_need_missed",
    "generators_need_missed": "err.generators_need_missed",
    "thread_needs_rate": "err.thread_needs_rate",
    "reply_not_answered": "err.reply_not_answered",
    "finite_number": "err.finite_number",
}


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _valid_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at `loc`, found by walking the model's type annotations."""
    annotation: Any = Scenario
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    model = _as_model(annotation)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _members(annotation: Any) -> list[Any]:
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        # Flattened: `Condition | None` is a union whose first member is itself an (Annotated) union.
        return [m for a in typing.get_args(annotation) if a is not type(None) for m in _members(a)]
    return [annotation]


def _as_model(annotation: Any) -> type[BaseModel] | None:
    models = [m for m in _members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
    return models[0] if len(models) == 1 else None


def _tagged(annotation: Any, part: Any) -> Any:
    """The member of a union tagged `part` (pydantic's `Tag`, as in `model.PostItem`), or None."""
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for member in typing.get_args(annotation):
            if typing.get_origin(member) is typing.Annotated and any(
                isinstance(m, Tag) and m.tag == part for m in member.__metadata__
            ):
                return member
    return None


def _step(annotation: Any, part: Any) -> Any:
    tagged = _tagged(annotation, part)
    if tagged is not None:
        return tagged
    for member in _members(annotation):
        origin = typing.get_origin(member)
        if origin is list and isinstance(part, int):
            return typing.get_args(member)[0]
        if origin is dict:
            return typing.get_args(member)[1]
        if isinstance(member, type) and issubclass(member, BaseModel):
            for name, info in member.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation if not info.metadata else typing.Annotated[info.annotation, *info.metadata]
            tag = member.model_fields.get("type")
            if tag is not None and part in typing.get_args(tag.annotation):
                return member  # a discriminated union's tag in the loc
    return None
