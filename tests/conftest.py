"""Small shared fixtures: the starter scenario's text and an in-process `krisovning` runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import pytest
from browserkit import open_browser

from krisovning.cli import main
from krisovning.i18n import set_language

STARTER = resources.files("krisovning").joinpath("data/starter.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _swedish_by_default(monkeypatch: pytest.MonkeyPatch):
    """Every test starts in the default language, whatever the developer's shell says."""
    monkeypatch.delenv("KRISOVNING_LANG", raising=False)
    monkeypatch.delenv("KRISOVNING_DEBUG", raising=False)
    set_language("sv")
    yield
    set_language("sv")


@pytest.fixture(autouse=True)
def _own_user_directories(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """The default journal, drafts and settings live in a directory of the test run, never in the
    developer's (a journal there may be of another format: tests would depend on it, and fill it)."""
    home = tmp_path_factory.getbasetemp() / "user"
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    for name in ("KRISOVNING_DB", "KRISOVNING_STATE_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _phones_ring_only_where_tested(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """The call pop-up (tui/call.py) covers the team's screen: only tests marked `calls` see it."""
    if request.node.get_closest_marker("calls") is None:
        from krisovning.tui.call import CallPopups

        monkeypatch.setattr(CallPopups, "ring_calls", lambda self, events: None)


@pytest.fixture
def starter_text() -> str:
    return STARTER


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    """Run `krisovning ARGS...` in this process; returns (exit code, stdout, stderr).

    KRISOVNING_DEBUG=1 makes an unexpected exception propagate (and fail the test) instead of
    being turned into the one-line "internal error" message users see.
    """

    def run(*args: str, debug: bool = True) -> tuple[int, str, str]:
        if debug:
            monkeypatch.setenv("KRISOVNING_DEBUG", "1")
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A browser context (tests/browserkit.py), module-wide: chromium takes seconds to start."""
    yield from open_browser(tmp_path_factory.mktemp("profile"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The admin address of a PostgreSQL server (tests/pgserver.py); skips without one, fails in CI."""
    from pgserver import server

    with server() as address:
        yield address


@pytest.fixture
def pg_db(pg_server: str) -> Iterator[str]:
    """The address of a new, empty database of its own on that server."""
    from pgserver import fresh_database

    with fresh_database(pg_server) as address:
        yield address


@pytest.fixture(params=["sqlite", "pg"])
def journal_db(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """Where a journal test keeps its journal, once per backend: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "x.db")
    return str(request.getfixturevalue("pg_db"))
