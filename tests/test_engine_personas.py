"""Pool members: Swedish names from Faker's tables kept in the package, the same people for a seed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from scenario_factory import scenario

from krisovning.engine.personas import People

ROOT = Path(__file__).resolve().parent.parent
TABLES = json.loads(resources.files("krisovning").joinpath("data/names_sv.json").read_text(encoding="utf-8"))


def test_members_are_the_same_people_for_a_seed_whatever_order_they_speak_in():
    s = scenario(persona_pools=[{"id": "folk", "kind": "citizen", "size": 400}])
    pool = s.persona_pools[0]
    forward = People(s, 3)
    members = [forward.member(pool, i) for i in range(400)]
    backward = People(s, 3)
    assert [backward.member(pool, i) for i in reversed(range(400))][::-1] == members
    other_seed = People(s, 4)
    assert [other_seed.member(pool, i)["name"] for i in range(400)] != [m["name"] for m in members]
    first_names = set(TABLES["first_names_female"]) | set(TABLES["first_names_male"])
    for m in members:
        first, *rest = m["name"].split(" ")
        assert first in first_names and rest
        assert m["email"].endswith("@example.se") and m["email"].isascii() and m["handle"].startswith("@")
        assert m["phone"].startswith("07") and m["kind"] == "citizen" and m["id"].startswith("folk#")
    shapes = Counter(" " in m["name"].split(" ", 1)[1] or "-" in m["name"] for m in members)
    assert shapes[True] > 20 and shapes[False] > 200  # double last names now and then, as in Faker's formats


def test_the_kept_tables_are_fakers_when_the_same_faker_is_installed(tmp_path):
    recorded = TABLES["source"].split(",")[0].removeprefix("Faker ")
    # The test extras pin this Faker; moving the pin means running tools/names_from_faker.py (new people everywhere).
    assert version("Faker") == recorded, (
        f"the tables were taken from Faker {recorded}; Faker {version('Faker')} is installed"
    )
    out = tmp_path / "names_sv.json"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "names_from_faker.py"), str(out)], check=True, capture_output=True
    )
    assert json.loads(out.read_text(encoding="utf-8")) == TABLES
