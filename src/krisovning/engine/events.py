"""What the engine delivers: an ordered stream of events, each with a canonical JSON form."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any, NamedTuple

import orjson

from krisovning.vocab import EventKind

# Event kinds, as plain str (`.value`): the hot path hashes and serialises them, and a str does
# both in C where an enum member would not.
INJECT = EventKind.inject.value
POST = EventKind.post.value
ACTION = EventKind.action.value
MET = EventKind.expectation_met.value
MISSED = EventKind.expectation_missed.value
SAMPLE = EventKind.social_sample.value
SOCIAL_EFFECT = EventKind.social_effect.value
SOCIAL_CAPPED = EventKind.social_capped.value
END = EventKind.drill_end.value
FACT_PUBLIC = EventKind.fact_public.value
CALL_MISSED = EventKind.call_missed.value


class Event(NamedTuple):
    seq: int
    t: float  # exercise seconds since T+0
    kind: str
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        # made by copying the payload (it holds no seq, t or kind): ~1/3 cheaper than a merged
        # literal, and a resume canonicalises every journaled event
        out = self.data.copy()
        out["seq"] = self.seq
        out["t"] = round(float(self.t), 3)
        out["kind"] = self.kind
        return out

    def canonical(self) -> str:
        """Compact JSON with sorted keys: the form that is journaled, verified and digested."""
        return self.canonical_bytes().decode()

    def canonical_bytes(self) -> bytes:
        # orjson is ~12x faster than the standard library (the journal's and resume's hot path)
        return orjson.dumps(self.to_dict(), option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Event:
        data = {k: v for k, v in row.items() if k not in ("seq", "t", "kind")}
        return cls(int(row["seq"]), float(row["t"]), str(row["kind"]), data)


# Event((seq, t, kind, data)) without the Python-level __new__ of a NamedTuple: the feed's hot path
# makes one per post, and this saves a function frame each time.
new_event = partial(tuple.__new__, Event)


class Digest:
    """sha256 over the canonical lines of a delivered event stream."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def update(self, event: Event) -> None:
        self._hash.update(event.canonical_bytes())
        self._hash.update(b"\n")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def digest_of(events: list[Event]) -> str:
    digest = Digest()
    for event in events:
        digest.update(event)
    return digest.hexdigest()
