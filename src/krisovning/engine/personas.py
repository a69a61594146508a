"""Who speaks: named personas from the scenario and generated pool members.

Pool members are drawn from Faker's sv_SE name tables with their weights (kept in
data/names_sv.json), in index order from the pool's own stream (seed, pool): member i is
always the same person, a pool costs nothing until someone from it speaks, and a member
costs a few microseconds (Faker's own `name()` costs ~200 µs, too slow for a feed of
100 posts/s).
"""

from __future__ import annotations

import json
import random
from bisect import bisect
from functools import lru_cache
from importlib import resources
from typing import Any

from krisovning.engine.rng import stream_seed
from krisovning.engine.social import Chooser
from krisovning.scenario.model import Persona, PersonaPool, Scenario
from krisovning.slug import to_ascii

FIELDS = ("name", "outlet", "title", "organisation", "phone", "email", "handle")
_KEYS: dict[str, tuple[tuple[str, str], ...]] = {}  # prefix → ("sender.name", "name"), …


@lru_cache(maxsize=1)
def _names() -> tuple[Chooser, Chooser, Chooser, tuple[str | None, ...]]:
    # Faker's sv_SE tables, kept in the package (tools/names_from_faker.py): a Faker upgrade must not
    # change the people of a journaled drill, and reading them costs ~5 ms where importing Faker costs ~150.
    data = json.loads(resources.files("krisovning").joinpath("data/names_sv.json").read_text(encoding="utf-8"))

    def weighted(table: dict[str, float]) -> Chooser:
        return Chooser(list(table), list(table.values()))

    return (
        weighted(data["first_names_female"]),
        weighted(data["first_names_male"]),
        weighted(data["last_names"]),
        tuple(data["shapes"]),
    )


_NOT_ALNUM = bytes(c for c in range(128) if not (48 <= c <= 57 or 97 <= c <= 122))


def _ascii(text: str) -> str:
    """'Åsa Öberg-Lind' → 'asaoberglind' (for made-up e-mail addresses and handles)."""
    plain = to_ascii(text)  # the one slug rule (slug.py)
    # bytes.translate drops the rest in one table lookup per byte (a regex costs ~4x more per member)
    return plain.encode().translate(None, _NOT_ALNUM).decode()


# A member's random draws, in the order made: first name, last name, joiner, second last name (or None),
# the phone number's three parts and prefix digit, the numbers in the e-mail address and the handle, the
# outlet and the title (or None).
Draws = tuple[str, str, "str | None", "str | None", int, int, int, int, int, int, "str | None", "str | None"]


def _draw(pool: PersonaPool, rng: random.Random) -> Draws:
    """Member i's draws from the pool's stream, after members 0…i-1's. The person is made from them only
    when someone needs them (`_person`): most members of a big pool are drawn to reach a later one, and
    drawing costs a fraction of making."""
    female, male, last, shapes = _names()
    # Chooser's weighted draw (engine/social.py), written out: a pool of thousands is made in one go
    r = rng.random  # random() is ~4x cheaper than randrange(); the forms are the same
    first = female if r() < 0.5 else male
    first_name = first.items[bisect(first.cumulative, r() * first.total)]
    joiner = shapes[int(r() * len(shapes))]
    family = last.items[bisect(last.cumulative, r() * last.total)]
    other = None if joiner is None else last.items[bisect(last.cumulative, r() * last.total)]
    return (
        first_name,
        family,
        joiner,
        other,
        int(r() * 5),
        100 + int(r() * 900),
        10 + int(r() * 90),
        10 + int(r() * 90),
        10 + int(r() * 89),
        1 + int(r() * 998),
        rng.choice(pool.outlets) if pool.outlets else None,
        rng.choice(pool.titles) if pool.titles else None,
    )


def _name(first_name: str, family: str, joiner: str | None, other: str | None) -> str:
    if joiner is None or other == family:  # "Johansson Johansson" is no one's name
        return f"{first_name} {family}"
    return f"{first_name} {family}{joiner}{other}"


class People:
    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.seed = seed
        self.named: dict[str, dict[str, Any]] = {p.id: self._from_persona(p) for p in scenario.personas}
        self.pools: dict[str, PersonaPool] = {p.id: p for p in scenario.persona_pools}
        self._members: dict[str, list[dict[str, Any] | None]] = {}
        self._draws: dict[str, list[Draws]] = {}
        self._pool_rngs: dict[str, random.Random] = {}
        self._values: dict[tuple[str, str], dict[str, str]] = {}

    @staticmethod
    def _from_persona(persona: Persona) -> dict[str, Any]:
        out = {"id": persona.id, "kind": persona.kind.value}
        for name in FIELDS:
            value = getattr(persona, name)
            if value:
                out[name] = value
        return out

    def draw(self, ref: str, rng: random.Random) -> dict[str, Any]:
        """A persona: the named one `ref`, or a random member of pool `ref`."""
        named = self.named.get(ref)
        if named is not None:
            return named
        pool = self.pools[ref]
        return self.member(pool, int(rng.random() * pool.size))

    def members(self, pool: PersonaPool) -> list[dict[str, Any] | None]:
        """The pool's members drawn so far, in index order, each made once someone needs it (None until
        then): the list itself, filled as people speak (`member` makes one)."""
        members = self._members.get(pool.id)
        if members is None:
            members = self._members[pool.id] = []
            self._draws[pool.id] = []
            self._pool_rngs[pool.id] = random.Random(stream_seed(self.seed, f"pool:{pool.id}"))
        return members

    def member(self, pool: PersonaPool, index: int) -> dict[str, Any]:
        members = self.members(pool)
        draws = self._draws[pool.id]
        if len(draws) <= index:  # drawn in index order, so member i never depends on who spoke first
            rng = self._pool_rngs[pool.id]
            for _ in range(index + 1 - len(draws)):
                draws.append(_draw(pool, rng))
            members.extend([None] * (len(draws) - len(members)))
        person = members[index]
        if person is None:
            person = members[index] = self._person(pool, index, draws[index])
        return person

    def values(self, person: dict[str, Any], prefix: str) -> dict[str, str]:
        """`{prefix}.name`, `{prefix}.outlet`… for templates, cached per person."""
        key = (person["id"], prefix)
        values = self._values.get(key)
        if values is None:
            keys = _KEYS.get(prefix) or _KEYS.setdefault(prefix, tuple((f"{prefix}.{name}", name) for name in FIELDS))
            values = self._values[key] = {name_key: str(person.get(name, "")) for name_key, name in keys}
        return values

    @staticmethod
    def _person(pool: PersonaPool, index: int, draws: Draws) -> dict[str, Any]:
        first_name, family, joiner, other, prefix, number, pair, last_pair, mail, handle, outlet, title = draws
        name = _name(first_name, family, joiner, other)
        slug = _ascii(name) or "person"
        person: dict[str, Any] = {
            "id": f"{pool.id}#{index}",
            "kind": pool.kind.value,
            "name": name,
            "phone": f"07{'02369'[prefix]}-{number} {pair} {last_pair}",
            "email": f"{slug[:20]}{mail}@example.se",
            "handle": f"@{slug[:15]}{handle}",
        }
        if outlet is not None:
            person["outlet"] = outlet
        if title is not None:
            person["title"] = title
        if pool.organisation:
            person["organisation"] = pool.organisation
        return person
