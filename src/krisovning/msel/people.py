"""Senders become personas and receivers become roles, each once, with readable ids."""

from __future__ import annotations

import re
from typing import Any

from krisovning.i18n import t
from krisovning.msel.carry import Carried
from krisovning.msel.columns import is_everyone, norm, persona_kind
from krisovning.scenario.types import MAX_TEXT, MAX_TITLE
from krisovning.slug import slug


def title(text: str) -> str:
    """Fits a Title field (one line, at most 200 characters)."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= MAX_TITLE else one_line[: MAX_TITLE - 1] + "…"


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = base[: 64 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


_REPORTER_AT = re.compile(
    r"^(?:journalist|reporter|reportern|redaktör|frilansjournalist|frilans)\s+(?:på|vid|at|for|från|from|with)\s+(.+)$",
    re.IGNORECASE,
)


def _person_like(text: str) -> bool:
    """`Karin Ek`: two to four capitalised words that name no outlet, agency or company."""
    parts = text.split()
    return 2 <= len(parts) <= 4 and all(p[:1].isupper() for p in parts) and persona_kind(text) == "citizen"


def split_sender(text: str) -> tuple[str, str | None]:
    """`Karin Ek, P4 Kalmar` / `Karin Ek (P4 Kalmar)` / `Karin Ek – P4` → name and the rest.

    A short parenthesis that is part of a name stays in it: `Integritetsskyddsmyndigheten (IMY)`.
    """
    if "," in text:
        name, rest = text.split(",", 1)
    else:
        match = re.match(r"^(.+?)\s*\((.+)\)\s*$", text)
        if match and len(match[2].split()) == 1 and persona_kind(match[2]) == "citizen":
            match = None
        match = match or re.match(r"^(.+?)\s+[–—-]\s+(.+)$", text)
        if not match:
            return text.strip(), None
        name, rest = match[1], match[2]
    name, rest = name.strip(), rest.strip()
    if not name:
        return rest, None
    return name, rest or None


def parse_sender(text: str) -> tuple[str, str, str | None]:
    """A sender cell → (name, kind, the rest: outlet, title, organisation or description).

    The rest decides the kind when it says something (`Kim Berg, Länsstyrelsen` is an official,
    `Redaktionen, Myndigheten för …` too); `reporter på X` makes anyone a journalist at X.
    """
    name, rest = split_sender(text)
    reporter = _REPORTER_AT.match(rest) if rest else None
    if reporter:
        return name, "journalist", reporter[1].strip()
    kind = persona_kind(rest) if rest else "citizen"
    if kind == "citizen":
        kind = persona_kind(name)
    if kind == "journalist" and rest and _person_like(rest) and not _person_like(name):
        name, rest = rest, name  # "P4 Kalmar, Karin Ek": the outlet came first
    return name, kind, rest


class People:
    def __init__(self, carried: Carried | None = None) -> None:
        self.personas: list[dict[str, Any]] = []
        self.roles: list[dict[str, Any]] = []
        self._persona_by_text: dict[str, str] = {}
        self._role_by_slug: dict[str, str] = {}
        self._role_by_name: dict[str, str] = {}  # a carried role, by its name exactly as written
        self._taken: set[str] = set()
        self.default_role: str | None = None
        self.default_role_rows = 0
        self.default_sender_rows = 0
        if carried is not None:  # an export's own people and roles, with their ids (msel/carry.py)
            for key, person in carried.people.items():
                if person["id"] not in self._taken:
                    self._taken.add(person["id"])
                    self.personas.append(dict(person))
                    self._persona_by_text[key] = person["id"]
            for role in carried.roles:
                if role["id"] not in self._taken:
                    self._taken.add(role["id"])
                    self.roles.append(dict(role))
                    self._role_by_name[role["name"].strip()] = role["id"]
                    self._role_by_slug.setdefault(slug(role["name"], "roll"), role["id"])

    # --- personas ---

    def persona(self, text: str | None) -> str:
        if not text or not norm(text):
            self.default_sender_rows += 1
            text = t("msel.unknown_sender")
        key = norm(text)
        if key in self._persona_by_text:
            return self._persona_by_text[key]
        name, kind, rest = parse_sender(text)
        persona: dict[str, Any] = {
            "id": _unique(slug(name, "avsandare"), self._taken),
            "name": title(name),
            "kind": kind,
        }
        if kind == "journalist":
            persona["outlet"] = title(rest or name)
        elif rest and kind == "official":
            persona["title"] = title(rest)
        elif rest and kind == "organisation":
            persona["organisation"] = title(rest)
        elif rest:
            persona["description"] = rest[:MAX_TEXT]
        self.personas.append(persona)
        self._persona_by_text[key] = persona["id"]
        return persona["id"]

    # --- roles ---

    def role(self, text: str | None) -> tuple[str, str | None]:
        """The role id for a receiver cell, and a note when the cell named several or everyone."""
        if text and text.strip() in self._role_by_name:
            return self._role_by_name[text.strip()], None
        if not text or not norm(text) or is_everyone(text):
            self.default_role_rows += 1
            note = "everyone" if text and norm(text) else None
            return self._default(), note
        # "/" is no separator: it is part of many a function's name ("Press/info", "PIO/JIC")
        parts = [p.strip() for p in re.split(r"[,;&+\n]", text) if norm(p)]
        role = self._add_role(parts[0] if parts else text)
        note = t("msel.todo.many_receivers", value=" ".join(text.split()), role=role) if len(parts) > 1 else None
        return role, note

    def _add_role(self, name: str) -> str:
        key = slug(name, "roll")
        if key not in self._role_by_slug:
            role_id = _unique(key, self._taken)
            self.roles.append({"id": role_id, "name": title(name)})
            self._role_by_slug[key] = role_id
        return self._role_by_slug[key]

    def _default(self) -> str:
        """Rows without a receiver go to the first role named anywhere in the sheet (set in finish)."""
        return "\x00default"

    def finish(self) -> str:
        """Choose the default role once every row is read: the first role named, or kommunikationschef."""
        if self.roles:
            self.default_role = self.roles[0]["id"]
        else:
            self.default_role = self._add_role(t("msel.default_role"))
        return self.default_role
