"""Text from files, journals and people is data: these helpers make it safe to show.

At the bottom of the layers beside `i18n`: every layer may use it. Markup safety is not
done here (widgets get `Content`/`Text` objects); this is about control characters, which
a terminal would obey (ESC sequences change the title, clear the screen, write the
clipboard) and which Textual would draw as nothing.
"""

from __future__ import annotations

import re

# C0 except tab and newline, DEL, C1. Carriage return is a control too: it rewinds a line.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def visible(text: str) -> str:
    """`text` with every control character but tab and newline written as `\\xNN`."""
    return _CONTROL.sub(_escape, text)


def visible_line(text: str) -> str:
    """`text` for one line of output: tab and newline are escaped too."""
    return _CONTROL_IN_LINE.sub(_escape, text)


def first_control(text: str) -> int | None:
    """Offset of the first control character that `visible` would escape, or None."""
    found = _CONTROL.search(text)
    return found.start() if found else None
