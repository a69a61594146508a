"""A new user's journey, end to end, in a fresh virtual environment and an empty home directory.

1. The README's two commands, as written, in a clean copy of this repository: the first one's
   install part, then its `krisovning run …` in a pseudo-terminal; the second one's install part,
   then `pytest --collect-only` (running the whole suite from inside it would recurse).
2. A facilitator's drill with the installed `krisovning`, in Swedish and in English: new →
   validate → preview → simulate → run (answer an inject, publish, pause, quit) → sessions →
   resume (opens paused; F10; quit) → report in every format → export.

The journal is the default one under the user data directory (no --db, no KRISOVNING_DB).
Every wait is for screen text or a process exit, with a timeout; never a fixed sleep.
The virtual environment is built once for the module (it takes about a minute).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from ptyterm import CTRL_Q, CTRL_S, F4, F10, SHIFT_TAB, Terminal

pytestmark = [
    pytest.mark.journey,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal and shell"),
]

ROOT = Path(__file__).resolve().parent.parent
INSTALL_TIMEOUT = 900
COMMAND_TIMEOUT = 180
SCREEN_TIMEOUT = 30


# --- the README and a clean copy of the repository ---


def readme_commands() -> list[str]:
    """The two fenced commands the README opens with."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)[:2]]


def split_last(command: str) -> tuple[str, str]:
    """`A && B && C` → (`A && B`, `C`)."""
    parts = command.split(" && ")
    assert len(parts) >= 2, command
    return " && ".join(parts[:-1]), parts[-1]


def copy_checkout(dest: Path) -> None:
    """The repository's files as a fresh clone would have them (tracked and new, never ignored ones)."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs a git checkout of the project")
    for name in listing.decode("utf-8").split("\0"):
        source = ROOT / name
        if name and source.is_file():  # a file deleted in the work tree is not there in a clone either
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def user_config_of_pip() -> str | None:
    """The developer's own pip configuration (an index mirror, say), which a moved HOME would hide."""
    if os.environ.get("PIP_CONFIG_FILE"):
        return os.environ["PIP_CONFIG_FILE"]
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    for candidate in (config_home / "pip" / "pip.conf", Path.home() / ".pip" / "pip.conf"):
        if candidate.is_file():
            return str(candidate)
    return None


@dataclass
class Checkout:
    repo: Path
    shim: Path
    home: Path
    commands: list[str]

    @property
    def krisovning(self) -> str:
        return str(self.repo / ".venv" / "bin" / "krisovning")

    def env(self, home: Path, lang: str | None = None) -> dict[str, str]:
        """A new user's environment: an empty HOME, default data directories, no project variables."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("KRISOVNING_", "PYTHON", "PYTEST", "VIRTUAL_ENV"))
            and k not in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
        }
        env["HOME"] = str(home)
        env["PATH"] = f"{self.shim}{os.pathsep}{env.get('PATH', '')}"
        env["TERM"] = "xterm-256color"
        pip_config = user_config_of_pip()
        if pip_config:
            env["PIP_CONFIG_FILE"] = pip_config
        if lang:
            env["KRISOVNING_LANG"] = lang
        return env


def sh(command: str, cwd: Path, env: dict[str, str], timeout: float = INSTALL_TIMEOUT) -> subprocess.CompletedProcess:
    proc = subprocess.run(["sh", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, (
        f"`{command}` failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return proc


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Checkout:
    """A clean copy of the repository with the README's first install command run in it (once per module)."""
    base = tmp_path_factory.mktemp("journey")
    repo = base / "krisovning"
    copy_checkout(repo)
    # `python3` in the README is the Python running these tests (the project needs 3.11 or later).
    shim = base / "bin"
    shim.mkdir()
    (shim / "python3").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    (shim / "python3").chmod(0o755)
    commands = readme_commands()
    assert len(commands) == 2, "the README opens with two commands"
    home = base / "home"
    home.mkdir()
    result = Checkout(repo, shim, home, commands)
    install, _run = split_last(commands[0])
    sh(install, repo, result.env(home))
    return result


