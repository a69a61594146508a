"""`krisovning host` and `krisovning seat` from the command line (cli/commands_team.py, cli/host_log.py):
the host as a process without a terminal, its invitations and seat lines, stopping and resuming it,
and every way a seat can fail to open — one line, an exit code, no traceback."""

from __future__ import annotations

import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hostproc import SCENARIO, Host, env

from krisovning.session.follower import SeatLink
from krisovning.session.relay import Relay
from krisovning.session.seats import Seat
from krisovning.session.store import SqliteStore


@pytest.fixture
def hosts():
    started: list[Host] = []

    def start(*args: str) -> Host:
        host = Host(*args)
        started.append(host)
        return host

    yield start
    for host in started:
        if host.proc.poll() is None:
            host.proc.kill()
            host.proc.wait(timeout=30)


def krisovning(*args: str, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "krisovning", *args], stdin=stdin, capture_output=True, text=True, env=env(), timeout=60
    )


def one_line_error(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr and "internt fel" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr


def status(db: Path, session: str) -> str:
    store = SqliteStore.open(db, write=False)
    try:
        return next(info.status for info in store.sessions() if info.id == session)
    finally:
        store.close()


def test_the_host_invites_every_seat_says_who_connects_and_is_left_interrupted_when_stopped(tmp_path, hosts):
    db = tmp_path / "j.db"
    host = hosts(SCENARIO, "--seed", "7", "--speed", "60", "--db", str(db))
    session = host.session()
    invites = [shlex.split(line) for line in host.lines if "krisovning seat " in line]
    options = [words[3:] for words in invites]
    assert ["--role", "presssekreterare", "--db", str(db.absolute())] in options  # not the default journal: named
    assert ["--facilitator", "--db", str(db.absolute())] in options
    assert ["--observer", "--db", str(db.absolute())] in options
    host.wait_for("Övningsledare:")
    link = SeatLink.open(db, session, Seat.team(["presssekreterare"]))  # a seat comes
    try:
        host.wait_for("Presssekreterare: ansluten")
    finally:
        link.close(interrupted=False)
    assert host.stop(signal.SIGTERM) == 0
    assert f"krisovning host --resume {session}" in host.lines[-1]
    assert status(db, session) == "interrupted"


def test_a_stopped_host_is_resumed_and_a_second_host_is_refused(tmp_path, hosts):
    db = tmp_path / "j.db"
    first = hosts(SCENARIO, "--speed", "60", "--db", str(db))
    session = first.session()
    assert first.stop(signal.SIGINT) == 0
    again = hosts("--resume", session, "--db", str(db))
    again.wait_for("krisovning seat ")
    assert again.session() == session
    second = krisovning("host", "--resume", session, "--db", str(db))
    one_line_error(second, 1, session)
    assert again.stop() == 0


def test_seats_that_cannot_open_say_why_in_one_line(tmp_path, hosts):
    db = tmp_path / "j.db"
    host = hosts(SCENARIO, "--db", str(db))
    session = host.session()
    one_line_error(krisovning("seat", session, "--role", "nobody", "--db", str(db)), 1, "nobody", "presssekreterare")
    one_line_error(krisovning("seat", session, "--role", "a+b", "--db", str(db)), 2, "a+b")
    one_line_error(krisovning("seat", session, "--token", "not-a-token", "--db", str(db)), 1, session)
    one_line_error(krisovning("seat", "nosuch", "--observer", "--db", str(db)), 1, "nosuch")
    one_line_error(krisovning("seat", session, "--observer", "--db", str(tmp_path / "none.db")), 1, "none.db")
    unnamed = krisovning("seat", session, "--db", str(db))  # argparse's usage and one line of error
    assert unnamed.returncode == 2 and "--facilitator" in unnamed.stderr.splitlines()[-1]
    # a seat of two roles is a seat the host was not offering: it is listed from then on
    both = krisovning("seat", session, "--role", "presssekreterare", "--role", "webbredaktor", "--db", str(db))
    one_line_error(both, 1, "terminal")  # no terminal here, but the seat was named
    store = SqliteStore.open(db, write=False)
    try:
        assert "presssekreterare+webbredaktor" in {seen.seat for seen in Relay(store, session).seats()}
    finally:
        store.close()
    host.stop()
    assert not (tmp_path / "none.db").exists()


def test_a_seat_of_a_drill_no_host_ran_is_refused(tmp_path):
    db = tmp_path / "j.db"
    done = krisovning("simulate", SCENARIO, "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    one_line_error(krisovning("seat", "latest", "--observer", "--db", str(db)), 1, "krisovning host")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ([], "--resume"),
        ([SCENARIO, "--resume"], "--resume"),
        (["--resume", "--seed", "3"], "--seed"),
        ([SCENARIO, "--speed", "0"], ""),
        ([SCENARIO, "--listen", "nohost"], "nohost"),
    ],
)
def test_host_usage_errors(tmp_path, args, needle):
    one_line_error(krisovning("host", *args, "--db", str(tmp_path / "j.db")), 2, needle)
    assert not (tmp_path / "j.db").exists()  # nothing recorded


