"""From a scenario and a drill's events to the report model (one pass, then the sections)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from krisovning import __version__
from krisovning.engine.actions import Action
from krisovning.engine.events import Event
from krisovning.engine.typed import Inject, Post, TypedEvent, typed
from krisovning.i18n import get_language
from krisovning.metrics.calls import tally_calls
from krisovning.metrics.criteria import criterion_text
from krisovning.metrics.figures import (
    PEAK_WINDOW,
    Facts,
    gather,
    peak_window,
    pressure_curve,
    response_by,
    response_stats,
)
from krisovning.metrics.judgement import judge, observed, resolve
from krisovning.metrics.objectives import evaluate, evidence_text
from krisovning.metrics.quality import QualityMeter
from krisovning.report.derive import derive_findings, note_entries, with_notes
from krisovning.report.fmt import clean, first_line
from krisovning.report.model import (
    CallFigures,
    ChecklistItemRow,
    ChecklistReport,
    FeedPost,
    FirstMessage,
    Intervention,
    JournalIntegrity,
    LogEntry,
    MessageQuality,
    MissedCallRow,
    ObjectiveRow,
    Overview,
    PlanItem,
    Pressure,
    PressurePoint,
    Publication,
    RatePoint,
    Report,
    ReportMeta,
    SeatRow,
    Stats,
    TimelineRow,
)
from krisovning.report.seats import team_work
from krisovning.report.summary import build_summary
from krisovning.report.view_team import seat_name
from krisovning.scenario.model import FirstPublicMessage, RumourPeak, Scenario
from krisovning.scenario.types import PUBLIC_CHANNELS
from krisovning.vocab import FacilitatorKind

_STEERING = frozenset(FacilitatorKind) - {FacilitatorKind.observation}

FEED_EXTRACT = 15  # posts in the report's feed extract
DEFAULT_NORM = 3600.0  # first public message: the golden hour, when no first_public_message objective sets one
PRELIMINARY = {"running", "interrupted"}


@dataclass
class _Pass:
    """What the report needs beyond metrics.Facts, gathered in one pass."""

    injects: dict[str, Inject] = field(default_factory=dict)
    post_times: list[float] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    last: float = 0.0


def _collect(events: Iterable[TypedEvent]) -> _Pass:
    out = _Pass()
    for event in events:
        out.last = max(out.last, event.t)
        if isinstance(event, Post):
            out.post_times.append(event.t)
            out.posts.append(event)
        elif isinstance(event, Inject):
            out.injects[event.id] = event
    return out


def build_report(scenario: Scenario, events: Iterable[Event | TypedEvent], meta: ReportMeta) -> Report:
    """The after-action report of one drill (the engine's events or a journal's typed ones). Never raises
    on an empty or unfinished drill."""
    stream = sorted(map(typed, events), key=lambda e: e.seq)
    facts = gather(stream)
    seen = _collect(stream)
    end = facts.end if facts.end is not None else seen.last
    roles = {r.id: clean(r.name) for r in scenario.roles}
    status = meta.status if meta.status in ("finished", "interrupted", "running") else "running"
    if status == "finished" and facts.end is None:
        status = "interrupted"  # a journal without drill_end did not finish, whatever it says
    preliminary = status in PRELIMINARY

    def role(role_id: str | None) -> str:
        return roles.get(role_id or "", clean(role_id or "–"))

    notes = resolve(observed(stream), meta.stored_notes)
    if not meta.participants:  # who took part, as the evaluator recorded it (notes --participant)
        meta = replace(meta, participants=[n.text for n in notes if n.kind == "participant" and not n.deleted])
    objectives = {o.id: o for o in scenario.objectives}
    observations = note_entries(notes, role, end)
    seats, claims = team_work(stream, role, meta.journaled)
    team = bool(seats)
    objective_rows = [
        ObjectiveRow(
            id=j.result.id,
            title=clean(j.result.title),
            description=clean(objectives[j.result.id].description) or None,
            criterion=criterion_text(objectives[j.result.id], scenario),
            type=j.result.type,
            outcome=j.outcome,
            automatic=j.result.outcome,
            reason=clean(j.reason) if j.reason is not None else None,
            evidence_text=evidence_text(j.result),
            evidence=_plain(j.result.evidence),
            observations=[entry for entry in observations if entry.objective == j.result.id],
        )
        for j in judge(evaluate(scenario, facts), notes)
    ]
    public = {p.value for p in PUBLIC_CHANNELS}  # as the engine tells (an internal note at the same time is not)
    meter = QualityMeter(scenario)
    pressure = _pressure(scenario, facts, seen, end)
    report = Report(
        language=get_language(),
        preliminary=preliminary,
        integrity=JournalIntegrity(
            state=meta.integrity if meta.integrity in ("intact", "altered", "unchained") else "altered",
            problems=[clean(p) for p in meta.integrity_problems],
            chained_since=meta.chained_since,
        ),
        overview=_overview(scenario, meta, facts, end, status, preliminary, seats),
        objectives=objective_rows,
        timeline=_timeline(facts, seen, role, team),
        response_total=_stats("", "", response_stats(list(facts.injects.values()))),
        response_by_channel=[_stats(k, k, s) for k, s in response_by(facts, "channel").items()],
        response_by_role=[_stats(k, role(k), s) for k, s in response_by(facts, "to").items()],
        calls=_calls(stream, role),
        first_message=_first_message(scenario, facts),
        publications=[
            Publication(
                t=t,
                channels=list(a.channels),
                role=role(a.role),
                public=bool(public & set(a.channels)),
                text=clean(a.text),
                seat=_seat(a),
                quality=_quality(meter, a) if public & set(a.channels) else None,
            )
            for t, a in facts.of_kind("publish")
        ],
        pressure=pressure,
        checklists=_checklists(scenario, facts, end, role, team),
        decisions=[_entry(t, a, role) for t, a in facts.of_kind("decision")],
        situation=_situation(facts, role),
        observations=observations,
        strengths=[],
        improvements=[],
        plan=[],
        seats=seats,
        claims=claims,
        interventions=_interventions(facts, seen),
        feed=_feed(seen, pressure.peak_at),
    )
    standing = with_notes(meta.notes, notes)  # the caller's and the evaluator's notes that still stand
    strengths, improvements, plan = derive_findings(scenario, report, standing)
    report = report.model_copy(update={"strengths": strengths, "improvements": improvements, "plan": _merged(plan)})
    return report.model_copy(update={"summary": build_summary(report, standing)})


def _merged(plan: list[PlanItem]) -> list[PlanItem]:
    """One row per action: rows suggesting the same action for several areas (one root cause) become one,
    naming every area; the evaluator's own row comes before a suggested one."""
    out: list[PlanItem] = []
    index: dict[str, int] = {}
    for row in plan:
        key = " ".join(row.action.casefold().split())
        if key in index:
            kept = out[index[key]]
            areas = kept.area + ("" if row.area in kept.area.split(", ") else f", {row.area}")
            out[index[key]] = kept.model_copy(
                update={"area": areas, "owner": kept.owner or row.owner, "due": kept.due or row.due}
            )
            continue
        index[key] = len(out)
        out.append(row)
    return out


