"""The group report as data: several municipalities' drills of one regional exercise, side by side.

Like the single report (report/model.py) it is a pydantic model, so that its JSON form is the full model
and its JSON Schema (schema/group-report.schema.json) is generated from the code. Lists that run over the
municipalities (a figure's values, an objective's outcomes) are in the order of `members`.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import Field

from krisovning.report.model import REPORT_FORMAT, OutcomeCode, Part, Status

FigureKey = Literal[
    "first_message",
    "median_response",
    "p90_response",
    "missed",
    "objectives_met",
    "objectives_partly",
    "objectives_not_met",
    "rumour_peak",
    "publications",
    "decisions",
    "missed_calls",
]
Better = Literal["less", "more", "none"]  # which value of a figure is the best; none: the figure is not ranked
LessonKind = Literal[
    "objective_missed",
    "objective_met_by_all",
    "first_message_late",
    "missed_deadlines",
    "shared_improvement",
    "first_message_spread",
]
GROUP_FORMAT: Final = REPORT_FORMAT


class GroupMember(Part):
    """One municipality's drill: what it played, and its report's headline findings."""

    label: str  # the municipality as the report names it
    session_id: str
    scenario_id: str
    scenario_version: str
    title: str
    organisation: str
    date: str | None = None
    seed: int
    duration: float  # seconds of exercise time played
    planned_duration: float
    team: str  # a bot policy's name, or "team" for people
    seats: int  # a team drill's seats that acted for roles (0: a solo drill or bots)
    participants: list[str] = Field(default_factory=list)
    roles: list[str]
    status: Status
    preliminary: bool
    altered: bool  # its journal was changed after it was recorded
    norm: float  # its first-message norm, seconds
    strengths: list[str] = Field(default_factory=list)  # the report's page-one strengths (report/summary.py)
    improvements: list[str] = Field(default_factory=list)


class FigureRow(Part):
    """One key figure for every municipality. A value is None when the drill did not measure it, except for
    `first_message`, where None means no public message was ever sent (the worst value)."""

    key: FigureKey
    better: Better
    values: list[float | None]
    # objectives: how many each municipality's scenario had (empty for the other figures)
    totals: list[int] = Field(default_factory=list)
    # the municipalities (indexes into `members`) with the best value; empty when all are equal or not ranked
    best: list[int] = Field(default_factory=list)


class ObjectiveOutcomes(Part):
    """An objective, matched by id across the scenarios, and each municipality's outcome."""

    id: str
    title: str
    outcomes: list[OutcomeCode | None]  # None: that municipality's scenario has no objective with this id


class Lesson(Part):
    """Something the figures show for the region as a whole (report/group.py `lessons`)."""

    kind: LessonKind
    subject: str = ""  # the objective's title or the area of improvement
    members: list[str] = Field(default_factory=list)  # the labels of the municipalities it concerns
    of: int = 0  # out of how many municipalities it could concern
    values: list[float] = Field(default_factory=list)  # first_message_spread: the fastest and the slowest time, seconds


class ScenarioPlayed(Part):
    id: str
    version: str
    title: str
    members: list[str]  # labels


class GroupReport(Part):
    format: Literal[1] = GROUP_FORMAT
    language: Literal["sv", "en"]
    members: list[GroupMember]
    scenarios: list[ScenarioPlayed]  # more than one: the figures are not like for like
    figures: list[FigureRow]
    objectives: list[ObjectiveOutcomes]
    lessons: list[Lesson] = Field(default_factory=list)


def group_schema() -> dict[str, Any]:
    """The JSON Schema of the group report's JSON form (committed as schema/group-report.schema.json)."""
    body = GroupReport.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:krisovning:group-report:1",
        **body,
    }
