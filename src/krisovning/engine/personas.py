"""Who speaks: named personas from the scenario and generated pool members (Faker sv_SE).

Pool members are made lazily and each from its own seed (seed, pool, index), so a pool
of 5,000 costs nothing until someone from it speaks, and drawing one member never
shifts another's name.
"""

from __future__ import annotations

import random
import re
import unicodedata
from functools import lru_cache
from typing import Any

from krisovning.engine.rng import stream_seed
from krisovning.scenario.model import Persona, PersonaPool, Scenario

FIELDS = ("name", "outlet", "title", "organisation", "phone", "email", "handle")


@lru_cache(maxsize=4)
def _faker(locale: str) -> Any:
    from faker import Faker  # imported on first use: Faker costs ~0.1 s to import

    return Faker(locale)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


class People:
    def __init__(self, scenario: Scenario, seed: int, locale: str = "sv_SE") -> None:
        self.seed = seed
        self.locale = locale
        self.named: dict[str, dict[str, Any]] = {p.id: self._from_persona(p) for p in scenario.personas}
        self.pools: dict[str, PersonaPool] = {p.id: p for p in scenario.persona_pools}
        self._members: dict[tuple[str, int], dict[str, Any]] = {}

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
        if ref in self.named:
            return self.named[ref]
        pool = self.pools[ref]
        return self.member(pool, rng.randrange(pool.size))

    def member(self, pool: PersonaPool, index: int) -> dict[str, Any]:
        key = (pool.id, index)
        person = self._members.get(key)
        if person is None:
            person = self._members[key] = self._make(pool, index)
        return person

    def _make(self, pool: PersonaPool, index: int) -> dict[str, Any]:
        own_seed = stream_seed(self.seed, f"pool:{pool.id}:{index}")
        fake = _faker(self.locale)
        fake.seed_instance(own_seed)
        pick = random.Random(own_seed)
        name = fake.name()
        slug = _ascii(name) or "person"
        person: dict[str, Any] = {
            "id": f"{pool.id}#{index}",
            "kind": pool.kind.value,
            "name": name,
            "phone": fake.phone_number(),
            "email": f"{slug[:20]}{pick.randrange(10, 99)}@example.se",
            "handle": f"@{slug[:15]}{pick.randrange(1, 999)}",
        }
        if pool.outlets:
            person["outlet"] = pick.choice(pool.outlets)
        if pool.titles:
            person["title"] = pick.choice(pool.titles)
        if pool.organisation:
            person["organisation"] = pool.organisation
        return person