def _interventions(facts: Facts, seen: _Pass) -> list[Intervention]:
    """The facilitator's steering of the drill (not an observation: those are listed on their own)."""
    out = []
    for at, a in facts.actions:
        if a.kind not in _STEERING:
            continue
        detail = ""
        if a.inject:
            inject = seen.injects.get(a.inject)
            subject = first_line(inject.subject or inject.text, 80) if inject is not None else ""
            detail = clean(a.inject) + (f": {subject}" if subject else "")
        elif a.kind == FacilitatorKind.add_inject:
            detail = first_line(a.fields.get("subject") or a.fields.get("text") or "", 80)
        elif a.speed is not None:
            detail = f"{a.speed:g}×"
        out.append(Intervention(t=round(at, 3), kind=str(a.kind), detail=detail, seat=_seat(a)))
    return out


def _feed(seen: _Pass, peak_at: float | None) -> list[FeedPost]:
    """An extract of the feed: the first posts (not shares) of the busiest quarter hour."""
    if peak_at is None:
        return []
    picked = [p for p in seen.posts if peak_at <= p.t <= peak_at + PEAK_WINDOW and not p.repost_of]
    return [
        FeedPost(
            t=round(p.t, 3),
            author=clean(p.author),
            handle=clean(p.handle),
            category=clean(p.category),
            text=first_line(p.text, 280),
        )
        for p in picked[:FEED_EXTRACT]
    ]


def _plain(value: Any) -> Any:
    """Evidence figures as JSON-friendly values (rounded seconds, no tuples)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 3)
    return value


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _participants(meta: ReportMeta, seats: list[SeatRow]) -> list[str]:
    """Who took part: as recorded when the drill started, else a team drill's seats with their roles."""
    if meta.participants:
        return [clean(p) for p in meta.participants if clean(p).strip()]
    return [
        f"{seat_name(s.seat)}: {', '.join(s.roles)}" if s.roles and s.kind == "team" else seat_name(s.seat)
        for s in seats
    ]


