"""The plain-language hint (metrics/quality.py): how long one measurement of a message takes, and the LIX of
each bundled scenario's model answers (its topics' `answer`s, which the bot teams publish).

The publish form measures once typing pauses (tui/team.py, QUALITY_DELAY); this says what that costs for a
short message, a full notice and the longest text an action may hold. Run: python bench/bench_quality.py
"""

from __future__ import annotations

import time
from pathlib import Path

from krisovning.engine.actions import MAX_ACTION_TEXT
from krisovning.metrics.quality import QualityMeter, lix
from krisovning.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
NOTICE = (
    "Det finns bakterier i dricksvattnet i Ekebacka tätort, Norra Ekebacka och Lövsjö. Koka vattnet innan du "
    "dricker det eller lagar mat med det. Rekommendationen gäller tills vidare. Läs mer på ekebacka.se/vatten. "
)


def timed(meter: QualityMeter, text: str, rounds: int) -> float:
    start = time.perf_counter()
    for i in range(rounds):
        meter.measure(text + str(i))  # a new text each time, as typing gives (no cache hit)
    return (time.perf_counter() - start) / rounds * 1000


def main() -> None:
    meter = QualityMeter(load_scenario(SCENARIOS / "dricksvatten.yaml"))
    meter.measure("uppvärmning")
    for label, text, rounds in (
        ("short message (60 chars)", NOTICE[:60], 200),
        (f"notice ({len(NOTICE)} chars)", NOTICE, 200),
        (f"longest action text ({MAX_ACTION_TEXT} chars)", (NOTICE * 60)[:MAX_ACTION_TEXT], 20),
    ):
        print(f"{label:<40} {timed(meter, text, rounds):7.2f} ms per measurement")
    print()
    print(f"{'scenario':<18} {'answers':>7} {'LIX all':>8}  LIX each")
    for path in sorted(SCENARIOS.glob("*.yaml")):
        s = load_scenario(path)
        answers = [topic.answer for topic in s.topics if topic.answer]
        each = " ".join(f"{lix(a):.0f}" for a in answers)
        print(f"{path.stem:<18} {len(answers):>7} {lix(' '.join(answers)):>8.1f}  {each}")


if __name__ == "__main__":
    main()
