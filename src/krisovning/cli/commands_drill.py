"""Commands that run a drill headless: simulate, preview."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from krisovning.cli.errors import CommandError
from krisovning.cli.inputs import load_or_explain
from krisovning.cli.output import json_text
from krisovning.cli.preview_text import Progress, print_preview
from krisovning.engine import digest_of
from krisovning.engine.headless import run_headless
from krisovning.engine.policies import POLICIES
from krisovning.i18n import t
from krisovning.i18n.fmt import minutes
from krisovning.metrics.figures import expectation_counts, gather, response_stats
from krisovning.metrics.objectives import evaluate, evidence_text
from krisovning.metrics.preview import MAX_RUNS, preview_policies

if TYPE_CHECKING:
    from krisovning.session.script import Scripted

SCRIPT = "script"  # the team of a session played from --actions (the journal replays its actions)


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("simulate")
    p.add_argument("file", metavar=t("cli.metavar.file"), help=t("cmd.simulate.file"))
    p.add_argument("--seed", type=int, help=t("cli.opt.seed"))
    p.add_argument("--policy", choices=POLICIES, help=t("cli.opt.policy"))
    p.add_argument("--actions", metavar=t("cli.metavar.actions"), help=t("cli.opt.actions"))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    p.set_defaults(handler=simulate)

    p = add("preview")
    p.add_argument("file", metavar=t("cli.metavar.file"), help=t("cmd.simulate.file"))
    p.add_argument("--runs", type=int, default=100, help=t("cli.opt.runs"))
    p.add_argument("--seed", type=int, help=t("cli.opt.seed_first"))
    p.add_argument("--policy", choices=POLICIES, action="append", help=t("cmd.preview.policy"))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    p.set_defaults(handler=preview_command)


def _script(path: str) -> list[Scripted]:
    from krisovning.session.script import MAX_PROBLEMS, ScriptError, read_script

    try:
        return read_script(path)
    except ScriptError as exc:
        for problem in exc.problems[:MAX_PROBLEMS]:
            print(problem, file=sys.stderr)
        if len(exc.problems) > MAX_PROBLEMS:
            print(t("script.more", n=len(exc.problems) - MAX_PROBLEMS), file=sys.stderr)
        raise CommandError(t("script.invalid", file=path), exit_code=2) from None


def simulate(args: argparse.Namespace) -> int:
    # imported here: `preview` (this module too) needs neither the journal nor the report
    from krisovning.cli.commands_session import record_run
    from krisovning.report.fmt import outcome
    from krisovning.session.script import play

    if args.actions is not None and args.policy is not None:
        raise CommandError(t("script.with_policy"), exit_code=2)
    script = _script(args.actions) if args.actions is not None else None  # before the scenario: both are read
    scenario = load_or_explain(args.file)
    seed = scenario.seed if args.seed is None else args.seed
    if script is not None:
        args.policy = SCRIPT
        drill, events, refused = play(scenario, seed, script, args.actions)
        for problem in refused:  # played without them, as the engine would have refused them live
            print(t("script.warning", problem=str(problem)), file=sys.stderr)
    else:
        args.policy = args.policy or "realistic"
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
            "actions_file": args.actions,
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
    if args.actions is not None:
        print(t("simulate.header_script", title=scenario.title, seed=seed, file=args.actions))
    else:
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


def preview_command(args: argparse.Namespace) -> int:
    if not 1 <= args.runs <= MAX_RUNS:
        raise CommandError(t("preview.runs_range", limit=MAX_RUNS), exit_code=2)
    scenario = load_or_explain(args.file)
    seed = scenario.seed if args.seed is None else args.seed
    policies = list(dict.fromkeys(args.policy or POLICIES))  # each once, in the order given
    result = preview_policies(scenario, args.runs, seed, policies, progress=Progress())
    if args.json:
        print(json_text(result))
        return 0
    print_preview(scenario, result)
    return 0
