"""`krisovning lint`: a seasoned facilitator's advice on a valid scenario — not errors.

Each rule looks for something that makes a drill less like a real crisis: no journalist in the first
quarter hour, no rumour, an objective no bot team reaches, a role left without injects for 45 minutes,
VMA / 113 13 / Krisinformation.se used against how they work, and public-message models (topics'
`answer`) that read heavier than plain language. The rules that need the drill to be played take a
quick preview (metrics/preview.py) with three bot teams.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from krisovning.i18n import t
from krisovning.i18n.fmt import minutes
from krisovning.metrics.objectives import MET, PARTLY
from krisovning.metrics.preview import run_all
from krisovning.metrics.quality import lix
from krisovning.scenario.model import Scenario
from krisovning.vocab import PostCategory

DataPath = tuple[str | int, ...]
TEAMS = ("diligent", "realistic", "slow")  # silent reaches nothing by design: not asked
FIRST_CALL = 15 * 60.0  # real first media calls come within minutes
QUIET = 45 * 60.0  # a role left without injects this long sits idle
RULES = (
    "early-journalist",
    "no-rumour",
    "objective-unreachable",
    "role-idle",
    "vma-not-acute",
    "krisinformation-first",
    "113-13-local",
    "lix",
)
PLAYED = frozenset({"early-journalist", "objective-unreachable", "role-idle"})  # need runs

# What makes a VMA right: an immediate threat to life or health that people must act on (words in the
# scenario's own texts, Swedish and English; a stem matches the start of a word).
_ACUTE = re.compile(
    r"\b(utrym\w*|evakuer\w*|skogsbrand\w*|brand|branden|bränder|brinner|rök|röken|rökgas\w*|gasmoln\w*|"
    r"gasläck\w*|giftig\w*|kemikalie\w*|explosion\w*|stäng\w* (av )?(fönster|ventilation)\w*|gå inomhus|"
    r"håll dig inomhus|dammbrott\w*|översvämn\w*|strålning\w*|farligt ämne|ammoniak|klorgas|skottlossning\w*|"
    r"evacuat\w*|fire|wildfire|smoke|toxic|gas leak|shelter indoors|flood\w*|explosions?)\b",
    re.IGNORECASE,
)
# Krisinformation.se saying, as done, that it links to or published the municipality's own information.
_LINKED = re.compile(
    r"(?<!vill )(?<!kan )(?<!ska )\b(?:(?:har|nu|redan)\s+(?:länkat|hänvisat|publicerat|delat)\s+(?:till\s+)?"
    r"|länkar\s+(?:nu\s+)?till\s+)(?:er|era|ert|kommunens)\b"
    r"|\b(?:have|has|now)\s+(?:linked|published|shared)\s+(?:to\s+)?(?:your|the municipality's)\b",
    re.IGNORECASE,
)
_OWN_CHANNEL = re.compile(r"(kommun|kontaktcent|webb|www\.|\.se\b|council|municipal|website)", re.IGNORECASE)
_KRISINFO = re.compile(r"krisinformation", re.IGNORECASE)
_NUMBER_113 = re.compile(r"\b113\s?13\b")


@dataclass(frozen=True)
class Advice:
    code: str  # one of RULES
    path: DataPath  # where in the scenario's data (a position comes from the YAML source)
    message: str
    key: bool = False  # point at the key rather than its value


def lint(
    scenario: Scenario,
    data: dict[str, Any],
    runs: int = 20,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[Advice]:
    """Every piece of advice on `scenario` (loaded from `data`); `runs` per bot team (0: only the rules
    that need no drill played)."""
    played: dict[str, list[dict[str, Any]]] = {}
    if runs > 0:
        jobs = [(team, scenario.seed + k) for team in TEAMS for k in range(runs)]
        results = run_all(scenario, jobs, progress, workers)
        played = {team: results[i * runs : (i + 1) * runs] for i, team in enumerate(TEAMS)}
    advice: list[Advice] = []
    if played:
        advice += _early_journalist(scenario, data, played["realistic"])
        advice += _unreachable(scenario, played)
        advice += _idle_roles(scenario, played["realistic"])
    advice += _no_rumour(scenario, data)
    advice += _vma(data)
    advice += _krisinformation(scenario)
    advice += _public_models(scenario)
    return advice


def _early_journalist(scenario: Scenario, data: dict[str, Any], results: list[dict[str, Any]]) -> list[Advice]:
    early = sum(1 for r in results if r["first_journalist"] is not None and r["first_journalist"] <= FIRST_CALL)
    if early * 2 >= len(results):
        return []
    firsts = [r["first_journalist"] for r in results if r["first_journalist"] is not None]
    first = minutes(statistics.median(firsts)) if firsts else t("lint.never")
    path: DataPath = ("injects",) if "injects" in data else ()
    return [
        Advice(
            "early-journalist",
            path,
            t("lint.early_journalist", share=f"{early * 100 // len(results)} %", first=first),
            key=True,
        )
    ]


def _no_rumour(scenario: Scenario, data: dict[str, Any]) -> list[Advice]:
    social = scenario.social
    threads = social.threads if social else []
    if any(thread.mix.get(PostCategory.rumour, 0) > 0 for thread in threads):
        return []
    if any(topic.rumour for topic in scenario.topics):
        return []
    path: DataPath = ("social",) if "social" in data else ()
    return [Advice("no-rumour", path, t("lint.no_rumour"), key=True)]


def _unreachable(scenario: Scenario, played: dict[str, list[dict[str, Any]]]) -> list[Advice]:
    out = []
    for i, objective in enumerate(scenario.objectives):
        met = {
            team: sum(1 for r in results if r["objectives"][objective.id] == MET) for team, results in played.items()
        }
        if any(met.values()):
            continue
        partly = max(
            sum(1 for r in results if r["objectives"][objective.id] == PARTLY) / len(results)
            for results in played.values()
        )
        out.append(
            Advice(
                "objective-unreachable",
                ("objectives", i),
                t(
                    "lint.objective_unreachable",
                    objective=objective.id,
                    teams=", ".join(TEAMS),
                    runs=len(next(iter(played.values()))),
                    partly=f"{partly * 100:.0f} %",
                ),
            )
        )
    return out


def _idle_roles(scenario: Scenario, results: list[dict[str, Any]]) -> list[Advice]:
    out = []
    for i, role in enumerate(scenario.roles):
        quiet = sorted((r["quiet"][role.id] for r in results), key=lambda q: q[0])
        length, start = quiet[len(quiet) // 2]  # the median run's longest quiet stretch
        if length < QUIET:
            continue
        out.append(
            Advice(
                "role-idle",
                ("roles", i),
                t(
                    "lint.role_idle",
                    role=role.id,
                    length=minutes(length),
                    start=minutes(start),
                    end=minutes(start + length),
                ),
            )
        )
    return out


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _channel_uses(node: Any, path: DataPath = ()) -> Iterator[DataPath]:
    """Where `vma` stands in a `channels` list (an expectation, objective, reaction or condition)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "channels" and isinstance(value, list):
                yield from (path + (key, j) for j, item in enumerate(value) if item == "vma")
            else:
                yield from _channel_uses(value, path + (key,))
    elif isinstance(node, list):
        for j, item in enumerate(node):
            yield from _channel_uses(item, path + (j,))


