"""What an imported MSEL becomes before it is written out: plain data plus the comments
(notes, and TODOs the facilitator must decide) that go beside it in the YAML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from krisovning.msel.times import TimeValue

if TYPE_CHECKING:
    from krisovning.msel.carry import Carried


@dataclass
class Column:
    index: int
    header: str  # as the spreadsheet writes it ("Kolumn 7" when the header cell is empty)
    field: str | None  # None: an unknown column, kept in each inject's note


@dataclass
class DraftInject:
    row: int
    raw_id: str | None
    time: TimeValue | None = None
    condition: str | None = None
    story_time: object = None  # the scenario-time cell beside a send time (read.py), as the sheet has it
    channel: str = "email"
    sender: str = ""
    to: str = ""
    subject: str | None = None
    text: str = ""
    priority: str | None = None
    expect: dict[str, Any] | None = None
    do_not_answer: bool = False
    expect_cell: str = ""  # "Förväntad åtgärd: …" as the sheet has it, for the note if the expectation goes
    note: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    # filled in by resolve.py
    id: str = ""
    at: int | None = None
    after: str | None = None
    when: dict[str, Any] | None = None
    delay: int = 0


@dataclass
class Draft:
    source: str
    title: str
    columns: list[Column]
    injects: list[DraftInject]
    personas: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    default_role: str | None = None
    default_role_rows: int = 0
    default_sender_rows: int = 0
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    start: dt.datetime | None = None
    start_guessed: bool = True
    start_ambiguous: bool = False  # a date such as 03/04/2026 was read as day/month
    start_note: str = ""
    duration: int = 0
    duration_carried: bool = False
    facts: dict[str, str] = field(default_factory=dict)
    topics: list[dict[str, Any]] = field(default_factory=list)  # from the carried block (msel/carry.py)
    objectives: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # general comments at the top of `injects:`
    skipped: list[str] = field(default_factory=list)
    carried: Carried | None = None  # the block an export writes under the injects (msel/carry.py)
