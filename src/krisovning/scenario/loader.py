"""Load a scenario file: bytes → YAML with positions → pydantic model → cross-references.

Every problem is collected (not just the first) and reported at its own line.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, Tag, ValidationError

from krisovning.i18n import t
from krisovning.i18n.system import os_reason
from krisovning.scenario.model import Scenario
from krisovning.scenario.problems import Problem, ScenarioError
from krisovning.scenario.references import check_references
from krisovning.scenario.yamlsource import MAX_BYTES, Document, Path, SourceError, decode, parse


def load_scenario(path: str | FsPath) -> Scenario:
    """The scenario in `path`, or ScenarioError with every problem found."""
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
    return load_scenario_bytes(raw, name)


def load_scenario_bytes(raw: bytes, name: str = "<scenario>") -> Scenario:
    try:
        document = parse(decode(raw))
    except SourceError as exc:
        raise ScenarioError(name, [_named(p, name) for p in exc.problems]) from None
    return load_document(document, name)


def load_document(document: Document, name: str) -> Scenario:
    if not isinstance(document.data, dict):
        line, column = document.position(())
        kind = t("type.list") if isinstance(document.data, list) else t("type.scalar")
        raise ScenarioError(name, [Problem(line, column, t("source.top_level", kind=kind), name)])
    try:
        scenario = Scenario.model_validate(document.data)
    except ValidationError as exc:
        raise ScenarioError(name, [_named(p, name) for p in _problems_from(exc, document)]) from None
    problems = [
        Problem(*document.position(path, key=at_key), message, name)
        for path, message, at_key in check_references(scenario, document.data)
    ]
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
        if kind == "extra_forbidden":
            line, column = document.position(path, key=True)
        else:
            line, column = document.position(path)
        message = _describe(error, path)
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


def _field_label(path: Path) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return ""


def _describe(error: Any, path: Path) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    key = _field_label(path)
    if kind == "extra_forbidden":
        choices = _valid_keys(error["loc"][:-1])
        close = difflib.get_close_matches(str(key), choices, n=1, cutoff=0.6)
        if close:
            return t("err.unknown_key_hint", key=key, hint=close[0])
        return t("err.unknown_key", key=key, keys=", ".join(sorted(choices)) or "-")
    if kind == "missing":
        return t("err.missing", key=key)
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        close = difflib.get_close_matches(str(value), _split_expected(expected), n=1, cutoff=0.6)
        base = t("err.choice", value=_short(value), expected=expected)
        return f"{base} {t('err.did_you_mean', hint=close[0])}" if close else base
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return t(
            "err.union_tag",
            tag=ctx.get("tag", _short(value)),
            expected=ctx.get("expected_tags", ""),
            key=ctx.get("discriminator", "type").strip("'"),
        )
    if kind in _SIMPLE:
        fields = {"key": key, "value": _short(value)}
        fields.update({k: _short(v) for k, v in ctx.items() if k != "error"})
        return t(_SIMPLE[kind], **fields)
    return t("err.other", key=key, detail=error.get("msg", kind))


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


def _split_expected(expected: str) -> list[str]:
    return [part.strip(" '\"") for part in expected.replace(" or ", ",").split(",") if part.strip()]


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
