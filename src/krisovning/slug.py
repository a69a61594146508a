"""The one rule for turning names into ASCII identifiers (bottom layer, beside `textsafe` and `vocab`).

å, ä and ö become a, a and o, as Swedish readers expect of a plain-letters spelling (`Åsa Öberg` →
`asa-oberg`); other letters lose their accents. The engine derives generated people's handles and
e-mail addresses with it (engine/personas.py: part of the digested event stream, so this rule must
not change), and an imported MSEL its ids (msel/columns.slug).
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = str.maketrans("åäöéèüáàæøñç", "aaoeeuaaaonc")
_NOT_ID = re.compile(r"[^a-z0-9]+")


def to_ascii(text: str) -> str:
    """Lower case ASCII: `Åsa Öberg-Lind` → `asa oberg-lind` (letters without an ASCII form are dropped)."""
    plain = text.lower()
    if not plain.isascii():  # å, ä and ö first: str.replace is ~4x cheaper than str.translate
        plain = plain.replace("å", "a").replace("ä", "a").replace("ö", "o")
        if not plain.isascii():
            plain = plain.translate(_LETTERS)
        if not plain.isascii():  # rarer letters: the slower, general way
            plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    return plain


def slug(text: str, fallback: str = "x") -> str:
    """An identifier (a–z, 0–9, -, at most 64): `Räddningstjänsten Öst` → `raddningstjansten-ost`."""
    result = _NOT_ID.sub("-", to_ascii(str(text))).strip("-")[:64].strip("-")
    return result or fallback
