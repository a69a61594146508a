"""The scenario file format as pydantic models (for authors: docs/scenario-format.md).

Keys are English (as in HSEEP); the text a team reads is in the scenario's language.
Cross-references between objects are checked in `references.py`, not here, so that
each problem can be reported at its own line.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import Discriminator, Field, Tag, model_validator
from pydantic_core import PydanticCustomError

from krisovning.scenario.types import (
    ActionKind,
    Duration,
    Identifier,
    InjectChannel,
    PersonaKind,
    PostCategory,
    Priority,
    PublishChannel,
    Sentiment,
    Share,
    StartTime,
    Strict,
    Text,
    Title,
    Weight,
)

FORMAT_VERSION: Final = 1
FactValue = str | int | float
FactName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
REFERENCE_POPULATION: Final = 100_000


class Fact(Strict):
    """A fact given as a mapping: its value, and whether the public knows it from the start.

    A fact with `public: false` becomes public when a public team publication mentions one of its
    `keywords` (or, with none given, its value) or an inject that `reveals` it arrives; until then no
    social-media post uses it (engine/world.py).
    """

    value: FactValue
    public: bool = True
    keywords: Annotated[list[Title], Field(max_length=50)] = []


class Organisation(Strict):
    name: Title
    short_name: Title | None = None
    population: Annotated[int, Field(ge=0, le=50_000_000)] | None = None
    region: Title | None = None
    website: Title | None = None


class Role(Strict):
    id: Identifier
    name: Title
    description: Text | None = None


class FollowUp(Strict):
    """How an ignored journalist follows up (engine/media.py): calls again `after` the first contact
    unanswered, and `then` later publishes that the municipality has not answered; `story` after a reply
    the story quoting it (or "kommunen avböjer") is published; it feeds `thread` (default: the first)."""

    after: Duration = 1200
    then: Duration = 2400
    story: Duration = 900
    thread: Identifier | None = None


# A journalist follows up by default; `follow_up: false` switches it off for that persona or pool.
FollowUpSetting = FollowUp | Literal[False] | None


class Persona(Strict):
    id: Identifier
    name: Title
    kind: PersonaKind
    outlet: Title | None = None
    title: Title | None = None
    organisation: Title | None = None
    phone: Title | None = None
    email: Title | None = None
    handle: Title | None = None
    description: Text | None = None
    follow_up: FollowUpSetting = None


class PersonaPool(Strict):
    """Generated people (Faker sv_SE), seeded from the drill's seed and the pool id."""

    id: Identifier
    kind: PersonaKind
    size: Annotated[int, Field(ge=1, le=5000)]
    outlets: Annotated[list[Title], Field(max_length=200)] = []
    titles: Annotated[list[Title], Field(max_length=200)] = []
    organisation: Title | None = None
    follow_up: FollowUpSetting = None


class ChecklistItem(Strict):
    id: Identifier
    text: Text
    due: Duration | None = None


class Checklist(Strict):
    id: Identifier
    title: Title
    role: Identifier | None = None
    items: Annotated[list[ChecklistItem], Field(min_length=1, max_length=200)]


# --- objectives: each criterion is measurable from the drill's events and actions ---


class FirstPublicMessage(Strict):
    type: Literal["first_public_message"]
    within: Duration
    partly_within: Duration | None = None
    channels: list[PublishChannel] | None = None
    topics: Annotated[list[Identifier], Field(max_length=50)] | None = None  # it must cover every one of these


class ResponseTime(Strict):
    type: Literal["response_time"]
    within: Duration
    channels: list[InjectChannel] | None = None
    roles: list[Identifier] | None = None
    sender_kinds: list[PersonaKind] | None = None
    share: Share = 1.0
    partly_share: Share = 0.8


class SituationPicture(Strict):
    type: Literal["situation_picture"]
    every: Duration
    first_within: Duration | None = None
    partly_every: Duration | None = None


class ChecklistDone(Strict):
    type: Literal["checklist_done"]
    checklist: Identifier
    by: Duration
    partly_share: Share = 0.8


class DecisionLogged(Strict):
    type: Literal["decision_logged"]
    by: Duration
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    partly_by: Duration | None = None
    topics: Annotated[list[Identifier], Field(max_length=50)] | None = None  # only decisions on these count


