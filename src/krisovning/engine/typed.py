"""Typed forms of the event stream and of actions: what a consumer reads instead of dict keys.

The engine emits its compact form (`engine/events.py`: a NamedTuple with a dict payload), which its
hot path makes ~100,000 times a drill; the typed form is made where a journal is read
(`session/journal.py`, `cli/commands_report.py`), by `decode_event` / `to_typed`. msgspec tagged
structs: on the journal benchmark's rows they decode and validate ~3x faster than the equivalent
pydantic discriminated union (bench/bench_typed.py; figures in docs/architecture.md, "The event stream").
Unknown keys are ignored (a newer minor field does not make an old reader refuse a journal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import msgspec

from krisovning.engine.actions import Action
from krisovning.engine.events import Event
from krisovning.vocab import EventKind


class Sender(msgspec.Struct, frozen=True, omit_defaults=True):
    id: str
    kind: str
    name: str
    title: str | None = None
    organisation: str | None = None
    outlet: str | None = None
    phone: str | None = None
    email: str | None = None
    handle: str | None = None


class Expect(msgspec.Struct, frozen=True, omit_defaults=True):
    action: str
    within: int
    deadline: float
    description: str | None = None
    channels: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # what it must cover (a hold: must not) — engine/content.py
    answers: str | None = None  # a topic or an inject the publication must answer
    until: str | None = None  # a hold: the inject whose arrival ends it


class _Event(msgspec.Struct, frozen=True, omit_defaults=True, tag_field="kind"):
    seq: int
    t: float


class Inject(_Event, tag=EventKind.inject.value, frozen=True):
    id: str
    source: str
    channel: str
    sender: Sender
    to: str
    text: str
    priority: str
    world_time: str
    subject: str | None = None
    expect: Expect | None = None
    note: str | None = None
    objectives: tuple[str, ...] = ()
    do_not_answer: bool = False


class Post(_Event, tag=EventKind.post.value, frozen=True, omit_defaults=False):
    # the engine writes `facts` and `repost_of` on every post (empty or null alike); a journal from before
    # them reads as no facts and no share
    id: str
    thread: str
    category: str
    sentiment: str
    author: str
    handle: str
    text: str
    facts: tuple[str, ...] = ()  # the fact keys its text uses (none before the fact is public)
    repost_of: str | None = None  # a share of this post (its id)
    # the topic ids its text is about (engine/topics.py); journaled only when there are any (the export
    # writes [] then), so a feed without topics is journaled as before
    topics: tuple[str, ...] | msgspec.UnsetType = msgspec.UNSET
    # where it was posted (a `social.platforms` id, engine/social.py); unset in a journal from before platforms
    platform: str | msgspec.UnsetType = msgspec.UNSET
    # the post ("p12") or the municipality's post ("a<seq>") it replies to; journaled only when it replies
    # (unset otherwise, so that the typed form written out is the journaled line)
    reply_to: str | msgspec.UnsetType = msgspec.UNSET


class ActionTaken(_Event, tag=EventKind.action.value, frozen=True):
    action: Action
    response: float | None = None  # a reply: seconds since its inject
    public: bool | None = None  # a publish: on a public channel
    topics: tuple[str, ...] = ()  # a public publish, a decision: the topics it covered (ticked or found in its text)
    contradicts: tuple[str, ...] = ()  # …and those on which it said otherwise than the previous one


class ExpectationMet(_Event, tag=EventKind.expectation_met.value, frozen=True):
    inject: str
    action: int  # the seq of the action that met it (0: a hold kept, met by no action)
    response: float
    kept: bool = False  # a hold ran its course unbroken


class ExpectationMissed(_Event, tag=EventKind.expectation_missed.value, frozen=True):
    inject: str
    deadline: float
    broken: int | None = None  # a hold: the seq of the publication that broke it


class SocialSample(_Event, tag=EventKind.social_sample.value, frozen=True):
    rate: float
    posts: int
    rumour_share: float
    negative_share: float
    threads: dict[str, float] = {}


class SocialEffect(_Event, tag=EventKind.social_effect.value, frozen=True):
    thread: str
    cause: str
    spike: int | None = None
    branching: float | None = None
    baseline_factor: float | None = None


class SocialCapped(_Event, tag=EventKind.social_capped.value, frozen=True):
    max_posts: int


class DrillEnd(_Event, tag=EventKind.drill_end.value, frozen=True):
    reason: str
    world_time: str


class FactPublic(_Event, tag=EventKind.fact_public.value, frozen=True):
    fact: str
    source: str  # "action:<seq>" (a publication mentioned it) or "inject:<id>" (an inject revealed it)


class CallMissed(_Event, tag=EventKind.call_missed.value, frozen=True):
    inject: str
    ring: float  # drill seconds it rang (engine/calls.py)


TypedEvent: TypeAlias = (
    Inject
    | Post
    | ActionTaken
    | ExpectationMet
    | ExpectationMissed
    | SocialSample
    | SocialEffect
    | SocialCapped
    | DrillEnd
    | FactPublic
    | CallMissed
)
_DECODER = msgspec.json.Decoder(TypedEvent)


def decode_event(body: str | bytes) -> TypedEvent:
    """A journaled event's JSON as its typed form; msgspec.ValidationError/DecodeError when it is not one."""
    return _DECODER.decode(body)


