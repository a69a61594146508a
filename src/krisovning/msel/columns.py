"""Recognising what a spreadsheet says: column headers, channel words, expected actions, senders.

Everything is compared in a normal form that ignores case, spacing, punctuation and
diacritics (`Förväntad åtgärd` = `forvantad atgard` = `FÖRVÄNTAD ÅTGÄRD:`), because every
MSEL spells its headers its own way (docs/msel.md lists those recognised).
"""

from __future__ import annotations

import re
import unicodedata

# --- normal forms ---

_NOT_WORD = re.compile(r"[^a-z0-9+]+")


def fold(text: str) -> str:
    """Lower case without diacritics: `Övningsmål` → `ovningsmal`."""
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def norm(text: str) -> str:
    """Words only: `MSEL #` → `msel nr`, `Expected (Player) Action` → `expected player action`."""
    return _NOT_WORD.sub(" ", fold(str(text).replace("#", " nr "))).strip()


def words(text: str) -> list[str]:
    return norm(text).split()


# --- column headers ---

ID, TIME, DAY, SENDER, TO, CHANNEL, TEXT, SUBJECT, EXPECT, DEADLINE, OBJECTIVE, NOTES = (
    "id",
    "time",
    "day",
    "sender",
    "to",
    "channel",
    "text",
    "subject",
    "expect",
    "deadline",
    "objective",
    "notes",
)
SYNOPSIS, KIND, PRIORITY, CONDITION = "synopsis", "kind", "priority", "condition"
# The wall-clock time an inject is sent, beside the time in the scenario's story ("Real Time" vs
# "Designated Scenario Time"): when a sheet has both, the send time times the inject and the story's
# time goes to the note (`SCENARIO_TIME`, set by read.py); alone, it is the time column.
REAL_TIME, SCENARIO_TIME = "real_time", "scenario_time"

