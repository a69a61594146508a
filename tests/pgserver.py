"""A PostgreSQL server for the journal tests: KRISOVNING_TEST_PG (an address whose user may create
databases), or a throwaway server initialised in a temporary folder with the distribution's initdb
and pg_ctl (run as an unprivileged user when the tests run as root, as CI does). Each test gets a
database of its own. Without a server the tests that need one skip — but fail when CI=true."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

USER = "nobody"  # who runs a throwaway server when the tests run as root (the server refuses root)
PASSWORD = "krisovning-test-secret"  # a throwaway server asks for it: messages must never show it


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", USER, "--", *argv] if os.geteuid() == 0 else argv


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"no PostgreSQL server for the tests in CI: {reason}")
    pytest.skip(f"no PostgreSQL server: {reason}")


@contextlib.contextmanager
def throwaway_server(*, durable: bool = False) -> Iterator[str]:
    """Start a server in a temporary folder; yields its admin address; stops and removes it after.
    `durable`: fsync as a real server does (a benchmark); tests do without."""
    bindir = _pg_bin()
    if bindir is None:
        unavailable("pg_ctl not found (set KRISOVNING_TEST_PG, or install postgresql)")
    assert bindir is not None
    top = Path(tempfile.mkdtemp(prefix="krisovning-pg-"))
    data, port = top / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(top, USER)
    secret = top / "pw"
    secret.write_text(PASSWORD)
    if os.geteuid() == 0:
        shutil.chown(secret, USER)
    try:
        initdb = [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "scram-sha-256",
            f"--pwfile={secret}",
            "-U",
            "postgres",
        ]
        subprocess.run(
            _as_user([*initdb, "-E", "UTF8", "--no-sync"]),
            check=True,
            capture_output=True,
            cwd=top,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {top}" + ("" if durable else " -c fsync=off")
        subprocess.run(
            _as_user([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(top / "log"), "-w", "start"]),
            check=True,
            capture_output=True,
            cwd=top,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        shutil.rmtree(top, ignore_errors=True)
        detail = getattr(exc, "stderr", b"") or b""
        unavailable(f"{exc} {detail.decode(errors='replace')[-300:]}")
    try:
        yield f"postgresql://postgres:{PASSWORD}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            cwd=top,
        )
        shutil.rmtree(top, ignore_errors=True)


@contextlib.contextmanager
def server() -> Iterator[str]:
    given = os.environ.get("KRISOVNING_TEST_PG")
    if given:
        yield given
        return
    with throwaway_server() as address:
        yield address


def with_database(admin: str, name: str) -> str:
    parts = urlsplit(admin)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


@contextlib.contextmanager
def fresh_database(admin: str) -> Iterator[str]:
    """A new, empty database on the server; dropped afterwards (with whoever is still connected)."""
    import psycopg

    name = "krisovning_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
