"""What the team (and the facilitator) can do. Every action is validated by the engine."""

from __future__ import annotations

from typing import Any, TypeAlias

import msgspec

from krisovning.vocab import ActionKind, CoordinationKind, FacilitatorKind

MAX_ACTION_TEXT = 10_000  # each text of an action (its text, every field, id and channel)
MAX_ACTION_ITEMS = 50  # channels, topics, and fields
# what an action's journaled form leaves out: one tuple (a literal holding {} is built at every use)
_EMPTY: tuple[object, ...] = (None, "", (), {})


class Action(msgspec.Struct, frozen=True, omit_defaults=True):
    """One action, and its journaled form (`to_dict`). The kind is checked by the engine
    (`engine/actions_apply.py`), so a journaled action of an unknown kind is read, then refused."""

    kind: str
    text: str = ""
    role: str | None = None  # who acted (a role id), when the UI knows it
    seat: str | None = None  # the seat it came from, stamped by the host of a team drill (session/host.py)
    sent: str | None = None  # when that seat sent it (wall time, ISO 8601): it reached the drill one step later
    inject: str | None = None  # reply / fire_inject / skip_inject: the inject's id
    post: str | None = None  # publish: the social post answered publicly, if any
    channels: tuple[str, ...] = ()  # publish
    topics: tuple[str, ...] = ()  # publish, decision: the topics its author ticked (the engine finds the others)
    checklist: str | None = None
    item: str | None = None
    speed: int | float | None = None  # an int stays an int: the journaled form is digested
    fields: dict[str, str] = {}  # situation picture / ad-hoc inject
    objective: str | None = None  # observation: the objective it bears on
    rating: str | None = None  # observation: the evaluator's rating of that objective (an Outcome), `text` the reason
    replaces: int | None = None  # observation: the seq of an earlier one this edits (or withdraws)
    withdrawn: bool | None = None  # observation: with `replaces`, the earlier one is deleted
    declined: bool | None = None  # reply: the team declines the journalist's interview

    def to_dict(self) -> dict[str, Any]:
        # by hand: empty values (None, "", (), {}) are left out, also where the default is None, as
        # every journal so far wrote them (msgspec's omit_defaults would keep an `inject: ""`)
        out: dict[str, Any] = {}
        for name, value in zip(self.__struct_fields__, msgspec.structs.astuple(self), strict=True):
            if value not in _EMPTY:
                listed = name in ("channels", "topics")
                out[name] = list(value) if listed else dict(value) if name == "fields" else value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Action:
        """The action `to_dict` wrote; ValueError when `data` is not one (a damaged journal)."""
        try:
            return msgspec.convert(data, cls)
        except msgspec.ValidationError as exc:
            raise ValueError(str(exc)) from None


# --- one struct per action kind: what a journaled action of that kind may hold ---
# The engine takes the broad `Action` (its handlers, `engine/actions_apply.py`, check what each kind
# needs and refuse with a message); these say which fields a kind has at all. `Actions.act` refuses a
# field its kind does not have, and a journaled action is read as its kind's struct (`decode_action`,
# used by `session/journal.py` and `session/export.py`), so a foreign or missing field is found there.


class _Typed(
    msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, tag_field="kind", forbid_unknown_fields=True
):
    role: str | None = None
    seat: str | None = None
    sent: str | None = None

    def to_action(self) -> Action:
        """The engine's form of this action (the same journaled dict)."""
        return Action(str(self.__struct_config__.tag), **{name: getattr(self, name) for name in self.__struct_fields__})


class Reply(_Typed, tag=ActionKind.reply.value, frozen=True):
    inject: str
    text: str = ""
    declined: bool | None = None  # the reply form's "decline the interview" (engine/media.py)


class Publish(_Typed, tag=ActionKind.publish.value, frozen=True):
    text: str = ""
    channels: tuple[str, ...] = ()
    post: str | None = None
    topics: tuple[str, ...] = ()