_HEADERS: dict[str, tuple[str, ...]] = {
    ID: (
        "nr",
        "no",
        "id",
        "ref",
        "seq",
        "number",
        "nummer",
        "inject",
        "inject nr",
        "inject no",
        "inject number",
        "inject id",
        "event nr",
        "event no",
        "event number",
        "event id",
        "msel nr",
        "msel no",
        "msel number",
        "msel id",
        "seq no",
        "seq nr",
        "sequence",
        "sequence number",
        "lopnummer",
        "lopnr",
        "inspel nr",
        "inspelsnummer",
        "inspelsnr",
        "inspel id",
        "lnr",
        "l nr",
    ),
    TIME: (
        "time",
        "tid",
        "speltid",
        "designated scenario time",
        "scenario time",
        "scenariotid",
        "inject time",
        "delivery time",
        "time delivered",
        "date time delivered",
        "date time",
        "datetime",
        "date and time",
        "datum tid",
        "datum och tid",
        "tid datum",
        "tidsangivelse",
        "klockslag",
        "kl",
        "klockan",
        "tidpunkt",
        "starttid",
        "ovningstid",
        "spelad tid",
        "inspelstid",
        "t",
        "t+",
        "h+",
        "t+ tid",
        "exercise time",
        "game time",
        "when",
        "nar",
    ),
    REAL_TIME: (
        "real time",
        "real world time",
        "actual time",
        "wall clock",
        "wall clock time",
        "send time",
        "time sent",
        "time to send",
        "realtid",
        "verklig tid",
        "faktisk tid",
        "klocktid",
        "sandningstid",
        "sandtid",
        "utskickstid",
        "skickas",
        "skickas kl",
        "skickas klockan",
    ),
    DAY: (
        "day",
        "dag",
        "date",
        "datum",
        "speldag",
        "ovningsdag",
        "exercise day",
        "day of exercise",
        "veckodag",
        "weekday",
    ),
    SENDER: (
        "from",
        "fran",
        "avsandare",
        "originator",
        "sender",
        "source",
        "kalla",
        "simulated sender",
        "motspel",
        "spelas av",
        "inject from",
        "message from",
    ),
    TO: (
        "to",
        "till",
        "mottagare",
        "player",
        "players",
        "recipient",
        "recipients",
        "receiver",
        "role",
        "roll",
        "target",
        "inject to",
        "message to",
        "mottagande roll",
        "mottagande funktion",
        "funktion",
        "ovad",
        "ovade",
        "team",
        "spelare",
        "malgrupp",
        "adressat",
        "ovad roll",
        "ovad funktion",
    ),
    CHANNEL: (
        "method",
        "kanal",
        "delivery method",
        "inject mode",
        "mode",
        "medium",
        "media",
        "delivery",
        "leveranssatt",
        "satt",
        "format",
        "via",
        "kommunikationssatt",
        "channel",
        "inject method",
    ),
    TEXT: (
        "message",
        "inspel",
        "meddelande",
        "script",
        "text",
        "inject text",
        "inject message",
        "message text",
        "meddelandetext",
        "inspelstext",
        "innehall",
        "content",
        "body",
        "inject content",
        "utskrift",
    ),
    SUBJECT: ("subject", "amne", "rubrik", "title", "titel", "headline", "amnesrad", "subject line"),
    EXPECT: (
        "expected action",
        "forvantad atgard",
        "expected outcome",
        "expected player action",
        "expected response",
        "expected player response",
        "player response",
        "expected actions",
        "forvantade atgarder",
        "forvantat svar",
        "forvantad respons",
        "forvantad reaktion",
        "forvantat resultat",
        "atgard",
        "response",
        "action required",
        "required action",
        "player action",
        "forvantat agerande",
        "agerande",
        "onskad atgard",
    ),
    DEADLINE: (
        "maximum minutes",
        "maximum",
        "max",
        "max minutes",
        "deadline",
        "svarstid",
        "tidsfrist",
        "frist",
        "response time",
        "time to respond",
        "max svarstid",
        "max response",
        "maximum response",
        "max response time",
        "within",
        "inom",
        "senast",
    ),
    OBJECTIVE: (
        "objective",
        "objectives",
        "mal",
        "ovningsmal",
        "core capability",
        "core capabilities",
        "capability",
        "formaga",
        "exercise objective",
        "delmal",
    ),
    NOTES: (
        "notes",
        "note",
        "anteckning",
        "anteckningar",
        "kommentar",
        "kommentarer",
        "comment",
        "comments",
        "remarks",
        "anm",
        "anmarkning",
        "ovrigt",
        "responsible controller",
        "controller",
        "controller notes",
        "evaluator instructions",
        "spelledare",
        "ansvarig",
        "ansvarig spelledare",
        "instruktion",
        "instruktioner",
    ),
    SYNOPSIS: (
        "event synopsis",
        "synopsis",
        "inject description",
        "description",
        "beskrivning",
        "handelse",
        "handelsebeskrivning",
        "event",
        "event description",
        "scenario",
        "situation",
    ),
    KIND: ("type", "typ", "event type", "inject type", "inspelstyp", "handelsetyp", "kategori", "category"),
    PRIORITY: ("priority", "prioritet", "prio"),
    CONDITION: ("condition", "villkor", "trigger", "utlosare", "forutsattning", "if"),
}
_LOOKUP = {variant: field for field, variants in _HEADERS.items() for variant in variants}
_LONGEST = max(len(variant.split()) for variant in _LOOKUP)  # a long cell is not searched beyond this
# Short words only count as a whole header: "Time to respond" is not a "To" column.
_WHOLE_ONLY = {v for v in _LOOKUP if len(v) <= 3} | {
    "text",
    "role",
    "roll",
    "team",
    "media",
    "event",
    "when",
    "nar",
    "format",
    "scenario",
    "situation",
    "response",
    "inject",
}


# Swedish joins words: a header not seen before is often a compound whose last part is known
# ("Inspelsbeskrivning", "Leveranskanal", "Utskickstid"). Longest endings first.
_COMPOUND_ENDINGS: tuple[tuple[str, str], ...] = (
    ("beskrivning", SYNOPSIS),
    ("anteckningar", NOTES),
    ("anteckning", NOTES),
    ("kommentarer", NOTES),
    ("meddelande", TEXT),
    ("mottagare", TO),
    ("avsandare", SENDER),
    ("prioritet", PRIORITY),
    ("atgarder", EXPECT),
    ("tidpunkt", TIME),
    ("villkor", CONDITION),
    ("atgard", EXPECT),
    ("datum", DAY),
    ("kanal", CHANNEL),
    ("text", TEXT),
    ("tid", TIME),
)


