"""Two short parts of the report's appendices: each public message's readability and content
(metrics/quality.py), and the missed calls (metrics/calls.py)."""

from __future__ import annotations

from krisovning.i18n import t
from krisovning.report.blocks import Block, Cell, Heading, Para, Table, cells
from krisovning.report.fmt import clock, number
from krisovning.report.model import Report


def quality_blocks(r: Report) -> list[Block]:
    """Each public message's readability and content (metrics/quality.py): a hint, not a grade."""
    public = [p for p in r.publications if p.quality is not None]
    if not public:
        return []
    first = public[0].quality
    assert first is not None
    out: list[Block] = [
        Heading(3, t("report.h.quality"), "message-quality"),
        Para(t("report.quality.intro", lix=first.lix_target, words=first.sentence_target), muted=True),
    ]
    rows = []
    for p in public:
        q = p.quality
        assert q is not None
        has = len(q.elements)
        parts = [t("report.quality.has", has=has, of=has + len(q.missing))] if q.elements or q.missing else []
        if q.missing:
            parts.append(t("quality.missing", missing=", ".join(q.missing)))
        rows.append(
            cells(
                clock(p.t),
                Cell(number(round(q.lix)), "" if q.lix <= q.lix_target else "missed"),
                Cell(number(round(q.mean_sentence)), "" if q.mean_sentence <= q.sentence_target else "missed"),
                "; ".join(parts) or "–",
                ", ".join(q.avoid) or "–",
            )
        )
    headers = [
        t("report.col.time"),
        t("report.col.lix"),
        t("report.col.sentence_words"),
        t("report.col.key_message"),
        t("report.col.avoid"),
    ]
    out.append(Table(headers, rows, wide={3}, nowrap={0}))
    return out


MISSED_CALLERS = 6


def missed_calls(r: Report) -> list[Block]:
    """One line: the missed calls, and whose they were per role (metrics/calls.py)."""
    c = r.calls
    if c is None:
        return []
    shown = [t("report.missed_calls_by", role=m.role_name, caller=m.caller, n=m.missed) for m in c.missed_by]
    if len(shown) > MISSED_CALLERS:  # one short line: the most missed callers, the rest counted
        rest = sum(m.missed for m in c.missed_by[MISSED_CALLERS:])
        shown = shown[:MISSED_CALLERS] + [t("report.missed_calls_more", n=rest)]
    who = "; ".join(shown)
    return [Para(t("report.missed_calls", missed=c.missed, calls=c.calls) + (f" {who}." if who else ""))]
