"""A session's journal as JSON Lines (docs/journal.md describes the fields)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec

from krisovning.engine.actions import decode_action
from krisovning.engine.typed import ActionTaken, decode_event
from krisovning.session.chain import Check, Integrity
from krisovning.session.store import JournalError, SessionInfo, SqliteStore

EXPORT_FORMAT = 3  # 2: `integrity` and `chained_since` in the first line, each entry's `link`; 3: `types`


@dataclass
class TypeCheck:
    """Whether every entry is of its type (engine/typed.py; an action of its kind's struct,
    engine/actions.py). Export still writes a row that is not: it is how an altered journal is inspected."""

    seq: int | None = None  # the first entry that is not
    problem: str = ""

    def entry(self, seq: int, body: str) -> None:
        if self.seq is not None:
            return
        try:
            event = decode_event(body)
            if isinstance(event, ActionTaken):
                decode_action(json.loads(body)["action"])
        except (msgspec.ValidationError, msgspec.DecodeError, ValueError) as exc:
            self.seq, self.problem = seq, str(exc)

    def to_dict(self) -> dict[str, Any]:
        if self.seq is None:
            return {"valid": True, "first_bad": None}
        return {"valid": False, "first_bad": {"seq": self.seq, "problem": self.problem}}


def export_lines(
    store: SqliteStore, info: SessionInfo, check: Check | None = None, types: TypeCheck | None = None
) -> Iterator[str]:
    """The lines; the first says whether the journal is as recorded (its chain is checked on the way)
    and whether each entry is of its type (`types`)."""
    check = check or Check(info, store.format)
    types = types or TypeCheck()
    entries = []
    for seq, _t, _kind, world_time, wall_time, body, link in check.entries(store.linked_entries(info.id)):
        try:
            event = json.loads(body)
        except ValueError:
            event = None
        if not isinstance(event, dict):
            raise JournalError("journal.bad_value", path=store.path, table="entries", column="body", value=f"seq {seq}")
        types.entry(seq, body)
        if event.get("kind") == "post":
            event.setdefault("topics", [])  # journaled only when a post has topics (engine/feed.py)
            event.setdefault("reply_to", None)  # …only when it replies
            event.setdefault("platform", None)  # a journal from before platforms
            event.setdefault("facts", [])
            event.setdefault("repost_of", None)
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
        "types": types.to_dict(),
    }
    yield json.dumps(header, ensure_ascii=False)
    yield from entries
