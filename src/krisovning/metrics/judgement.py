"""The evaluator's judgement: observations, ratings and hot-wash notes, and what stands after their edits.

Nothing is rewritten: an edit or a deletion is a later entry that supersedes an earlier one (the
journal is append-only and hash-chained, session/chain.py). Notes come from two places: observations
during the drill (journal entries: the `observation` action, a rating being an observation with one)
and the hot wash afterwards (`krisovning notes`: the notes table). Each note is numbered for the
reader in the order written, the drill's first; an edit or a deletion names its note by a reference
that never moves (`entry:SEQ`, `note:I`), so a number is never reused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from krisovning.engine.actions import Action
from krisovning.engine.events import Event
from krisovning.engine.typed import ActionTaken, TypedEvent, typed
from krisovning.i18n import t
from krisovning.metrics.figures import gather
from krisovning.metrics.objectives import OUTCOMES, ObjectiveResult, evaluate, evidence_text
from krisovning.scenario.model import Scenario
from krisovning.vocab import FacilitatorKind

NOTE_KINDS = ("strength", "improvement", "plan", "observation", "rating", "decision", "participant")
EDIT, DELETE = "edit", "delete"
RATINGS = OUTCOMES  # what an evaluator may set: the automatic outcomes, "not assessed" among them
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Note:
    n: int  # the reader's number (`notes --edit N`)
    ref: str  # what an edit or deletion names: entry:SEQ (during the drill) or note:I (the I-th stored note)
    kind: str  # one of NOTE_KINDS
    body: dict[str, str]  # text; objective; rating (a rating); area, action, owner, due (a plan row)
    t: float | None = None  # exercise time of an observation made during the drill
    seat: str | None = None
    role: str | None = None
    edited: bool = False
    deleted: bool = False
    history: list[dict[str, str]] = field(default_factory=list)  # the bodies it had before, oldest first

    @property
    def text(self) -> str:
        return self.body.get("text", "")


def observed(events: Iterable[Event | TypedEvent]) -> Iterator[tuple[int, float, Action]]:
    """(seq, t, action) of each observation made during the drill."""
    for event in map(typed, events):
        if isinstance(event, ActionTaken) and event.action.kind == FacilitatorKind.observation:
            yield event.seq, event.t, event.action


def _drill_body(action: Action) -> dict[str, str]:
    body = {"text": action.text}
    if action.objective:
        body["objective"] = action.objective
    if action.rating:
        body["rating"] = action.rating
    return body


def resolve(
    observations: Iterable[tuple[int, float, Action]], stored: Iterable[tuple[str, dict[str, str]]]
) -> list[Note]:
    """Every note as it now stands (deleted ones marked, not dropped: their numbers stay taken)."""
    notes: list[Note] = []
    by_ref: dict[str, Note] = {}

    def supersede(ref: str, body: dict[str, str] | None) -> None:
        target = by_ref.get(ref)
        if target is None or target.deleted:
            return  # refused when written (`check_change`); a damaged journal's stray edit changes nothing
        if body is None:
            target.deleted = True
            return
        target.history.append(target.body)
        target.body, target.edited = body, True
        if target.kind in ("observation", "rating"):
            target.kind = "rating" if body.get("rating") else "observation"

    def add(note: Note) -> None:
        notes.append(note)
        by_ref[note.ref] = note

    for seq, at, action in observations:
        if action.replaces is not None:
            supersede(f"entry:{action.replaces}", None if action.withdrawn else _drill_body(action))
            continue
        kind = "rating" if action.rating else "observation"
        add(Note(len(notes) + 1, f"entry:{seq}", kind, _drill_body(action), at, action.seat, action.role))
    for index, (kind, body) in enumerate(stored, start=1):
        if kind in (EDIT, DELETE):
            new = {k: v for k, v in body.items() if k != "target"}
            supersede(body.get("target", ""), None if kind == DELETE else new)
        elif kind in NOTE_KINDS:
            add(Note(len(notes) + 1, f"note:{index}", kind, dict(body)))
    return notes


def ratings(notes: Iterable[Note]) -> dict[str, Note]:
    """The evaluator's rating that stands for each objective: the last one written, not deleted."""
    out: dict[str, Note] = {}
    for note in notes:
        if note.kind == "rating" and not note.deleted and note.body.get("rating") in RATINGS:
            out.pop(note.body.get("objective", ""), None)  # the later one is also the one listed last
            out[note.body.get("objective", "")] = note
    return out


@dataclass(frozen=True)
class Judged:
    """An objective's rating: the evaluator's when there is one, beside the automatic one."""

    result: ObjectiveResult
    outcome: str  # what counts
    reason: str | None = None  # the evaluator's, when the rating is theirs
    note: int | None = None  # the number of that rating's note

    @property
    def overridden(self) -> bool:
        return self.reason is not None


def judge(results: Iterable[ObjectiveResult], notes: Iterable[Note]) -> list[Judged]:
    rated = ratings(notes)
    out = []
    for r in results:
        note = rated.get(r.id)
        if note is None:
            out.append(Judged(r, r.outcome))
        else:
            out.append(Judged(r, note.body["rating"], note.body.get("text", ""), note.n))
    return out


# --- what a writer is refused (the CLI and the drill's forms say the same) ---


class NoteRefused(ValueError):
    """A note that cannot be stored: `key` and `fields` say why in the reader's language."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields

    def message(self) -> str:
        return t(self.key, **self.fields)


def check_plan(body: dict[str, str]) -> None:
    """An improvement-plan row needs an action, an owner and a due date (YYYY-MM-DD, a real day)."""
    for name, key in (
        ("action", "notes.plan_missing_action"),
        ("owner", "notes.plan_missing_owner"),
        ("due", "notes.plan_missing_due"),
    ):
        if not body.get(name, "").strip():
            raise NoteRefused(key)
    due = body["due"].strip()
    try:
        if not _DATE.fullmatch(due):
            raise ValueError(due)
        date.fromisoformat(due)
    except ValueError:
        raise NoteRefused("notes.plan_bad_due", due=due) from None


def check_rating(body: dict[str, str], objectives: Iterable[str]) -> None:
    """A rating names a known objective and a known rating, and gives a reason."""
    known = list(objectives)
    if body.get("objective", "") not in known:
        raise NoteRefused("notes.unknown_objective", objective=body.get("objective", ""), known=", ".join(known))
    if body.get("rating", "") not in RATINGS:
        raise NoteRefused("notes.bad_rating", rating=body.get("rating", ""), known=", ".join(RATINGS))
    if not body.get("text", "").strip():
        raise NoteRefused("notes.rating_reason")


def find_note(notes: list[Note], n: int) -> Note:
    """The note numbered `n`, to edit or delete; refused when there is none or it was deleted."""
    note = next((x for x in notes if x.n == n), None)
    if note is None:
        raise NoteRefused("notes.no_such", n=n, count=len(notes))
    if note.deleted:
        raise NoteRefused("notes.already_deleted", n=n)
    return note


def standing(
    scenario: Scenario, events: Iterable[Event | TypedEvent], stored: Iterable[tuple[str, dict[str, str]]] = ()
) -> list[Judged]:
    """The objectives as they stand at this moment of the drill, the evaluator's ratings applied: what the
    drill's objectives pane shows and what a report built from the same events says."""
    stream = [typed(e) for e in events]
    return judge(evaluate(scenario, gather(stream)), resolve(observed(stream), stored))


def judged_evidence(j: Judged) -> str:
    """The evidence line of an objective, with the evaluator's reason when the rating is theirs."""
    text = evidence_text(j.result)
    return text if j.reason is None else f"{text} {t('report.rated_because', reason=j.reason)}"