def header_field(header: object) -> str | None:
    """Which MSEL field a header names, or None."""
    if header is None:
        return None
    text = str(header)
    for candidate in (norm(text), norm(re.sub(r"\(.*?\)|\[.*?\]", " ", text))):
        if candidate in _LOOKUP:
            return _LOOKUP[candidate]
    tokens = norm(re.sub(r"\(.*?\)|\[.*?\]", " ", text)).split()
    for size in range(min(len(tokens) - 1, _LONGEST), 0, -1):  # the longest known phrase inside, the rightmost first
        for start in range(len(tokens) - size, -1, -1):
            phrase = " ".join(tokens[start : start + size])
            if phrase in _LOOKUP and phrase not in _WHOLE_ONLY:
                return _LOOKUP[phrase]
    for token in reversed(tokens):
        for ending, field in _COMPOUND_ENDINGS:
            if len(token) >= len(ending) + 3 and token.endswith(ending):
                return field
    return None


# --- keyword search in values ---


def _find(text: str, table: list[tuple[str, str, bool]]) -> list[tuple[int, str]]:
    """(position, meaning) of every keyword in `text`; a keyword marked True also matches word prefixes."""
    tokens = words(text)
    found = []
    for phrase, meaning, prefix in table:
        parts = phrase.split()
        for i in range(len(tokens) - len(parts) + 1):
            window = tokens[i : i + len(parts)]
            last_ok = window[-1].startswith(parts[-1]) if prefix else window[-1] == parts[-1]
            if window[:-1] == parts[:-1] and last_ok:
                found.append((i, meaning))
                break
    return sorted(found)


def _first(text: str, table: list[tuple[str, str, bool]]) -> str | None:
    found = _find(text, table)
    return found[0][1] if found else None


def _table(entries: dict[str, str]) -> list[tuple[str, str, bool]]:
    """`"telefon*": "phone"` → a prefix keyword; longer phrases first so they win ties."""
    rows = [(k.rstrip("*"), v, k.endswith("*")) for k, v in entries.items()]
    return sorted(rows, key=lambda row: -len(row[0].split()))


CHANNEL_WORDS = _table(
    {
        "phone*": "phone",
        "telefon*": "phone",
        "samtal*": "phone",
        "tel": "phone",
        "call": "phone",
        "calls": "phone",
        "ringer": "phone",
        "ring": "phone",
        "mobil*": "phone",
        "voicemail": "phone",
        "rostbrevlada": "phone",
        "e mail": "email",
        "email*": "email",
        "mail": "email",
        "e post": "email",
        "epost": "email",
        "mejl*": "email",
        "mail*": "email",
        "brev": "email",
        "letter": "email",
        "sms": "sms",
        "text message": "sms",
        "textmeddelande": "sms",
        "sms*": "sms",
        "twitter": "social",
        "tweet*": "social",
        "x": "social",
        "kvitter": "social",
        "facebook": "social",
        "fb": "social",
        "instagram": "social",
        "social*": "social",
        "sociala medier": "social",
        "some": "social",
        "tiktok": "social",
        "linkedin": "social",
        "threads": "social",
        "mastodon": "social",
        "bluesky": "social",
        "xbook": "social",
        "inlagg": "social",
        "flashback": "social",
        "radio*": "radio",
        "p4": "radio",
        "p1": "radio",
        "p3": "radio",
        "sveriges radio": "radio",
        "vma": "radio",
        "myndighetsmeddelande": "radio",
        "tv*": "tv",
        "svt": "tv",
        "tv4": "tv",
        "television": "tv",
        "rapport": "tv",
        "aktuellt": "tv",
        "web": "news",
        "webb*": "news",
        "artikel*": "news",
        "article": "news",
        "news*": "news",
        "nyhet*": "news",
        "tidning*": "news",
        "newspaper": "news",
        "press": "news",
        "media": "news",
        "hemsida": "news",
        "website": "news",
        "intranat*": "internal",
        "intranet": "internal",
        "internal": "internal",
        "intern*": "internal",
        "teams": "internal",
        "chatt": "internal",
        "chat": "internal",
        "rakel": "internal",
        "stab": "internal",
    }
)


