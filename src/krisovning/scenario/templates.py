"""Plain `{placeholder}` substitution — never code.

A placeholder is a dotted name such as `{vattenverk}`, `{sender.name}` or
`{organisation}`; `{{` and `}}` are literal braces. Nothing is evaluated:
no attribute access, indexing, format specs or conversions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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
    """Substitute known names; an unknown one is left visible as `{name}` rather than failing mid-drill."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        if name is None:
            return token
        return str(values.get(name, token))

    return _TOKEN.sub(replace, template)


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
