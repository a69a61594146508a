"""What the browser tests share (tests/test_web_browser.py, tests/test_web_team.py): Debian's chromium,
waiting on a condition, and a seat's screen as its test hook (KRISOVNING_TEST_SCREEN) wrote it.

The `browser` fixture itself is in tests/conftest.py.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("KRISOVNING_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT = 60.0  # seconds: a seat's Python start and first screen on a busy 2-core machine


def open_browser(profile: Path) -> Iterator[Any]:
    """A chromium context with an empty profile; skips without chromium or Playwright, except in CI (fails)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(CHROMIUM).is_file():
        missing = "playwright" if sync_playwright is None else CHROMIUM
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests need {missing} in CI (.ci/run installs chromium)")
        pytest.skip(f"no {missing}")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield context
        finally:
            context.close()


def wait_for(check: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)
    return result


def shown(screen: Path) -> str:
    """The seat's screen text (its test hook), words joined however the screen wrapped them."""
    return " ".join(screen.read_text(encoding="utf-8").split()) if screen.exists() else ""
