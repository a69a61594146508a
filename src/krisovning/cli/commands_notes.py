"""The evaluator's notes after a drill: add, list, edit, delete (`krisovning notes`).

Each change is a new chained row (session/journal.py `add_notes`): an edit or a deletion names the
note it supersedes, nothing stored is rewritten (metrics/judgement.py resolves what stands).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

import msgspec

from krisovning.cli.commands_session import journal_error, open_store
from krisovning.cli.errors import CommandError
from krisovning.cli.output import json_text
from krisovning.cli.settings import resolve_db_path
from krisovning.engine.typed import decode_event
from krisovning.i18n import t
from krisovning.metrics.judgement import (
    DELETE,
    EDIT,
    Note,
    NoteRefused,
    check_plan,
    check_rating,
    find_note,
    observed,
    resolve,
)
from krisovning.report.fmt import clock, outcome
from krisovning.scenario import ScenarioError, load_scenario_bytes
from krisovning.session import JournalError, SqliteStore, add_notes, find_session
from krisovning.session.store import SessionInfo
from krisovning.textsafe import visible_line

MAX_NOTE = 2000
_KIND_KEYS = {
    "strength": "notes.kind.strength",
    "improvement": "notes.kind.improvement",
    "plan": "notes.kind.plan",
    "observation": "notes.kind.observation",
    "rating": "notes.kind.rating",
    "decision": "notes.kind.decision",
    "participant": "notes.kind.participant",
}


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("notes")
    p.add_argument("session", metavar=t("cli.metavar.session"), help=t("cmd.report.session"))
    text = t("cli.metavar.text")
    p.add_argument("--strength", action="append", default=[], metavar=text, help=t("cmd.notes.strength"))
    p.add_argument("--improvement", action="append", default=[], metavar=text, help=t("cmd.notes.improvement"))
    p.add_argument("--plan", action="append", default=[], metavar=t("cmd.notes.plan_metavar"), help=t("cmd.notes.plan"))
    p.add_argument(
        "--rating", action="append", default=[], metavar=t("cmd.notes.rating_metavar"), help=t("cmd.notes.rating")
    )
    p.add_argument("--observation", action="append", default=[], metavar=text, help=t("cmd.notes.observation"))
    p.add_argument("--decision", action="append", default=[], metavar=text, help=t("cmd.notes.decision"))
    p.add_argument("--participant", action="append", default=[], metavar=text, help=t("cmd.notes.participant"))
    p.add_argument("--objective", metavar=t("cmd.notes.objective_metavar"), help=t("cmd.notes.objective"))
    p.add_argument("--list", action="store_true", help=t("cmd.notes.list"))
    p.add_argument("--edit", nargs=2, metavar=("N", text), help=t("cmd.notes.edit"))
    p.add_argument("--delete", type=int, metavar="N", help=t("cmd.notes.delete"))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    p.set_defaults(handler=notes)


def _parts(text: str, names: tuple[str, ...], bad_key: str) -> dict[str, str]:
    parts = [p.strip() for p in text.split(";", len(names) - 1)]
    if len(parts) != len(names):
        raise NoteRefused(bad_key, value=text)
    return dict(zip(names, parts, strict=True))


def _plan_row(text: str) -> dict[str, str]:
    parts = [p.strip() for p in text.split(";")]
    if len(parts) != 4 or not parts[0]:
        raise NoteRefused("notes.bad_plan", value=text)
    body = dict(zip(("area", "action", "owner", "due"), parts, strict=True))
    check_plan(body)
    return body


def _rating(text: str, objectives: list[str]) -> dict[str, str]:
    body = _parts(text, ("objective", "rating", "text"), "notes.bad_rating_form")
    body["rating"] = _rating_code(body["rating"])
    check_rating(body, objectives)
    return body


def _rating_code(word: str) -> str:
    """A rating as its code, also when written as the reader's word for it ("delvis uppnått")."""
    from krisovning.metrics.judgement import RATINGS

    wanted = word.strip().casefold().replace(" ", "_")
    for code in RATINGS:
        if wanted in (code, outcome(code).casefold().replace(" ", "_")):
            return code
    return word.strip()


def _body(kind: str, text: str, objective: str | None, objectives: list[str]) -> dict[str, str]:
    """A note's fields from what was written for it, each kind in its own form."""
    if kind == "plan":
        return _plan_row(text)
    if kind == "rating":
        return _rating(text, objectives)
    body = {"text": text.strip()}
    if kind == "observation" and objective:
        if objective not in objectives:
            raise NoteRefused("notes.unknown_objective", objective=objective, known=", ".join(objectives))
        body["objective"] = objective
    return body


