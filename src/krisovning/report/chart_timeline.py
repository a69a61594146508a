"""The drill on one time axis (report/charts.py draws it): key injects, the team's public messages and its
decisions on one strip; under it the response time to each inject against the load (injects per quarter hour).

Only our own labels and numbers are drawn, never user text (an inject's subject stays in the inject log).
"""

from __future__ import annotations

import math
from typing import Any

from krisovning.report.charts import BLUE, GREEN, GREY, ORANGE, RED, _time_axis

KEY_PRIORITIES = ("high", "critical")  # a key inject: one of these, or one that expects an action
QUARTER = 900.0
_STATUS_COLOUR = {"met": GREEN, "answered": GREEN, "missed": RED, "broken": RED, "open": ORANGE, "none": GREY}


def draw_timeline(fig: Any, report: Any, labels: dict[str, str]) -> None:
    strip, load_ax = fig.subplots(2, 1, sharex=True, height_ratios=[1.1, 1.6])
    keys = [x for x in report.timeline if x.priority in KEY_PRIORITIES or x.expected]
    public = [p.t for p in report.publications if p.public]
    decisions = [d.t for d in report.decisions]
    lanes = ((2, labels["injects"]), (1, labels["published"]), (0, labels["decisions"]))
    strip.scatter(
        [x.t / 60.0 for x in keys],
        [2] * len(keys),
        c=[_STATUS_COLOUR[x.status] for x in keys],
        marker="o",
        s=22,
        zorder=3,
    )
    strip.scatter([v / 60.0 for v in public], [1] * len(public), color=GREEN, marker="^", s=34, zorder=3)
    strip.scatter([v / 60.0 for v in decisions], [0] * len(decisions), color=BLUE, marker="D", s=22, zorder=3)
    strip.set_yticks([y for y, _ in lanes], [name for _, name in lanes])
    strip.set_ylim(-0.6, 2.6)
    strip.spines["left"].set_visible(False)
    strip.tick_params(axis="y", length=0)
    for y, _ in lanes:
        strip.axhline(y, color="#e5e7eb", linewidth=0.8, zorder=1)

    last = max(
        [report.overview.duration, *(x.t for x in report.timeline), *public, *decisions, 60.0],
    )
    # the load: injects arriving per quarter hour, as bars on their own axis
    counts = [0] * max(1, math.ceil(last / QUARTER))
    for x in report.timeline:
        counts[min(len(counts) - 1, int(x.t // QUARTER))] += 1
    load = load_ax.twinx()
    load.bar(
        [(i + 0.5) * QUARTER / 60.0 for i in range(len(counts))],
        counts,
        width=QUARTER / 60.0 * 0.9,
        color=GREY,
        alpha=0.22,
        label=labels["load"],
        zorder=1,
    )
    load.set_ylabel(labels["load"])
    load.set_ylim(0, max(max(counts) * 1.25, 1.0))
    load.spines["right"].set_visible(True)
    load_ax.set_zorder(load.get_zorder() + 1)
    load_ax.patch.set_visible(False)
    answered = [x for x in report.timeline if x.response is not None]
    load_ax.scatter(
        [x.t / 60.0 for x in answered],
        [x.response / 60.0 for x in answered],
        color=[_STATUS_COLOUR[x.status] for x in answered],
        marker="o",
        s=16,
        label=labels["response"],
        zorder=3,
    )
    missed = [x for x in report.timeline if x.status == "missed" and x.within is not None]
    if missed:
        load_ax.scatter(
            [x.t / 60.0 for x in missed],
            [x.within / 60.0 for x in missed],
            color=RED,
            marker="x",
            s=24,
            label=labels["missed"],
            zorder=3,
        )
    top = max([x.response / 60.0 for x in answered] + [x.within / 60.0 for x in missed] + [1.0])
    load_ax.set_ylim(0, top * 1.2)
    load_ax.set_ylabel(labels["response"])
    load_ax.set_xlabel(labels["time"])
    load_ax.grid(axis="y", color="#e5e7eb", linewidth=0.6)
    handles = load_ax.get_legend_handles_labels()
    extra = load.get_legend_handles_labels()
    load_ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper right", frameon=False, ncols=3)
    _time_axis(load_ax, last)
