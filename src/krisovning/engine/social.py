"""The social-media feed: one self-exciting (Hawkes) process per thread.

Intensity λ(t) = μ + E(t); the excitation E decays as e^(−βt) (β = ln2 / half-life),
each post adds n·β (n = branching ratio < 1) and a spike of m direct reactions adds
m·β. Next-post times are drawn exactly (Dassios & Zhao 2013), and because E is the
whole state, parameters may change at any action time: we bring E up to date, change
μ / n / E and draw again (memorylessness makes that exact). The maths: docs/architecture.md §5.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Collection
from itertools import accumulate
from math import inf, log

from krisovning.engine.compose import About, Piece, compile_piece
from krisovning.scenario.model import Platform, Scenario, SocialEffect, SocialModel, SocialThread
from krisovning.scenario.types import PostCategory, Sentiment

# Sentiment shares per category when the scenario does not say (the table in docs/scenario-format.md §10.3).
DEFAULT_SENTIMENT: dict[PostCategory, dict[Sentiment, float]] = {
    PostCategory.information: {Sentiment.negative: 0.15, Sentiment.neutral: 0.7, Sentiment.positive: 0.15},
    PostCategory.question: {Sentiment.negative: 0.3, Sentiment.neutral: 0.65, Sentiment.positive: 0.05},
    PostCategory.rumour: {Sentiment.negative: 0.8, Sentiment.neutral: 0.2, Sentiment.positive: 0.0},
    PostCategory.criticism: {Sentiment.negative: 0.95, Sentiment.neutral: 0.05, Sentiment.positive: 0.0},
    PostCategory.support: {Sentiment.negative: 0.0, Sentiment.neutral: 0.15, Sentiment.positive: 0.85},
    PostCategory.eyewitness: {Sentiment.negative: 0.45, Sentiment.neutral: 0.5, Sentiment.positive: 0.05},
}


# A scenario that names no platform: its threads live in the town's own Facebook group.
DEFAULT_PLATFORM = "lokal"
DEFAULT_PLATFORM_NAME = {"sv": "{short} just nu", "en": "{short} Community"}


def platforms(scenario: Scenario) -> dict[str, Platform]:
    """The scenario's platforms by id, in order; a scenario that declares none has one local group."""
    social = scenario.social
    if social is not None and social.platforms:
        return {p.id: p for p in social.platforms}
    org = scenario.organisation
    name = DEFAULT_PLATFORM_NAME[scenario.language].format(short=org.short_name or org.name)
    # constructed, not validated: a long `short_name` may make the name longer than a scenario could write
    return {DEFAULT_PLATFORM: Platform.model_construct(id=DEFAULT_PLATFORM, kind="facebook", name=name, official=False)}


def thread_platform(spec: SocialThread, known: dict[str, Platform]) -> str:
    return spec.platform if spec.platform in known else next(iter(known))


def official_platform(known: dict[str, Platform]) -> str:
    """Where the municipality's account posts: the platform marked `official`, else the first Facebook one,
    else the first."""
    for platform in known.values():
        if platform.official:
            return platform.id
    return next((p.id for p in known.values() if p.kind == "facebook"), next(iter(known)))


# Engagement: the likes and shares a post gathers. Its final count is heavy-tailed (most posts a few,
# a few posts hundreds: a Pareto draw, ALPHA its tail) and it approaches that count as 1 - e^(-age/τ).
# It is a function of the post (its id and text) and its age, so nothing about it is journaled and a
# replayed drill shows the same counts; shares the feed shows as reposts come on top (tui/feed_view.py).
ALPHA = 1.2
LIKES_SCALE = {"rumour": 4.0, "criticism": 3.0, "eyewitness": 3.0, "official": 12.0}
SHARE_RATE = {"rumour": 0.4, "eyewitness": 0.25, "information": 0.25, "official": 0.3}
MAX_LIKES = 20_000


def engagement(post_id: str, text: str, category: str, age: float) -> tuple[int, int]:
    """(likes, shares) of a post `age` seconds old; never fewer for an older age."""
    if age <= 0:
        return 0, 0
    h = zlib.crc32(f"{post_id}\x00{text}".encode("utf-8", "surrogatepass"))
    u, v, w = ((h & 0xFFF) + 0.5) / 4096, (((h >> 12) & 0x3FF) + 0.5) / 1024, ((h >> 22) + 0.5) / 1024
    final = min(MAX_LIKES, LIKES_SCALE.get(category, 2.0) * (u ** (-1 / ALPHA) - 1))
    shares = final * SHARE_RATE.get(category, 0.1) * 2 * v
    grown = 1.0 - math.exp(-age / (300.0 + 2700.0 * w))  # τ from 5 to 50 minutes
    return int(final * grown), int(shares * grown)


class Chooser:
    """Weighted choice with precomputed cumulative weights: `items[bisect(cumulative, random() * total)]`.

    That is the draw of `random.choices(items, cum_weights=cumulative)` (tests/test_engine_social.py checks
    they agree), written out where it is made: choices() costs ~10x more, and the feed makes two per post.
    """

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]


def next_wait(excitation: float, beta: float, mu: float, random: Callable[[], float]) -> float:
    """Seconds to a thread's next post, drawn exactly (Dassios & Zhao 2013); math.inf when it falls silent.

    `excitation` is E right now; `random` is the thread's timing stream's random(). The background and
    the excitation each give a candidate (s1, s2); the earlier one wins. The one implementation, for
    the feed's loop and `Thread.next_wait` alike.
    """
    # s1 is random.expovariate(mu)'s very draw; written out, as the feed's loop pays for expovariate's
    # extra call on every post (bench/bench_engine.py)
    s1 = -log(1.0 - random()) / mu if mu > 0 else inf
    u2 = 1.0 - random()
    if excitation > 0:
        d = 1.0 + beta * log(u2) / excitation
        s2 = -log(d) / beta if d > 0 else inf
    else:
        s2 = inf
    return s1 if s1 < s2 else s2  # not min(): a builtin call costs ~60 ns, on every post


