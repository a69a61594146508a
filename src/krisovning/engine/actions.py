"""What the team (and the facilitator) can do. Every action is validated by the engine."""

from __future__ import annotations

from typing import Any

import msgspec

MAX_ACTION_TEXT = 10_000  # each text of an action (its text, every field, id and channel)
MAX_ACTION_ITEMS = 50  # channels, and fields


class Action(msgspec.Struct, frozen=True, omit_defaults=True):
    """One action, and its journaled form (`to_dict`). The kind is checked by the engine
    (`engine/actions_apply.py`), so a journaled action of an unknown kind is read, then refused."""

    kind: str
    text: str = ""
    role: str | None = None  # who acted (a role id), when the UI knows it
    inject: str | None = None  # reply / fire_inject / skip_inject: the inject's id
    post: str | None = None  # publish: the social post answered publicly, if any
    channels: tuple[str, ...] = ()  # publish
    checklist: str | None = None
    item: str | None = None
    speed: int | float | None = None  # an int stays an int: the journaled form is digested
    fields: dict[str, str] = {}  # situation picture / ad-hoc inject

    def to_dict(self) -> dict[str, Any]:
        # by hand: empty values (None, "", (), {}) are left out, also where the default is None, as
        # every journal so far wrote them (msgspec's omit_defaults would keep an `inject: ""`)
        out: dict[str, Any] = {}
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if value not in (None, "", (), {}):
                out[name] = list(value) if name == "channels" else dict(value) if name == "fields" else value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Action:
        """The action `to_dict` wrote; ValueError when `data` is not one (a damaged journal)."""
        try:
            return msgspec.convert(data, cls)
        except msgspec.ValidationError as exc:
            raise ValueError(str(exc)) from None


class ActionRefused(Exception):
    """An action the engine will not take; `key` and `fields` name a translatable message."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields
