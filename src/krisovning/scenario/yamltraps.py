"""YAML that parses into something else than the author wrote: found in the text, named at its place.

PyYAML reports these traps where they end, as an indentation error lines later or not at all;
`yamlsource.parse` asks here first, so the message names the cause.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from krisovning.i18n import t
from krisovning.scenario.problems import Problem
from krisovning.textsafe import visible

Position = tuple[int, int]
At = Callable[[int], Position]  # a character offset → (line, column)

# A block value (after `key:` or `- `) that starts with a placeholder such as {sender.name}: YAML reads
# `{` as the start of a mapping. A real flow mapping has a `:` inside its braces.
_BRACE_START = re.compile(
    r"^(?:[ \t]*-[ \t]+|[ \t]*(?:-[ \t]+)?[^\s#:'\"{][^:#\n]*:[ \t]+)(\{[^{}:\n]+\})", re.MULTILINE
)
# A line inside a runaway quoted text that looks like the YAML it swallowed: `key:` or `- item`.
_SWALLOWED = re.compile(r"\n[ \t]*(?:-[ \t]|[A-Za-z_][\w-]*:(?:[ \t]|$))", re.MULTILINE)
# The rest of a line after a plain value: ` # …` is a comment to YAML.
_COMMENT = re.compile(r"[ \t]+#[^\n\r]*")


def brace_start(text: str, error_index: int, at: At) -> Problem | None:
    """A value on the error's line (or the one before) that starts with `{placeholder}`: YAML read a mapping."""
    error_line = at(error_index)[0]
    for match in _BRACE_START.finditer(text):
        line = at(match.start(1))[0]
        if line > error_line:
            break
        if line >= error_line - 1:
            return brace_problem(text, match.start(1), at)
    return None


def brace_problem(text: str, offset: int, at: At) -> Problem | None:
    """The message for a value at `offset` that starts with `{placeholder}`, or None when it does not."""
    match = re.compile(r"\{[^{}:\n]+\}").match(text, offset)
    if match is None:
        return None
    end = text.find("\n", offset)
    whole = text[offset : end if end >= 0 else len(text)].rstrip()
    return Problem(*at(offset), t("yaml.brace_start", start=visible(match.group()), text=visible(_short(whole))))


def runaway_quote(text: str, error_index: int, at: At) -> Problem | None:
    """A quoted text left open on its line: YAML reads on, over the following keys, to the next quote of
    the same kind and fails there. Found as the last quoted scalar before the error that swallowed lines
    looking like keys or list items."""
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index > error_index:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                raw = text[token.start_mark.index : token.end_mark.index]
                if _SWALLOWED.search(raw):
                    found = token
    except yaml.YAMLError:
        pass
    if found is None:
        return None
    end_line = at(found.end_mark.index)[0]
    if at(error_index)[0] - end_line > 1:  # the error is not where the runaway text ended: another fault
        return None
    return Problem(*at(found.start_mark.index), t("yaml.runaway_quote", end=end_line))


def lost_comment(text: str, end: int) -> str | None:
    """What YAML drops as a comment right after a plain value ending at offset `end`."""
    match = _COMMENT.match(text, end)
    return match.group().strip() if match else None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