class RumourPeak(Strict):
    type: Literal["rumour_peak"]
    below: Annotated[float, Field(gt=0)]
    partly_below: Annotated[float, Field(gt=0)] | None = None
    window: Duration = 15 * 60


class ExpectationsMet(Strict):
    type: Literal["expectations_met"]
    injects: list[Identifier] | None = None
    share: Share = 1.0
    partly_share: Share = 0.8


Criterion = Annotated[
    FirstPublicMessage
    | ResponseTime
    | SituationPicture
    | ChecklistDone
    | DecisionLogged
    | RumourPeak
    | ExpectationsMet,
    Field(discriminator="type"),
]


class Objective(Strict):
    id: Identifier
    title: Title
    description: Text | None = None
    criterion: Criterion


# --- injects ---


HOLD: Final = "hold"


class Expectation(Strict):
    """What the team should do about an inject, and by when (MSEL 'expected action').

    Content (engine/topics.py matches it as the world does): a `publish` is met only by one public
    publication that covers every topic in `topics` (and, with `answers`, the rumour topic or the
    topics of the inject it names); a `decision` only by a decision on one of `topics`. A `hold`
    is the other way round: from the inject's arrival until `until` has arrived (or `within` has
    passed) no public publication may cover one of `topics`; one that does breaks it.
    """

    action: Literal[ActionKind.reply, ActionKind.publish, ActionKind.situation_update, ActionKind.decision, "hold"]
    within: Duration
    channels: list[PublishChannel] | None = None
    description: Text | None = None
    topics: Annotated[list[Identifier], Field(max_length=50)] | None = None
    answers: Identifier | None = None  # publish: a (rumour) topic or an inject whose topics it must cover
    until: Identifier | None = None  # hold: the inject whose arrival ends it

    @model_validator(mode="after")
    def _channels_only_for_publish(self) -> Expectation:
        if self.channels and self.action is not ActionKind.publish:
            raise PydanticCustomError("channels_need_publish", "channels only apply to action: publish")
        if self.topics and self.action not in (ActionKind.publish, ActionKind.decision, HOLD):
            raise PydanticCustomError("topics_need_content", "topics only apply to action: publish, decision or hold")
        if self.answers and self.action is not ActionKind.publish:
            raise PydanticCustomError("answers_need_publish", "answers only applies to action: publish")
        if self.action == HOLD and not self.topics:
            raise PydanticCustomError("hold_needs_topics", "action: hold needs topics (what must not be published)")
        if self.until and self.action != HOLD:
            raise PydanticCustomError("until_needs_hold", "until only applies to action: hold")
        return self


class SocialEffect(Strict):
    """A push to one social-media thread: a spike of direct reactions and/or new parameters."""

    thread: Identifier
    spike: Annotated[int, Field(ge=0, le=100_000)] = 0
    set_branching: Annotated[float, Field(ge=0, le=0.95)] | None = None
    scale_baseline: Annotated[float, Field(ge=0, le=100)] | None = None


class WhenMissed(Strict):
    type: Literal["missed"]
    inject: Identifier


class WhenMet(Strict):
    type: Literal["met"]
    inject: Identifier


class WhenAction(Strict):
    type: Literal["action"]
    action: ActionKind
    channels: list[PublishChannel] | None = None


class WhenNoAction(Strict):
    type: Literal["no_action"]
    action: ActionKind
    channels: list[PublishChannel] | None = None
    by: Duration


class WhenMetric(Strict):
    type: Literal["metric"]
    metric: Literal["posts_per_hour", "rumour_share", "negative_share"]
    above: Annotated[float, Field(ge=0)] | None = None
    below: Annotated[float, Field(ge=0)] | None = None
    thread: Identifier | None = None  # posts_per_hour of this one thread instead of the whole feed

    @model_validator(mode="after")
    def _one_threshold(self) -> WhenMetric:
        if (self.above is None) == (self.below is None):
            raise PydanticCustomError("one_threshold", "give exactly one of above / below")
        if self.thread is not None and self.metric != "posts_per_hour":
            raise PydanticCustomError("thread_needs_rate", "thread only applies to metric: posts_per_hour")
        return self

    @property
    def key(self) -> str:
        """The figure it reads in the drill's sample (engine/drill.py): the feed's or one thread's."""
        return self.metric if self.thread is None else f"{self.metric}:{self.thread}"


