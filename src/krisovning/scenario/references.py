"""Cross-reference checks: every id a scenario names must exist, every placeholder be known.

Returns (data path, message, at_key) triples; the loader turns paths into line:column.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Any

from krisovning.i18n import t
from krisovning.scenario.durations import format_duration
from krisovning.scenario.model import (
    ChecklistDone,
    DecisionLogged,
    Expectation,
    ExpectationsMet,
    FirstPublicMessage,
    PostTemplate,
    ResponseTime,
    Scenario,
    WhenContradicted,
    WhenCovered,
    WhenInjected,
    WhenMet,
    WhenMetric,
    WhenMissed,
    hidden_facts,
)
from krisovning.scenario.templates import TemplateSyntaxError, parse_variants, placeholders, variant_names
from krisovning.scenario.types import MAX_DURATION

Found = tuple[tuple[Any, ...], str, bool]
Where = Callable[[tuple[Any, ...]], tuple[int, int]]  # a data path → (line, column) in the file

PERSONA_FIELDS = ("name", "outlet", "title", "organisation", "phone", "email", "handle")
MAX_GENERATED = 20_000  # random injects all generators together give, on average, in one drill
GLOBAL_NAMES = ("organisation", "time", "date")
# What a reference names, for the message (each key in full, so grep finds it).
_KIND_KEYS = {
    "role": "kind.role",
    "person": "kind.person",
    "inject": "kind.inject",
    "objective": "kind.objective",
    "checklist": "kind.checklist",
    "thread": "kind.thread",
    "generator": "kind.generator",
    "fact": "kind.fact",
    "topic": "kind.topic",
    "answerable": "kind.answerable",
    "platform": "kind.platform",
}


def _kind(kind: str) -> str:
    key = _KIND_KEYS.get(kind)
    return t(key) if key is not None else kind


def template_names(scenario: Scenario, person: str | None) -> set[str]:
    """The placeholder names a template may use; `person` is `sender`, `author` or None."""
    names = set(scenario.facts) | set(GLOBAL_NAMES)
    for persona in scenario.personas:
        names.update(f"personas.{persona.id}.{field}" for field in PERSONA_FIELDS)
    if person:
        names.update(f"{person}.{field}" for field in PERSONA_FIELDS)
    if person == "sender":
        names.add("role")
    return names


def check_references(
    scenario: Scenario, data: dict[str, Any], where: Where | None = None, warnings: list[Found] | None = None
) -> list[Found]:
    """The problems; `warnings` (when given) gets what works but reads wrong (an empty placeholder)."""
    checker = _Checker(scenario, data, where)
    found = list(checker.run())
    if warnings is not None:
        warnings.extend(checker.warnings)
    return found


class _Checker:
    def __init__(self, scenario: Scenario, data: dict[str, Any], where: Where | None = None) -> None:
        self.s = scenario
        self.data = data
        self.where = where
        # Warnings, not problems: a scenario a journal recorded must load again (resume, report).
        self.warnings: list[Found] = []
        self.roles = [r.id for r in scenario.roles]
        self.people = [p.id for p in scenario.personas] + [p.id for p in scenario.persona_pools]
        self.injects = [i.id for i in scenario.injects]
        self.objectives = [o.id for o in scenario.objectives]
        self.checklists = [c.id for c in scenario.checklists]
        self.threads = [th.id for th in scenario.social.threads] if scenario.social else []
        self.topics = [topic.id for topic in scenario.topics]
        self.platforms = [p.id for p in scenario.social.platforms] if scenario.social else []

    def run(self) -> Iterator[Found]:
        yield from self.world_dates()
        yield from self.duplicates()
        yield from self.checklist_refs()
        yield from self.objective_refs()
        yield from self.inject_refs()
        yield from self.generator_refs()
        yield from self.social_refs()
        yield from self.follow_up_refs()
        for i, element in enumerate(self.s.quality.elements):
            yield from self.refs(("quality", "elements", i, "topics"), element.topics, self.topics, "topic")

    # --- helpers ---

    def ref(self, path: tuple[Any, ...], value: str, known: list[str], kind: str) -> Iterator[Found]:
        if value in known:
            return
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        message = t("ref.unknown", kind=_kind(kind), value=value)
        if close:
            message += " " + t("err.did_you_mean", hint=close[0])
        elif known:
            message += " " + t("ref.known", values=", ".join(known[:8]) + (" …" if len(known) > 8 else ""))
        else:
            message += " " + t("ref.none_defined", kind=_kind(kind))
        yield path, message, False

    def refs(self, path: tuple[Any, ...], values: Iterable[str] | None, known: list[str], kind: str) -> Iterator[Found]:
        for i, value in enumerate(values or ()):
            yield from self.ref(path + (i,), value, known, kind)

    def template(self, path: tuple[Any, ...], text: str | None, names: set[str]) -> Iterator[Found]:
        if text is None:
            return
        try:
            used = placeholders(text)
        except TemplateSyntaxError:
            try:
                parse_variants(text)
            except TemplateSyntaxError:
                yield path, t("ref.brace"), False
            else:  # it reads as a post template: alternatives where they are not drawn
                yield path, t("ref.alternation_only_posts"), False
            return
        yield from self.names(path, used, names)

    def post_template(
        self, path: tuple[Any, ...], item: str | PostTemplate, names: set[str], topic: str | None = None
    ) -> Iterator[Found]:
        """A social post template: placeholders and alternations, its `facts`, its topic and its conditions'
        references; `topic` is its thread's."""
        if isinstance(item, PostTemplate):
            text, path_text = item.text, path + ("text",)
            facts = list(self.s.facts)
            yield from self.refs(path + ("facts",), item.facts, facts, "fact")
            if item.topic is not None:
                yield from self.ref(path + ("topic",), item.topic, self.topics, "topic")
            topic = item.topic or topic
            for k, condition in enumerate(item.when):
                if isinstance(condition, WhenInjected | WhenMet | WhenMissed):
                    yield from self.ref(path + ("when", k, "inject"), condition.inject, self.injects, "inject")
                if isinstance(condition, WhenCovered | WhenContradicted):
                    yield from self.ref(path + ("when", k, "topic"), condition.topic, self.topics, "topic")
                if isinstance(condition, WhenMetric) and condition.thread is not None:
                    yield from self.thread(path + ("when", k, "thread"), condition.thread)
        else:
            text, path_text = item, path
        try:
            used = variant_names(parse_variants(text))
        except TemplateSyntaxError:
            yield path_text, t("ref.variant_brace"), False
            return
        if "answer" in used and topic is None:  # {answer} quotes what the team said on the template's topic
            yield path_text, t("ref.answer_needs_topic"), False
            used = [name for name in used if name != "answer"]
        yield from self.names(path_text, used, names | {"place", "short", "answer"})

    def names(self, path: tuple[Any, ...], used: list[str], names: set[str]) -> Iterator[Found]:
        for name in used:
            if name not in names:
                close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.6)
                message = t("ref.placeholder", name=name)
                if close:
                    message += " " + t("err.did_you_mean", hint="{" + close[0] + "}")
                yield path, message, False

    def empty(self, path: tuple[Any, ...], text: str | None, person: str, senders: list[str]) -> Iterator[Found]:
        """A placeholder a sender cannot fill: `{sender.outlet}` for a journalist without `outlet` would read
        "Hej, Anna Lindqvist på ." (engine/personas.py fills a missing field with nothing)."""
        if text is None:
            return
        try:
            used = placeholders(text)
        except TemplateSyntaxError:
            return  # told by `template`
        people = {p.id: p for p in self.s.personas}
        pools = {p.id: p for p in self.s.persona_pools}
        for name in dict.fromkeys(used):
            head, _, field = name.rpartition(".")
            if head == person:
                ids = senders
            elif head.startswith("personas.") and head.count(".") == 1:
                ids = [head.split(".")[1]]
            else:
                continue
            for ident in ids:
                if ident in people and getattr(people[ident], field, "") is None:
                    yield path, t("ref.empty_placeholder", name=name, who=ident, field=field), False
                    break
                pool = pools.get(ident)
                if pool is not None and not _pool_fills(pool, field):
                    yield path, t("ref.empty_placeholder_pool", name=name, who=ident, field=field), False
                    break

    def within_drill(self, path: tuple[Any, ...], seconds: int | None) -> Iterator[Found]:
        if seconds is not None and seconds > self.s.duration:
            yield path, t("ref.after_end", time=format_duration(seconds), end=format_duration(self.s.duration)), False

    # --- checks ---

    def world_dates(self) -> Iterator[Found]:
        """Every moment the drill shows as a date must exist: its end, and a deadline set just before it
        (an expectation's `within`, or a facilitator's ad-hoc inject's, is at most MAX_DURATION)."""
        try:
            self.s.start + timedelta(seconds=self.s.duration + MAX_DURATION)
        except OverflowError:
            yield ("start",), t("ref.start_too_late", start=self.s.start.isoformat()), False

    def duplicates(self) -> Iterator[Found]:
        groups: dict[str, Sequence[tuple[str | int, ...]]] = {
            "role": [("roles", i) for i in range(len(self.s.roles))],
            "person": [("personas", i) for i in range(len(self.s.personas))]
            + [("persona_pools", i) for i in range(len(self.s.persona_pools))],
            "inject": [("injects", i) for i in range(len(self.s.injects))],
            "objective": [("objectives", i) for i in range(len(self.s.objectives))],
            "checklist": [("checklists", i) for i in range(len(self.s.checklists))],
            "generator": [("generators", i) for i in range(len(self.s.generators))],
            "topic": [("topics", i) for i in range(len(self.s.topics))],
        }
        if self.s.social:
            groups["thread"] = [("social", "threads", i) for i in range(len(self.s.social.threads))]
            groups["platform"] = [("social", "platforms", i) for i in range(len(self.s.social.platforms))]
        for checklist_index, checklist in enumerate(self.s.checklists):
            groups[f"item{checklist_index}"] = [
                ("checklists", checklist_index, "items", i) for i in range(len(checklist.items))
            ]
        for paths in groups.values():
            seen: dict[str, tuple[Any, ...]] = {}
            for path in paths:
                node: Any = self.data
                for part in path:
                    node = node[part]
                ident = node["id"]
                if ident not in seen:
                    seen[ident] = path + ("id",)
                elif self.where is not None:  # say where it was first used: the author has two to compare
                    yield path + ("id",), t("ref.duplicate_id_at", id=ident, line=self.where(seen[ident])[0]), False
                else:
                    yield path + ("id",), t("ref.duplicate_id", id=ident), False

    def checklist_refs(self) -> Iterator[Found]:
        for i, checklist in enumerate(self.s.checklists):
            if checklist.role:
                yield from self.ref(("checklists", i, "role"), checklist.role, self.roles, "role")
            for j, item in enumerate(checklist.items):
                yield from self.within_drill(("checklists", i, "items", j, "due"), item.due)

    def objective_refs(self) -> Iterator[Found]:
        for i, objective in enumerate(self.s.objectives):
            path = ("objectives", i, "criterion")
            criterion = objective.criterion
            if isinstance(criterion, ChecklistDone):
                yield from self.ref(path + ("checklist",), criterion.checklist, self.checklists, "checklist")
            elif isinstance(criterion, ResponseTime):
                yield from self.refs(path + ("roles",), criterion.roles, self.roles, "role")
            elif isinstance(criterion, ExpectationsMet):
                yield from self.refs(path + ("injects",), criterion.injects, self.injects, "inject")
            if isinstance(criterion, FirstPublicMessage | DecisionLogged):
                yield from self.refs(path + ("topics",), criterion.topics, self.topics, "topic")

    def expectation_refs(self, path: tuple[Any, ...], expect: Expectation | None) -> Iterator[Found]:
        """An expectation's content: its topics, what it answers (a topic or an inject), what ends a hold."""
        if expect is None:
            return
        yield from self.refs(path + ("topics",), expect.topics, self.topics, "topic")
        if expect.answers is not None and expect.answers not in self.topics:
            yield from self.ref(path + ("answers",), expect.answers, self.topics + self.injects, "answerable")
        if expect.until is not None:
            yield from self.ref(path + ("until",), expect.until, self.injects, "inject")

    def inject_refs(self) -> Iterator[Found]:
        expects = {i.id for i in self.s.injects if i.expect}
        names = template_names(self.s, "sender")
        for i, inject in enumerate(self.s.injects):
            path = ("injects", i)
            yield from self.ref(path + ("to",), inject.to, self.roles, "role")
            yield from self.ref(path + ("from",), inject.sender, self.people, "person")
            yield from self.refs(path + ("objectives",), inject.objectives, self.objectives, "objective")
            yield from self.within_drill(path + ("at",), inject.at)
            if inject.after is not None:
                if inject.after == inject.id:
                    yield path + ("after",), t("ref.self", id=inject.id), False
                else:
                    yield from self.ref(path + ("after",), inject.after, self.injects, "inject")
            when = inject.when
            if isinstance(when, WhenMissed | WhenMet):
                yield from self.ref(path + ("when", "inject"), when.inject, self.injects, "inject")
                if when.inject in self.injects and when.inject not in expects:
                    yield path + ("when", "inject"), t("ref.no_expectation", id=when.inject), False
            elif when is not None and hasattr(when, "by"):
                yield from self.within_drill(path + ("when", "by"), when.by)
            elif isinstance(when, WhenMetric) and when.thread is not None:
                yield from self.thread(path + ("when", "thread"), when.thread)
            yield from self.expectation_refs(path + ("expect",), inject.expect)
            if inject.social:
                yield from self.thread(path + ("social", "thread"), inject.social.thread)
            yield from self.refs(path + ("reveals",), inject.reveals, list(self.s.facts), "fact")
            hidden = hidden_facts(self.s)
            for k, fact in enumerate(inject.reveals):
                if fact in self.s.facts and fact not in hidden:
                    yield path + ("reveals", k), t("ref.reveals_public", fact=fact), False
            yield from self.template(path + ("text",), inject.text, names)
            yield from self.template(path + ("subject",), inject.subject, names)
            for part in ("text", "subject"):
                self.warnings += self.empty(path + (part,), getattr(inject, part), "sender", [inject.sender])
        yield from self.after_cycles()

    def after_cycles(self) -> Iterator[Found]:
        after = {i.id: i.after for i in self.s.injects if i.after}
        reported: set[str] = set()
        for index, inject in enumerate(self.s.injects):
            chain, current = [], inject.id
            while current in after and current not in chain:
                chain.append(current)
                current = after[current]
            if current == inject.id and len(chain) > 1 and inject.id not in reported:
                reported.update(chain)
                yield ("injects", index, "after"), t("ref.cycle", chain=" → ".join(chain + [inject.id])), False

    def thread(self, path: tuple[Any, ...], thread: str) -> Iterator[Found]:
        if not self.s.social:
            yield path, t("ref.no_social"), False
        else:
            yield from self.ref(path, thread, self.threads, "thread")

    def follow_up_refs(self) -> Iterator[Found]:
        """The thread a journalist's story lands in (engine/media.py)."""
        settings = [("personas", i, p.follow_up) for i, p in enumerate(self.s.personas)]
        settings += [("persona_pools", i, p.follow_up) for i, p in enumerate(self.s.persona_pools)]
        for key, i, follow_up in settings:
            if follow_up and follow_up.thread is not None:
                yield from self.thread((key, i, "follow_up", "thread"), follow_up.thread)

    def generator_refs(self) -> Iterator[Found]:
        names = template_names(self.s, "sender")
        for i, generator in enumerate(self.s.generators):
            path = ("generators", i)
            yield from self.refs(path + ("from",), generator.sender, self.people, "person")
            yield from self.refs(path + ("to",), generator.to, self.roles, "role")
            yield from self.expectation_refs(path + ("expect",), generator.expect)
            yield from self.within_drill(path + ("start",), generator.start)
            if generator.end is not None and generator.end <= generator.start:
                yield path + ("end",), t("ref.end_before_start"), False
            for j, template in enumerate(generator.templates):
                yield from self.template(path + ("templates", j), template, names)
                self.warnings += self.empty(path + ("templates", j), template, "sender", generator.sender)
            for j, subject in enumerate(generator.subjects):
                yield from self.template(path + ("subjects", j), subject, names)
                self.warnings += self.empty(path + ("subjects", j), subject, "sender", generator.sender)
        yield from self.generated_total()

    def generated_total(self) -> Iterator[Found]:
        """per_hour is bounded per generator; the injects all of them give in one drill are bounded too."""
        expected = []
        for generator in self.s.generators:
            end = min(generator.end if generator.end is not None else self.s.duration, self.s.duration)
            expected.append(generator.per_hour * max(0, end - generator.start) / 3600)
        if sum(expected) > MAX_GENERATED:
            largest = max(range(len(expected)), key=expected.__getitem__)
            yield (
                ("generators", largest, "per_hour"),
                t("ref.too_many_generated", n=round(sum(expected)), limit=MAX_GENERATED),
                False,
            )

    def social_refs(self) -> Iterator[Found]:
        social = self.s.social
        if not social:
            return
        names = template_names(self.s, "author")
        yield from self.refs(("social", "authors"), social.authors, self.people, "person")
        for i, spike in enumerate(social.spikes):
            yield from self.ref(("social", "spikes", i, "thread"), spike.thread, self.threads, "thread")
            yield from self.within_drill(("social", "spikes", i, "at"), spike.at)
        for i, reaction in enumerate(social.reactions):
            path = ("social", "reactions", i)
            yield from self.ref(path + ("effect", "thread"), reaction.effect.thread, self.threads, "thread")
            yield from self.refs(path + ("injects",), reaction.injects, self.injects, "inject")
            generators = [g.id for g in self.s.generators]
            yield from self.refs(path + ("generators",), reaction.generators, generators, "generator")
            yield from self.refs(path + ("topics",), reaction.topics, self.topics, "topic")
        for category, templates in social.templates.items():
            for j, template in enumerate(templates):
                yield from self.post_template(("social", "templates", category.value, j), template, names)
        for i, thread in enumerate(social.threads):
            if thread.topic is not None:
                yield from self.ref(("social", "threads", i, "topic"), thread.topic, self.topics, "topic")
            if thread.platform is not None:
                yield from self.ref(("social", "threads", i, "platform"), thread.platform, self.platforms, "platform")
            for category, templates in thread.templates.items():
                for j, template in enumerate(templates):
                    yield from self.post_template(
                        ("social", "threads", i, "templates", category.value, j), template, names, thread.topic
                    )
            library = social.generic and self.s.language == "sv"  # the built-in posts cover every category
            for category, share in thread.mix.items():
                if share > 0 and not library and not (thread.templates.get(category) or social.templates.get(category)):
                    yield (
                        ("social", "threads", i, "mix", category.value),
                        t("ref.no_templates", category=category.value),
                        True,
                    )


# What engine/personas.py gives a generated person: always a name, phone, e-mail and handle; the rest from the pool.
_POOL_FIELDS = {"outlet": "outlets", "title": "titles", "organisation": "organisation"}


def _pool_fills(pool: Any, field: str) -> bool:
    source = _POOL_FIELDS.get(field)
    return source is None or bool(getattr(pool, source))
