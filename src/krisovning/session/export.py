"""A session's journal as JSON Lines (docs/journal.md describes the fields)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from krisovning.session.chain import Check, Integrity
from krisovning.session.store import JournalError, SessionInfo, SqliteStore

EXPORT_FORMAT = 2  # 2: `integrity` and `chained_since` in the first line, each entry's `link`


def export_lines(store: SqliteStore, info: SessionInfo, check: Check | None = None) -> Iterator[str]:
    """The lines; the first says whether the journal is as recorded (its chain is checked on the way)."""
    check = check or Check(info, store.format)
    entries = []
    for seq, _t, _kind, world_time, wall_time, body, link in check.entries(store.linked_entries(info.id)):
        try:
            event = json.loads(body)
        except ValueError:
            event = None
        if not isinstance(event, dict):
            raise JournalError("journal.bad_value", path=store.path, table="entries", column="body", value=f"seq {seq}")
        entries.append(
            json.dumps(
                {
                    "type": "entry",
                    **event,
                    "world_time": world_time,
                    "wall_time": wall_time,
                    "link": link.hex() if isinstance(link, bytes) else None,
                },
                ensure_ascii=False,
            )
        )
    for _ in check.notes(store.linked_notes(info.id)):
        pass
    integrity: Integrity = check.finish()
    header = {
        "type": "session",
        "export_format": EXPORT_FORMAT,
        **info.public(),
        "scenario_text": info.scenario_text,
        "integrity": integrity.to_dict(),
    }
    yield json.dumps(header, ensure_ascii=False)
    yield from entries
