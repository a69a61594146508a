"""Helpers for journal tests (none is a test itself)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from krisovning.session.chain import scenario_hash
from krisovning.session.migrate import link_all


def reseal(db: Path) -> None:
    """Recompute every link and seal from what the journal at `db` holds now: what someone with
    krisovning's code can do after a hand edit (the chain is tamper-evident, not tamper-proof).
    Tests use it to reach the checks that come after the chain (replay, row shapes), and to stand
    for a power cut, which loses whole transactions — rows, clock and seal together."""
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as con:
        con.execute("BEGIN")
        for rowid, text in con.execute("SELECT rowid, scenario_text FROM sessions").fetchall():
            if isinstance(text, str):
                con.execute("UPDATE sessions SET scenario_hash = ? WHERE rowid = ?", (scenario_hash(text), rowid))
        link_all(con)
        con.execute("COMMIT")
