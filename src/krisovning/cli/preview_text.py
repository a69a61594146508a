"""`krisovning preview` as text: each bot team's figures side by side, one column (or one part of a cell) each."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from krisovning.cli.output import unescaped
from krisovning.i18n import t
from krisovning.i18n.fmt import minutes, number
from krisovning.scenario import Scenario
from krisovning.textsafe import visible_line

SHOW_AFTER = 1.0  # seconds: a preview quicker than this draws no progress bar


class Progress:
    """A one-line progress bar on stderr, drawn once a run has taken `SHOW_AFTER` seconds; silent when
    stderr is not a terminal (a pipe or a file gets no carriage returns)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, terminal: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if terminal is None else terminal
        self.clock = clock
        self.started = clock()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or (self.shown < 0 and self.clock() - self.started < SHOW_AFTER):
            return
        percent = done * 100 // total
        if percent != self.shown:
            self.shown = percent
            bar = "█" * (percent // 4) + "·" * (25 - percent // 4)
            stderr = unescaped(sys.stderr)  # our own \r redraws the line
            stderr.write(f"\r{t('preview.progress')} {bar} {done}/{total}")
            if done == total:
                stderr.write("\n")
            stderr.flush()


def _n(x: float, digits: int = 0) -> str:
    return f"{x:.{digits}f}"


def _spread(spread: dict[str, float], digits: int = 0) -> str:
    return f"{_n(spread['median'], digits)} ({_n(spread['min'], digits)}–{_n(spread['max'], digits)})"


def _window(row: dict[str, Any]) -> str:
    return f"{minutes(row['start'])}–{minutes(row['end'])}"


def print_preview(scenario: Scenario, result: dict[str, Any]) -> None:
    policies: list[str] = result["policies"]
    by = [result["results"][p] for p in policies]
    several = len(policies) > 1
    print(
        t(
            "preview.header",
            title=visible_line(scenario.title),
            runs=result["runs"],
            policy=", ".join(policies),
            first=result["seed"],
            last=result["seed"] + result["runs"] - 1,
        )
    )
    if several:
        print(t("preview.columns", policies=" / ".join(policies)))

    def cells(spreads: list[dict[str, float]]) -> str:
        # one policy: median (min–max); several: the medians, side by side
        if not several:
            return _spread(spreads[0])
        return " / ".join(_n(s["median"]) for s in spreads)

    print()
    print(t("preview.load_title") if not several else t("preview.load_title_policies"))
    roles = list(by[0]["load"][0]["roles"])
    _table(
        [t("preview.window"), t("preview.total")] + [visible_line(r) for r in roles],
        [
            [_window(w), cells([r["load"][i]["total"] for r in by])]
            + [cells([r["load"][i]["roles"][role] for r in by]) for role in roles]
            for i, w in enumerate(by[0]["load"])
        ],
    )

    print()
    print(t("preview.social_title"))
    _table(
        [""] + policies,
        [
            [t("preview.posts")] + [_spread(r["social"]["posts"]) for r in by],
            [t("preview.peak")] + [_spread(r["social"]["peak_per_hour"]) for r in by],
        ],
    )
    social = by[0]["social"]
    print()
    if social["population"]:
        print(t("preview.volume_title", population=number(social["population"])))
    else:
        print(t("preview.volume_title_unscaled"))
    _table(
        [t("preview.window")] + policies,
        [
            [_window(h)] + [_spread(r["social"]["by_hour"][i]["per_hour"]) for r in by]
            for i, h in enumerate(social["by_hour"])
        ],
    )

    print()
    print(t("preview.rumour_title"))
    rows = []
    for i, peak in enumerate(by[0]["rumour_peak"]):
        label = t("preview.rumour_window", window=minutes(peak["window"]))
        if peak["objectives"]:
            label += " " + t("preview.rumour_measured_by", objectives=", ".join(peak["objectives"]))
        rows.append([label] + [_rumour(r["rumour_peak"][i]["per_hour"]) for r in by])
    _table([""] + policies, rows)

    if by[0]["conditional"]:
        print()
        print(t("preview.conditional_title"))
        _table(
            [t("preview.inject")] + policies,
            [
                [visible_line(c["id"])] + [_fired(r["conditional"][i]) for r in by]
                for i, c in enumerate(by[0]["conditional"])
            ],
        )

    print()
    print(t("preview.objectives_rates_title"))
    _table(
        [t("preview.objective")] + policies,
        [
            [visible_line(o["title"])] + [_rates(r["objectives"][i]["rates"]) for r in by]
            for i, o in enumerate(by[0]["objectives"])
        ],
    )


def _rumour(spread: dict[str, float]) -> str:
    return t(
        "preview.rumour_cell",
        median=_n(spread["median"]),
        p10=_n(spread["p10"]),
        p90=_n(spread["p90"]),
        max=_n(spread["max"]),
    )


def _fired(item: dict[str, Any]) -> str:
    share = f"{item['share'] * 100:.0f} %"
    if item["at"] is None:
        return share
    return t("preview.fired_cell", share=share, at=minutes(item["at"]["median"]))


def _rates(rates: dict[str, float]) -> str:
    return " / ".join(f"{rates[k] * 100:.0f}" for k in ("met", "partly_met", "not_met")) + " %"


def _table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    for row in [headers] + rows:
        print("  " + "  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
