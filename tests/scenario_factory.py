"""Small scenarios built in code for engine and metrics tests."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

from krisovning.scenario import Scenario, load_scenario_bytes

BASE: dict[str, Any] = {
    "id": "test",
    "title": "Testövning",
    "duration": "2h",
    "start": "2026-03-10T08:00",
    "organisation": {"name": "Testby kommun"},
    "roles": [{"id": "kommunikation", "name": "Kommunikation"}, {"id": "press", "name": "Press"}],
    "facts": {"plats": "Testby"},
    "personas": [
        {"id": "p4", "name": "Anna Ek", "kind": "journalist", "outlet": "P4 Test"},
        {"id": "tib", "name": "Bo Ek", "kind": "official"},
    ],
    "persona_pools": [{"id": "folk", "kind": "citizen", "size": 50}],
}


def scenario(**overrides: Any) -> Scenario:
    data = copy.deepcopy(BASE)
    data.update(overrides)
    return Scenario.model_validate(data)


def inject(id: str, **fields: Any) -> dict[str, Any]:
    out = {"id": id, "channel": "phone", "from": "p4", "to": "press", "text": f"Inspel {id} i {{plats}}"}
    out.update(fields)
    return out


def thread(id: str = "t", baseline: float = 0, branching: float = 0.5, mix: dict | None = None) -> dict[str, Any]:
    return {"id": id, "baseline": baseline, "branching": branching, "mix": mix or {"information": 1.0}}


def social(*threads: dict[str, Any], **fields: Any) -> dict[str, Any]:
    out = {
        "authors": ["folk"],
        "half_life": "10m",
        "threads": list(threads) or [thread()],
        "templates": {
            c: [f"{c} från {{author.name}}"]
            for c in ("information", "question", "rumour", "criticism", "support", "eyewitness")
        },
    }
    out.update(fields)
    return out


def starter() -> Scenario:
    raw = resources.files("krisovning").joinpath("data/starter.yaml").read_bytes()
    return load_scenario_bytes(raw, "starter.yaml")
