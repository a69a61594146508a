"""Write src/krisovning/data/names_sv.json from Faker's sv_SE name tables.

Pool members are drawn from these tables (engine/personas.py). They are kept in the package,
not read from Faker at run time, so that a journal replays to the same people after Faker is
upgraded (a changed table would change every drill's members, and resume would refuse the
session), and so that a drill does not pay for importing Faker (~0.15 s).
Run it to take a newer Faker's tables on purpose; every digest of a drill with a pool changes.

    python tools/names_from_faker.py [OUT]   (default: the package's data/names_sv.json)
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

from faker.providers.person.sv_SE import Provider

OUT = Path(__file__).resolve().parent.parent / "src" / "krisovning" / "data" / "names_sv.json"


def weighted(table) -> dict[str, float]:
    if isinstance(table, dict):
        return {name: float(weight) for name, weight in table.items()}
    return {name: 1.0 for name in table}


def main() -> None:
    # the same shapes for women and men: "F L", "F L L", "F L-L"; kept as what joins a second last name
    shapes = [None if f.count("last_name") < 2 else "-" if "}}-{{" in f else " " for f in Provider.formats_female]
    data = {
        "source": f"Faker {version('Faker')}, faker.providers.person.sv_SE (MIT licence)",
        "first_names_female": weighted(Provider.first_names_female),
        "first_names_male": weighted(Provider.first_names_male),
        "last_names": weighted(Provider.last_names),
        "shapes": shapes,
    }
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out} from {data['source']}")


if __name__ == "__main__":
    main()