Condition = Annotated[WhenMissed | WhenMet | WhenAction | WhenNoAction | WhenMetric, Field(discriminator="type")]


class Inject(Strict):
    """A scripted inject (inspel): exactly one of `at`, `after` or `when` says when it arrives."""

    id: Identifier
    at: Duration | None = None
    after: Identifier | None = None
    when: Condition | None = None
    delay: Duration = 0
    channel: InjectChannel
    sender: Identifier = Field(alias="from")
    to: Identifier
    subject: Title | None = None
    text: Text
    priority: Priority = Priority.normal
    expect: Expectation | None = None
    social: SocialEffect | None = None
    reveals: Annotated[list[FactName], Field(max_length=100)] = []
    objectives: list[Identifier] = []
    note: Text | None = None
    # An attacker's extortion e-mail and the like: a real team does not answer it (bot teams do not),
    # and a reply to it counts against the team (metrics/objectives.py).
    do_not_answer: bool = False

    @model_validator(mode="after")
    def _one_trigger(self) -> Inject:
        given = [name for name in ("at", "after", "when") if getattr(self, name) is not None]
        if len(given) != 1:
            raise PydanticCustomError("one_trigger", "give exactly one of at / after / when")
        if self.at is not None and self.delay:
            raise PydanticCustomError("delay_with_at", "delay applies to after / when, not at")
        if self.do_not_answer and self.expect is not None and self.expect.action is ActionKind.reply:
            raise PydanticCustomError("reply_not_answered", "an inject marked do_not_answer cannot expect a reply")
        return self


class InjectGenerator(Strict):
    """Random injects (media calls, citizen questions…) as a Poisson process."""

    id: Identifier
    kind: Literal["media", "citizen", "authority", "other"] = "other"
    per_hour: Annotated[float, Field(gt=0, le=600)]
    start: Duration = 0
    end: Duration | None = None
    channels: Annotated[list[InjectChannel], Field(min_length=1)]
    sender: Annotated[list[Identifier], Field(min_length=1, alias="from")]
    to: Annotated[list[Identifier], Field(min_length=1)]
    subjects: list[Title] = []
    templates: Annotated[list[Text], Field(min_length=1, max_length=500)]
    priority: Priority = Priority.normal
    expect: Expectation | None = None


# --- social media: a self-exciting (Hawkes) process per thread ---


class WhenNotYet(WhenNoAction):
    """`no_action` in a post template: holds while the team has not yet taken the action (by `by`, if given)."""

    by: Duration = 0


class WhenInjected(Strict):
    type: Literal["inject"]
    inject: Identifier


class WhenCovered(Strict):
    """Holds once a public team publication has covered the topic (engine/topics.py)."""

    type: Literal["covered"]
    topic: Identifier


class WhenContradicted(Strict):
    """Holds once a publication on the topic contradicted an earlier one (another time, number or place)."""

    type: Literal["contradicted"]
    topic: Identifier


# What a post template's `when` may say: the inject condition language, read as "holds now", plus `inject`
# (has arrived). `metric` holds while the latest sample is beyond its threshold ("while a rumour is active").
PostCondition = Annotated[
    WhenMissed | WhenMet | WhenAction | WhenNotYet | WhenMetric | WhenInjected | WhenCovered | WhenContradicted,
    Field(discriminator="type"),
]


POST_TEXT = (
    "A post's text: {name} is a fact, {author.name}, {organisation}, {time}, {place}…; {a|b|c} draws one "
    "alternative each time (an empty one is allowed; an alternative may hold {name}s); {{ and }} are braces"
)


class PostTemplate(Strict):
    """A post template with conditions: used only while every condition in `when` holds and every fact
    it uses (its placeholders and `facts`) is public."""

    text: Annotated[Text, Field(description=POST_TEXT)]
    when: Annotated[list[PostCondition], Field(max_length=20)] = []
    facts: Annotated[list[FactName], Field(max_length=50)] = []
    topic: Identifier | None = None  # what it is about (besides the topics its words match)