def _overview(
    scenario: Scenario,
    meta: ReportMeta,
    facts: Facts,
    end: float,
    status: str,
    preliminary: bool,
    seats: list[SeatRow],
) -> Overview:
    actions = len(facts.team_actions)
    x = scenario.exercise
    return Overview(
        session_id=clean(meta.session_id),
        scenario_id=scenario.id,
        scenario_version=scenario_version(scenario),
        title=clean(scenario.title),
        organisation=clean(scenario.organisation.name),
        description=clean(scenario.description).strip() or None,
        date=meta.started.date().isoformat() if meta.started else None,
        started=_iso(meta.started),
        ended=_iso(meta.ended),
        planned_duration=float(scenario.duration),
        duration=round(end, 3),
        world_start=scenario.start.isoformat(timespec="minutes"),
        seed=int(meta.seed) if meta.seed is not None else scenario.seed,
        roles=[clean(r.name) for r in scenario.roles],
        team=clean(meta.team) or "team",
        status=status,
        preliminary=preliminary,
        injects=len(facts.injects),
        social_posts=facts.posts,
        team_actions=actions,
        exercise_type=clean(x.type) or None if x else None,
        purpose=clean(x.purpose).strip() or None if x else None,
        organisations=[clean(o) for o in x.organisations] if x else [],
        facilitator=clean(x.facilitator) or None if x else None,
        evaluators=[clean(e) for e in x.evaluators] if x else [],
        participants=_participants(meta, seats),
        engine_version=__version__,
        created=_iso(meta.created or datetime.now().astimezone()),
    )


def scenario_version(scenario: Scenario) -> str:
    """The scenario's content as a short digest: two sessions of the same scenario id but different content (a
    county's variants, an edited file) differ in it; layout and comments of the file do not count."""
    return hashlib.sha256(scenario.model_dump_json().encode("utf-8")).hexdigest()[:12]


def _stats(key: str, label: str, s: dict[str, Any]) -> Stats:
    return Stats(key=key, label=clean(label), **s)


def _quality(meter: QualityMeter, action: Action) -> MessageQuality:
    q = meter.measure(action.text, action.topics)
    titles = meter.titles
    return MessageQuality(
        lix=q.lix,
        lix_target=q.lix_target,
        words=q.words,
        sentences=q.sentences,
        mean_sentence=q.mean_sentence,
        longest_sentence=q.longest_sentence,
        sentence_target=q.sentence_target,
        elements=[clean(titles[e]) for e in q.elements],
        missing=[clean(titles[e]) for e in q.missing],
        avoid=[clean(w) for w in q.avoid],
    )


def _timeline(facts: Facts, seen: _Pass, role: Any, team: bool) -> list[TimelineRow]:
    # a team drill names who replied (the engine takes one reply per inject)
    replied = {a.inject: a for _, a in facts.of_kind("reply")} if team else {}
    rows = []
    for inject_id, f in facts.injects.items():
        data = seen.injects[inject_id]
        sender = data.sender
        who = clean(sender.name) or "–"
        extra = sender.outlet or sender.title or sender.organisation
        if extra and clean(extra) != who:
            who = f"{who} ({clean(extra)})"
        expect = f.expect
        response = f.replied if f.replied is not None else f.met
        if f.broken is not None:
            status = "broken"
        elif f.missed:
            status = "missed"
        elif f.met is not None:
            status = "met"
        elif f.replied is not None:
            status = "answered"
        elif expect is not None:
            status = "open"
        else:
            status = "none"
        world = data.world_time
        reply = replied.get(inject_id)
        rows.append(
            TimelineRow(
                inject=clean(inject_id),
                t=round(f.t, 3),
                world_time=world[11:16] if len(world) >= 16 else world,
                source=f.source,
                channel=f.channel,
                sender=who,
                receiver=role(f.to),
                priority=data.priority,
                subject=first_line(data.subject or data.text) or "–",
                expected=expect.action if expect else None,
                within=expect.within if expect else None,
                response=round(response, 3) if response is not None else None,
                status=status,
                replied_role=role(reply.role) if reply is not None else None,
                replied_seat=_seat(reply) if reply is not None else None,
            )
        )
    return rows


def _first_message(scenario: Scenario, facts: Facts) -> FirstMessage:
    objective = next((o.criterion for o in scenario.objectives if isinstance(o.criterion, FirstPublicMessage)), None)
    norm = float(objective.within) if objective is not None else DEFAULT_NORM
    first = facts.public_messages[0] if facts.public_messages else None
    action = next((a for t, a in facts.of_kind("publish") if t == first), None) if first is not None else None
    return FirstMessage(
        first=round(first, 3) if first is not None else None,
        norm=norm,
        norm_source="objective" if objective is not None else "default",
        within_norm=first is not None and first <= norm,
        channels=list(action.channels) if action else [],
        text=(clean(action.text) or None) if action else None,
    )


