"""Hostile strings for every place that shows text (tests import these; none is a test itself).

Each must come out literally: no markup interpreted, no action triggered, no crash. `SCENARIO_SAFE`
are the ones a scenario file may carry (validate refuses control characters); `TYPED` adds what a
journal, a spreadsheet or the team's typing can still bring.
"""

from __future__ import annotations

SCENARIO_SAFE: tuple[str, ...] = (
    "[/]",
    "[/x] stängd tagg",
    "[b]fet[/b] och [i]kursiv",
    "[@click=app.quit]Avsluta[/]",
    "[@click=app.screenshot('f','dir')]skärmbild[/]",
    "[@click=app.facilitator]spelledning",
    "[link=https://example.invalid]länk[/link]",
    "\\[b] bakstreck före hakparentes \\\\[/b]",
    "[red on white]färg",
    '<script>alert(1)</script> & &amp; "citat"',
    "{author.name} {okänd}",
    "Långt" + "ord" * 400,
    "\u202eRTL-åsidosättning\u202c och \u200fRLM och عربى",
    "emoji 🚨💧🏥👨‍👩‍👧 flaggor 🇸🇪",
)

CONTROL: tuple[str, ...] = (
    "\x1b]2;PWNED\x07 titel",
    "\x1b[2J rensa skärmen",
    "\x1b]52;c;SGVq\x07 urklipp",
    "nolltecken \x00 och \x7f och \x9b",
    "vagnretur\rskriver över",
)

TYPED: tuple[str, ...] = SCENARIO_SAFE + CONTROL


def has_raw_control(output: str) -> bool:
    """True if `output` holds a control character a terminal would act on (tab and newline allowed)."""
    return any(ch in output for ch in "\x1b\x00\x07\x9b\x9d\r\x7f")
