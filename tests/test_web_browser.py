"""Browser seats in a real browser: Debian's chromium driven by Playwright, against the seat server.

xterm.js draws on a canvas, so what a seat shows is asserted through the journal, the page's own
elements (title, splash, the end-of-session bar) and the seat's test hook (KRISOVNING_TEST_SCREEN).
Without chromium these skip, except in CI (CI=true), where they fail: .ci/run installs it (the `browser`
fixture: tests/conftest.py, tests/browserkit.py).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import WAIT, shown, wait_for
from hostile import SCENARIO_SAFE

from krisovning.i18n import set_language
from krisovning.textsafe import visible_line
from krisovning.web.runner import SeatCommand, start_web

pytestmark = pytest.mark.browser
STARTER = Path(__file__).parent.parent / "src/krisovning/data/starter.yaml"
KRISOVNING = (sys.executable, "-m", "krisovning")


@pytest.fixture(autouse=True)
def swedish() -> Iterator[None]:
    set_language("sv")
    yield


def entries(db: Path, kind: str) -> list[tuple[str, str]]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as con:
        try:
            return con.execute("SELECT session_id, body FROM entries WHERE kind = ? ORDER BY seq", (kind,)).fetchall()
        except sqlite3.OperationalError:  # the journal is being created
            return []


def statuses(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [row[0] for row in con.execute("SELECT status FROM sessions ORDER BY started_at")]


def test_run_in_a_browser_a_reply_is_journaled_and_a_reload_is_a_new_seat_process(browser, tmp_path):
    db, screen = tmp_path / "j.db", tmp_path / "screen.txt"
    env = {"KRISOVNING_DB": str(db), "KRISOVNING_TEST_SCREEN": str(screen)}
    # no call rings over the reply box (tui/call.py): the starter's calls come by SMS here
    quiet = tmp_path / "starter.yaml"
    quiet.write_text(STARTER.read_text(encoding="utf-8").replace("channel: phone", "channel: sms"), encoding="utf-8")
    seat = SeatCommand(
        (*KRISOVNING, "run", str(quiet), "--speed", "60", "--start-now"), "Startövning – Presssekreterare", env
    )
    with start_web({"t0ken-run": seat}) as server:
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(server.url("t0ken-run"))
        assert page.title() == "Startövning – Presssekreterare"
        page.wait_for_selector("body.-first-byte", timeout=WAIT * 1000)  # the drill drew its screen
        wait_for(lambda: "Jonas Berg" in shown(screen), "the first inject in the inbox")
        page.focus(".xterm-helper-textarea")  # xterm.js's keyboard input (a click would be a mouse event)
        page.keyboard.press("Enter")  # the selected inject: read it and start the reply…
        wait_for(lambda: "Ctrl+S skickar svaret" in shown(screen), "the reply box")  # …once it has focus
        page.keyboard.type("Vi samlas nu")
        page.keyboard.press("Control+s")
        wait_for(lambda: "Svaret är sparat" in shown(screen), "the reply's confirmation")
        replies = wait_for(lambda: [e for e in entries(db, "action") if "Vi samlas nu" in e[1]], "the reply")
        assert '"kind":"reply"' in replies[0][1]

        page.reload()  # a new connection: a new seat process (for run, a new drill); the first one ends
        page.wait_for_selector("body.-first-byte", timeout=WAIT * 1000)
        wait_for(lambda: len(statuses(db)) == 2 and statuses(db)[0] != "running", "the first seat's end")
        page.close()
        wait_for(lambda: "running" not in statuses(db), "the second seat's end after its page closed")
    origin = server.url("t0ken-run").split("/seat/")[0]
    ws_origin = origin.replace("http:", "ws:")
    assert requested and all(url.startswith((origin + "/", ws_origin + "/", "data:")) for url in requested), requested


def test_a_wrong_token_gets_403_for_page_and_websocket(browser):
    seat = SeatCommand((*KRISOVNING, "--version"), "X")
    with start_web({"right-token": seat}) as server:
        page = browser.new_page()
        wrong = server.url("right-token").replace("right-token", "wrong-token")
        page.goto(server.url("right-token"))
        # Chromium shows its own error page for an empty 403, so the status is read through fetch
        answer = page.evaluate("url => fetch(url).then(async r => [r.status, await r.text()])", wrong)
        assert answer == [403, ""]
        closed = page.evaluate(
            """url => new Promise(done => {
                const socket = new WebSocket(url);
                socket.onopen = () => done("open");
                socket.onclose = event => done("closed " + event.code);
            })""",
            wrong.replace("http:", "ws:") + "/ws",
        )
        assert closed == "closed 1006"  # refused before the upgrade (403)
        page.close()


def test_a_seat_that_cannot_start_says_why_in_the_page(browser, tmp_path):
    screen = tmp_path / "screen.txt"
    missing = tmp_path / "borta.yaml"
    seats = {
        "no-scenario": SeatCommand((*KRISOVNING, "run", str(missing)), "X", {"KRISOVNING_TEST_SCREEN": str(screen)}),
        "dies": SeatCommand((sys.executable, "-c", "raise SystemExit(3)"), "Y"),
    }
    with start_web(seats) as server:
        page = browser.new_page()
        page.goto(server.url("no-scenario"))
        page.wait_for_selector("body.-first-byte", timeout=WAIT * 1000)  # not left on the splash
        text = wait_for(lambda: shown(screen), "the seat's message")
        assert text.startswith("Platsen kunde inte starta") and "filen finns inte" in text
        page.focus(".xterm-helper-textarea")
        page.keyboard.press("x")  # any key closes it, and the page says the session ended
        page.wait_for_selector("body.-closed", timeout=WAIT * 1000)
        assert page.is_visible("#restart")

        page.goto(server.url("dies"))  # a program that ends before drawing anything
        page.wait_for_selector("body.-closed", timeout=WAIT * 1000)
        assert page.text_content("#closed-message") == "platsens program avslutades (slutkod 3)"
        page.close()


def test_a_hostile_title_is_text_in_the_tab_and_on_the_splash(browser):
    title = " ".join(SCENARIO_SAFE[:10]) + " – Presssekreterare"
    seat = SeatCommand((sys.executable, "-c", "import time; time.sleep(60)"), title)  # stays on the splash
    with start_web({"hostile": seat}) as server:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server.url("hostile"))
        assert page.title() == visible_line(title)
        assert page.text_content("#seat-title") == visible_line(title)
        assert dialogs == [] and page.query_selector("body script:not([src])") is None
        page.close()