def _pressure(scenario: Scenario, facts: Facts, seen: _Pass, end: float) -> Pressure:
    points = [
        PressurePoint(
            t=t,
            rate=float(d.rate),
            posts=d.posts,
            rumour_share=float(d.rumour_share),
            negative_share=float(d.negative_share),
        )
        for t, d in facts.samples
    ]
    objective = next((o.criterion for o in scenario.objectives if isinstance(o.criterion, RumourPeak)), None)
    rumour_window = float(objective.window) if objective is not None else PEAK_WINDOW  # the objective's measure
    peak, peak_at, _ = peak_window(seen.post_times, PEAK_WINDOW)
    rumour, rumour_at, _ = peak_window(facts.rumour_times, rumour_window)
    curve = pressure_curve(seen.post_times, facts.rumour_times, PEAK_WINDOW, rumour_window, end)
    return Pressure(
        points=points,
        posts=facts.posts,
        rumour_posts=len(facts.rumour_times),
        peak_rate=peak,
        peak_at=round(peak_at, 3) if peak_at is not None else None,
        rumour_peak=rumour,
        rumour_peak_at=round(rumour_at, 3) if rumour_at is not None else None,
        max_rumour_share=max((p.rumour_share for p in points), default=0.0),
        publications=[round(t, 3) for t in facts.public_messages],
        window=PEAK_WINDOW,
        rumour_window=rumour_window,
        rumour_below=float(objective.below) if objective is not None else None,
        curve=[RatePoint(t=t, rate=round(r, 3), rumour=round(q, 3)) for t, r, q in curve],
    )


def _checklists(scenario: Scenario, facts: Facts, end: float, role: Any, team: bool) -> list[ChecklistReport]:
    ticks: dict[tuple[str, str], float] = {}
    by: dict[tuple[str, str], Action] = {}
    for t, a in facts.of_kind("checklist"):
        ticks.setdefault((a.checklist or "", a.item or ""), t)
        by.setdefault((a.checklist or "", a.item or ""), a)
    out = []
    for checklist in scenario.checklists:
        items = []
        for item in checklist.items:
            ticked = ticks.get((checklist.id, item.id))
            ticker = by.get((checklist.id, item.id)) if team else None  # a team drill names who ticked it
            due = float(item.due) if item.due is not None else None
            late = due is not None and ((ticked is not None and ticked > due) or (ticked is None and due <= end))
            items.append(
                ChecklistItemRow(
                    id=item.id,
                    text=clean(item.text),
                    due=due,
                    ticked=round(ticked, 3) if ticked is not None else None,
                    late=late,
                    ticked_role=role(ticker.role) if ticker is not None else None,
                    ticked_seat=_seat(ticker) if ticker is not None else None,
                )
            )
        out.append(
            ChecklistReport(
                id=checklist.id,
                title=clean(checklist.title),
                role=role(checklist.role) if checklist.role else None,
                done=sum(1 for i in items if i.ticked is not None),
                late=sum(1 for i in items if i.late),
                items=items,
            )
        )
    return out


def _entry(t: float, action: Action, role: Any, gap: float | None = None) -> LogEntry:
    fields = {clean(k): clean(v) for k, v in action.fields.items() if clean(v).strip()}
    return LogEntry(
        t=round(t, 3),
        role=role(action.role) if action.role else "–",
        text=clean(action.text),
        fields=fields,
        gap=gap,
        seat=_seat(action),
        objective=clean(action.objective) if action.objective is not None else None,
    )


def _seat(action: Action) -> str | None:
    """The seat of a team drill an action came from (None in a solo drill)."""
    return clean(action.seat) if action.seat is not None else None


def _situation(facts: Facts, role: Any) -> list[LogEntry]:
    out, previous = [], 0.0
    for t, a in facts.of_kind("situation_update"):
        out.append(_entry(t, a, role, gap=round(t - previous, 3)))
        previous = t
    return out


def _calls(stream: list[TypedEvent], role: Any) -> CallFigures | None:
    tally = tally_calls(stream)
    if not tally.calls:
        return None
    rows = [
        MissedCallRow(role=r.role, role_name=role(r.role), caller=clean(r.caller), calls=r.calls, missed=r.missed)
        for r in tally.missed_by_caller
    ]
    return CallFigures(calls=tally.calls, missed=tally.missed, missed_by=rows)
