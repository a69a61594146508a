"""Typed events: msgspec tagged structs vs a pydantic discriminated union, on the journal benchmark's rows.

Makes the heavy drill of bench_journal.py (≥ 100,000 events), then times decoding and validating
every canonical row (what a resume, report or export reads) into its typed form, each way: the
median of RUNS. Also checks both accept every row (no figure without the same work).
Run: python bench/bench_typed.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from krisovning.engine import Drill
from krisovning.engine.policies import make_policy
from krisovning.engine.typed import TypedEvent
from krisovning.scenario import load_scenario_bytes

RUNS = 5


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class PAction(_M):
    kind: str
    text: str = ""
    role: str | None = None
    inject: str | None = None
    post: str | None = None
    channels: tuple[str, ...] = ()
    checklist: str | None = None
    item: str | None = None
    speed: float | None = None
    fields: dict[str, str] = {}


class PSender(_M):
    id: str
    kind: str
    name: str
    title: str | None = None
    organisation: str | None = None
    outlet: str | None = None
    phone: str | None = None
    email: str | None = None
    handle: str | None = None


class PExpect(_M):
    action: str
    within: int
    deadline: float
    description: str | None = None
    channels: tuple[str, ...] = ()


class PInject(_M):
    kind: Literal["inject"]
    seq: int
    t: float
    id: str
    source: str
    channel: str
    sender: PSender
    to: str
    text: str
    priority: str
    world_time: str
    subject: str | None = None
    expect: PExpect | None = None
    note: str | None = None
    objectives: tuple[str, ...] = ()


class PPost(_M):
    kind: Literal["post"]
    seq: int
    t: float
    id: str
    thread: str
    category: str
    sentiment: str
    author: str
    handle: str
    text: str


class PActionTaken(_M):
    kind: Literal["action"]
    seq: int
    t: float
    action: PAction
    response: float | None = None
    public: bool | None = None


class PMet(_M):
    kind: Literal["expectation_met"]
    seq: int
    t: float
    inject: str
    action: int
    response: float


class PMissed(_M):
    kind: Literal["expectation_missed"]
    seq: int
    t: float
    inject: str
    deadline: float


class PSample(_M):
    kind: Literal["social_sample"]
    seq: int
    t: float
    rate: float
    posts: int
    rumour_share: float
    negative_share: float
    threads: dict[str, float] = {}


class PEffect(_M):
    kind: Literal["social_effect"]
    seq: int
    t: float
    thread: str
    cause: str
    spike: int | None = None
    branching: float | None = None
    baseline_factor: float | None = None


class PCapped(_M):
    kind: Literal["social_capped"]
    seq: int
    t: float
    max_posts: int


class PEnd(_M):
    kind: Literal["drill_end"]
    seq: int
    t: float
    reason: str
    world_time: str


PTyped = Annotated[
    PInject | PPost | PActionTaken | PMet | PMissed | PSample | PEffect | PCapped | PEnd,
    Field(discriminator="kind"),
]


def rows() -> list[bytes]:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_journal import heavy_text  # the journal benchmark's drill

    scenario = load_scenario_bytes(heavy_text().encode(), "heavy.yaml")
    drill = Drill(scenario, seed=1, policy=make_policy("realistic"))
    drill.advance(10**9)
    return [e.canonical_bytes() for e in drill.drain()]


def timed(label: str, decode: Any, lines: list[bytes]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        for line in lines:
            decode(line)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"{label:<34} {median * 1000:8.1f} ms  ({median / len(lines) * 1e6:.2f} µs per row)")
    return median


def main() -> None:
    lines = rows()
    kinds: dict[str, int] = {}
    for line in lines:
        kind = msgspec.json.decode(line)["kind"]
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"{len(lines)} journaled rows: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    decoder = msgspec.json.Decoder(TypedEvent)
    adapter: TypeAdapter[Any] = TypeAdapter(PTyped)
    base = timed("json only (msgspec, untyped)", msgspec.json.decode, lines)
    ms = timed("msgspec tagged structs", decoder.decode, lines)
    pd = timed("pydantic discriminated union", adapter.validate_json, lines)
    print(
        f"pydantic / msgspec: {pd / ms:.1f}x; typed over untyped: msgspec +{(ms - base) * 1000:.0f} ms,"
        f" pydantic +{(pd - base) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
