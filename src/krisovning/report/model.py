"""The after-action report as data (HSEEP AAR/IP ↔ utvärderingsrapport; sections in report/view.py).

The inputs a caller gives (`ReportMeta`, `FacilitatorNotes`, `PlanRow`) are plain
dataclasses; the report itself is a pydantic model, so that its JSON form is the full
model and its JSON Schema (schema/report.schema.json) is generated from the code.
Times are exercise seconds since T+0 unless a field name says otherwise; codes
(channels, outcomes, statuses) stay codes and are translated when rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, Final, Literal

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

REPORT_FORMAT: Final = 1
Status = Literal["finished", "interrupted", "running"]
OutcomeCode = Literal["met", "partly_met", "not_met", "not_assessed"]


# --- what the caller gives ---


@dataclass
class PlanRow:
    """One row of the improvement plan (åtgärdsförslag): area, action, owner, due date."""

    area: str
    action: str
    owner: str = ""
    due: str | date = ""


@dataclass
class FacilitatorNotes:
    """Hot-wash input from the facilitator (genomgång efter övning)."""

    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    plan: list[PlanRow] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)  # decisions asked of the management group


@dataclass
class ReportMeta:
    session_id: str
    started: datetime | None = None  # wall clock
    ended: datetime | None = None
    status: str = "finished"  # finished | interrupted | running (the last two: preliminary)
    seed: int = 0
    team: str = "team"  # a bot policy's name, or "team" for people
    notes: FacilitatorNotes = field(default_factory=FacilitatorNotes)
    integrity: str = "intact"  # what checking the journal's chain found: intact | altered | unchained
    integrity_problems: list[str] = field(default_factory=list)  # translated
    chained_since: str | None = None  # a journal from before the chain: checked from then on
    journaled: dict[int, str] = field(default_factory=dict)  # an action entry's seq → when it was journaled (ISO)
    participants: list[str] = field(default_factory=list)  # who took part, as recorded when the drill started
    created: datetime | None = None  # when the report is made (the document's creation date); None: now
    stored_notes: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # the notes table (kind, body)


# --- the report ---


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Sparse(Part):
    """A part with fields left out of its dumped and JSON forms when empty (None, []), as the journal leaves
    a solo drill's actions without seat and send time: a solo drill's report reads as it always did."""

    omitted_when_empty: ClassVar[frozenset[str]] = frozenset()

    # no return annotation: pydantic would take it for the JSON Schema of the part (report_schema)
    @model_serializer(mode="wrap")
    def _without_empty(self, handler: SerializerFunctionWrapHandler):
        data = handler(self)
        for name in self.omitted_when_empty:
            if data.get(name) in (None, []):
                del data[name]
        return data


class Overview(Part):
    session_id: str
    scenario_id: str
    scenario_version: str = ""  # a digest of the scenario's content (report/build.py `scenario_version`)
    title: str
    organisation: str
    description: str | None = None
    date: str | None = None  # the day the drill was held (wall clock), YYYY-MM-DD
    started: str | None = None  # wall clock, ISO 8601
    ended: str | None = None
    planned_duration: float  # seconds, from the scenario
    duration: float  # seconds of exercise time actually played
    world_start: str  # in-world date and time at T+0, ISO 8601
    seed: int
    roles: list[str]
    team: str
    status: Status
    preliminary: bool
    injects: int
    social_posts: int
    team_actions: int
    # the front page (scenario's `exercise:`; participants: recorded at the start, or a team drill's seats)
    exercise_type: str | None = None
    purpose: str | None = None
    organisations: list[str] = []
    facilitator: str | None = None
    evaluators: list[str] = []
    participants: list[str] = []
    engine_version: str = ""
    created: str | None = None  # when the report was made (wall clock, ISO 8601)


class JournalIntegrity(Part):
    """Whether the journal the report comes from is as it was recorded (session/chain.py)."""

    state: Literal["intact", "altered", "unchained"]
    problems: list[str] = []  # what differs, in words
    chained_since: str | None = None  # upgraded from format 1 then: edits before it cannot be detected


class Stats(Part):
    key: str  # a channel code or a role id ("" for the total)
    label: str  # the role's name; channels are translated when rendered
    count: int
    answered: int
    median: float | None = None
    p90: float | None = None
    worst: float | None = None
    missed: int


class MissedCallRow(Part):
    """The calls of one caller to one role, and how many of them rang out (metrics/calls.py)."""

    role: str  # the role's id
    role_name: str
    caller: str
    calls: int
    missed: int


class CallFigures(Part):
    calls: int  # every call on the phone channel
    missed: int
    missed_by: list[MissedCallRow]  # per role and caller, those with a missed call, most missed first


class ObjectiveRow(Sparse):
    id: str
    title: str
    description: str | None = None
    criterion: str = ""  # what the objective asks, in words (metrics/criteria.py)
    type: str
    outcome: OutcomeCode  # the rating that counts: the evaluator's, else the automatic one
    automatic: OutcomeCode | None = None  # what the figures say (kept beside an evaluator's rating)
    reason: str | None = None  # the evaluator's reason, when the rating is theirs
    evidence_text: str
    evidence: dict[str, Any]
    observations: list[LogEntry] = []  # an evaluator's observations on this objective

    omitted_when_empty = frozenset({"observations", "reason"})


class TimelineRow(Sparse):
    inject: str
    t: float
    world_time: str  # HH:MM in the exercise world
    source: str  # scripted | generated | adhoc
    channel: str
    sender: str
    receiver: str  # the receiving role's name
    priority: str
    subject: str  # the subject, or the text's first line (shortened)
    expected: str | None = None  # the expected action's code
    within: float | None = None
    response: float | None = None  # seconds from arrival to the reply (or the action that met it)
    # none: nothing expected, no reply; broken: a hold a publication broke (engine/content.py)
    status: Literal["met", "missed", "broken", "answered", "open", "none"]
    replied_role: str | None = None  # a team drill: the role that replied (its name) and its seat
    replied_seat: str | None = None

    omitted_when_empty = frozenset({"replied_role", "replied_seat"})


class FirstMessage(Part):
    first: float | None = None  # seconds to the first public message
    norm: float  # seconds
    norm_source: Literal["objective", "default"]
    within_norm: bool
    channels: list[str] = []
    text: str | None = None


class MessageQuality(Part):
    """How a public message reads (metrics/quality.py): LIX, sentence length, the key message's elements
    it has and lacks (their titles), the words to avoid it uses; against the scenario's targets."""

    lix: float
    lix_target: int
    words: int
    sentences: int
    mean_sentence: float
    longest_sentence: int
    sentence_target: int
    elements: list[str] = []
    missing: list[str] = []
    avoid: list[str] = []