class Decision(_Typed, tag=ActionKind.decision.value, frozen=True):
    text: str = ""
    topics: tuple[str, ...] = ()  # the topics its author ticked (the engine finds the others)


class SituationUpdate(_Typed, tag=ActionKind.situation_update.value, frozen=True):
    text: str = ""
    fields: dict[str, str] = {}


class ChecklistTick(_Typed, tag=ActionKind.checklist.value, frozen=True):
    checklist: str
    item: str


class Claim(_Typed, tag=CoordinationKind.claim.value, frozen=True):
    inject: str


class Release(_Typed, tag=CoordinationKind.release.value, frozen=True):
    inject: str


class AnswerCall(_Typed, tag=CoordinationKind.answer_call.value, frozen=True):
    inject: str


class DeclineCall(_Typed, tag=CoordinationKind.decline_call.value, frozen=True):
    inject: str


class Observation(_Typed, tag=FacilitatorKind.observation.value, frozen=True):
    text: str = ""
    objective: str | None = None
    rating: str | None = None
    replaces: int | None = None
    withdrawn: bool | None = None


class FireInject(_Typed, tag=FacilitatorKind.fire_inject.value, frozen=True):
    inject: str


class SkipInject(_Typed, tag=FacilitatorKind.skip_inject.value, frozen=True):
    inject: str


class AddInject(_Typed, tag=FacilitatorKind.add_inject.value, frozen=True):
    fields: dict[str, str] = {}


class End(_Typed, tag=FacilitatorKind.end.value, frozen=True):
    pass


class Pause(_Typed, tag=FacilitatorKind.pause.value, frozen=True):
    pass


class Resume(_Typed, tag=FacilitatorKind.resume.value, frozen=True):
    pass


class Speed(_Typed, tag=FacilitatorKind.speed.value, frozen=True):
    speed: int | float


class Start(_Typed, tag=FacilitatorKind.start.value, frozen=True):
    pass


TypedAction: TypeAlias = (
    Reply
    | Publish
    | Decision
    | SituationUpdate
    | ChecklistTick
    | Claim
    | Release
    | AnswerCall
    | DeclineCall
    | Observation
    | FireInject
    | SkipInject
    | AddInject
    | End
    | Pause
    | Resume
    | Speed
    | Start
)
ACTION_TYPES: dict[str, type[_Typed]] = {
    str(cls.__struct_config__.tag): cls
    for cls in (Reply, Publish, Decision, SituationUpdate, ChecklistTick, Claim, Release, AnswerCall, DeclineCall)
    + (Observation,)
    + (FireInject, SkipInject, AddInject, End, Pause, Resume, Speed, Start)
}


# Per kind, the fields of `Action` it has not, in `Action`'s order (the order `to_dict` writes them).
_FOREIGN: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name in Action.__struct_fields__ if name != "kind" and name not in cls.__struct_fields__)
    for kind, cls in ACTION_TYPES.items()
}


def foreign_field(action: Action) -> str | None:
    """The first field `action` holds that its kind has not (None: none, or the kind is unknown)."""
    for name in _FOREIGN.get(action.kind, ()):
        if getattr(action, name) not in _EMPTY:  # what `to_dict` leaves out is not held
            return name
    return None


def decode_action(data: Any) -> TypedAction:
    """A journaled action (`Action.to_dict`) as its kind's struct; ValueError when it is not one
    (not an object, a field of the wrong type, a missing field, a field its kind has not, an unknown kind)."""
    # by the kind's own struct: converting to the union costs ~25x more (its type is analysed each call)
    kind = data.get("kind") if isinstance(data, dict) else None
    target: Any = ACTION_TYPES.get(kind, TypedAction) if isinstance(kind, str) else TypedAction
    try:
        action: TypedAction = msgspec.convert(data, target)
        return action
    except msgspec.ValidationError as exc:
        raise ValueError(str(exc)) from None


class ActionRefused(Exception):
    """An action the engine will not take; `key` and `fields` name a translatable message."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields
