"""A team drill's browser seats in a real browser: `krisovning host ... --web` (not a terminal) and two
seats' pages in chromium (Playwright), typed into through xterm.js's keyboard input.

What a seat shows is read from its own process (the KRISOVNING_TEST_SCREEN hook, one file per seat
process: "{pid}" in its name), what it did from the journal. Every wait is on a condition.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from browserkit import WAIT, shown, wait_for
from hostproc import SCENARIO, Host

pytestmark = pytest.mark.browser
PRESS, CHIEF = "presssekreterare", "kommunikationschef"
ANSWERED = "✓"  # ui.status.answered ("✓ besvarad", cut to the column)


def seat_url(host: Host, role: str) -> str:
    """The browser URL the host printed under a role's seat command (cli/host_log.py)."""

    def printed() -> str | None:
        lines = list(host.lines)
        at = next((i for i, line in enumerate(lines) if f" --role {role} " in f"{line} "), None)
        if at is None or at + 1 >= len(lines) or not lines[at + 1].strip().startswith("http://"):
            return None
        return lines[at + 1].strip()

    return wait_for(printed, f"the URL of {role}'s seat")


def replies(db: Path) -> list[dict]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as con:
        rows = con.execute("SELECT body FROM entries WHERE kind = 'action' ORDER BY seq").fetchall()
    actions = [json.loads(body)["action"] for (body,) in rows]
    return [a for a in actions if a["kind"] == "reply"]


def injects(db: Path) -> dict[str, dict]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as con:
        rows = con.execute("SELECT body FROM entries WHERE kind = 'inject' ORDER BY seq").fetchall()
    return {inject["id"]: inject for inject in (json.loads(body) for (body,) in rows)}


class Screens:
    """The seat processes' screen files in one folder, each known by its process id."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: set[Path] = set()

    @property
    def pattern(self) -> str:
        return str(self.folder / "{pid}.txt")

    def new(self, what: str) -> Path:
        """The screen of a seat process started since the last call (waits for its first screen)."""

        def fresh() -> Path | None:
            return next((p for p in sorted(self.folder.glob("*.txt")) if p not in self.seen and shown(p)), None)

        path = wait_for(fresh, what)
        self.seen.add(path)
        return path


def line_with(screen: Path, needle: str) -> str:
    text = screen.read_text(encoding="utf-8") if screen.exists() else ""
    return next((line for line in text.splitlines() if needle in line), "")


def test_two_browser_seats_of_a_hosted_drill(browser, tmp_path):
    db, screens = tmp_path / "j.db", Screens(tmp_path / "screens")
    screens.folder.mkdir()
    # no call rings over the reply box (tui/call.py; at 60x it rings out in a second, a race for the test):
    # the drill's calls come by SMS here
    quiet = tmp_path / "dricksvatten.yaml"
    text = Path(SCENARIO).read_text(encoding="utf-8")
    quiet.write_text(text.replace("channel: phone", "channel: sms"), encoding="utf-8")
    host = Host(
        str(quiet),
        "--seed",
        "7",
        "--speed",
        "60",
        "--start-now",
        "--web",
        "--db",
        str(db),
        extra_env={"KRISOVNING_TEST_SCREEN": screens.pattern},
    )
    try:
        press_url, chief_url = seat_url(host, PRESS), seat_url(host, CHIEF)

        # Both seats render, each in a process of its own showing its role.
        press = browser.new_page()
        press.goto(press_url)
        assert press.title().endswith("– Presssekreterare")
        press.wait_for_selector("body.-first-byte", timeout=WAIT * 1000)
        press_screen = screens.new("the press secretary's screen")
        wait_for(lambda: shown(press_screen).startswith("Presssekreterare ("), "the press secretary's role on screen")
        chief = browser.new_page()
        chief.goto(chief_url)
        assert chief.title().endswith("– Kommunikationschef")
        chief.wait_for_selector("body.-first-byte", timeout=WAIT * 1000)
        chief_screen = screens.new("the communications chief's screen")
        wait_for(lambda: shown(chief_screen).startswith("Kommunikationschef ("), "the chief's role on screen")

        # A reply typed in one page is journaled with its role and seat…
        first = wait_for(lambda: [i for i in injects(db).values() if i["to"] == PRESS], "an inject to press")[0]
        wait_for(lambda: first["sender"]["name"] in shown(press_screen), "the press inject in its inbox")
        press.focus(".xterm-helper-textarea")  # xterm.js's keyboard input (a click would be a mouse event)
        press.keyboard.press("Enter")  # the selected inject: read it and start the reply…
        wait_for(lambda: "Ctrl+S" in shown(press_screen), "the reply box")  # …once it has focus
        press.keyboard.type("Vi återkommer inom en kvart.")
        press.keyboard.press("Control+s")
        reply = wait_for(lambda: replies(db), "the reply in the journal")[0]
        assert (reply["seat"], reply["role"], reply["text"]) == (PRESS, PRESS, "Vi återkommer inom en kvart.")
        target = injects(db)[reply["inject"]]
        sender = target["sender"]["name"]

        # …and shows as answered in the other page (its inbox showing every role's injects).
        chief.focus(".xterm-helper-textarea")
        chief.keyboard.press("Control+o")
        wait_for(lambda: ANSWERED in line_with(chief_screen, sender), "the inject answered at the chief's seat")

        # A reload is a new seat process of the same seat, which shows the earlier reply.
        press.reload()
        press.wait_for_selector("body.-first-byte", timeout=WAIT * 1000)
        again = screens.new("the press secretary's screen after the reload")
        assert again != press_screen  # another process id
        wait_for(lambda: shown(again).startswith("Presssekreterare ("), "the same role after the reload")
        wait_for(lambda: ANSWERED in line_with(again, sender), "the earlier reply after the reload")

        # A wrong token gets 403 (Chromium shows its own page for an empty 403: read through fetch).
        wrong = press_url.rsplit("/", 1)[0] + "/not-a-token"
        assert press.evaluate("url => fetch(url).then(r => r.status)", wrong) == 403
        press.close()
        chief.close()
    finally:
        host.stop()
