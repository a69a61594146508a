"""Charts with matplotlib (Agg, no pyplot): the same figure code gives SVG for HTML and PNG for DOCX.

matplotlib is imported inside the functions, so importing krisovning stays fast. Charts
carry only our own labels and numbers, never user text. SVG text stays text (`<text>`,
escaped by matplotlib): searchable, a third of the size, and without the glyph `<path>`s
that have no `d` (a space), which the W3C checker refuses. Output is deterministic (fixed
hash salt, no dates in the metadata).
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

from krisovning.report.fmt import clock

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

BLUE, ORANGE, RED, GREY, GREEN = "#2f5d8a", "#d9822b", "#b03a2e", "#6b7280", "#3a7d44"
WIDTH = 7.2  # inches: fits an A4 page with margins


def _rc() -> dict[RcKeyType, Any]:
    return {
        "svg.hashsalt": "krisovning",
        "svg.fonttype": "none",
        "font.family": "sans-serif",  # measured with DejaVu Sans (matplotlib's own); a viewer may substitute
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 8.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 9,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
    }


def render_chart(kind: str, data: Any, labels: dict[str, str], fmt: str) -> bytes:
    """The chart `kind` ("pressure", "timeline" or "trend") of `data` as SVG text or PNG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(WIDTH, 3.9 if kind in ("pressure", "timeline") else 2.6), layout="constrained")
        FigureCanvasAgg(fig)
        if kind == "pressure":
            _pressure(fig, data, labels)
        elif kind == "timeline":
            from krisovning.report.chart_timeline import draw_timeline

            draw_timeline(fig, data, labels)
        else:
            _trend(fig, data, labels)
        out = io.BytesIO()
        if fmt == "svg":
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
            text = out.getvalue().decode("utf-8")
            text = re.sub(r"\s*<metadata>.*?</metadata>", "", text[text.index("<svg") :], flags=re.DOTALL)
            return text.encode("utf-8")  # no XML prolog and no RDF metadata: it goes inline
        fig.savefig(out, format="png", dpi=160, metadata={"Software": None})
        return out.getvalue()


def _time_axis(ax: Any, last: float) -> None:
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    step = next((m for m in (15, 30, 60, 120, 240, 360, 720, 1440) if last / 60.0 / m <= 10), 2880)
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: clock(v * 60.0)))
    ax.set_xlim(0, max(last / 60.0, 1.0))


def _pressure(fig: Any, p: Any, labels: dict[str, str]) -> None:
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[2.2, 1])
    x = [pt.t / 60.0 for pt in p.points]
    # the top plots the report's peak measure (posts per hour averaged over its window, `p.curve`), so the
    # chart's highest point is the peak the summary and the objective state; an old report has only samples
    curve = p.curve or [
        type("P", (), {"t": pt.t, "rate": pt.rate, "rumour": pt.rate * pt.rumour_share}) for pt in p.points
    ]
    cx = [pt.t / 60.0 for pt in curve]
    rate = [pt.rate for pt in curve]
    rumour = [pt.rumour for pt in curve]
    top.fill_between(cx, rate, color=BLUE, alpha=0.18, linewidth=0)
    top.plot(cx, rate, color=BLUE, linewidth=1.4, label=labels["rate"])
    top.fill_between(cx, rumour, color=ORANGE, alpha=0.45, linewidth=0, label=labels["rumour"])
    below = getattr(p, "rumour_below", None)
    if below is not None:  # the rumour objective's threshold, on the same measure
        top.axhline(below, color=RED, linestyle="--", linewidth=1.0, label=labels.get("threshold"))
    top.set_ylabel(labels["per_hour"])
    top.set_ylim(bottom=0, top=max(max(rate, default=0.0) * 1.15, (below or 0.0) * 1.15, 1.0))
    top.grid(axis="y", color="#e5e7eb", linewidth=0.6)
    bottom.plot(
        x, [pt.rumour_share * 100 for pt in p.points], color=ORANGE, linewidth=1.3, label=labels["rumour_share"]
    )
    bottom.plot(
        x,
        [pt.negative_share * 100 for pt in p.points],
        color=RED,
        linewidth=1.1,
        linestyle="--",
        label=labels["negative_share"],
    )
    bottom.set_ylim(0, 100)
    bottom.set_ylabel(labels["share"] + " (%)")
    bottom.set_xlabel(labels["time"])
    bottom.grid(axis="y", color="#e5e7eb", linewidth=0.6)
    last = max(x[-1] * 60.0 if x else 0.0, cx[-1] * 60.0 if cx else 0.0, max(p.publications, default=0.0))
    for index, at in enumerate(p.publications):
        for ax in (top, bottom):
            ax.axvline(at / 60.0, color=GREEN, linewidth=1.0, linestyle=":", zorder=1)
        top.plot(
            [at / 60.0],
            [1.0],
            marker="^",
            color=GREEN,
            markersize=7,
            transform=top.get_xaxis_transform(),
            clip_on=False,
            linestyle="none",
            label=labels["publication"] if index == 0 else None,
        )
    top.legend(loc="upper right", frameon=False, ncols=3)
    bottom.legend(loc="upper right", frameon=False, ncols=2)
    _time_axis(bottom, last)


def _trend(fig: Any, comparison: Any, labels: dict[str, str]) -> None:
    rows = comparison.rows
    names = [f"#{i + 1}" for i in range(len(rows))]
    x = list(range(len(rows)))
    times, met, rumour = fig.subplots(1, 3)

    def minutes(values: list[float | None]) -> list[float]:
        return [v / 60.0 if v is not None else float("nan") for v in values]

    times.plot(x, minutes([r.first_message for r in rows]), marker="o", color=BLUE, label=labels["first_message"])
    times.plot(x, minutes([r.median_response for r in rows]), marker="s", color=ORANGE, label=labels["median"])
    times.axhline(comparison.norm / 60.0, color=GREY, linestyle="--", linewidth=0.9, label=labels["norm"])
    times.set_title(labels["minutes"])
    values = [v / 60.0 for r in rows for v in (r.first_message, r.median_response) if v is not None]
    times.set_ylim(0, max(values + [comparison.norm / 60.0]) * 1.35)
    times.legend(frameon=False, fontsize=7, loc="upper right")
    shares = [100.0 * r.objectives_met / r.objectives_total if r.objectives_total else 0.0 for r in rows]
    met.bar(x, shares, color=GREEN, width=0.6)
    met.set_ylim(0, 100)
    met.set_title(labels["objectives"])
    rumour.bar(x, [r.rumour_peak for r in rows], color=ORANGE, width=0.6)
    rumour.set_title(labels["rumour_peak"])
    for ax in (times, met, rumour):
        ax.set_xticks(x, names)
        ax.set_xlim(-0.6, len(rows) - 0.4)
        ax.grid(axis="y", color="#e5e7eb", linewidth=0.6)
