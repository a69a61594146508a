"""--db and KRISOVNING_DB: a value that looks like an address is never taken as a file path (cli/settings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

SCENARIO = str(Path(__file__).parents[1] / "scenarios" / "dricksvatten.yaml")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("postgresql+psycopg://drill:hemligt@db/ovning", "som postgresql://värd/databas"),
        ("https://example.org/j.db", "börjar med https://"),
    ],
)
def test_an_address_is_refused_in_one_line_and_creates_nothing(run_cli, tmp_path, monkeypatch, value, said):
    monkeypatch.chdir(tmp_path)
    for args in (["sessions", "--db", value], ["simulate", SCENARIO, "--db", value]):
        code, out, err = run_cli(*args)
        assert code == 2 and out == ""
        assert said in err and err.count("\n") == 1 and "hemligt" not in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # no folders named after the address, no journal in them


def test_the_environment_is_named_as_the_source_and_english_is_complete(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KRISOVNING_DB", "postgresql+psycopg://db.example/ovning")
    code, _out, err = run_cli("--lang", "en", "sessions")
    assert code == 2 and err.startswith("krisovning: KRISOVNING_DB: write the PostgreSQL address as postgresql://")
    assert list(tmp_path.iterdir()) == []


def test_a_file_url_names_the_file(run_cli, tmp_path):
    journal = tmp_path / "övningar.db"
    code, _out, err = run_cli("sessions", "--db", journal.as_uri())
    assert code == 1 and "finns inte" in err and str(journal) in err


@pytest.mark.parametrize(
    "value", ["postgresql://drill:hemligt@127.0.0.1:1/ovning", "postgres://drill:hemligt@127.0.0.1:1/ovning"]
)
def test_a_postgresql_address_is_a_server_to_reach_never_a_path(run_cli, tmp_path, monkeypatch, value):
    """Port 1 has no server: the message names the host and the database, never the password."""
    monkeypatch.chdir(tmp_path)
    for args in (["sessions", "--db", value], ["simulate", SCENARIO, "--db", value]):
        code, out, err = run_cli("--lang", "en", *args)
        assert code == 1 and out == ""
        assert err.startswith("krisovning: cannot reach the PostgreSQL server 127.0.0.1 (database ovning")
        assert err.count("\n") == 1 and "hemligt" not in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_refused_login_and_a_missing_database_are_said_as_such(run_cli, pg_server, tmp_path, monkeypatch):
    from urllib.parse import urlsplit, urlunsplit

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    parts = urlsplit(pg_server)
    host = f"{parts.hostname}:{parts.port}"
    wrong = urlunsplit((parts.scheme, f"{parts.username}:fel-hemligt@{host}", "/postgres", "", ""))
    code, _out, err = run_cli("--lang", "en", "sessions", "--db", wrong)
    assert code == 1 and "did not accept the login to the database postgres" in err
    assert "fel-hemligt" not in err and err.count("\n") == 1
    missing = urlunsplit((parts.scheme, parts.netloc, "/finns_inte", "", ""))
    code, _out, err = run_cli("--lang", "en", "sessions", "--db", missing)
    assert code == 1 and "the database finns_inte does not exist on the PostgreSQL server" in err
    assert (parts.password or "\0") not in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
