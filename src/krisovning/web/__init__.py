"""Browser seats: each seat's terminal page served by textual-serve, one seat process per connection.

`start_web` (web/runner.py) runs the server (web/server.py) in a child process; this module stays
light, so the CLI can ask `in_browser()` without importing aiohttp.
"""

from __future__ import annotations

import os

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"  # what textual-serve sets in each app process's TEXTUAL_DRIVER


def in_browser() -> bool:
    """True in a process textual-serve started: its stdin and stdout are pipes to the server, not a terminal."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER
