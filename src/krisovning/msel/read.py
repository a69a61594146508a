"""An MSEL spreadsheet → a `Draft`: find the header row, read each row into an inject.

Rows as facilitators leave them are handled: empty rows and repeated header rows are
skipped; leftovers of merged cells are joined up (a row with only text continues the
inject above; a row without a time but with its own sender or receiver shares the time
above; a row with only a time gives its time to the row below); a Day column written
once per day carries down.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from krisovning.i18n import t
from krisovning.msel import columns as col
from krisovning.msel.carry import is_marker, read_block
from krisovning.msel.draft import Column, Draft, DraftInject
from krisovning.msel.header import cell_text, choose_sheet
from krisovning.msel.keys import TOO_MANY_KEYS
from krisovning.msel.people import People, title
from krisovning.msel.problems import CellError, MselError
from krisovning.msel.resolve import resolve
from krisovning.msel.table import Sheet, read_table
from krisovning.msel.times import Clock, Day, parse_day, parse_deadline, parse_time
from krisovning.msel.wording import parse_expectation
from krisovning.scenario.types import MAX_TEXT

MAX_INJECTS, MAX_PERSONAS, MAX_ROLES = 5000, 2000, 50  # the scenario format's bounds (scenario/model.py)
DEFAULT_WITHIN = 15 * 60
# Fields that make a time-less row an inject of its own rather than more text for the one above.
_OWN = (col.ID, col.SENDER, col.TO, col.CHANNEL, col.SUBJECT, col.EXPECT, col.DEADLINE, col.PRIORITY, col.CONDITION)
_TITLE_PREFIX = re.compile(
    r"^\s*(?:inspelslista|h[äa]ndelselista|msel|master scenario events? list|scenario events? list)\s*[-–—:]?\s*",
    re.IGNORECASE,
)


def read_msel(raw: bytes, name: str, *, start: str | None = None, sheet: str | None = None) -> Draft:
    table = read_table(raw, name)
    chosen, header_at, columns = choose_sheet(table.sheets, name, sheet, table.kind)
    draft = _Reader(name, chosen, header_at, columns).read()
    draft.sheet = chosen.name if table.kind == "xlsx" else None
    draft.encoding, draft.delimiter = table.encoding, table.delimiter
    resolve(draft, name, start)
    return draft


# --- the rows ---


def _is_day(value: Any) -> bool:
    """Whether a Day/Date cell names a day only (`2026-03-10`, `Dag 2`, `måndag`), without a time of day."""
    if isinstance(value, dt.datetime):
        return value.time() == dt.time()
    try:
        return parse_day(value) is not None
    except CellError:
        return False


class _Reader:
    def __init__(self, name: str, sheet: Sheet, header_at: int, columns: list[Column]) -> None:
        self.name, self.sheet, self.header_at, self.columns = name, sheet, header_at, columns
        if any(c.field == col.REAL_TIME for c in columns):
            # a send time beside the story's time: the send time is when the inject comes, the other a note
            for c in columns:
                c.field = {col.TIME: col.SCENARIO_TIME, col.REAL_TIME: col.TIME}.get(c.field or "", c.field)
            self.story_day = col.DAY in {c.field for c in columns}
        else:
            self.story_day = False
        self.by_field = {c.field: c for c in columns if c.field}
        rows = sheet.rows[header_at + 1 :]
        end = next((n for n, (_, cells) in enumerate(rows) if is_marker(cells)), len(rows))
        self.rows = rows[:end]
        block = [[cell_text(c) or "" for c in cells] for _, cells in rows[end + 1 :]]
        self.carried = read_block(block) if end < len(rows) else None
        self.text_field = col.TEXT if col.TEXT in self.by_field else col.SYNOPSIS
        self.people = People(self.carried)
        self.injects: list[DraftInject] = []
        self.skipped: list[str] = []
        self.objectives: list[str] = []
        self.day: Day | None = None
        self.pending: tuple[Any, int] | None = None  # (time, row) of a row that had only a time
        self.last_time: Any = None
        self.header_key = [col.norm(cell_text(c) or "") for c in sheet.rows[header_at][1]]

    def fail(self, row: int, field: str, exc: CellError) -> MselError:
        return MselError(self.name, exc.message, row=row, column=self.by_field[field].header)

    def read(self) -> Draft:
        for number, cells in self.rows:
            self.row(number, cells)
        if self.pending is not None:
            self.skipped.append(t("msel.skip.time_only", row=self.pending[1]))
        if not self.injects:
            raise MselError(self.name, t("msel.no_rows"), row=self.sheet.rows[self.header_at][0])
        default_role = self.people.finish()
        counts = (
            ("injects", len(self.injects), MAX_INJECTS),
            ("personas", len(self.people.personas), MAX_PERSONAS),
            ("roles", len(self.people.roles), MAX_ROLES),
        )
        for what, count, limit in counts:
            if count > limit:
                raise MselError(self.name, t(TOO_MANY_KEYS[what], n=count, limit=limit))
        for inject in self.injects:
            if inject.to == "\x00default":
                inject.to = default_role
        return Draft(
            source=self.name,
            title=self.title(),
            columns=self.columns,
            injects=self.injects,
            personas=self.people.personas,
            roles=self.people.roles,
            default_role=default_role,
            default_role_rows=self.people.default_role_rows,
            default_sender_rows=self.people.default_sender_rows,
            skipped=self.skipped,
            objectives=self.objectives,
            carried=self.carried,
            facts=dict(self.carried.facts) if self.carried else {},
            topics=list(self.carried.topics) if self.carried else [],
        )

    def title(self) -> str:
        for _, cells in self.sheet.rows[: self.header_at]:
            texts = [text for c in cells if (text := cell_text(c))]
            if texts and len(texts[0]) <= 120:
                return title(_TITLE_PREFIX.sub("", texts[0]) or texts[0])
        stem = re.sub(r"[_]+|(?<=\w)-(?=\w)", " ", Path(self.name).stem).strip()
        return title(stem[:1].upper() + stem[1:] if stem else t("msel.default_title"))

    def split(self, cells: list[Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        values: dict[str, Any] = {}
        extras: list[tuple[str, str]] = []
        for i, value in enumerate(cells):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            column = self.columns[i] if i < len(self.columns) else Column(i, t("msel.column_n", n=i + 1), None)
            if column.field:
                values[column.field] = value
            else:
                extras.append((column.header, cell_text(value) or ""))
        return values, extras

    def row(self, number: int, cells: list[Any]) -> None:
        values, extras = self.split(cells)
        if not values and not extras:
            return
        if [col.norm(cell_text(c) or "") for c in cells] == self.header_key:
            return  # the header again (a sheet printed in pages)
        if col.DAY in values and self.story_day and not _is_day(values[col.DAY]):
            # beside a send time, a Date cell with a time in it is the story's date and time: a note
            story = values.pop(col.DAY)
            if col.SCENARIO_TIME in values:  # the sheet has a scenario-time column as well: both are kept
                extras.append((self.by_field[col.DAY].header, cell_text(story) or ""))
            else:
                values[col.SCENARIO_TIME] = story
        if col.DAY in values:
            try:
                self.day = parse_day(values[col.DAY])
            except CellError as exc:
                raise self.fail(number, col.DAY, exc) from None
        time = None
        if col.TIME in values:
            try:
                time = parse_time(values[col.TIME])
            except CellError as exc:
                raise self.fail(number, col.TIME, exc) from None
            if isinstance(time, Day):
                self.day, time = time, None
            elif isinstance(time, Clock):
                if time.day is not None:
                    self.day = time.day
                else:
                    time = Clock(time.seconds, self.day)
        content = {k: v for k, v in values.items() if k not in (col.TIME, col.DAY, col.ID, col.SCENARIO_TIME)}
        if not content and not extras:
            if time is not None:
                if self.pending is not None:
                    self.skipped.append(t("msel.skip.time_only", row=self.pending[1]))
                self.pending = (time, number)
            elif col.ID in values:
                self.skipped.append(t("msel.skip.id_only", row=number, value=cell_text(values[col.ID])))
            return
        text = cell_text(values.get(self.text_field))
        own = any(f in values for f in _OWN)
        comments: list[str] = []
        if time is None:
            if self.pending is not None:
                time = self.pending[0]
                comments.append(t("msel.comment.time_from_row", row=self.pending[1]))
            elif not own and self.injects:
                self.continue_previous(number, text, values, extras)
                return
            elif self.last_time is not None and col.CONDITION not in values:
                time = self.last_time
                comments.append(t("msel.comment.time_inherited"))
            elif col.CONDITION not in values:
                raise self.fail(number, col.TIME, CellError(t("msel.time.missing")))
        elif self.pending is not None:
            self.skipped.append(t("msel.skip.time_only", row=self.pending[1]))
        self.pending = None
        if time is not None:
            self.last_time = time
        self.injects.append(self.inject(number, time, text, values, extras, comments))

    def continue_previous(
        self, number: int, text: str | None, values: dict[str, Any], extras: list[tuple[str, str]]
    ) -> None:
        previous = self.injects[-1]
        if text:
            previous.text = (previous.text + "\n" + text)[:MAX_TEXT] if previous.text else text[:MAX_TEXT]
        previous.note.extend(self.note_lines(values, extras))
        previous.comments.append(t("msel.comment.continued", row=number))

    def note_lines(self, values: dict[str, Any], extras: list[tuple[str, str]]) -> list[str]:
        lines = []
        if col.NOTES in values:
            lines.append(cell_text(values[col.NOTES]) or "")
        for field in (col.SCENARIO_TIME, col.SYNOPSIS, col.KIND, col.OBJECTIVE):
            if field in values and field != self.text_field:
                header = self.by_field[field].header if field in self.by_field else self.by_field[col.DAY].header
                lines.append(f"{header}: {cell_text(values[field])}")
        lines.extend(f"{header}: {value}" for header, value in extras)
        return lines

    def inject(
        self,
        number: int,
        time: Any,
        text: str | None,
        values: dict[str, Any],
        extras: list[tuple[str, str]],
        comments: list[str],
    ) -> DraftInject:
        def get(field: str) -> str | None:
            return cell_text(values.get(field))

        inject = DraftInject(row=number, raw_id=get(col.ID), time=time, comments=comments)
        inject.condition = get(col.CONDITION)
        inject.story_time = values.get(col.SCENARIO_TIME)
        inject.subject = get(col.SUBJECT)
        inject.sender = self.people.persona(get(col.SENDER))
        inject.to, receiver_note = self.people.role(get(col.TO))
        inject.note = self.note_lines(values, extras)
        if receiver_note:
            inject.note.append(f"{self.by_field[col.TO].header}: {get(col.TO)}")
            if receiver_note != "everyone":
                inject.todo.append(receiver_note)
        if text:
            inject.text = text[:MAX_TEXT]
            if len(text) > MAX_TEXT:
                inject.todo.append(t("msel.todo.text_cut", limit=MAX_TEXT))
        elif inject.subject:
            inject.text = inject.subject
        else:
            inject.text = t("msel.text_missing")
            inject.todo.append(t("msel.todo.text_missing"))
        self.channel(inject, get(col.CHANNEL), get(col.KIND))
        inject.priority = col.priority_of(get(col.PRIORITY))
        if get(col.PRIORITY) and inject.priority is None:
            inject.note.append(f"{self.by_field[col.PRIORITY].header}: {get(col.PRIORITY)}")
        self.expectation(number, inject, get(col.EXPECT), values.get(col.DEADLINE))
        for name in re.split(r"[,;\n]", get(col.OBJECTIVE) or ""):
            name = " ".join(name.split())
            if name and name not in self.objectives:
                self.objectives.append(name)
        return inject

    def channel(self, inject: DraftInject, method: str | None, kind: str | None) -> None:
        channel = col.channel_of(method) or col.channel_of(kind)
        if channel is None:
            sender_kind = next(p["kind"] for p in self.people.personas if p["id"] == inject.sender)
            channel = "phone" if sender_kind == "journalist" else "email"
            if method:
                inject.todo.append(t("msel.todo.channel_unknown", value=method, channel=channel))
                inject.note.append(f"{self.by_field[col.CHANNEL].header}: {method}")
            elif col.CHANNEL in self.by_field:
                inject.comments.append(t("msel.comment.channel_missing", channel=channel))
        inject.channel = channel

    def expectation(self, number: int, inject: DraftInject, text: str | None, deadline_cell: Any) -> None:
        try:
            deadline = parse_deadline(deadline_cell)
        except CellError as exc:
            raise self.fail(number, col.DEADLINE, exc) from None
        expect, problem, do_not_answer = parse_expectation(text, deadline, DEFAULT_WITHIN)
        if text:
            inject.expect_cell = f"{self.by_field[col.EXPECT].header}: {text}"
        if do_not_answer and expect is not None and expect["action"] == "reply":
            inject.note.append(f"{self.by_field[col.EXPECT].header}: {text}")
            inject.todo.append(t("msel.todo.do_not_answer_reply"))
        else:
            inject.do_not_answer = do_not_answer
        if problem == "unknown":
            inject.note.append(f"{self.by_field[col.EXPECT].header}: {text}")
            inject.todo.append(t("msel.todo.expect_unknown", value=" ".join((text or "").split())[:80]))
        elif expect is None and deadline is not None:
            expect = {"action": "reply", "within": deadline}
            inject.todo.append(t("msel.todo.expect_assumed"))
        if expect is not None and deadline is None:
            inject.comments.append(t("msel.comment.default_within"))
        inject.expect = expect
