"""Plain `{placeholder}` substitution — never code.

A placeholder is a dotted name such as `{vattenverk}`, `{sender.name}` or
`{organisation}`; `{{` and `}}` are literal braces. Nothing is evaluated:
no attribute access, indexing, format specs or conversions. Social-media post
templates may also hold alternations, `{Hur länge|Vet någon hur länge} ska man koka?`
(`Variants`): one alternative is drawn each time a post is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z0-9_][A-Za-z0-9_.\-]*)\}|\{|\}")


class TemplateSyntaxError(ValueError):
    def __init__(self, position: int, text: str) -> None:
        super().__init__(f"bad brace at {position}")
        self.position = position
        self.text = text


def placeholders(template: str) -> list[str]:
    """The placeholder names in `template`, in order; raises TemplateSyntaxError on a stray brace."""
    names = []
    for match in _TOKEN.finditer(template):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            raise TemplateSyntaxError(match.start(), template)
        names.append(match.group(1))
    return names


def fill(template: str, values: Mapping[str, str]) -> str:
    """Substitute known names; an unknown one is left visible as `{name}` rather than failing mid-drill.
    `{{` and `}}` are single braces; a stray brace stays as it is."""
    parsed = _parsed(template)
    if parsed.const is not None:
        return parsed.const
    out = []
    for literal, name in parsed.parts:
        out.append(literal)
        if name is not None:
            value = values.get(name, _MISSING)
            out.append("{" + name + "}" if value is _MISSING else str(value))
    return "".join(out)


_MISSING = object()


def names_read(template: str | None) -> frozenset[str]:
    """The names `fill` looks up in `template` (none in None or a text without any)."""
    return _parsed(template).names if template else frozenset()


@lru_cache(maxsize=4096)  # a drill fills the same few inject texts again and again (a preview: in every run)
def _parsed(template: str) -> Template:
    return Template(template)


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class Template:
    """A template parsed once, rendered many times (the social feed's hot path)."""

    __slots__ = ("clock", "const", "names", "parts")

    def __init__(self, text: str) -> None:
        self.parts: list[tuple[str, str | None]] = []
        last = 0
        for match in _TOKEN.finditer(text):
            token = match.group(0)
            literal = text[last : match.start()] + ("{" if token == "{{" else "}" if token == "}}" else "")
            name = match.group(1)
            if name is None and token not in ("{{", "}}"):
                literal += token  # a stray brace stays as it is (the loader refuses these anyway)
            self.parts.append((literal, name))
            last = match.end()
        self.parts.append((text[last:], None))
        self.names = frozenset(name for _, name in self.parts if name)
        self.const = "".join(lit for lit, _ in self.parts) if not self.names else None
        self.clock = bool(self.names & {"time", "date"})  # needs the in-world clock when rendered

    def bind(self, values: Mapping[str, str]) -> Template:
        """This template with the names in `values` filled in now; the other names stay placeholders."""
        out = []
        for literal, name in self.parts:
            out.append(_escape(literal))
            if name is not None:
                out.append(_escape(values[name]) if name in values else "{" + name + "}")
        return Template("".join(out))

    def render(self, first: Mapping[str, str], second: Mapping[str, str]) -> str:
        if self.const is not None:
            return self.const
        out = []
        for literal, name in self.parts:
            out.append(literal)
            if name is not None:
                value = first.get(name)
                out.append(value if value is not None else second.get(name, "{" + name + "}"))
        return "".join(out)


# --- post templates: alternations `{a|b|c}` as well as placeholders (social posts only) ---

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")


class Name(str):
    """A placeholder's name inside a parsed post template (a str subclass, to tell it from literal text)."""

    __slots__ = ()


def parse_variants(template: str) -> list[str | Name | tuple[list[str | Name], ...]]:
    """`template` parsed into parts; `{a|b}` is an alternation whose alternatives may hold `{name}`s.

    `{{` and `}}` are literal braces outside an alternation; inside one, `{` opens a placeholder and
    `}` closes it or the alternation. Raises TemplateSyntaxError on a stray or unclosed brace.
    """
    parts: list[str | Name | tuple[list[str | Name], ...]] = []
    literal: list[str] = []
    i, n = 0, len(template)
    while i < n:
        c = template[i]
        if c == "{" and template.startswith("{{", i):
            literal.append("{")
            i += 2
        elif c == "}" and template.startswith("}}", i):
            literal.append("}")
            i += 2
        elif c == "}":
            raise TemplateSyntaxError(i, template)
        elif c == "{":
            if literal:
                parts.append("".join(literal))
                literal = []
            part, i = _group(template, i)
            parts.append(part)
        else:
            literal.append(c)
            i += 1
    if literal:
        parts.append("".join(literal))
    return parts


def _group(template: str, start: int) -> tuple[Name | tuple[list[str | Name], ...], int]:
    """The placeholder or alternation opened at `start`, and the index after it."""
    alternatives: list[list[str | Name]] = [[]]
    literal: list[str] = []
    i, n = start + 1, len(template)
    while i < n:
        c = template[i]
        if c == "{":  # a placeholder inside an alternation
            end = template.find("}", i + 1)
            name = template[i + 1 : end] if end > 0 else ""
            if not _NAME.match(name):
                raise TemplateSyntaxError(i, template)
            if literal:
                alternatives[-1].append("".join(literal))
                literal = []
            alternatives[-1].append(Name(name))
            i = end + 1
        elif c == "|":
            if literal:
                alternatives[-1].append("".join(literal))
                literal = []
            alternatives.append([])
            i += 1
        elif c == "}":
            if literal:
                alternatives[-1].append("".join(literal))
            if len(alternatives) == 1:  # no `|`: a plain placeholder
                body = alternatives[0]
                if len(body) == 1 and not isinstance(body[0], Name) and _NAME.match(body[0]):
                    return Name(body[0]), i + 1
                raise TemplateSyntaxError(start, template)
            return tuple(alternatives), i + 1
        else:
            literal.append(c)
            i += 1
    raise TemplateSyntaxError(start, template)  # never closed


def variant_names(parts: list[str | Name | tuple[list[str | Name], ...]]) -> list[str]:
    """Every placeholder name in parsed parts, alternatives included, in order."""
    names: list[str] = []
    for part in parts:
        if isinstance(part, Name):
            names.append(str(part))
        elif isinstance(part, tuple):
            names.extend(str(p) for alternative in part for p in alternative if isinstance(p, Name))
    return names


def variant_count(parts: list[str | Name | tuple[list[str | Name], ...]]) -> int:
    """How many texts the alternations can give (placeholders aside)."""
    count = 1
    for part in parts:
        if isinstance(part, tuple):
            count *= len(part)
    return count


class Variants:
    """A post template with alternations, parsed once; each rendering draws one alternative per group."""

    __slots__ = ("_plan", "clock", "names", "parts")

    def __init__(self, text: str) -> None:
        self.parts = parse_variants(text)
        self.names = frozenset(variant_names(self.parts))
        self.clock = bool(self.names & {"time", "date"})
        # what render walks: (0, literal), (1, name) or (2, alternatives); a plain text is one literal, and
        # so is an alternative without a placeholder (joined here, not at each rendering)
        self._plan: tuple[tuple[int, object], ...] = tuple(
            (2, tuple(_joined(a) for a in part))
            if isinstance(part, tuple)
            else (1, str(part))
            if isinstance(part, Name)
            else (0, part)
            for part in self.parts
        )

    def render(self, random: Callable[[], float], first: Mapping[str, str], second: Mapping[str, str]) -> str:
        """One text: an alternative per group drawn with `random`; a name is looked up in `first`, then
        `second`; an unknown one stays `{name}`."""
        out: list[str] = []
        append = out.append
        for kind, part in self._plan:
            if kind == 0:
                append(part)  # type: ignore[arg-type]
            elif kind == 1:  # _lookup, written out: the hot path of every post
                value = first.get(part)  # type: ignore[call-overload]
                if value is None:
                    value = second.get(part)  # type: ignore[call-overload]
                append(value if value is not None else "{" + part + "}")  # type: ignore[operator]
            else:
                alternatives: tuple[str | list[str | Name], ...] = part  # type: ignore[assignment]
                chosen = alternatives[int(random() * len(alternatives))]
                if chosen.__class__ is str:
                    append(chosen)
                else:
                    for piece in chosen:
                        append(_lookup(piece, first, second) if isinstance(piece, Name) else piece)
        return "".join(out)


def _joined(alternative: list[str | Name]) -> str | list[str | Name]:
    """An alternative without a placeholder as one string; one with a placeholder as it is."""
    if any(isinstance(piece, Name) for piece in alternative):
        return alternative
    return "".join(alternative)


def _lookup(name: str, first: Mapping[str, str], second: Mapping[str, str]) -> str:
    value = first.get(name)
    if value is None:
        value = second.get(name)
    return value if value is not None else "{" + name + "}"