def _vma(data: dict[str, Any]) -> list[Advice]:
    uses = list(_channel_uses(data))
    if not uses or any(_ACUTE.search(text) for text in _strings(data)):
        return []
    return [Advice("vma-not-acute", uses[0], t("lint.vma_not_acute", count=len(uses)))]


def _krisinformation(scenario: Scenario) -> list[Advice]:
    people = {p.id: " ".join(filter(None, (p.name, p.organisation, p.title))) for p in scenario.personas}
    out = []
    for i, inject in enumerate(scenario.injects):
        if inject.at is None:  # `when` / `after`: it can wait for the team's publication
            continue
        about = people.get(inject.sender, "") + " " + (inject.subject or "") + " " + inject.text
        if _KRISINFO.search(about) and _LINKED.search(inject.text):
            out.append(
                Advice("krisinformation-first", ("injects", i, "at"), t("lint.krisinformation_first", inject=inject.id))
            )
    return out


def _public_models(scenario: Scenario) -> list[Advice]:
    out = []
    for i, topic in enumerate(scenario.topics):
        if topic.answer is None:
            continue
        if _NUMBER_113.search(topic.answer) and not _OWN_CHANNEL.search(topic.answer):
            out.append(Advice("113-13-local", ("topics", i, "answer"), t("lint.local_113_13", topic=topic.id)))
        if scenario.language == "sv":  # LIX is a Swedish measure
            value, target = lix(topic.answer), scenario.quality.lix  # the scenario's klarspråk target
            if value > target:
                out.append(
                    Advice(
                        "lix", ("topics", i, "answer"), t("lint.lix", topic=topic.id, lix=f"{value:.0f}", target=target)
                    )
                )
    return out
