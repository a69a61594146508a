"""--db and KRISOVNING_DB: a value that looks like an address is never taken as a file path (cli/settings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

SCENARIO = str(Path(__file__).parents[1] / "scenarios" / "dricksvatten.yaml")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("postgresql://drill:hemligt@db.example/ovning", "PostgreSQL stöds inte"),
        ("postgres://db.example/ovning", "PostgreSQL stöds inte"),
        ("postgresql+psycopg://db/ovning", "PostgreSQL stöds inte"),
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
    monkeypatch.setenv("KRISOVNING_DB", "postgresql://db.example/ovning")
    code, _out, err = run_cli("--lang", "en", "sessions")
    assert code == 2 and err.startswith("krisovning: KRISOVNING_DB: a journal in PostgreSQL is not supported")
    assert list(tmp_path.iterdir()) == []


def test_a_file_url_names_the_file(run_cli, tmp_path):
    journal = tmp_path / "övningar.db"
    code, _out, err = run_cli("sessions", "--db", journal.as_uri())
    assert code == 1 and "finns inte" in err and str(journal) in err