def user_data_db(home: Path) -> Path:
    return home / ".local" / "share" / "krisovning" / "krisovning.db"


def quit_drill(term: Terminal) -> None:
    """Ctrl+Q asks first; Shift+Tab to the quit button, Enter; the program ends with 0."""
    mark = term.mark()
    term.send(CTRL_Q)
    term.wait_for("krisovning resume", since=mark)
    term.send(SHIFT_TAB + "\r")
    assert term.wait_exit(SCREEN_TIMEOUT) == 0, term.text()[-1500:]


# --- the README's commands ---


def test_readme_first_command_installs_and_opens_the_bundled_drill(checkout: Checkout):
    _install, run = split_last(checkout.commands[0])
    argv = shlex.split(run)
    assert argv[:2] == [".venv/bin/krisovning", "run"], run
    env = checkout.env(checkout.home)
    term = Terminal(argv, env, cwd=checkout.repo)
    try:
        term.wait_for("Starta klockan", SCREEN_TIMEOUT)  # the briefing first, in Swedish by default
        term.send("\r")  # Enter starts the clock
        term.wait_for("Inkorg", SCREEN_TIMEOUT)
        term.wait_for("T+0:00:01", SCREEN_TIMEOUT)  # the exercise clock runs in real time
        quit_drill(term)
        term.wait_for("avbruten och sparad")
    finally:
        term.close()
    if sys.platform.startswith("linux"):
        assert user_data_db(checkout.home).is_file(), "the journal is in the user data directory"
    listing = subprocess.run(
        [checkout.krisovning, "sessions"],
        cwd=checkout.repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    assert listing.returncode == 0, listing.stderr
    assert "E. coli i dricksvattnet" in listing.stdout and "avbruten" in listing.stdout, listing.stdout


def test_readme_second_command_installs_the_test_tools_and_collects_the_suite(checkout: Checkout):
    install, test = split_last(checkout.commands[1])
    assert shlex.split(test) == [".venv/bin/python", "-m", "pytest"], test
    env = checkout.env(checkout.home)
    sh(install, checkout.repo, env)
    collect = subprocess.run(
        shlex.split(test) + ["--collect-only", "-q"],
        cwd=checkout.repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    assert collect.returncode == 0, collect.stdout[-3000:] + collect.stderr[-3000:]
    found = re.search(r"^(\d+) tests? collected", collect.stdout, re.M)
    assert found and int(found.group(1)) >= 100, collect.stdout[-1500:]
    assert "tests/test_journey.py::" in collect.stdout  # this very journey is part of the suite


# --- a facilitator's drill, in both languages ---

SV = dict(
    lang="sv",
    file="min-ovning.yaml",
    created="Skapade min-ovning.yaml",
    valid="Alla giltiga",
    preview="Förhandsvisning: Stormen över Sjöstad – 20 körningar",
    inbox="Inkorg",
    reply_hint="Ctrl+S skickar svaret",
    reply="Krisledningen samlas klockan nio – vi återkommer",
    saved="Svaret är sparat",
    publish_intro="Välj kanaler (mellanslag)",
    publish_hint="Ctrl+S publicerar",
    publication="Strömmen är tillbaka före lunch i hela Sjöstad",
    published="Publicerat.",
    paused="PAUSAD – F10 fortsätter",
    interrupted=r"Övningen (\S+) är avbruten och sparad",
    status_interrupted="avbruten",
    status_finished="avslutad",
    report_title="Utvärderingsrapport: Stormen över Sjöstad",
    preliminary="PRELIMINÄR RAPPORT",
    report_written="Rapporten skrevs till",
    export_written="Journalen för",
)
EN = dict(
    lang="en",
    file="my-drill.yaml",
    created="Created my-drill.yaml",
    valid="All valid",
    preview="Preview: Stormen över Sjöstad – 20 runs",
    inbox="Inbox",
    reply_hint="Ctrl+S sends the reply",
    reply="The crisis team meets at nine – we will call back",
    saved="The reply is saved",
    publish_intro="Pick channels (space)",
    publish_hint="Ctrl+S publishes",
    publication="Power is back before lunch in all of Sjöstad",
    published="Published.",
    paused="PAUSED – F10 resumes",
    interrupted=r"The drill (\S+) is interrupted and saved",
    status_interrupted="interrupted",
    status_finished="finished",
    report_title="After-action report: Stormen över Sjöstad",
    preliminary="PRELIMINARY REPORT",
    report_written="The report was written to",
    export_written="The journal of",
)
OUTCOMES = {"met", "partly_met", "not_met"}


def clock(seconds: float) -> str:
    total = int(seconds)
    return f"T+{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


class TagBalance(HTMLParser):
    """Well-formedness as far as it matters here: every element that is opened is closed, in order."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.html_lang: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]} at {self.getpos()}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("words", [SV, EN], ids=["sv", "en"])
def test_a_facilitators_drill_from_new_to_export(checkout: Checkout, tmp_path: Path, words: dict[str, str]):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = checkout.env(home, words["lang"])

    def cli(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [checkout.krisovning, *args], cwd=work, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
        )
        assert proc.returncode == 0, (
            f"krisovning {' '.join(args)} → {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    scenario = words["file"]

    # Write and check the scenario.
    out = cli("new", scenario).stdout
    assert words["created"] in out, out
    assert (work / scenario).is_file() and (work / "krisovning.schema.json").is_file()
    out = cli("validate", scenario).stdout
    assert f"{scenario}: OK – Stormen över Sjöstad" in out and words["valid"] in out, out
    out = cli("preview", scenario, "--runs", "20").stdout
    assert words["preview"] in out, out
    simulated = json.loads(cli("simulate", scenario, "--json").stdout)
    assert simulated["seed"] == 1 and simulated["injects"] > 0 and re.fullmatch(r"[0-9a-f]{64}", simulated["digest"])
    assert simulated["objectives"] and all(
        o["outcome"] in OUTCOMES and "evidence" in o for o in simulated["objectives"]
    )

    # The drill: answer an inject, publish, pause, quit.
    # 20x: the next call (P4, T+8m) rings 18 s after the first inject, when all this is done (at 60x its pop-up
    # could open, on a busy machine, while a text was being typed here and take the keys)
    term = Terminal([checkout.krisovning, "run", scenario, "--speed", "20", "--start-now"], env, cwd=work)
    try:
        term.wait_for(words["inbox"], SCREEN_TIMEOUT)
        term.wait_for("Jonas Berg", SCREEN_TIMEOUT)  # the first inject (T+2m) has arrived: the clock runs
        term.send("\r")  # Enter on the inject: read it and start the reply
        term.wait_for(words["reply_hint"], SCREEN_TIMEOUT)
        term.send(words["reply"])
        term.send(CTRL_S)
        term.wait_for(words["saved"], SCREEN_TIMEOUT)

        mark = term.mark()
        term.send(F4)  # the publish tab, with the channel list in focus
        term.wait_for(words["publish_intro"], SCREEN_TIMEOUT, since=mark)
        term.send(" ")  # tick the first channel (press release); the web notice is ticked already
        term.send("\t")  # on to the text
        term.wait_for(words["publish_hint"], SCREEN_TIMEOUT, since=mark)
        term.send(words["publication"])
        term.send(CTRL_S)
        term.wait_for(words["published"], SCREEN_TIMEOUT, since=mark)

        mark = term.mark()
        term.send(F10)
        term.wait_for(words["paused"], SCREEN_TIMEOUT, since=mark)
        quit_drill(term)
        found = re.search(words["interrupted"], term.text())
        assert found, term.text()[-1500:]
        session = found.group(1)
    finally:
        term.close()
    if sys.platform.startswith("linux"):
        assert user_data_db(home).is_file(), "the journal is in the user data directory"

    out = cli("sessions").stdout
    rows = {line.split()[0]: line for line in out.splitlines()[1:] if line.strip()}
    assert words["status_interrupted"] in rows[session], out
    assert words["status_finished"] in rows[simulated["session"]], out

    # Resume: it opens paused where the drill stopped; F10 lets the clock run again.
    stopped = json.loads(cli("export", session).stdout.splitlines()[0])["exercise_time"]
    term = Terminal(
        [checkout.krisovning, "resume", "--speed", "1"], env, cwd=work
    )  # it ran at 20x; watch the clock at 1x
    try:
        term.wait_for(words["paused"], SCREEN_TIMEOUT)
        term.wait_for(clock(stopped), SCREEN_TIMEOUT)
        term.wait_for("Jonas Berg", SCREEN_TIMEOUT)  # the inbox is rebuilt from the journal
        mark = term.mark()
        term.send(F10)
        term.wait_for(clock(stopped + 2), SCREEN_TIMEOUT, since=mark)  # the clock runs (at 1×)
        quit_drill(term)
        assert re.search(words["interrupted"].replace(r"(\S+)", re.escape(session)), term.text())
    finally:
        term.close()

    # The after-action report, in every format.
    for fmt in ("md", "html", "docx", "json"):
        proc = cli("report", session, "--format", fmt, "-o", f"rapport.{fmt}")
        assert words["report_written"] in proc.stderr, proc.stderr
        assert (work / f"rapport.{fmt}").stat().st_size > 0

    markdown = (work / "rapport.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"# {words['report_title']}"), markdown[:200]
    assert words["preliminary"] in markdown and words["publication"] in markdown

    page = TagBalance()
    page.feed((work / "rapport.html").read_text(encoding="utf-8"))
    page.close()
    assert not page.problems and not page.stack, (page.problems[:5], page.stack)
    assert page.html_lang == words["lang"]
    assert words["report_title"] in "".join(page.text) and words["publication"] in "".join(page.text)

    docx = work / "rapport.docx"
    assert zipfile.is_zipfile(docx)
    with zipfile.ZipFile(docx) as archive:
        assert archive.testzip() is None
        assert {"[Content_Types].xml", "word/document.xml"} <= set(archive.namelist())
        document = ET.fromstring(archive.read("word/document.xml"))
    words_in_docx = "".join(node.text or "" for node in document.iter() if node.tag.endswith("}t"))
    assert words["report_title"] in words_in_docx and words["publication"] in words_in_docx

    model = json.loads((work / "rapport.json").read_text(encoding="utf-8"))
    assert model["language"] == words["lang"] and model["preliminary"] is True
    assert model["overview"]["session_id"] == session and model["overview"]["status"] == "interrupted"
    assert model["objectives"] and all(o["outcome"] in OUTCOMES for o in model["objectives"])

    # The journal as JSON Lines.
    proc = cli("export", session, "-o", "journal.jsonl")
    assert words["export_written"] in proc.stderr, proc.stderr
    lines = [json.loads(line) for line in (work / "journal.jsonl").read_text(encoding="utf-8").splitlines()]
    head, entries = lines[0], lines[1:]
    assert head["type"] == "session" and head["id"] == session and head["status"] == "interrupted"
    assert head["lang"] == words["lang"] and head["team"] == "team"
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    actions = [e["action"] for e in entries if e["kind"] == "action"]
    assert {"kind": "reply", "inject": "larm", "text": words["reply"]} in actions
    publish = next(a for a in actions if a["kind"] == "publish")
    assert publish["text"] == words["publication"] and set(publish["channels"]) == {"web", "press_release"}
    kinds = [a["kind"] for a in actions]
    assert kinds.index("reply") < kinds.index("publish") < kinds.index("pause") < kinds.index("resume")