def test_the_invitation_leaves_out_the_default_journal(tmp_path):
    from krisovning.scenario import load_scenario
    from krisovning.session.relay import SeatSeen
    from krisovning.session.roster import invitations

    scenario = load_scenario(SCENARIO)
    seats = [SeatSeen("presssekreterare", "t", None, None), SeatSeen("facilitator", "u", None, None)]
    plain = invitations(scenario, "s1", seats, None)
    assert [i.command for i in plain] == [
        "krisovning seat s1 --role presssekreterare",
        "krisovning seat s1 --facilitator",
    ]
    spaced = invitations(scenario, "s1", seats, Path("/a b/j.db"))
    assert shlex.split(spaced[0].command)[-2:] == ["--db", "/a b/j.db"]
    assert [i.label for i in plain] == ["Presssekreterare", "Övningsledare"]


def test_the_host_serves_each_seat_in_a_browser_with_web(tmp_path, hosts):
    import urllib.error
    import urllib.request

    db = tmp_path / "j.db"
    host = hosts(SCENARIO, "--web", "--db", str(db))
    host.wait_for("http://127.0.0.1:")
    urls = [line.strip() for line in host.lines if line.strip().startswith("http://")]
    assert len(urls) == len([line for line in host.lines if "krisovning seat " in line]) == 7
    with urllib.request.urlopen(urls[1], timeout=30) as page:  # the second role's seat
        assert page.status == 200 and "Presssekreterare" in page.read().decode("utf-8")
    with pytest.raises(urllib.error.HTTPError) as wrong:
        urllib.request.urlopen(urls[1].rsplit("/", 1)[0] + "/not-a-token", timeout=30)
    assert wrong.value.code == 403
    assert "TLS" not in host.text()  # on this computer only: no warning
    assert host.stop() == 0


def test_a_resumed_host_serves_the_browser_seats_where_they_were(tmp_path, hosts):
    """A reload after `host --resume` finds its seat again: same address, same token (a crash kept both)."""
    import socket

    db = tmp_path / "j.db"
    first = hosts(SCENARIO, "--web", "--speed", "60", "--db", str(db))
    first.wait_for("http://127.0.0.1:")
    session = first.session()
    urls = [line.strip() for line in first.lines if line.strip().startswith("http://")]
    assert first.stop(signal.SIGKILL) != 0  # a crash: its server ends with the pipe to it
    again = hosts("--resume", session, "--web", "--db", str(db))
    again.wait_for("http://127.0.0.1:")
    assert [line.strip() for line in again.lines if line.strip().startswith("http://")] == urls
    assert again.stop() == 0
    # the address taken by someone else meanwhile: new addresses, and the host says so
    port = int(urls[0].split(":")[2].split("/")[0])
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        third = hosts("--resume", session, "--web", "--db", str(db))
        third.wait_for("http://127.0.0.1:")
        assert "upptagen" in third.text()
        moved = [line.strip() for line in third.lines if line.strip().startswith("http://")]
        assert moved and moved[0] != urls[0] and moved[0].endswith(urls[0].rsplit("/", 1)[1])
        assert third.stop() == 0


def test_a_host_listening_beyond_this_computer_says_to_put_it_behind_tls(tmp_path, hosts):
    host = hosts(SCENARIO, "--listen", "0.0.0.0:0", "--db", str(tmp_path / "j.db"))
    host.wait_for("TLS")
    assert host.stop() == 0


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_on_a_terminal_the_host_shows_its_console_and_ctrl_q_leaves_the_drill_interrupted(tmp_path):
    from ptyterm import CTRL_Q, Terminal

    db = tmp_path / "j.db"
    term = Terminal([sys.executable, "-m", "krisovning", "host", SCENARIO, "--db", str(db)], {**env(), "TERM": "xterm"})
    try:
        term.wait_for("Anslutning")  # the seats' table
        term.wait_for("--facilitator")  # the invitations
        term.send(CTRL_Q)
        assert term.wait_exit() == 0
        assert "krisovning host --resume" in term.text()
    finally:
        term.close()
    store = SqliteStore.open(db, write=False)
    try:
        assert [info.status for info in store.sessions()] == ["interrupted"]
    finally:
        store.close()
