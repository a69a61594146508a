"""What an exported MSEL carries back besides its inject rows: a block of rows under them with the
drill's settings, its roles, its people and its facts, so that export-msel → import-msel gives the
scenario `carried()` describes exactly (tests/test_msel_round_trip.py simulates both to one digest).

The block starts with a row whose first cell begins with `MARKER`; its rows are `key | value …`
with the keys below (English, like the scenario format's own keys). A sheet without the block is
read as any MSEL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from krisovning.i18n import t_in
from krisovning.msel.columns import norm
from krisovning.msel.resolve import TOKEN
from krisovning.scenario.durations import format_duration
from krisovning.scenario.model import Calls, Inject, MessageQuality, Organisation, Persona, Role, Scenario, Topic
from krisovning.scenario.types import ID_PATTERN, MAX_TEXT, MAX_TITLE, PersonaKind

MARKER = "krisovning:"
_PERSON_FIELDS = ("name", "kind", "outlet", "title", "organisation", "phone", "email", "handle")
_ID = re.compile(ID_PATTERN)
_FACT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")  # FactName (scenario/model.py)
_KINDS = {kind.value for kind in PersonaKind}


def title(text: str) -> str:
    """One line of at most 200 characters (a Title field)."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= MAX_TITLE else one_line[: MAX_TITLE - 1] + "…"


@dataclass
class Carried:
    """The block as read back (read.py)."""

    settings: dict[str, str] = field(default_factory=dict)  # id, start, duration, seed, language, organisation
    roles: list[dict[str, Any]] = field(default_factory=list)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)  # norm(the From cell) → persona
    facts: dict[str, str] = field(default_factory=dict)
    topics: list[dict[str, Any]] = field(default_factory=list)


# --- export ---


def people_of(scenario: Scenario) -> list[dict[str, Any]]:
    """The named personas, and each persona pool as the one sender the spreadsheet makes of it."""
    out = [
        p.model_dump(include=set(_PERSON_FIELDS) | {"id"}, exclude_none=True, mode="json") for p in scenario.personas
    ]
    for pool in scenario.persona_pools:
        person: dict[str, Any] = {"id": pool.id, "name": pool.id, "kind": pool.kind.value}
        if pool.outlets:
            person["outlet"] = pool.outlets[0]
        if pool.titles:
            person["title"] = pool.titles[0]
        if pool.organisation:
            person["organisation"] = pool.organisation
        out.append(person)
    return out


def fact_value(value: Any) -> str:
    return str(getattr(value, "value", value))


def block_rows(scenario: Scenario, lang: str, shown: dict[str, str]) -> list[list[Any]]:
    """The rows under the injects; `shown` is each person's id → the From cell the export wrote."""
    rows: list[list[Any]] = [[], [f"{MARKER} {t_in(lang, 'msel.carry.marker')}"]]
    rows += [
        ["id", scenario.id],
        ["start", scenario.start.strftime("%Y-%m-%dT%H:%M:%S")],
        ["duration", format_duration(scenario.duration)],
        ["seed", str(scenario.seed)],
        ["language", scenario.language],
        ["organisation", scenario.organisation.name],
    ]
    rows += [["role", role.id, role.name] for role in scenario.roles]
    for person in people_of(scenario):
        rows.append(
            ["person", person["id"], shown.get(person["id"], person["name"])]
            + [person.get(f, "") for f in _PERSON_FIELDS]
        )
    rows += [["fact", name, fact_value(value)] for name, value in scenario.facts.items()]
    for topic in scenario.topics:  # what the Expected action column's `ämnen:` / `svarar på:` name
        flag = "rumour" if topic.rumour else ""
        rows.append(["topic", topic.id, topic.title or "", flag, (topic.answer or "").strip(), *topic.keywords])
    return rows


# --- import ---


def is_marker(cells: list[Any]) -> bool:
    first = next((c for c in cells if c is not None), None)
    return isinstance(first, str) and first.strip().lower().startswith(MARKER)


