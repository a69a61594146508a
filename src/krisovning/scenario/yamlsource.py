"""Safe YAML reading with positions.

PyYAML only *composes* the document into nodes (no constructors run, so no tag can
execute anything); we then build plain dicts, lists and scalars ourselves with the
YAML 1.2 core schema, remembering where every key and value stood. Duplicate keys,
non-standard tags, alias bombs and deep nesting are refused with positions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from krisovning.i18n import t
from krisovning.scenario import yamltraps
from krisovning.scenario.problems import Problem
from krisovning.textsafe import first_control, visible

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


class _Mark(Protocol):  # yaml.Mark, or libyaml's
    index: int


MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000  # after alias expansion: stops "billion laughs"
MAX_DEPTH = 50

Path = tuple[str | int, ...]
Position = tuple[int, int]

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_IMPLICIT = yaml.resolver.Resolver()
# Characters YAML does not allow in a stream (control characters other than tab and line breaks).
_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# One escape of a double-quoted scalar; `\\` is one too, so the character after it never starts another.
_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_SHORT_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "e": "\x1b", "f": "\x0c", "v": "\x0b", "r": "\r", "N": "\x85"}

# PyYAML's English problem texts → our message keys (the rest are shown as PyYAML says them).
_YAML_PROBLEMS = [
    ("found character '\\t' that cannot start any token", "yaml.tab"),
    ("found a tab character", "yaml.tab"),
    ("mapping values are not allowed", "yaml.mapping_values"),  # "… here" (PyYAML), "… in this context" (libyaml)
    ("block sequence entries are not allowed", "yaml.sequence_here"),
    ("could not find expected ':'", "yaml.expected_colon"),
    ("found undefined alias", "yaml.undefined_alias"),
    ("found duplicate anchor", "yaml.duplicate_anchor"),
    ("did not find expected key", "yaml.expected_key"),
    ("did not find expected '-' indicator", "yaml.expected_dash"),
    ("found unexpected end of stream", "yaml.unexpected_end"),
    ("found unknown escape character", "yaml.bad_escape"),
    ("found character that cannot start any token", "yaml.bad_token"),
    ("found unexpected ':'", "yaml.mapping_values"),
    ("but found another document", "yaml.many_documents"),
    ("expected a single document", "yaml.many_documents"),
    ("did not find expected node content", "yaml.expected_node"),
    ("did not find expected ',' or ']'", "yaml.unclosed_flow"),
    ("did not find expected ',' or '}'", "yaml.unclosed_flow"),
    ("while parsing a flow", "yaml.unclosed_flow"),
    ("found control characters", "yaml.control_chars"),
    ("special characters are not allowed", "yaml.control_chars"),
]


class SourceError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


@dataclass
class Document:
    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    text: str = ""  # the source, for messages that quote what was written
    warnings: list[Problem] = field(default_factory=list)  # the file loads, but may not say what was meant

    def position(self, path: Path, *, key: bool = False) -> Position:
        """Where `path` stands; falls back to the nearest enclosing node that has a position."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if key and path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def offset(self, position: Position) -> int:
        """The character offset of a (line, column) in `text`."""
        starts = Lines(self.text).starts
        line = min(max(position[0], 1), len(starts))
        return min(starts[line - 1] + position[1] - 1, len(self.text))


def decode(raw: bytes) -> str:
    """UTF-8 (a BOM is allowed) or a SourceError naming the first bad byte's line and column."""
    if len(raw) > MAX_BYTES:
        raise SourceError([Problem(1, 1, t("source.too_large", size=len(raw), limit=MAX_BYTES))])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")  # valid: the error is the first bad byte
        line, column = Lines(before).at(len(before))
        raise SourceError([Problem(line, column, t("source.not_utf8", byte=f"0x{raw[exc.start]:02x}"))]) from None
    if "\x00" in text:
        line, column = Lines(text).at(text.index("\x00"))
        raise SourceError([Problem(line, column, t("source.nul"))])
    return text


