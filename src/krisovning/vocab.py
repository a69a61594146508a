"""The project's one vocabulary: every closed list of words the code, the journal and the scenario share.

The bottom layer (beside `i18n` and `textsafe`): the scenario format re-exports what it needs
(`scenario/types.py`), the engine, journal, UI, metrics and report import from here, so a new
kind or channel is added in one place. Values are the stored words (scenario YAML, journal JSON):
never rename one without a format upgrade (`session/migrate.py`).
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """What the engine delivers (`engine/events.py`): the `kind` of every journaled event."""

    inject = "inject"
    post = "post"
    action = "action"
    expectation_met = "expectation_met"
    expectation_missed = "expectation_missed"
    social_sample = "social_sample"
    social_effect = "social_effect"
    social_capped = "social_capped"
    drill_end = "drill_end"
    fact_public = "fact_public"
    call_missed = "call_missed"  # a call on the phone channel rang out unanswered (engine/calls.py)


# What the team does (the scenario names these in expectations and objectives). Comments, not
# docstrings, on the scenario's enums without one: a docstring would enter schema/scenario.schema.json.
class ActionKind(StrEnum):
    reply = "reply"
    publish = "publish"
    situation_update = "situation_update"
    decision = "decision"
    checklist = "checklist"


class FacilitatorKind(StrEnum):
    """What only the facilitator does to a running drill."""

    observation = "observation"
    fire_inject = "fire_inject"
    skip_inject = "skip_inject"
    add_inject = "add_inject"
    end = "end"
    pause = "pause"
    resume = "resume"
    speed = "speed"
    start = "start"  # the clock starts after the briefing (a drill started at once has none)


class CoordinationKind(StrEnum):
    """How the seats of a team drill keep out of each other's way: "I'll take this one" (never expected
    by a scenario, never counted as the team's work)."""

    claim = "claim"
    release = "release"
    # a ringing call (engine/calls.py): picked up (the reply is the call) or turned down
    answer_call = "answer_call"
    decline_call = "decline_call"


class SeatKind(StrEnum):
    """Who sits at a seat of a drill (session/seats.py)."""

    solo = "solo"  # one terminal: every role and the facilitator (krisovning run)
    team = "team"  # one or more roles
    facilitator = "facilitator"
    observer = "observer"  # reads everything, records observations


# The actions an inject can expect within a deadline (a checklist item has its own `due`).
EXPECTED_ACTIONS = (ActionKind.reply, ActionKind.publish, ActionKind.situation_update, ActionKind.decision)
# Every action kind the engine takes: a journaled action outside these is refused.
ALL_ACTION_KINDS: tuple[str, ...] = (*ActionKind, *CoordinationKind, *FacilitatorKind)


class InjectChannel(StrEnum):
    """How an inject reaches the team."""

    phone = "phone"
    email = "email"
    sms = "sms"
    social = "social"
    radio = "radio"
    tv = "tv"
    news = "news"
    internal = "internal"


class PublishChannel(StrEnum):
    """How the team reaches the public (or its own staff)."""

    press_release = "press_release"
    web = "web"
    social = "social"
    sms = "sms"
    vma = "vma"
    authority_announcement = "authority_announcement"
    press_conference = "press_conference"
    info_line = "info_line"
    intranet = "intranet"


# Publishing here counts as a public message (the intranet reaches only staff).
PUBLIC_CHANNELS = frozenset(PublishChannel) - {PublishChannel.intranet}


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    critical = "critical"


class PersonaKind(StrEnum):
    journalist = "journalist"
    official = "official"
    citizen = "citizen"
    organisation = "organisation"
    colleague = "colleague"


# What the public posts (the scenario's `mix`).
class PostCategory(StrEnum):
    information = "information"
    question = "question"
    rumour = "rumour"
    criticism = "criticism"
    support = "support"
    eyewitness = "eyewitness"


# The feed's own category for the team's public messages, shown beside the public's posts.
OFFICIAL = "official"
FEED_CATEGORIES: tuple[str, ...] = (*PostCategory, OFFICIAL)


class Sentiment(StrEnum):
    negative = "negative"
    neutral = "neutral"
    positive = "positive"


class Outcome(StrEnum):
    """How an objective came out (`metrics/objectives.py`)."""

    met = "met"
    partly_met = "partly_met"
    not_met = "not_met"
    not_assessed = "not_assessed"  # nothing to measure (no inject of the kind, no checklist item): no verdict