def to_typed(row: dict[str, Any]) -> TypedEvent:
    """An event's dict form (`Event.to_dict`) as its typed form; msgspec.ValidationError when it is not one."""
    return msgspec.convert(row, TypedEvent)


def _inject(seq: int, t: float, data: dict[str, Any]) -> Inject:
    fields = data.copy()
    fields["sender"] = Sender(**data["sender"])
    if "expect" in data:
        expect = data["expect"].copy()
        for name in ("channels", "topics"):
            if name in expect:
                expect[name] = tuple(expect[name])
        fields["expect"] = Expect(**expect)
    if "objectives" in data:
        fields["objectives"] = tuple(data["objectives"])
    return Inject(seq, t, **fields)


def _action(seq: int, t: float, data: dict[str, Any]) -> ActionTaken:
    action = data["action"].copy()
    for name in ("channels", "topics"):
        if name in action:
            action[name] = tuple(action[name])
    return ActionTaken(
        seq,
        t,
        Action(**action),
        data.get("response"),
        data.get("public"),
        tuple(data.get("topics", ())),
        tuple(data.get("contradicts", ())),
    )


def _post(seq: int, t: float, data: dict[str, Any]) -> Post:
    fields = data.copy()
    if "facts" in data:
        fields["facts"] = tuple(data["facts"])
    if "topics" in data:
        fields["topics"] = tuple(data["topics"])
    return Post(seq, t, **fields)


# The engine's own events need no validation (the journal's are validated by `decode_event`):
# built field by field, ~20x cheaper than msgspec.convert of the dict form.
_BUILD: dict[str, Callable[[int, float, dict[str, Any]], TypedEvent]] = {
    EventKind.inject.value: _inject,
    EventKind.post.value: _post,
    EventKind.action.value: _action,
    EventKind.expectation_met.value: lambda seq, t, data: ExpectationMet(seq, t, **data),
    EventKind.expectation_missed.value: lambda seq, t, data: ExpectationMissed(seq, t, **data),
    EventKind.social_sample.value: lambda seq, t, data: SocialSample(seq, t, **data),
    EventKind.social_effect.value: lambda seq, t, data: SocialEffect(seq, t, **data),
    EventKind.social_capped.value: lambda seq, t, data: SocialCapped(seq, t, **data),
    EventKind.drill_end.value: lambda seq, t, data: DrillEnd(seq, t, **data),
    EventKind.fact_public.value: lambda seq, t, data: FactPublic(seq, t, **data),
    EventKind.call_missed.value: lambda seq, t, data: CallMissed(seq, t, **data),
}


def typed(event: Event | TypedEvent) -> TypedEvent:
    """The engine's compact event as its typed form (a typed event as it is)."""
    if isinstance(event, _Event):
        return event
    return _BUILD[event.kind](event.seq, event.t, event.data)