class Lines:
    """1-based line and column of a character offset, lines ending at \\n, \\r\\n or \\r as in editors.

    libyaml (YAML 1.1) also ends lines at U+0085, U+2028 and U+2029 and puts end-of-stream
    errors on a line after the last, so its own line numbers can drift from what an editor
    shows; positions are therefore computed from the marks' character offsets.
    """

    _BREAK = re.compile(r"\r\n|\r|\n")

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in self._BREAK.finditer(text)]

    def at(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def mark(self, mark: _Mark | None) -> Position:
        return self.at(mark.index if mark is not None else 0)  # None: PyYAML's types allow it, its parser never


def _escaped(escape: str) -> str:
    if escape[1] in "xuU" and len(escape) > 2:
        return chr(int(escape[2:], 16))
    return _SHORT_ESCAPES.get(escape[1], "")


def _control_offset(text: str, start: int, end: int) -> int:
    """Where a double-quoted scalar's first control character was written as an escape (`\\e`).

    The reader refuses control characters written raw, except line breaks, which a scalar
    holds as `\\n`: an escape is the only way one gets into a text.
    """
    for match in _ESCAPE.finditer(text, start, end):
        if first_control(_escaped(match.group())) is not None:
            return match.start()
    return start


def parse(text: str) -> Document:
    """Compose `text` and build plain data with positions; raises SourceError."""
    text = text.removeprefix("\ufeff")  # libyaml skips a BOM without counting it in its offsets
    lines = Lines(text)
    try:
        _check_depth(text, lines)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise SourceError([_too_deep_before(exc, text, lines) or _syntax_problem(exc, text, lines)]) from None
    except yaml.reader.ReaderError:  # libyaml gives a byte offset, PyYAML a character index: find it ourselves
        match = _FORBIDDEN.search(text)
        raise SourceError([Problem(*lines.at(match.start() if match else 0), t("yaml.control_chars"))]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise SourceError([Problem(1, 1, t("yaml.syntax", detail=str(exc)))]) from None
    if root is None:
        raise SourceError([Problem(1, 1, t("source.empty"))])
    builder = _Builder(lines, text)
    data = builder.build(root, (), 0)
    if builder.problems:
        raise SourceError(builder.problems)
    return Document(data, builder.values, builder.keys, text, builder.warnings)


def _check_depth(text: str, lines: Lines) -> None:
    """Refuse deep nesting while reading the event stream (which is iterative).

    Composing is recursive: libyaml's composer overflows the C stack (a crash, not an
    exception) on some tens of thousands of nested `[`, so this runs first. The limit is
    the one `_Builder` applies, at the same node.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if depth > MAX_DEPTH:
                raise SourceError([Problem(*lines.mark(event.start_mark), t("yaml.too_deep", limit=MAX_DEPTH))])
            depth += 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _too_deep_before(exc: yaml.MarkedYAMLError, text: str, lines: Lines) -> Problem | None:
    """Our nesting limit's problem if the text before PyYAML's error already breaks it.

    PyYAML's scanner reads ahead of the events `_check_depth` sees, and since 6.0.4 libyaml
    stops at its own depth limit (1000) while doing so: without this the file's real fault,
    nesting beyond MAX_DEPTH far earlier, would be reported as a syntax error at the wrong
    place. Any other error PyYAML may add later is handled the same way.
    """
    mark = exc.problem_mark or exc.context_mark
    end = mark.index if mark else 0
    for _ in range(4):  # each round cuts the text shorter; a prefix's own error may lie before the cut
        if end <= 0:
            return None
        try:
            _check_depth(text[:end], lines)
            return None
        except SourceError as found:
            return found.problems[0]
        except yaml.MarkedYAMLError as again:
            mark = again.problem_mark or again.context_mark
            if mark is None or mark.index >= end:
                return None
            end = mark.index
        except yaml.YAMLError:
            return None
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, lines: Lines) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = lines.mark(mark) if mark else (1, 1)
    problem = exc.problem or ""
    context = exc.context or ""
    # Traps whose error PyYAML reports lines later, as an indentation error (yamltraps.py).
    index = mark.index if mark else 0
    trap = yamltraps.runaway_quote(text, index, lines.at) or yamltraps.brace_start(text, index, lines.at)
    if trap is not None:
        return trap
    # A quote or bracket left open is reported at the end of the file; name where it was opened.
    opened = exc.context_mark
    if opened and exc.problem_mark and not text[exc.problem_mark.index :].strip():
        if "quoted scalar" in context:
            return Problem(*lines.mark(opened), t("yaml.unclosed_quote"))
        if "flow" in context:
            return Problem(*lines.mark(opened), t("yaml.unclosed_flow"))
    # libyaml says only "found character that cannot start any token" for a tab.
    if mark and text[mark.index : mark.index + 1] == "\t":
        return Problem(line, column, t("yaml.tab"))
    if "nesting depth" in problem:  # PyYAML's own limit, above ours: still our message
        return Problem(line, column, t("yaml.too_deep", limit=MAX_DEPTH))
    for needle, key in _YAML_PROBLEMS:
        if needle in problem or needle in context:
            return Problem(line, column, t(key))
    return Problem(line, column, t("yaml.syntax", detail=f"{context} {problem}".strip()))


class _Builder:
    def __init__(self, lines: Lines, text: str) -> None:
        self.lines = lines
        self.text = text
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.nodes = 0
        self.bounded = False

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(*self.pos(node), message))

    def pos(self, node: yaml.Node) -> Position:
        return self.lines.mark(node.start_mark)

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.bounded:
            return None
        if self.nodes > MAX_NODES:
            self.bounded = True
            self.fail(node, t("yaml.too_many_nodes", limit=MAX_NODES))
            return None
        if depth > MAX_DEPTH:
            self.bounded = True
            self.fail(node, t("yaml.too_deep", limit=MAX_DEPTH))
            return None
        self.values.setdefault(path, self.pos(node))
        if node.tag not in _ALLOWED_TAGS and node.tag != _TAG + "merge":
            self.fail(node, t("yaml.tag_refused", tag=node.tag.replace(_TAG, "!!")))
            return None
        if isinstance(node, yaml.ScalarNode):
            value = self.checked(node, self.scalar(node))
            if not node.style and isinstance(value, str):
                self.comment_after(node, value)
            return value
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)  # the composer makes only these three kinds
        return self.mapping(node, path, depth)

    def checked(self, node: yaml.ScalarNode, value: Any) -> Any:
        """`value`, or None and a problem at the control character a text holds (escaped, as `"\\e"`)."""
        if not isinstance(value, str) or (at := first_control(value)) is None:
            return value
        offset = node.start_mark.index
        if node.style == '"':
            offset = _control_offset(self.text, offset, node.end_mark.index)
        self.problems.append(Problem(*self.lines.at(offset), t("yaml.control_in_text", char=visible(value[at]))))
        return None

    def comment_after(self, node: yaml.ScalarNode, value: str) -> None:
        """Warn when ` #` cut an unquoted text short: YAML drops the rest of the line as a comment.

        Only for prose (a text with a space) or a `#word` (a hashtag): an id or a duration with a
        comment after it (`at: 15m  # ...`) is how comments are meant to be used.
        """
        lost = yamltraps.lost_comment(self.text, node.end_mark.index)
        if lost is None or not (" " in value or re.match(r"#\w", lost)):
            return
        at = self.lines.at(self.text.index("#", node.end_mark.index))
        self.warnings.append(Problem(*at, t("yaml.hash_comment", lost=visible(lost[:40]))))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        value = node.value
        if node.style:  # quoted or block text is always a string (plain is None or "")
            return value
        # A tag other than the one PyYAML would resolve implicitly was written explicitly (`!!str 5`).
        if node.tag == _TAG + "str" and _IMPLICIT.resolve(yaml.ScalarNode, value, (True, False)) != node.tag:
            return value
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            try:
                return int(value)
            except ValueError:  # beyond Python's 4300-digit limit for decimal text
                self.fail(node, t("yaml.number_too_long", digits=len(value.lstrip("+-"))))
                return None
        if _INT_OCT.match(value):
            return int(value[2:], 8)
        if _INT_HEX.match(value):
            return int(value[2:], 16)
        if _FLOAT.match(value):
            return float(value)
        if _INF.match(value):
            return float("-inf") if value.startswith("-") else float("inf")
        if _NAN.match(value):
            return float("nan")
        return value

    def mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merged_value = self.build(value_node, path + ("<<",), depth + 1)
                sources = merged_value if isinstance(merged_value, list) else [merged_value]
                for source in sources:
                    if isinstance(source, dict):
                        for k, v in source.items():
                            merged.setdefault(k, v)
                    else:
                        self.fail(value_node, t("yaml.bad_merge"))
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                self.fail(key_node, t("yaml.complex_key"))
                continue
            key = self.checked(key_node, key_node.value if key_node.style else self.scalar(key_node))
            key = "" if key is None else str(key) if not isinstance(key, str) else key
            if key in first_seen:
                self.fail(key_node, t("yaml.duplicate_key", key=key, line=first_seen[key][0]))
                continue
            first_seen[key] = self.pos(key_node)
            self.keys[path + (key,)] = first_seen[key]
            result[key] = self.build(value_node, path + (key,), depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result
