"""Missed calls are measured per role and caller (metrics/calls.py) and said in one line of the report."""

from __future__ import annotations

import json

import pytest
from hostile import SCENARIO_SAFE, has_raw_control
from report_cases import STARTER, meta

from krisovning.engine.events import Event
from krisovning.engine.headless import run_headless
from krisovning.i18n import set_language
from krisovning.metrics.calls import tally_calls
from krisovning.report import build_report
from krisovning.report import render as render_bytes
from krisovning.scenario import load_scenario_bytes


def _inject(seq: int, inject_id: str, to: str, name: str, channel: str = "phone", source: str = "scripted", **who):
    sender = {"id": name.lower(), "kind": "journalist", "name": name, **who}
    data = {"id": inject_id, "source": source, "channel": channel, "sender": sender, "to": to}
    return Event(seq, float(seq), "inject", {**data, "text": "x", "priority": "normal", "world_time": "w"})


def _missed(seq: int, inject_id: str) -> Event:
    return Event(seq, float(seq), "call_missed", {"inject": inject_id, "ring": 60.0})


def test_calls_are_counted_per_role_and_caller_and_only_phone_calls_that_ring():
    events = [
        _inject(1, "a", "press", "Karin Ek", outlet="P4"),
        _inject(2, "a+r", "press", "Karin Ek", outlet="P4", source="retry"),
        _inject(3, "b", "chef", "Bo Ek", organisation="Räddningstjänsten"),
        _inject(4, "c", "press", "Karin Ek", outlet="P4", channel="email"),  # no call
        _inject(5, "a+story", "press", "Karin Ek", outlet="P4", source="story"),  # a story does not ring
        _inject(6, "d", "press", "Ada Lund"),
        _missed(7, "a"),
        _missed(8, "a+r"),
        _missed(9, "d"),
    ]
    tally = tally_calls(events)
    assert (tally.calls, tally.missed) == (4, 3)
    rows = [(r.role, r.caller, r.calls, r.missed) for r in tally.by_caller]
    assert rows == [
        ("press", "Karin Ek (P4)", 2, 2),
        ("press", "Ada Lund", 1, 1),
        ("chef", "Bo Ek (Räddningstjänsten)", 1, 0),
    ]
    assert tally.missed_by_role() == {"press": 3, "chef": 0}
    assert [r.caller for r in tally.missed_by_caller] == ["Karin Ek (P4)", "Ada Lund"]


def render(report, fmt: str) -> str:
    return render_bytes(report, fmt).decode("utf-8")


def _report(policy: str, text: str = STARTER, lang: str = "sv"):
    set_language(lang)
    scenario = load_scenario_bytes(text.encode("utf-8"), "starter.yaml")
    _, events = run_headless(scenario, 7, policy)
    return build_report(scenario, events, meta(team=policy)), events


def test_the_report_says_the_missed_calls_in_one_line_in_both_languages():
    report, events = _report("silent")
    tally = tally_calls(events)
    assert report.calls is not None and report.calls.calls == tally.calls and report.calls.missed == tally.missed > 0
    md = render(report, "md")
    line = next(line for line in md.splitlines() if line.startswith("Missade samtal:"))
    assert line.startswith(f"Missade samtal: {tally.missed} av {tally.calls}.") and "Presssekreterare: Karin Ek" in line
    english = render(_report("silent", lang="en")[0], "md")
    assert f"Missed calls: {tally.missed} of {tally.calls}." in english
    data = json.loads(render(report, "json"))
    assert data["calls"]["missed_by"][0]["missed"] >= 1 and data["calls"]["missed_by"][0]["role"]


def test_a_drill_without_calls_has_no_line_and_no_field():
    no_calls = STARTER.replace("channel: phone", "channel: email")
    report, _ = _report("silent", no_calls)
    assert report.calls is None
    assert "Missade samtal" not in render(report, "md") and "calls" not in json.loads(render(report, "json"))


@pytest.mark.parametrize("name", SCENARIO_SAFE)
def test_a_hostile_caller_is_escaped_in_html_and_has_no_raw_control_characters(name):
    text = STARTER.replace("name: Karin Ek", f"name: {json.dumps(name[:150], ensure_ascii=False)}", 1)
    report, _ = _report("silent", text)
    line = next(line for line in render(report, "md").splitlines() if line.startswith("Missade samtal:"))
    assert not has_raw_control(line)
    calls = render(report, "html").split("Missade samtal:", 1)[1].split("</p>", 1)[0]
    assert not has_raw_control(calls) and "<" not in calls  # the caller's markup is escaped
