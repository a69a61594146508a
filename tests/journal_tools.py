"""Helpers for journal tests (none is a test itself); each takes a SQLite file or a PostgreSQL address."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from krisovning.session.chain import scenario_hash
from krisovning.session.migrate import link_all
from krisovning.session.store import is_address


class _PgAsSqlite:
    """What link_all asks of a sqlite3 connection, on a psycopg one (tests only)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Any = ()) -> Any:
        if sql.startswith("PRAGMA table_info(sessions)"):
            rows = self.connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'sessions' "
                "AND table_schema = current_schema() AND column_name <> 'rowid' ORDER BY ordinal_position"
            ).fetchall()
            return [(i, name) for i, (name,) in enumerate(rows)]
        if sql == "SELECT * FROM sessions":
            names = [row[1] for row in self.execute("PRAGMA table_info(sessions)")]
            sql = f"SELECT {', '.join(names)} FROM sessions ORDER BY rowid"
        # without parameters nothing in the text is a placeholder (a LIKE '%…%' stays as written)
        return self.connection.execute(re.sub(r"\?", "%s", sql), params or None)


@contextlib.contextmanager
def connection(db: Path | str) -> Iterator[Any]:
    """A connection to the journal that edits as a person with a database tool would: one transaction."""
    if is_address(db):
        import psycopg

        with psycopg.connect(str(db)) as con, con.transaction():
            yield _PgAsSqlite(con)
        return
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as con:
        con.execute("BEGIN")
        yield con
        con.execute("COMMIT")


def sql(db: Path | str, statement: str, params: Any = ()) -> list[Any]:
    """Run one statement on the journal (written with `?` marks); the rows it gives."""
    with connection(db) as con:
        cursor = con.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else []


def reseal(db: Path | str) -> None:
    """Recompute every link and seal from what the journal at `db` holds now: what someone with
    krisovning's code can do after a hand edit (the chain is tamper-evident, not tamper-proof).
    Tests use it to reach the checks that come after the chain (replay, row shapes), and to stand
    for a power cut, which loses whole transactions — rows, clock and seal together."""
    with connection(db) as con:
        for key, text in con.execute("SELECT id, scenario_text FROM sessions").fetchall():
            if isinstance(text, str):
                con.execute("UPDATE sessions SET scenario_hash = ? WHERE id = ?", (scenario_hash(text), key))
        link_all(con)