class Thread:
    def __init__(
        self,
        spec: SocialThread,
        model: SocialModel,
        timing_rng: random.Random,
        content_rng: random.Random,
        facts: Collection[str] = (),
        scale: float = 1.0,
        about: About | None = None,
        platform: str = DEFAULT_PLATFORM,
        pieces: dict[str, list[Piece]] | None = None,
    ) -> None:
        """`facts`: the scenario's fact names (a template's placeholders among them are facts it uses);
        `scale`: the population's factor on the baseline and on spikes (engine/feed.py); `about`: the
        topics a text is about; `platform`: where it lives (`platforms`); `pieces`: its templates
        compiled before (`thread_pieces`, with the same facts and `about`), or None to compile them."""
        self.id = spec.id
        self.platform = platform
        self.topic = spec.topic
        self.covered_factor = spec.covered_factor
        self.scale = scale
        self.beta = math.log(2) / max(model.half_life, 1)  # per second
        self.mu = spec.baseline * scale / 3600.0  # per second
        self.no_baseline = spec.baseline == 0
        self.n = spec.branching
        self.excitation = 0.0  # E at `updated`
        self.updated = 0.0
        categories = [c for c, share in spec.mix.items() if share > 0]
        self.mix = Chooser([c.value for c in categories], [spec.mix[c] for c in categories])
        self.rumour_weight = spec.mix.get(PostCategory.rumour, 0.0) / sum(spec.mix.values())
        self.negative_weight = sum(
            spec.mix[c] * sentiment_shares(model, c)[Sentiment.negative] for c in categories
        ) / sum(spec.mix.values())
        # Per category (its plain string: the feed's hot path avoids Enum lookups): the templates usable
        # now, the scenario's and the library's (set by the feed), and the sentiment chooser's items,
        # cumulative weights and total, in one lookup.
        # the scenario's templates, usable or not
        self.pieces = thread_pieces(spec, model, facts, about) if pieces is None else pieces
        self.content: dict[str, tuple[tuple[list[Piece], list[Piece]], list[str], list[float], float]] = {}
        for c in categories:
            shares = sentiment_shares(model, c)
            moods = Chooser([m.value for m in Sentiment], [shares[m] for m in Sentiment])
            self.content[c.value] = (([], []), moods.items, moods.cumulative, moods.total)
        # One random stream each for timing and content; the time of the thread's next post.
        self.timing_rng, self.content_rng = timing_rng, content_rng
        self.next_at = math.inf
        self.others: list[Thread] = []  # the drill's other threads (set by the feed)
        self._pack()

    def _pack(self) -> None:
        # What the feed's loop reads each time it turns to this thread, in one tuple (see feed.py);
        # built again whenever a parameter changes.
        self.packed = (
            self.beta,
            self.n * self.beta,
            self.mu,
            self.id,
            self.mix.items,
            self.mix.cumulative,
            self.mix.total,
            self.content,
            self.content_rng.random,
            self.timing_rng.random,
            self.platform,
        )

    def intensity(self, now: float) -> float:
        """Posts per second right now."""
        return self.mu + self.excitation * math.exp(-self.beta * (now - self.updated))

    def catch_up(self, now: float) -> None:
        self.excitation *= math.exp(-self.beta * (now - self.updated))
        self.updated = now

    def spike(self, effect: SocialEffect) -> int:
        """The effect's spike for this population (a town of a quarter of the reference: a quarter of it)."""
        return round(effect.spike * self.scale)

    def apply(self, effect: SocialEffect, now: float) -> None:
        self.catch_up(now)
        if effect.set_branching is not None:
            self.n = effect.set_branching
        if effect.scale_baseline is not None:
            if self.no_baseline:
                # `baseline: 0`: every post comes from the excitation, so that is what is scaled (0.5 halves
                # what is going on now, 2 doubles it; it dies out as before) - docs/scenario-format.md
                self.excitation *= effect.scale_baseline
            else:
                self.mu *= effect.scale_baseline
        self.excitation += self.spike(effect) * self.beta
        self._pack()

    def damp(self, factor: float, now: float) -> None:
        """Its topic was answered: fewer posts from now on (the baseline and the excitation times `factor`)."""
        self.catch_up(now)
        self.mu *= factor
        self.excitation *= factor
        self._pack()

    def next_wait(self) -> float:
        """Seconds to the next post from `updated` (math.inf when the thread is silent)."""
        return next_wait(self.excitation, self.beta, self.mu, self.timing_rng.random)


def thread_pieces(
    spec: SocialThread, model: SocialModel, facts: Collection[str] = (), about: About | None = None
) -> dict[str, list[Piece]]:
    """The thread's templates for each category it posts in (its own, else the model's), compiled."""
    fact_names = set(facts)
    return {
        c.value: [
            compile_piece(text, fact_names, (), about, spec.topic)
            for text in spec.templates.get(c) or model.templates.get(c) or []
        ]
        for c, share in spec.mix.items()
        if share > 0
    }


def sentiment_shares(model: SocialModel, category: PostCategory) -> dict[Sentiment, float]:
    shares = model.sentiment.get(category) or DEFAULT_SENTIMENT[category]
    total = sum(shares.values()) or 1.0
    return {s: shares.get(s, 0.0) / total for s in Sentiment}
