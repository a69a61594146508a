"""A session's journal as JSON Lines (docs/journal.md describes the fields)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from krisovning.session.store import JournalError, SessionInfo, SqliteStore

EXPORT_FORMAT = 1


def export_lines(store: SqliteStore, info: SessionInfo) -> Iterator[str]:
    header = {"type": "session", "export_format": EXPORT_FORMAT, **info.public(), "scenario_text": info.scenario_text}
    yield json.dumps(header, ensure_ascii=False)
    for seq, t, kind, world_time, wall_time, body in store.entries(info.id):
        try:
            event = json.loads(body)
        except ValueError:
            event = None
        if not isinstance(event, dict):
            raise JournalError("journal.bad_value", path=store.path, table="entries", column="body", value=f"seq {seq}")
        yield json.dumps({"type": "entry", **event, "world_time": world_time, "wall_time": wall_time},
                         ensure_ascii=False)
