"""Once every row is read: inject ids, conditions, clock times → exercise times, the
exercise's start and length, and `{placeholders}` the new scenario can fill."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from krisovning.i18n import t
from krisovning.i18n.fmt import time_of_day
from krisovning.msel.draft import Draft, DraftInject
from krisovning.msel.header import cell_text
from krisovning.msel.problems import CellError, MselError
from krisovning.msel.times import MAX_SECONDS, Clock, Day, Offset, format_offset, parse_time
from krisovning.msel.wording import names_thread, parse_condition, parse_world_condition
from krisovning.scenario.durations import parse_duration
from krisovning.scenario.model import HOLD
from krisovning.scenario.references import GLOBAL_NAMES, PERSONA_FIELDS
from krisovning.scenario.types import MAX_TEXT, MAX_TITLE
from krisovning.slug import slug

DEFAULT_START = 9 * 3600
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_FACT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
# The same tokens as krisovning.scenario.templates: {{, }}, {name}, or a stray brace.
TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z0-9_][A-Za-z0-9_.\-]*)\}|\{|\}")


def resolve(draft: Draft, name: str, start: str | None) -> None:
    _ids(draft)
    _content_refs(draft)  # before the conditions: a hold it takes away cannot be missed or met
    _conditions(draft)
    _times(draft, name, start)
    _carried_settings(draft, start)
    _placeholders(draft)


def _carried_settings(draft: Draft, start: str | None) -> None:
    """The start and length an export carried back (msel/carry.py); --start still wins."""
    settings = draft.carried.settings if draft.carried else {}
    if start is None and "start" in settings:
        try:
            draft.start = dt.datetime.fromisoformat(settings["start"])
        except ValueError:
            pass
        else:
            draft.start_guessed, draft.start_ambiguous, draft.start_note = False, False, ""
    duration = parse_duration(settings.get("duration", ""))
    if duration and duration >= max((i.at or 0 for i in draft.injects), default=0):
        draft.duration = duration
        draft.duration_carried = True


# --- ids ---


def _ids(draft: Draft) -> None:
    taken: set[str] = set()
    for number, inject in enumerate(draft.injects, start=1):
        raw = inject.raw_id
        if raw and re.fullmatch(r"\d+(?:[.,]\d+)*", raw):
            base = ("inspel-" + re.sub(r"[.,]", "-", raw))[:64]  # a number cell can be 1e57
        elif raw and _ID.match(raw):
            base = raw
        elif raw:
            base = slug(raw, f"inspel-{number}")
        else:
            base = f"inspel-{number}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base[: 63 - len(str(n))]}-{n}", n + 1
        taken.add(candidate)
        inject.id = candidate


# --- after / when ---


def _by_ref(draft: Draft) -> dict[str, DraftInject]:
    """Each inject by what a cell may call it: its id, its number as the sheet writes it, or that as a slug."""
    by_ref: dict[str, DraftInject] = {}
    for inject in draft.injects:
        for key in (inject.id, inject.raw_id, slug(inject.raw_id or "", "")):
            if key:
                by_ref.setdefault(key.lower(), inject)
    return by_ref


def _conditions(draft: Draft) -> None:
    by_ref = _by_ref(draft)
    last_time: Any = None
    for inject in draft.injects:
        if inject.condition is None:
            last_time = inject.time if inject.time is not None else last_time
            continue
        note = f"{t('msel.note.condition')}: {inject.condition}"
        if inject.time is not None:
            inject.note.append(note)
            inject.todo.append(t("msel.todo.condition_ignored"))
            last_time = inject.time
            continue
        world = parse_world_condition(inject.condition)
        if world is not None:  # on the players' actions or a metric: no row to look for
            inject.when, inject.delay = world
            continue
        parsed = parse_condition(inject.condition)
        target = by_ref.get(parsed[1].lower()) if parsed else None
        if parsed and target is not None and target is not inject and (parsed[0] == "after" or target.expect):
            kind, _, delay = parsed
            if kind == "after":
                inject.after = target.id
            else:
                inject.when = {"type": kind, "inject": target.id}
            inject.delay = delay
            continue
        inject.note.append(note)
        inject.time = last_time if last_time is not None else Offset(0)
        inject.todo.append(_why_not(inject, parsed, target))
    _break_cycles(draft)


def _content_refs(draft: Draft) -> None:
    """An expected action's `ämnen:` must name topics the sheet carries (msel/carry.py), its `svarar på:` a
    topic or a row, its `tills:` a row; a name that is none of these is left out with a TODO (the
    scenario would refuse it). A row is named as a condition names it, by its id or number."""
    by_ref = _by_ref(draft)
    topics = {topic["id"] for topic in draft.topics}
    for inject in draft.injects:
        expect = inject.expect
        if not expect:
            continue
        unknown = [topic for topic in expect.get("topics", []) if topic not in topics]
        for name in unknown:
            inject.todo.append(t("msel.todo.expect_ref", ref=name, field="topics"))
        if unknown:
            expect["topics"] = [topic for topic in expect["topics"] if topic in topics]
            if not expect["topics"]:
                del expect["topics"]
        for field in ("answers", "until"):
            ref = expect.get(field)
            if ref is None or (field == "answers" and ref in topics):
                continue
            target = by_ref.get(ref.lower())
            if target is not None and target is not inject:
                expect[field] = target.id
            else:
                del expect[field]
                inject.todo.append(t("msel.todo.expect_ref", ref=ref, field=field))
        if expect["action"] == HOLD and not expect.get("topics"):
            inject.expect = None  # a hold without what must not be said is no hold
            inject.note.append(inject.expect_cell)
            inject.todo.append(t("msel.todo.hold_without_topics"))


def _why_not(inject: DraftInject, parsed: tuple[str, str, int] | None, target: DraftInject | None) -> str:
    """The TODO for a condition that could not be built, saying the real reason."""
    if parsed is None and names_thread(inject.condition or ""):
        return t("msel.todo.condition_thread")
    if parsed is None:
        return t("msel.todo.condition_unreadable", value=" ".join((inject.condition or "").split())[:80])
    ref = parsed[1]
    if target is None:
        return t("msel.todo.condition_no_row", ref=ref)
    if target is inject:
        return t("msel.todo.condition_self", ref=ref)
    return t("msel.todo.condition_no_expect", ref=ref, row=target.row)


def _break_cycles(draft: Draft) -> None:
    after = {i.id: i for i in draft.injects if i.after}
    for inject in draft.injects:
        seen, current = [inject.id], inject.after
        while current in after and current not in seen:
            seen.append(current)
            current = after[current].after
        if current == inject.id:
            inject.note.append(f"{t('msel.note.condition')}: {inject.condition}")
            inject.after, inject.delay, inject.time = None, 0, Offset(0)
            inject.todo.append(t("msel.todo.condition_cycle"))
            after.pop(inject.id, None)


# --- times ---


def _start_option(name: str, text: str | None) -> tuple[int | None, dt.date | None]:
    """--start as (seconds since midnight, date), either may be None."""
    if not text:
        return None, None
    try:
        value = parse_time(text)
    except CellError:
        value = None
    if isinstance(value, Clock):
        day = dt.date.fromordinal(value.day.value) if value.day and value.day.kind == "date" else None
        if value.day is None or day is not None:
            return value.seconds, day
    if isinstance(value, Day) and value.kind == "date":
        return None, dt.date.fromordinal(value.value)
    raise MselError(name, t("msel.bad_start", value=text))


def _times(draft: Draft, name: str, start: str | None) -> None:
    start_seconds, start_date = _start_option(name, start)
    # Each inject given as a time of day, with that time (typed: `inject.time` is any kind of time).
    clocks = [(i, i.time) for i in draft.injects if isinstance(i.time, Clock)]
    time_header = next((c.header for c in draft.columns if c.field == "time"), "")  # the send time, if any
    kinds = [clock.day.kind for _, clock in clocks if clock.day]
    for inject, clock in clocks:
        if clock.day and clock.day.kind != kinds[0]:
            raise MselError(name, t("msel.time.mixed_days"), row=inject.row, column=time_header)
    kind = kinds[0] if kinds else None
    days: dict[int, int] = {}
    if kind is None:  # no day anywhere: a clock that jumps back more than 12 hours has passed midnight
        day, previous = 0, None
        for inject, clock in clocks:
            if previous is not None and clock.seconds < previous - 12 * 3600:
                day += 1
                draft.notes.append(t("msel.comment.midnight", row=inject.row))
            previous = clock.seconds
            days[inject.row] = day
    else:
        for inject, clock in clocks:
            days[inject.row] = clock.day.value if clock.day else -1
        known = [d for d in days.values() if d >= 0]
        for row, value in days.items():
            if value < 0:
                days[row] = min(known)
    base_day = min(days.values(), default=0)
    if kind == "date" and start_date is not None:
        base_day = start_date.toordinal()
    elif kind == "weekday" and start_date is not None:
        base_day = start_date.weekday()
        days = {row: base_day + (value - base_day) % 7 for row, value in days.items()}
    if start_seconds is not None:
        base_seconds = start_seconds
    elif clocks:
        base_seconds = (
            min(clock.seconds for i, clock in clocks if days[i.row] == base_day) if base_day in days.values() else 0
        )
    else:
        base_seconds = DEFAULT_START
    for inject in draft.injects:
        if isinstance(inject.time, Clock):
            inject.at = (days[inject.row] - base_day) * 86400 + inject.time.seconds - base_seconds
            if inject.at < 0:
                shown = format_offset(-inject.at).replace("T+", "")
                raise MselError(
                    name,
                    t(
                        "msel.time.before_start",
                        time=time_of_day(inject.time.seconds),
                        start=time_of_day(base_seconds),
                        minutes=shown,
                    ),
                    row=inject.row,
                    column=time_header,
                )
        elif isinstance(inject.time, Offset):
            inject.at = inject.time.seconds
        if inject.at is not None and inject.at > MAX_SECONDS:
            raise MselError(name, t("msel.time.too_late"), row=inject.row, column=time_header)
    _start(draft, kind, base_day, base_seconds, start_date, start_seconds, bool(clocks))
    if start is None:
        _story_start(draft)
    draft.start_ambiguous = start_date is None and any(clock.day and clock.day.ambiguous for _, clock in clocks)
    _duration(draft)


def _start(
    draft: Draft,
    kind: str | None,
    base_day: int,
    base_seconds: int,
    start_date: dt.date | None,
    start_seconds: int | None,
    has_clocks: bool,
) -> None:
    if kind == "date" and start_date is None:
        start_date = dt.date.fromordinal(base_day)
    draft.start_guessed = start_date is None
    if start_date is None:
        start_date = dt.date.today()
        if kind == "weekday":
            start_date += dt.timedelta(days=(base_day - start_date.weekday()) % 7)
    draft.start = dt.datetime.combine(start_date, dt.time()) + dt.timedelta(seconds=base_seconds)
    if has_clocks:
        key = "msel.comment.start_option" if start_seconds is not None else "msel.comment.start_earliest"
        draft.start_note = t(key, time=time_of_day(base_seconds))


def _story_start(draft: Draft) -> None:
    """Beside a send time, the first row's time in the scenario's world is the world's time at T+0
    (the drill's clock then runs on from it; the story's later jumps stay in the notes)."""
    first = min((i for i in draft.injects if i.at is not None), key=lambda i: i.at or 0, default=None)
    if first is None or first.story_time is None:
        return
    try:
        story = parse_time(first.story_time)
    except CellError:
        return
    if not isinstance(story, Clock) or draft.start is None:
        return
    if story.day is not None and story.day.kind == "date":
        day = dt.date.fromordinal(story.day.value)
        draft.start_guessed = False
    else:
        day = draft.start.date()
    draft.start = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=story.seconds)
    draft.start_note = t("msel.comment.start_story", row=first.row, value=cell_text(first.story_time))


def _duration(draft: Draft) -> None:
    end = 0
    for inject in draft.injects:
        if inject.at is not None:
            end = max(end, inject.at + max(30 * 60, inject.expect["within"] if inject.expect else 0))
    if any(i.at is None for i in draft.injects):
        end += 30 * 60
    draft.duration = min(max(30 * 60, -(-end // (15 * 60)) * 15 * 60), MAX_SECONDS)


# --- placeholders ---


def _placeholders(draft: Draft) -> None:
    known = set(GLOBAL_NAMES) | {f"sender.{f}" for f in PERSONA_FIELDS} | {"role"}
    known |= {f"personas.{p['id']}.{f}" for p in draft.personas for f in PERSONA_FIELDS}
    for inject in draft.injects:
        inject.text, escaped = _fix(inject.text, known, draft.facts)
        inject.text, cut = _fit(inject.text, MAX_TEXT)  # doubled braces can make a text longer
        if cut and t("msel.todo.text_cut", limit=MAX_TEXT) not in inject.todo:
            inject.todo.append(t("msel.todo.text_cut", limit=MAX_TEXT))
        if inject.subject:
            inject.subject, escaped_subject = _fix(inject.subject, known, draft.facts)
            escaped = escaped or escaped_subject
            inject.subject, cut = _fit(inject.subject, MAX_TITLE)
            if cut:
                inject.todo.append(t("msel.todo.subject_cut", limit=MAX_TITLE))
        if escaped:
            inject.comments.append(t("msel.comment.braces"))


def _fit(text: str, limit: int) -> tuple[str, bool]:
    """`text` cut to `limit` characters without splitting a `{{`, `}}` or `{placeholder}`."""
    if len(text) <= limit:
        return text, False
    end = limit
    for match in TOKEN.finditer(text):
        if match.start() < limit < match.end():
            end = match.start()
    return text[:end].rstrip() or text[:end], True


def _fix(text: str, known: set[str], facts: dict[str, str]) -> tuple[str, bool]:
    """Keep `{{`, `}}` and placeholders the scenario can fill (unknown plain names become facts);
    double every other brace so it shows as written."""
    escaped = False

    def replace(match: re.Match[str]) -> str:
        nonlocal escaped
        token, placeholder = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            return token
        if placeholder is not None:
            if placeholder in known:
                return token
            if _FACT.match(placeholder):
                facts.setdefault(placeholder, t("msel.fact_value", name=placeholder))
                return token
            escaped = True
            return "{{" + placeholder + "}}"
        escaped = True
        return token * 2

    return TOKEN.sub(replace, text), escaped
