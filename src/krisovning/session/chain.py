"""Tamper evidence for the journal (docs/journal.md, "Ändringar i efterhand").

Every entry and every facilitator note carries a link: sha256 over the link before it and the
row's exact stored values. A session's first entry follows its anchor, a hash over the drill's
fixed details (scenario hash, seed, team …); its seal is a hash over the anchor, the last link
and the number of rows of each chain, and the values that change in place (the clock, the
status, the end time). Changing, inserting, removing or reordering any of that by hand breaks a
link or the seal. Anyone with this code can compute a whole new chain: it makes hand edits
evident, it signs nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from krisovning.i18n import t

if TYPE_CHECKING:  # store imports this module: the type only, for the checker
    from krisovning.session.store import SessionInfo

_sha = hashlib.sha256
ANCHOR_TAG = b"krisovning/anchor/1\n"
NOTES_TAG = b"krisovning/notes/1\n"
SEAL_TAG = b"krisovning/seal/1\n"
MAX_PROBLEMS = 8  # listed; the rest are counted

INTACT, ALTERED, UNCHAINED = "intact", "altered", "unchained"

Entry = tuple[int, float, str, str, str, str]  # seq, t, kind, world_time, wall_time, body
LinkedEntry = tuple[int, float, str, str, str, str, Any]  # … and the stored link
LinkedNote = tuple[str, str, str, Any]  # kind, body (JSON text), created_at, the stored link


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text(value: str) -> str:
    # length first: two rows whose values differ can never hash the same bytes by moving a boundary
    return f"{len(value)}:{value}"


def scenario_hash(text: str) -> str:
    return hashlib.sha256(_bytes(text)).hexdigest()


def anchor(info: SessionInfo) -> bytes:
    texts = (
        info.id,
        info.scenario_id,
        info.scenario_title,
        info.scenario_file,
        info.scenario_hash,
        info.team,
        info.engine_version,
        info.lang,
        info.started_at,
        info.chained_since or "",
    )
    return _sha(ANCHOR_TAG + _bytes(f"{info.seed}|{info.journal_format}|" + "|".join(map(_text, texts)))).digest()


def link(prev: bytes, seq: int, t: float, kind: str, world_time: str, wall_time: str, body: str) -> bytes:
    return _sha(
        prev
        + f"{seq}|{t!r}|{len(kind)}:{kind}|{len(world_time)}:{world_time}|{len(wall_time)}:{wall_time}|"
        f"{len(body)}:{body}".encode("utf-8", "surrogatepass")
    ).digest()


def notes_start(anchor_: bytes) -> bytes:
    return _sha(NOTES_TAG + anchor_).digest()


def note_link(prev: bytes, kind: str, body: str, created_at: str) -> bytes:
    return _sha(prev + _bytes(f"{_text(kind)}|{_text(body)}|{_text(created_at)}")).digest()


def seal(chain: Chain, exercise_time: float, status: str, ended_at: str | None) -> bytes:
    ended = "-" if ended_at is None else _text(ended_at)
    values = f"{chain.count}|{chain.notes_count}|{float(exercise_time)!r}|{_text(status)}|{ended}"
    return _sha(SEAL_TAG + chain.anchor + chain.head + chain.notes_head + _bytes(values)).digest()


@dataclass(frozen=True)
class Chain:
    """Where a session's chains end: what the next row links to, and what the seal covers."""

    anchor: bytes
    head: bytes
    count: int
    notes_head: bytes
    notes_count: int

    @classmethod
    def start(cls, anchor_: bytes) -> Chain:
        return cls(anchor_, anchor_, 0, notes_start(anchor_), 0)

    def extended(self, rows: list[Entry]) -> tuple[list[LinkedEntry], Chain]:
        """The rows with their links, and the chain after them (the caller keeps it once they are stored)."""
        head = self.head
        out = []
        for row in rows:
            head = link(head, *row)
            out.append((*row, head))
        return out, Chain(self.anchor, head, self.count + len(rows), self.notes_head, self.notes_count)

    def with_note(self, kind: str, body: str, created_at: str) -> tuple[bytes, Chain]:
        head = note_link(self.notes_head, kind, body, created_at)
        return head, Chain(self.anchor, self.head, self.count, head, self.notes_count + 1)


@dataclass
class Integrity:
    """What checking a session's chains found."""

    state: str = INTACT  # intact | altered | unchained (a journal from before format 2, read as it is)
    problems: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # catalogue keys and fields
    more: int = 0  # problems found beyond those listed
    chained_since: str | None = None  # a journal upgraded from format 1: checked from then on
    entries: int = 0
    notes: int = 0

    def messages(self) -> list[str]:
        out = [t(key, **fields) for key, fields in self.problems]
        if self.more:
            out.append(t("integrity.more", n=self.more))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "problems": self.messages(),
            "chained_since": self.chained_since,
            "entries": self.entries,
            "notes": self.notes,
        }


class Check:
    """Follows one session's chains while its rows are read, so that a resume or a report reads
    each row once: wrap the rows in `entries()` and `notes()`, then call `finish()`."""

    def __init__(self, info: SessionInfo, journal_format: int) -> None:
        self.info = info
        self.result = Integrity(chained_since=getattr(info, "chained_since", None))
        self.active = journal_format >= 2
        if not self.active:
            self.result.state = UNCHAINED
            return
        if scenario_hash(info.scenario_text) != info.scenario_hash:
            self._problem("integrity.scenario")
        computed = anchor(info)
        stored = info.anchor if isinstance(info.anchor, bytes) else None
        if stored != computed:
            self._problem("integrity.details")
        self.anchor = stored or computed
        self.head, self.count = self.anchor, 0
        self.notes_head, self.notes_count = notes_start(self.anchor), 0

    def _problem(self, key: str, **fields: Any) -> None:
        if len(self.result.problems) < MAX_PROBLEMS:
            self.result.problems.append((key, fields))
        else:
            self.result.more += 1

    def entries(self, rows: Iterable[LinkedEntry]) -> Iterator[LinkedEntry]:
        for row in rows:
            self.result.entries += 1
            if self.active:
                seq, stored = row[0], row[6]
                if seq != self.count + 1:
                    self._problem("integrity.order", seq=seq, expected=self.count + 1)
                elif not isinstance(stored, bytes) or link(self.head, *row[:6]) != stored:
                    self._problem("integrity.entry", seq=seq)
                self.count = seq
                self.head = stored if isinstance(stored, bytes) else b""
            yield row

    def notes(self, rows: Iterable[LinkedNote]) -> Iterator[LinkedNote]:
        for row in rows:
            self.result.notes += 1
            if self.active:
                self.notes_count += 1
                kind, body, created_at, stored = row
                if not isinstance(stored, bytes) or note_link(self.notes_head, kind, body, created_at) != stored:
                    self._problem("integrity.note", n=self.notes_count)
                self.notes_head = stored if isinstance(stored, bytes) else b""
            yield row

    def chain(self) -> Chain:
        """Where the chains end, as stored: what a writer continues from (after an intact `finish`)."""
        return Chain(self.anchor, self.head, self.count, self.notes_head, self.notes_count)

    def finish(self) -> Integrity:
        info = self.info
        if self.active:
            if info.seal != seal(self.chain(), info.exercise_time, info.status, info.ended_at):
                self._problem("integrity.seal", seq=self.count, notes=self.notes_count)
            self.result.state = ALTERED if self.result.problems else INTACT
        return self.result