class Publication(Sparse):
    t: float
    channels: list[str]
    role: str
    public: bool
    text: str
    seat: str | None = None  # a team drill: the seat it came from
    quality: MessageQuality | None = None  # a public message's

    omitted_when_empty = frozenset({"seat", "quality"})


class PressurePoint(Part):
    t: float
    rate: float  # posts per hour implied by the model at t
    posts: int  # posts in the minute before t
    rumour_share: float
    negative_share: float


class RatePoint(Part):
    """The peak measure over time: posts per hour averaged over the window up to t (metrics/figures.py)."""

    t: float
    rate: float
    rumour: float


class Pressure(Part):
    points: list[PressurePoint]
    posts: int
    rumour_posts: int
    peak_rate: float  # posts per hour averaged over the busiest `window` (15 minutes)
    peak_at: float | None = None  # start of that window
    rumour_peak: float  # rumour posts per hour averaged over the busiest `rumour_window` (the objective's)
    rumour_peak_at: float | None = None
    max_rumour_share: float
    publications: list[float]  # times of the team's public messages
    window: float = 900.0  # seconds: the peak measure's window
    rumour_window: float = 900.0
    rumour_below: float | None = None  # a rumour_peak objective's threshold (posts per hour), drawn on the chart
    curve: list[RatePoint] = []  # the measure over the drill: its highest points are the peaks


class ChecklistItemRow(Sparse):
    id: str
    text: str
    due: float | None = None
    ticked: float | None = None
    late: bool
    ticked_role: str | None = None  # a team drill: who ticked it (the role's name) and from which seat
    ticked_seat: str | None = None

    omitted_when_empty = frozenset({"ticked_role", "ticked_seat"})


class ChecklistReport(Part):
    id: str
    title: str
    role: str | None = None
    done: int
    late: int
    items: list[ChecklistItemRow]


class LogEntry(Sparse):
    t: float
    role: str
    text: str
    fields: dict[str, str] = {}
    gap: float | None = None  # situation pictures: time since the previous one (or since T+0)
    seat: str | None = None  # a team drill: the seat it came from
    objective: str | None = None  # an observation: the objective it bears on (its id)

    omitted_when_empty = frozenset({"seat", "objective"})