def channel_of(text: str | None) -> str | None:
    """An inject channel for a method word in either language, or None when not recognised."""
    return _first(text, CHANNEL_WORDS) if text else None


ACTION_WORDS = _table(
    {
        "svar*": "reply",
        "besvar*": "reply",
        "reply": "reply",
        "replies": "reply",
        "respond*": "reply",
        "answer*": "reply",
        "ring tillbaka": "reply",
        "ringa tillbaka": "reply",
        "call back": "reply",
        "return call": "reply",
        "aterkoppl*": "reply",
        "aterkom*": "reply",
        "kommentera*": "reply",
        "intervju*": "reply",
        "interview*": "reply",
        "publicera*": "publish",
        "publish*": "publish",
        "pressmeddelande*": "publish",
        "press release": "publish",
        "go public": "publish",
        "informera allmanheten": "publish",
        "post": "publish",
        "lagg ut": "publish",
        "lagga ut": "publish",
        "webbnotis": "publish",
        "statement": "publish",
        "presskonferens": "publish",
        "press conference": "publish",
        "vma": "publish",
        "lagesbild*": "situation_update",
        "situation picture": "situation_update",
        "situation report": "situation_update",
        "situation update": "situation_update",
        "sitrep": "situation_update",
        "lagesrapport*": "situation_update",
        "beslut*": "decision",
        "decision*": "decision",
        "decide*": "decision",
        "besluta*": "decision",
    }
)


def action_of(text: str | None) -> str | None:
    """reply / publish / situation_update / decision for an expected-action text, or None."""
    return _first(text, ACTION_WORDS) if text else None


PUBLISH_WORDS = _table(
    {
        "pressmeddelande*": "press_release",
        "press release": "press_release",
        "webb*": "web",
        "web": "web",
        "website": "web",
        "hemsida*": "web",
        "sociala medier": "social",
        "social*": "social",
        "facebook": "social",
        "instagram": "social",
        "x": "social",
        "sms*": "sms",
        "vma": "vma",
        "myndighetsmeddelande*": "authority_announcement",
        "authority announcement": "authority_announcement",
        "presskonferens*": "press_conference",
        "press conference": "press_conference",
        "113 13": "info_line",
        "11313": "info_line",
        "informationsnummer*": "info_line",
        "info line": "info_line",
        "intranat*": "intranet",
        "intranet": "intranet",
    }
)


def publish_channels_of(text: str) -> list[str]:
    seen: list[str] = []
    for _, channel in _find(text, PUBLISH_WORDS):
        if channel not in seen:
            seen.append(channel)
    return seen


PRIORITY_WORDS = _table(
    {
        "low": "low",
        "lag": "low",
        "normal": "normal",
        "medium": "normal",
        "medel": "normal",
        "high": "high",
        "hog": "high",
        "critical": "critical",
        "kritisk": "critical",
        "akut": "critical",
        "urgent": "critical",
    }
)


def priority_of(text: str | None) -> str | None:
    return _first(text, PRIORITY_WORDS) if text else None


# --- senders ---

