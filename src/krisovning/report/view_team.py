"""A team drill's part of the report: who did what, per seat; the claims; the evaluator's observations per
objective; how a seat is named in the other sections' tables (report/view.py). A solo drill has none of it."""

from __future__ import annotations

from krisovning.i18n import t
from krisovning.report.blocks import Block, Cell, Heading, Para, Table, cells
from krisovning.report.fmt import clock, duration, number
from krisovning.report.model import LogEntry, Report
from krisovning.vocab import SeatKind

_SEAT_KEYS: dict[str, str] = {
    SeatKind.facilitator.value: "report.seat.facilitator",
    SeatKind.observer.value: "report.seat.observer",
    SeatKind.solo.value: "report.seat.solo",
}
_CLAIM_KEYS = {"claim": "report.claim.claim", "release": "report.claim.release"}


def is_team(r: Report) -> bool:
    return bool(r.seats)


def seat_name(seat: str | None) -> str:
    """A seat as the report names it: the facilitator's and the observers' in words, a team seat by its id."""
    if seat is None:
        return "–"
    key = _SEAT_KEYS.get(seat)
    return t(key) if key is not None else seat


def who(role: str | None, seat: str | None) -> str:
    """A role's name over its seat, for a table cell ("–" when neither is known)."""
    named = [role if role != "–" else None, seat_name(seat) if seat is not None else None]
    return "\n".join(x for x in named if x) or "–"


def seconds(value: float | None) -> str:
    # a request's delay is a fraction of a second on one machine: milliseconds, then tenths, not a row of "0 s"
    if value is None:
        return "–"
    if round(value * 1000) < 1000:
        return t("report.unit.ms", n=number(value * 1000))
    return t("report.unit.seconds", n=number(value, 1 if value < 10 else 0))


def team_blocks(r: Report) -> list[Block]:
    """Who did what (each seat's counts, reply time and request delay), then the claims."""
    if not is_team(r):
        return []
    out: list[Block] = [Heading(2, t("report.h.seats"), "seats")]
    rows = [
        cells(
            seat_name(s.seat),
            ", ".join(s.roles) or "–",
            str(s.replies),
            str(s.publications),
            str(s.decisions),
            str(s.situation_updates),
            str(s.checklist_ticks),
            str(s.claims),
        )
        for s in r.seats
    ]
    headers = [
        t("report.col.seat"),
        t("report.col.roles"),
        t("report.col.replies"),
        t("report.col.publications"),
        t("report.col.decisions"),
        t("report.col.situation_updates"),
        t("report.col.ticks"),
        t("report.col.claims"),
    ]
    out.append(Table(headers, rows, numeric={2, 3, 4, 5, 6, 7}))
    # the times in a table of their own: eleven columns do not fit an A4 page
    out.append(Para(t("report.seats_note"), muted=True))
    rows = [
        cells(
            seat_name(s.seat),
            str(s.actions),
            duration(s.median_reply),
            seconds(s.delay_median),
            seconds(s.delay_max),
        )
        for s in r.seats
    ]
    headers = [
        t("report.col.seat"),
        t("report.col.actions"),
        t("report.col.median_reply"),
        t("report.col.delay_median"),
        t("report.col.delay_max"),
    ]
    out.append(Table(headers, rows, numeric={1, 2, 3, 4}))
    out.append(Heading(3, t("report.h.claims"), "claims"))
    if not r.claims:
        return out + [Para(t("report.no_claims"), muted=True)]
    claim_rows = [
        cells(clock(c.t), f"{c.subject}\n({c.inject})", t(_CLAIM_KEYS[c.kind]), who(c.role, c.seat)) for c in r.claims
    ]
    headers = [t("report.col.time"), t("report.col.inject"), t("report.col.claim"), t("report.col.by")]
    return out + [Table(headers, claim_rows, wide={1}, nowrap={0})]


def objective_observations(r: Report) -> list[Block]:
    """Under the objectives: what an evaluator observed on each, as evidence."""
    out: list[Block] = []
    team = is_team(r)
    for o in r.objectives:
        if not o.observations:
            continue
        out.append(Para(t("report.objective_observations", title=o.title)))
        out.append(_observations(o.observations, team))
    return out


def _observations(entries: list[LogEntry], team: bool) -> Table:
    if team:
        rows = [cells(clock(e.t), seat_name(e.seat), e.text) for e in entries]
        return Table(
            [t("report.col.time"), t("report.col.seat"), t("report.col.observation")], rows, wide={2}, nowrap={0}
        )
    rows = [cells(clock(e.t), e.text) for e in entries]
    return Table([t("report.col.time"), t("report.col.observation")], rows, wide={1}, nowrap={0})


def observation_table(r: Report) -> Table:
    """The observations section's table: with each one's seat in a team drill, and its objective if any has one."""
    titles = {o.id: o.title for o in r.objectives}
    linked = any(e.objective for e in r.observations)
    team = is_team(r)
    headers = [t("report.col.time")] + [t("report.col.seat")] * team + [t("report.col.observation")]
    headers += [t("report.col.objective")] * linked
    rows: list[list[Cell]] = []
    for e in r.observations:
        row = [clock(e.t)] + [seat_name(e.seat)] * team + [e.text]
        row += [titles.get(e.objective, e.objective) if e.objective else "–"] * linked
        rows.append(cells(*row))
    return Table(headers, rows, wide={1 + team}, nowrap={0})
