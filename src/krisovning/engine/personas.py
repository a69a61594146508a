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


# A member's draws from the pool's stream, in the order made: the random numbers that pick the first
# name's table, the first name, the shape (kept as its joiner), the last name and the second last name
# (None when the shape has none), then the phone number's four parts, the e-mail address's number and
# the handle's; last the outlet and the title (None when the pool has none).
Draws = tuple[Any, ...]


def _draw(pool: PersonaPool, rng: random.Random, draws: list[Draws], count: int) -> None:
    """Members len(draws)…count-1's draws from the pool's stream, appended to `draws` (each member's after
    those before it). Only the random numbers are drawn: the person is made from them when someone needs
    them (`_person`); most members of a big pool are drawn only to reach a later one."""
    shapes = _names()[3]
    r = rng.random  # random() is ~4x cheaper than randrange(); the forms are the same
    outlets, titles = pool.outlets, pool.titles
    if not outlets and not titles:  # most members (residents): the same draws, one tuple each
        width = len(shapes)
        append = draws.append
        for _ in range(count - len(draws)):
            table, first, shape = r(), r(), r()
            joiner = shapes[int(shape * width)]
            if joiner is None:
                append((table, first, None, r(), None, r(), r(), r(), r(), r(), r(), None, None))
            else:
                append((table, first, joiner, r(), r(), r(), r(), r(), r(), r(), r(), None, None))
        return
    for _ in range(count - len(draws)):
        table, first, shape = r(), r(), r()
        joiner = shapes[int(shape * len(shapes))]
        # a tuple's items are evaluated in order: the draws in the order they always were
        numbers: Draws
        if joiner is None:
            numbers = (table, first, None, r(), None, r(), r(), r(), r(), r(), r())
        else:
            numbers = (table, first, joiner, r(), r(), r(), r(), r(), r(), r(), r())
        outlet = rng.choice(outlets) if outlets else None
        title = rng.choice(titles) if titles else None
        draws.append((*numbers, outlet, title))


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
            _draw(pool, self._pool_rngs[pool.id], draws, index + 1)
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
        table, first, joiner, family, other, prefix, number, pair, last_pair, mail, handle, outlet, title = draws
        female, male, last, _shapes = _names()
        # Chooser's weighted draw (engine/social.py), written out
        names = female if table < 0.5 else male
        first_name = names.items[bisect(names.cumulative, first * names.total)]
        family_name = last.items[bisect(last.cumulative, family * last.total)]
        other_name = None if other is None else last.items[bisect(last.cumulative, other * last.total)]
        name = _name(first_name, family_name, joiner, other_name)
        slug = _ascii(name) or "person"
        person: dict[str, Any] = {
            "id": f"{pool.id}#{index}",
            "kind": pool.kind.value,
            "name": name,
            "phone": f"07{'02369'[int(prefix * 5)]}-{100 + int(number * 900)} {10 + int(pair * 90)} "
            f"{10 + int(last_pair * 90)}",
            "email": f"{slug[:20]}{10 + int(mail * 89)}@example.se",
            "handle": f"@{slug[:15]}{1 + int(handle * 998)}",
        }
        if outlet is not None:
            person["outlet"] = outlet
        if title is not None:
            person["title"] = title
        if pool.organisation:
            person["organisation"] = pool.organisation
        return person