def read_block(rows: list[list[str]]) -> Carried:
    carried = Carried()
    for cells in rows:
        if not cells or not cells[0]:
            continue
        key, rest = cells[0].strip().lower(), cells[1:]
        if key in ("id", "start", "duration", "seed", "language", "organisation") and rest and rest[0]:
            carried.settings[key] = rest[0]
        elif key == "role" and len(rest) >= 2 and _ID.match(rest[0] or "") and rest[1]:
            carried.roles.append({"id": rest[0], "name": title(rest[1])})
        elif key == "person" and len(rest) >= 4 and _ID.match(rest[0] or "") and rest[1]:
            # a row someone has edited into something a scenario refuses is left out: the sender is then
            # read from the From cell as in any MSEL
            values = dict(zip(_PERSON_FIELDS, rest[2:], strict=False))
            person = {"id": rest[0]} | {k: title(v) for k, v in values.items() if v}
            if "name" in person and person.get("kind") in _KINDS:
                carried.people.setdefault(norm(rest[1]), person)
        elif key == "fact" and len(rest) >= 2 and _FACT.match(rest[0] or "") and rest[1]:
            carried.facts[rest[0]] = rest[1][:MAX_TEXT]
        elif key == "topic" and len(rest) >= 5 and _ID.match(rest[0] or "") and any(rest[4:]):
            carried.topics += [] if any(t["id"] == rest[0] for t in carried.topics) else [_topic(rest)]
    return carried


def _topic(rest: list[str]) -> dict[str, Any]:
    topic: dict[str, Any] = {"id": rest[0]}
    if rest[1]:
        topic["title"] = title(rest[1])
    topic["keywords"] = [title(k) for k in rest[4:] if k][:50]
    if (rest[2] or "").strip().lower() in ("rumour", "rykte", "true", "yes", "ja", "x", "1"):
        topic["rumour"] = True
    if rest[3]:
        topic["answer"] = rest[3][:MAX_TEXT]
    return topic


# --- what the round trip gives ---


def carried(scenario: Scenario, lang: str) -> Scenario:
    """`scenario` as export-msel → import-msel gives it back: the parts the spreadsheet carries, as it
    carries them. What it leaves out is what the export lists as lost (`export.lost_items`)."""
    objectives = {o.id: o.title for o in scenario.objectives}
    header = t_in(lang, "msel.col.objective")
    injects = []
    for inject in scenario.injects:
        if not carries_condition(inject):
            raise ValueError(f"inject {inject.id}: its condition has no column to come back in")
        lines = [(inject.note or "").strip()]
        if inject.objectives:
            lines.append(f"{header}: " + "; ".join(objectives.get(o, o) for o in inject.objectives))
        expect = inject.expect
        if expect is not None and expect.description is not None:
            expect = expect.model_copy(update={"description": expect.description.strip() or None})
        update: dict[str, Any] = {
            "text": _filled(scenario, inject.text).strip(),
            "subject": _filled(scenario, inject.subject).strip() or None if inject.subject else None,
            "note": "\n".join(line for line in lines if line) or None,
            "expect": expect,
            "social": None,
            "reveals": [],
            "objectives": [],
        }
        injects.append(inject.model_copy(update=update))
    return scenario.model_copy(
        update={
            "description": None,
            "organisation": Organisation(name=scenario.organisation.name),
            "roles": [Role(id=r.id, name=r.name) for r in scenario.roles],
            "facts": {name: fact_value(value) for name, value in scenario.facts.items()},
            "topics": [Topic.model_validate(_topic(_topic_cells(topic))) for topic in scenario.topics],
            "personas": [Persona.model_validate(p) for p in people_of(scenario)],
            "persona_pools": [],
            "checklists": [],
            "objectives": [],
            "injects": injects,
            "generators": [],
            "social": None,
            "calls": Calls(),
            "quality": MessageQuality(),
            "exercise": None,
        }
    )


def _topic_cells(topic: Topic) -> list[str]:
    """A topic as its block row reads back (the cells after `topic`)."""
    return [
        topic.id,
        topic.title or "",
        "rumour" if topic.rumour else "",
        (topic.answer or "").strip(),
        *topic.keywords,
    ]


def carries_condition(inject: Inject) -> bool:
    """Whether the Condition column brings the inject's `when` back (a thread's rate names a thread,
    and the social model does not come back)."""
    return inject.when is None or getattr(inject.when, "thread", None) is None


def _filled(scenario: Scenario, text: str) -> str:
    """`{personas.x.name}` → the name: the spreadsheet has no personas besides the senders."""
    people = {p.id: p for p in scenario.personas}

    def replace(match: re.Match[str]) -> str:
        token, name = match.group(0), match.group(1)
        if name and name.startswith("personas."):
            parts = name.split(".")
            if len(parts) == 3 and parts[1] in people:
                value = getattr(people[parts[1]], parts[2], None)
                return str(value or "").replace("{", "{{").replace("}", "}}")
        return token

    return TOKEN.sub(replace, text)


fill_personas = _filled  # the export writes texts the same way