_JOURNALIST = _table(
    {
        "p1": "j",
        "p3": "j",
        "p4": "j",
        "sr": "j",
        "sveriges radio": "j",
        "ekot": "j",
        "svt": "j",
        "tv4": "j",
        "tt": "j",
        "radio*": "j",
        "tidning*": "j",
        "aftonbladet": "j",
        "expressen": "j",
        "dn": "j",
        "dagens nyheter": "j",
        "svd": "j",
        "svenska dagbladet": "j",
        "gp": "j",
        "goteborgs posten": "j",
        "sydsvenskan": "j",
        "barometern": "j",
        "corren": "j",
        "nt": "j",
        "unt": "j",
        "hd": "j",
        "journalist*": "j",
        "reporter*": "j",
        "redaktion*": "j",
        "nyhet*": "j",
        "news*": "j",
        "newspaper": "j",
        "tv": "j",
        "bbc": "j",
        "cnn": "j",
        "reuters": "j",
        "frilans*": "j",
        "press": "j",
        "media": "j",
        "lokaltidning*": "j",
        "kuriren": "j",
        "allehanda": "j",
        "nyheterna": "j",
        "rapport": "j",
        "aktuellt": "j",
        "podd*": "j",
        "podcast*": "j",
        "bloggare": "j",
    }
)
_JOURNALIST_SUFFIXES = (
    "tidningen",
    "tidning",
    "posten",
    "bladet",
    "dagblad",
    "kuriren",
    "allehanda",
    "nytt",
    "nyheter",
    "radion",
    "tidningar",
)
_OFFICIAL_SUFFIXES = (
    "myndigheten",
    "myndighet",
    "verket",
    "styrelsen",
    "styrelse",
    "inspektionen",
    "kommun",
    "kommuns",
    "regionen",
    "polisen",
    "namnden",
    "forvaltningen",
    "forvaltning",
    "tjansten",
    "kontoret",
    "chef",
    "handlaggare",
    "ombud",
    "talesperson",
    "samordnare",
    "strateg",
    "direktor",
    "sekreterare",
    "inspektor",
    "lakare",
    "ansvarig",
)
_OFFICIAL = _table(
    {
        "kommun*": "o",
        "lansstyrelse*": "o",
        "region*": "o",
        "polis*": "o",
        "police": "o",
        "raddningstjanst*": "o",
        "brandkar*": "o",
        "fire": "o",
        "rescue": "o",
        "msb": "o",
        "myndighet*": "o",
        "agency": "o",
        "authority": "o",
        "sos": "o",
        "smhi": "o",
        "folkhalsomyndighet*": "o",
        "livsmedelsverk*": "o",
        "tib": "o",
        "tjansteperson*": "o",
        "kommundirektor*": "o",
        "kommunchef*": "o",
        "landshovding*": "o",
        "regering*": "o",
        "government": "o",
        "forsvarsmakt*": "o",
        "trafikverk*": "o",
        "smittskydd*": "o",
        "sakerhetschef*": "o",
        "beredskap*": "o",
        "county": "o",
        "municipality": "o",
        "department": "o",
        "ministry": "o",
        "city": "o",
        "stad": "o",
        "krisledning*": "o",
        "ordforande": "o",
        "rektor": "o",
        "miljo*": "o",
        "chef*": "o",
        "officer": "o",
        "official": "o",
        "sjukhus*": "o",
        "hospital": "o",
        "vardcentral*": "o",
        "skola": "o",
    }
)
_ORGANISATION = _table(
    {
        "ab": "g",
        "bolag*": "g",
        "foretag*": "g",
        "energi*": "g",
        "elnat*": "g",
        "vatten*": "g",
        "vattenfall": "g",
        "eon": "g",
        "ellevio": "g",
        "telia": "g",
        "tele2": "g",
        "company": "g",
        "inc": "g",
        "ltd": "g",
        "corp": "g",
        "forening*": "g",
        "forbund*": "g",
        "kyrka*": "g",
        "church": "g",
        "roda korset": "g",
        "red cross": "g",
        "ngo": "g",
        "ica": "g",
        "coop": "g",
        "bank*": "g",
        "fastighet*": "g",
        "bostad*": "g",
        "bostader": "g",
        "transport*": "g",
        "buss*": "g",
        "kraft*": "g",
        "klubb*": "g",
        "hb": "g",
        "vd": "g",
        "organisation": "g",
        "organization": "g",
    }
)


_ORGANISATION_SUFFIXES = (
    "klubb",
    "klubben",
    "foreningen",
    "forening",
    "bolaget",
    "bolag",
    "energi",
    "kraft",
    "kyrkan",
    "forsamling",
    "forsamlingen",
    "forbundet",
    "foretaget",
)


def persona_kind(text: str) -> str:
    """journalist / official / organisation / citizen, guessed from outlet and agency words."""
    if _find(text, _JOURNALIST) or any(w.endswith(_JOURNALIST_SUFFIXES) for w in words(text)):
        return "journalist"
    if _find(text, _OFFICIAL) or any(w.endswith(_OFFICIAL_SUFFIXES) for w in words(text)):
        return "official"
    if _find(text, _ORGANISATION) or any(w.endswith(_ORGANISATION_SUFFIXES) for w in words(text)):
        return "organisation"
    return "citizen"


_EVERYONE = {
    "alla",
    "all",
    "all players",
    "samtliga",
    "everyone",
    "alla roller",
    "alla ovade",
    "hela staben",
    "all roles",
}


def is_everyone(text: str) -> bool:
    return norm(text) in _EVERYONE
