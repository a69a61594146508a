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