def _template_kind(value: object) -> str:
    return "template" if isinstance(value, dict | PostTemplate) else "text"


# A plain text or a mapping, told apart by its shape: a mistake in one is reported as that one's alone.
PostItem = Annotated[
    Annotated[Text, Tag("text"), Field(description=POST_TEXT)] | Annotated[PostTemplate, Tag("template")],
    Discriminator(_template_kind),
]
PostTemplates = dict[PostCategory, Annotated[list[PostItem], Field(max_length=2000)]]


PlatformKind = Literal["facebook", "x", "instagram", "tiktok", "comments", "forum"]


class Platform(Strict):
    """Where a thread lives: a local Facebook group, X, Instagram, a local paper's comment field…
    `official`: the municipality's own account posts there (its public posts, engine/social.py)."""

    id: Identifier
    kind: PlatformKind = "facebook"
    name: Title
    official: bool = False


class SocialThread(Strict):
    id: Identifier
    title: Title | None = None
    platform: Identifier | None = None  # a `social.platforms` id (default: the first, or a local group)
    baseline: Annotated[float, Field(ge=0, le=10_000)] = 0.0
    branching: Annotated[float, Field(ge=0, le=0.95)] = 0.5
    mix: dict[PostCategory, Weight]
    templates: PostTemplates = {}
    topic: Identifier | None = None  # what the thread is about: its posts carry it
    # once a publication covers `topic`: the factor on the thread's baseline and on its excitation
    covered_factor: Annotated[float, Field(ge=0, le=1)] = 0.3

    @model_validator(mode="after")
    def _mix_not_empty(self) -> SocialThread:
        if sum(self.mix.values()) <= 0:
            raise PydanticCustomError("empty_mix", "mix needs at least one category with a share above 0")
        return self


class SocialSpike(Strict):
    at: Duration
    thread: Identifier
    size: Annotated[int, Field(ge=1, le=100_000)]


class SocialReaction(Strict):
    """How the feed answers the team: `publish` (an official message), `silence`, `missed`.

    `once` defaults to true for publish and silence (the first official message is what
    counts) and to false for missed (every missed deadline feeds the feed again).
    """

    on: Literal["publish", "silence", "missed"]
    channels: list[PublishChannel] | None = None
    after: Duration | None = None
    injects: list[Identifier] | None = None
    generators: list[Identifier] | None = None  # missed: also (or only) the injects these generators made
    topics: list[Identifier] | None = None  # publish: only a publication that covers one of these
    once: bool | None = None
    effect: SocialEffect

    @property
    def only_once(self) -> bool:
        return self.once if self.once is not None else self.on != "missed"

    @model_validator(mode="after")
    def _fields_fit(self) -> SocialReaction:
        if self.on == "silence" and self.after is None:
            raise PydanticCustomError("silence_needs_after", "on: silence needs after (e.g. 60m)")
        if self.on != "publish" and self.channels:
            raise PydanticCustomError("channels_need_publish", "channels only apply to on: publish")
        if self.on != "missed" and self.injects:
            raise PydanticCustomError("injects_need_missed", "injects only apply to on: missed")
        if self.on != "missed" and self.generators:
            raise PydanticCustomError("generators_need_missed", "generators only apply to on: missed")
        if self.on != "publish" and self.topics:
            raise PydanticCustomError("topics_need_publish", "topics only apply to on: publish")
        return self


SentimentShares = dict[Sentiment, Weight]


class SocialModel(Strict):
    authors: list[Identifier] = Field(min_length=1)
    half_life: Duration = 10 * 60
    max_posts: Annotated[int, Field(ge=1, le=500_000)] = 100_000
    platforms: Annotated[list[Platform], Field(max_length=50)] = []
    threads: Annotated[list[SocialThread], Field(min_length=1, max_length=50)]
    spikes: list[SocialSpike] = []
    reactions: list[SocialReaction] = []
    templates: PostTemplates = {}
    sentiment: dict[PostCategory, SentimentShares] = {}
    # The built-in Swedish texture (openers, typos, emoji…) and library of generic posts (data/social_sv.json)
    generic: bool = True
    texture: bool = True
    places: Annotated[list[Title], Field(max_length=200)] = []  # local place names posts may mention
    # Baselines and spike sizes are written for a municipality of this size and scaled to `organisation.population`.
    reference_population: Annotated[int, Field(ge=1, le=50_000_000)] = REFERENCE_POPULATION
    # what a publication that contradicts an earlier one on the same topic does to the feed
    contradiction: SocialEffect | None = None


