"""Commands that run a drill headless: simulate, preview."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from krisovning.cli.commands_session import record_run
from krisovning.cli.errors import CommandError
from krisovning.cli.inputs import load_or_explain
from krisovning.cli.output import json_text, unescaped
from krisovning.engine import digest_of
from krisovning.engine.headless import run_headless
from krisovning.engine.policies import POLICIES
from krisovning.i18n import t
from krisovning.i18n.fmt import minutes, number
from krisovning.metrics.figures import expectation_counts, gather, response_stats
from krisovning.metrics.objectives import evaluate, evidence_text
from krisovning.metrics.preview import MAX_RUNS, preview
from krisovning.report.fmt import outcome
from krisovning.scenario import Scenario


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("simulate")
    p.add_argument("file", metavar=t("cli.metavar.file"), help=t("cmd.simulate.file"))
    p.add_argument("--seed", type=int, help=t("cli.opt.seed"))
    p.add_argument("--policy", choices=POLICIES, default="realistic", help=t("cli.opt.policy"))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    p.set_defaults(handler=simulate)

    p = add("preview")
    p.add_argument("file", metavar=t("cli.metavar.file"), help=t("cmd.simulate.file"))
    p.add_argument("--runs", type=int, default=100, help=t("cli.opt.runs"))
    p.add_argument("--seed", type=int, help=t("cli.opt.seed_first"))
    p.add_argument("--policy", choices=POLICIES, default="realistic", help=t("cli.opt.policy"))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    p.set_defaults(handler=preview_command)


def simulate(args: argparse.Namespace) -> int:
    scenario = load_or_explain(args.file)
    seed = scenario.seed if args.seed is None else args.seed
    drill, events = run_headless(scenario, seed, args.policy)
    session = record_run(args, scenario, args.file, seed, args.policy, events, drill.now)
    facts = gather(events)
    results = evaluate(scenario, facts)
    digest = digest_of(events)
    overall = response_stats(list(facts.injects.values()))
    if args.json:
        out = {
            "session": session,
            "scenario": scenario.id,
            "seed": seed,
            "policy": args.policy,
            "injects": len(facts.injects),
            "social_posts": facts.posts,
            "actions": len(facts.team_actions),
            "events": len(events),
            "first_public_message": facts.public_messages[0] if facts.public_messages else None,
            "response": overall,
            "objectives": [{**r.to_dict(), "text": evidence_text(r)} for r in results],
            "digest": digest,
        }
        print(json_text(out))
        return 0
    print(t("simulate.header", title=scenario.title, seed=seed, policy=args.policy))
    print(t("simulate.counts", injects=len(facts.injects), posts=facts.posts, actions=len(facts.team_actions)))
    if overall["answered"]:
        print(
            t(
                "simulate.response",
                answered=overall["answered"],
                count=overall["count"],
                median=minutes(overall["median"]),
                worst=minutes(overall["worst"]),
            )
        )
    print(t("figures.expectations", **expectation_counts(facts)))
    first = facts.public_messages[0] if facts.public_messages else None
    print(t("simulate.first_public", time=minutes(first) if first is not None else t("simulate.never")))
    print(t("simulate.objectives"))
    for r in results:
        print(f"  {outcome(r.outcome):<16} {r.title} — {evidence_text(r)}")
    print(t("simulate.digest", digest=digest))
    print(t("simulate.session", session=session))
    return 0


class _Progress:
    """A one-line progress bar on a terminal; silent when stderr is not one."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
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


def preview_command(args: argparse.Namespace) -> int:
    if not 1 <= args.runs <= MAX_RUNS:
        raise CommandError(t("preview.runs_range", limit=MAX_RUNS), exit_code=2)
    scenario = load_or_explain(args.file)
    seed = scenario.seed if args.seed is None else args.seed
    result = preview(scenario, args.runs, seed, args.policy, progress=_Progress())
    if args.json:
        print(json_text(result))
        return 0
    print_preview(scenario, result)
    return 0


def _fmt(spread: dict[str, float], digits: int = 0) -> str:
    def n(x: float) -> str:
        return f"{x:.{digits}f}"

    return f"{n(spread['median'])} ({n(spread['min'])}–{n(spread['max'])})"


def print_preview(scenario: Scenario, result: dict[str, Any]) -> None:
    print(
        t(
            "preview.header",
            title=scenario.title,
            runs=result["runs"],
            policy=result["policy"],
            first=result["seed"],
            last=result["seed"] + result["runs"] - 1,
        )
    )
    print(t("preview.load_title"))
    roles = list(result["load"][0]["roles"])
    headers = [t("preview.window"), t("preview.total")] + roles
    rows = [
        [f"{minutes(w['start'])}–{minutes(w['end'])}", _fmt(w["total"])] + [_fmt(w["roles"][r]) for r in roles]
        for w in result["load"]
    ]
    _table(headers, rows)
    social = result["social"]
    print(t("preview.social", posts=_fmt(social["posts"]), peak=_fmt(social["peak_per_hour"])))
    if social["population"]:
        print(t("preview.volume_title", population=number(social["population"])))
    else:
        print(t("preview.volume_title_unscaled"))
    _table(
        [t("preview.window"), t("preview.posts_per_hour")],
        [[f"{minutes(h['start'])}–{minutes(h['end'])}", _fmt(h["per_hour"])] for h in social["by_hour"]],
    )
    print(t("preview.objectives_title"))
    _table(
        [t("preview.objective"), t("outcome.met"), t("outcome.partly_met"), t("outcome.not_met")],
        [
            [o["title"]] + [f"{o['rates'][k] * 100:.0f} %" for k in ("met", "partly_met", "not_met")]
            for o in result["objectives"]
        ],
    )


def _table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    for row in [headers] + rows:
        print("  " + "  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