def _objectives(info: SessionInfo) -> list[str]:
    try:
        scenario = load_scenario_bytes(info.scenario_text.encode("utf-8"), info.scenario_file)
    except ScenarioError as exc:
        raise CommandError(t("report.bad_scenario", session=info.id, problem=str(exc.problems[0]))) from None
    return [o.id for o in scenario.objectives]


def current_notes(store: SqliteStore, info: SessionInfo) -> list[Note]:
    """The session's notes as they stand: observations from its journal, then the stored notes."""
    events = []
    for row in store.linked_entries(info.id):
        try:
            events.append(decode_event(row[5]))
        except (msgspec.MsgspecError, ValueError):
            continue  # the report tells a damaged row; a list of notes reads past it
    return resolve(observed(events), store.notes(info.id))


def _changes(args: argparse.Namespace, notes: list[Note], objectives: list[str]) -> list[tuple[str, dict[str, str]]]:
    out = [("strength", {"text": s}) for s in args.strength] + [("improvement", {"text": s}) for s in args.improvement]
    out += [("plan", _plan_row(p)) for p in args.plan]
    out += [("rating", _rating(r, objectives)) for r in args.rating]
    out += [("observation", _body("observation", o, args.objective, objectives)) for o in args.observation]
    out += [("decision", {"text": s}) for s in args.decision] + [("participant", {"text": s}) for s in args.participant]
    if args.edit:
        try:
            n = int(args.edit[0])
        except ValueError:
            raise NoteRefused("notes.bad_number", value=args.edit[0]) from None
        note = find_note(notes, n)
        body = _body(note.kind, args.edit[1], note.body.get("objective"), objectives)
        if note.kind == "observation" and "objective" in note.body:
            body["objective"] = note.body["objective"]
        out.append((EDIT, {"target": note.ref, **body}))
    if args.delete is not None:
        out.append((DELETE, {"target": find_note(notes, args.delete).ref}))
    for _kind, body in out:
        if not any(v.strip() for k, v in body.items() if k != "target") and _kind != DELETE:
            raise CommandError(t("action.empty_text"), exit_code=2)
        if any(len(v) > MAX_NOTE for v in body.values()):
            raise CommandError(t("action.too_long", limit=MAX_NOTE), exit_code=2)
    return out


def _line(note: Note) -> str:
    kind = t(_KIND_KEYS.get(note.kind, "notes.kind.observation"))
    b = note.body
    if note.kind == "plan":
        text = " – ".join(v for v in (b.get("area"), b.get("action"), b.get("owner"), b.get("due")) if v)
    elif note.kind == "rating":
        text = t(
            "notes.rating_line", objective=b.get("objective", ""), rating=outcome(b.get("rating", "")), reason=note.text
        )
    else:
        text = f"[{b['objective']}] {note.text}" if b.get("objective") else note.text
    when = f"{clock(note.t)} " if note.t is not None else ""
    edited = f" ({t('notes.edited')})" if note.edited else ""
    return visible_line(f"{note.n:>3}  {kind:<18} {when}{text}{edited}")


def notes(args: argparse.Namespace) -> int:
    writing = bool(args.strength or args.improvement or args.plan or args.rating or args.observation)
    writing = writing or bool(args.decision or args.participant)
    writing = writing or bool(args.edit) or args.delete is not None
    if args.objective and not args.observation:
        raise CommandError(t("notes.objective_alone"), exit_code=2)
    written = [*args.strength, *args.improvement, *args.plan, *args.rating, *args.observation]
    written += [*args.decision, *args.participant]
    written += [args.edit[1]] if args.edit else []
    for text in written:  # refused before the journal is opened: a wrong input is told as such
        if len(text) > MAX_NOTE:
            raise CommandError(t("action.too_long", limit=MAX_NOTE), exit_code=2)
        if not text.strip():
            raise CommandError(t("action.empty_text"), exit_code=2)
    store = open_store(args, write=writing)
    try:
        info = find_session(store, args.session)
        try:
            entries = _changes(args, current_notes(store, info), _objectives(info)) if writing else []
        except NoteRefused as exc:
            raise CommandError(exc.message(), exit_code=2) from None
        if entries:
            add_notes(resolve_db_path(getattr(args, "db", None)), store, info, entries)
        standing = [n for n in current_notes(store, info) if not n.deleted]
    except JournalError as exc:
        raise journal_error(exc) from None
    finally:
        store.close()
    if args.json:
        print(json_text([{"n": n.n, "kind": n.kind, "t": n.t, "edited": n.edited, **n.body} for n in standing]))
        return 0
    if entries:
        print(t("notes.added", n=len(entries), session=info.id))
    for note in standing:
        print(_line(note))
    if not standing:
        print(t("notes.none", session=info.id))
    return 0


__all__ = ["MAX_NOTE", "current_notes", "json", "notes", "register"]