class Topic(Strict):
    """Something residents ask or talk about. A public publication covers it when its text matches a
    keyword (Swedish stemming, a stem also matches the start of a compound) or its author ticks it."""

    id: Identifier
    title: Title | None = None
    keywords: Annotated[list[Title], Field(min_length=1, max_length=50)]
    rumour: bool = False  # a rumour to be addressed (an `on: publish` reaction with its id damps it)
    answer: Text | None = None  # what an informed team publishes about it (the bot teams do)


class KeyElement(Strict):
    """One element a key message to the public has (what, where, what to do, how long, where to learn
    more): a message has it when its text matches a keyword (as topics are matched) or covers a topic."""

    id: Identifier
    title: Title
    keywords: Annotated[list[Title], Field(max_length=50)] = []
    topics: Annotated[list[Identifier], Field(max_length=50)] = []

    @model_validator(mode="after")
    def _something_to_match(self) -> KeyElement:
        if not self.keywords and not self.topics:
            raise PydanticCustomError("element_needs_words", "give keywords or topics (or both)")
        return self


class AvoidWord(Strict):
    """A word the public may not understand (jargon): fine next to one of `explained_by`."""

    word: Title
    explained_by: Annotated[list[Title], Field(max_length=50)] = []
    instead: Title | None = None  # a plainer way to say it


class MessageQuality(Strict):
    """Klarspråk targets for the team's public messages (metrics/quality.py): shown as hints, never graded."""

    lix: Annotated[int, Field(ge=1, le=100)] = 40  # LIX at most this (40: easy to read, for everyone)
    sentence_words: Annotated[int, Field(ge=1, le=200)] = 20  # mean words per sentence at most this
    elements: Annotated[list[KeyElement], Field(max_length=50)] = []
    avoid: Annotated[list[Title | AvoidWord], Field(max_length=200)] = []


class Calls(Strict):
    """How a call on the phone channel rings (engine/calls.py): for `ring` of drill time, then it is missed."""

    ring: Duration = 60


class Exercise(Strict):
    """For the report's front page: the kind of exercise, its purpose, who took part, led and evaluated it."""

    type: Title | None = None  # e.g. "Seminarieövning", "Funktionsövning"
    purpose: Text | None = None
    organisations: Annotated[list[Title], Field(max_length=100)] = []
    facilitator: Title | None = None
    evaluators: Annotated[list[Title], Field(max_length=100)] = []


class Scenario(Strict):
    format: Literal[1] = FORMAT_VERSION
    id: Identifier
    title: Title
    description: Text | None = None
    language: Literal["sv", "en"] = "sv"
    duration: Duration
    start: StartTime
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 1
    organisation: Organisation
    roles: Annotated[list[Role], Field(min_length=1, max_length=50)]
    facts: dict[FactName, FactValue | Fact] = {}
    topics: Annotated[list[Topic], Field(max_length=100)] = []
    personas: Annotated[list[Persona], Field(max_length=2000)] = []
    persona_pools: Annotated[list[PersonaPool], Field(max_length=100)] = []
    checklists: Annotated[list[Checklist], Field(max_length=100)] = []
    objectives: Annotated[list[Objective], Field(max_length=100)] = []
    injects: Annotated[list[Inject], Field(max_length=5000)] = []
    generators: Annotated[list[InjectGenerator], Field(max_length=100)] = []
    social: SocialModel | None = None
    calls: Calls = Calls()
    quality: MessageQuality = MessageQuality()  # what a message to the public is measured against
    exercise: Exercise | None = None


def fact_value(value: FactValue | Fact) -> str:
    """A fact's text, however it is given."""
    return str(value.value if isinstance(value, Fact) else value)


def hidden_facts(scenario: Scenario) -> dict[str, Fact]:
    """The facts the public does not know when the drill starts."""
    return {name: f for name, f in scenario.facts.items() if isinstance(f, Fact) and not f.public}
