"""The translation layer: every user-visible string goes through `t`.

Swedish is the default; English is complete (a test compares the catalogues).
Catalogue values are `str.format` strings (fields by name; `{{` for a literal brace).
"""

from __future__ import annotations

import os
from importlib import import_module

from krisovning.i18n import sv

LANGUAGES = ("sv", "en")
_CATALOGUES = {"sv": sv.MESSAGES}  # the others are loaded when first asked for
_current = "sv"


def _catalogue(lang: str) -> dict[str, str]:
    table = _CATALOGUES.get(lang)
    if table is None:
        table = _CATALOGUES[lang] = import_module(f"krisovning.i18n.{lang}").MESSAGES
    return table


def normalise_language(value: str | None) -> str | None:
    """'sv', 'sv_SE.UTF-8', 'EN' → 'sv' / 'en'; anything else → None."""
    if not value:
        return None
    code = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    return code if code in LANGUAGES else None


def set_language(lang: str | None) -> str:
    global _current
    _current = normalise_language(lang) or "sv"
    return _current


def get_language() -> str:
    return _current


def language_from_env() -> str | None:
    return normalise_language(os.environ.get("KRISOVNING_LANG"))


def t(key: str, /, **fields: object) -> str:
    """The message `key` in the current language, with `fields` filled in."""
    text = _catalogue(_current).get(key)
    if text is None:  # a missing key is a bug the catalogue test catches; never crash a user
        text = _CATALOGUES["sv"].get(key, key)
    return text.format(**fields)


def t_in(lang: str, key: str, /, **fields: object) -> str:
    """The message `key` in `lang` — for text that belongs to a scenario, not to the UI."""
    table = _catalogue(lang) if lang in LANGUAGES else _CATALOGUES["sv"]
    return table.get(key, _CATALOGUES["sv"].get(key, key)).format(**fields)


def tn(key: str, n: int, /, **fields: object) -> str:
    """Plural-aware: uses `key.one` when n == 1, else `key.other`."""
    return t(f"{key}.{'one' if n == 1 else 'other'}", n=n, **fields)


def catalogue(lang: str) -> dict[str, str]:
    return _catalogue(lang)
