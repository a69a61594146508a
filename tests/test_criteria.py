"""Each objective's criterion in words (metrics/criteria.py): its number agrees with its count in both languages."""

from __future__ import annotations

from scenario_factory import scenario

from krisovning.i18n import set_language
from krisovning.metrics.criteria import criterion_text


def test_one_decision_is_singular_and_two_are_plural() -> None:
    try:
        for lang, one, two in (
            ("en", "At least 1 decision logged", "At least 2 decisions logged"),
            ("sv", "Minst 1 beslut loggat", "Minst 2 beslut loggade"),
        ):
            set_language(lang)
            for count, said in ((1, one), (2, two)):
                criterion = {"type": "decision_logged", "count": count, "by": "30m"}
                s = scenario(objectives=[{"id": "beslut", "title": "Beslut", "criterion": criterion}])
                assert criterion_text(s.objectives[0], s).startswith(said)
    finally:
        set_language("sv")