class SeatRow(Part):
    """What one seat of a team drill did (`report/seats.py`)."""

    seat: str  # the seat's id in the journal (`facilitator`, `observer`, or its roles joined by +)
    kind: Literal["team", "facilitator", "observer", "solo"]
    roles: list[str]  # the names of the roles it acted in
    replies: int
    publications: int
    decisions: int
    situation_updates: int
    checklist_ticks: int
    claims: int
    observations: int
    actions: int  # everything it did, the above and the facilitator's steering
    median_reply: float | None = None  # exercise seconds from an inject's arrival to this seat's reply
    requests: int  # actions whose send and journal times are both known
    delay_median: float | None = None  # wall seconds from the seat's send to the host's journal entry
    delay_max: float | None = None


class ClaimRow(Part):
    """A seat took an inject ("jag tar den") or let it go."""

    t: float
    kind: Literal["claim", "release"]
    inject: str
    subject: str
    role: str
    seat: str


class Finding(Part):
    area: str
    text: str
    figure: str | None = None
    source: Literal["derived", "facilitator"]


class PlanItem(Part):
    area: str
    action: str
    owner: str = ""
    due: str = ""
    source: Literal["facilitator", "suggested"]


class Summary(Part):
    """Page one: the figures in a sentence, three strengths, three areas for improvement and the decisions
    asked of the management group, each a sentence (the evaluator's notes first, then the figures)."""

    figures: str = ""
    strengths: list[str] = []
    improvements: list[str] = []
    decisions: list[str] = []


class Intervention(Part):
    """What the facilitator did to the running drill: fired, skipped or added an inject, paused, resumed,
    changed speed, started or ended it."""

    t: float
    kind: str  # the action's kind (vocab.FacilitatorKind)
    detail: str = ""  # the inject's id or subject, or the new speed
    seat: str | None = None


class FeedPost(Part):
    t: float
    author: str
    handle: str
    category: str
    text: str


class Report(Sparse):
    format: Literal[1] = REPORT_FORMAT
    language: Literal["sv", "en"]
    preliminary: bool
    integrity: JournalIntegrity = JournalIntegrity(state="intact")
    overview: Overview
    objectives: list[ObjectiveRow]
    timeline: list[TimelineRow]
    response_total: Stats
    response_by_channel: list[Stats]
    response_by_role: list[Stats]
    first_message: FirstMessage
    publications: list[Publication]
    pressure: Pressure
    checklists: list[ChecklistReport]
    decisions: list[LogEntry]
    situation: list[LogEntry]
    observations: list[LogEntry]
    strengths: list[Finding]
    improvements: list[Finding]
    plan: list[PlanItem]
    seats: list[SeatRow] = []  # a team drill's seats, each with what it did (none in a solo drill)
    claims: list[ClaimRow] = []
    calls: CallFigures | None = None  # phone calls and the missed ones (none: the drill had no calls)
    summary: Summary = Summary()
    interventions: list[Intervention] = []
    feed: list[FeedPost] = []  # an extract: the busiest quarter hour's posts

    omitted_when_empty = frozenset({"seats", "claims", "calls"})


class ComparisonRow(Part):
    session_id: str
    title: str
    date: str | None = None
    seed: int
    team: str
    preliminary: bool
    altered: bool = False  # its journal was changed after it was recorded
    first_message: float | None = None
    median_response: float | None = None
    missed: int
    objectives_met: int
    objectives_total: int
    rumour_peak: float
    posts: int
    scenario_id: str = ""
    participants: list[str] = []
    # what the drill found, by area: the next drill's follow-up of this one's plan reads them
    strength_areas: list[str] = []
    improvement_areas: list[str] = []
    plan: list[PlanItem] = []
    # each figure against the drill before: better | worse | same (none for the first drill)
    verdicts: dict[str, Literal["better", "worse", "same"]] = {}


class FollowUp(Part):
    """An action of the previous drill's improvement plan, judged by the latest drill's findings."""

    area: str
    action: str
    owner: str = ""
    due: str = ""
    status: Literal["done", "not_done", "unknown"]  # the area is now a strength / still to improve / not measured


class Comparison(Part):
    format: Literal[1] = REPORT_FORMAT
    language: Literal["sv", "en"]
    norm: float  # the first-message norm of the first report, seconds
    rows: list[ComparisonRow]
    scenarios: list[str] = []  # the scenarios compared (more than one: the figures are not like for like)
    follow_up: list[FollowUp] = []  # the previous drill's plan, followed up in the latest


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report's JSON form (committed as schema/report.schema.json)."""
    body = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:krisovning:report:1",
        **body,
    }
