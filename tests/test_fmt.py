"""Times and figures as each language writes them (i18n/fmt.py): the one formatting rule."""

from __future__ import annotations

import pytest

from krisovning.i18n import get_language, set_language
from krisovning.i18n.fmt import exercise_clock, exercise_time, minutes, number, percent, time_of_day
from krisovning.report import fmt as report_fmt
from krisovning.tui.feed_view import clock as feed_clock


@pytest.fixture
def language():
    before = get_language()
    yield set_language
    set_language(before)


def test_numbers_and_percentages_per_language(language) -> None:
    language("sv")
    assert (number(12345.6), percent(0.2), percent(0.256)) == ("12\u00a0346", "20\u00a0%", "26\u00a0%")
    language("en")
    assert (number(12345.6), percent(0.2), percent(0.256)) == ("12,346", "20%", "26%")
    assert (number(None), percent(None)) == ("–", "–")
    assert (report_fmt.number, report_fmt.percent) == (number, percent)  # the report writes them this way too


def test_times() -> None:
    assert [exercise_time(s) for s in (0, 59.9, 60, 3899, -300)] == ["T+0:00", "T+0:00", "T+0:01", "T+1:04", "T-0:05"]
    assert feed_clock is exercise_time
    assert (report_fmt.clock(-30), report_fmt.clock(3899), report_fmt.clock(None)) == ("T+0:00", "T+1:04", "–")
    assert exercise_clock(3930.7) == "T+1:05:30"
    assert time_of_day(9 * 3600 + 15 * 60 + 59) == "09:15"
    assert minutes(7 * 60) == "7 min" and minutes(3900) == "1 h 05 min"
