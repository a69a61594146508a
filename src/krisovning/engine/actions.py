"""What the team (and the facilitator) can do. Every action is validated by the engine."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

MAX_ACTION_TEXT = 10_000  # each text of an action (its text, every field, id and channel)
MAX_ACTION_ITEMS = 50  # channels, and fields


@dataclass(frozen=True)
class Action:
    kind: str
    text: str = ""
    role: str | None = None  # who acted (a role id), when the UI knows it
    inject: str | None = None  # reply / fire_inject / skip_inject: the inject's id
    post: str | None = None  # publish: the social post answered publicly, if any
    channels: tuple[str, ...] = ()  # publish
    checklist: str | None = None
    item: str | None = None
    speed: float | None = None
    fields: dict[str, str] = field(default_factory=dict)  # situation picture / ad-hoc inject

    def to_dict(self) -> dict[str, Any]:
        # by hand rather than dataclasses.asdict, whose deep copy cost ~40 µs per bot action
        out: dict[str, Any] = {}
        for name in _FIELDS:
            value = getattr(self, name)
            if value not in (None, "", (), {}):
                out[name] = list(value) if name == "channels" else dict(value) if name == "fields" else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Action:
        """The action `to_dict` wrote; ValueError when `data` is not one (a damaged journal)."""
        if not isinstance(data, dict):
            raise ValueError("an action is an object")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if not isinstance(known.get("kind"), str) or not isinstance(known.get("text", ""), str):
            raise ValueError("an action needs a kind and a text")
        for name in ("role", "inject", "post", "checklist", "item"):
            if not isinstance(known.get(name, ""), str | None):
                raise ValueError(f"{name} must be a text")
        speed = known.get("speed")
        if speed is not None and (not isinstance(speed, int | float) or isinstance(speed, bool)):
            raise ValueError("speed must be a number")
        if "channels" in known:
            if not isinstance(known["channels"], list | tuple) or not all(isinstance(c, str) for c in known["channels"]):
                raise ValueError("channels must be texts")
            known["channels"] = tuple(known["channels"])
        if "fields" in known:
            fields = known["fields"]
            if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
                raise ValueError("fields must map names to texts")
            known["fields"] = dict(fields)
        return cls(**known)


_FIELDS = tuple(f.name for f in fields(Action))


class ActionRefused(Exception):
    """An action the engine will not take; `key` and `fields` name a translatable message."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields
