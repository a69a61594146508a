"""The drill's social-media feed: every thread's posts, delivered in SimPy time, and what changes them.

A part of `Drill` (engine/drill.py); it owns the threads, the post count and the reactions used.
Each thread knows the time of its next post (`Thread.next_at`); one SimPy event stands for the
earliest of them. When it fires, the feed delivers posts in time order, from whichever thread is
next, for as long as nothing else in SimPy's queue comes first and the step being taken
(`Drill.advance`) lasts. That gives the same events in the same order as one queue entry per post,
at a fraction of the cost: a busy feed is almost all of a drill's events (bench/bench_engine.py).
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from math import exp, inf
from typing import TYPE_CHECKING, Any

import simpy
from simpy.events import Timeout

from krisovning.engine import events as ev
from krisovning.engine.compose import TEAM_CATEGORIES, About, Composer, Piece, generic_pieces, reply_pieces
from krisovning.engine.events import new_event
from krisovning.engine.memo import per_scenario
from krisovning.engine.social import Thread, next_wait, official_platform, platforms, thread_pieces, thread_platform
from krisovning.scenario.model import PersonaPool, PostCondition, Scenario, SocialEffect, SocialModel, WhenMetric
from krisovning.vocab import PostCategory

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill


@dataclass(frozen=True)
class Templates:
    """A scenario's post templates, compiled: the library's posts and replies, each thread's own."""

    generic: dict[str, list[Piece]]
    replies: dict[str, list[Piece]]
    threads: dict[str, dict[str, list[Piece]]]
    # What decides which of them are usable (SocialFeed._pick): the conditions they name, each once (equal
    # ones read the same), where each named condition (by id) is among those, and the facts they use
    conditions: list[PostCondition]
    condition_index: dict[int, int]
    facts_used: frozenset[str]
    names: frozenset[str]  # every name their texts read


def templates(scenario: Scenario, about: About | None, generic: bool) -> Templates:
    """`scenario`'s templates compiled (once per scenario and process: engine/memo.py); `about` and
    `generic` must be what a drill of it has (engine/feed.py)."""
    return per_scenario(scenario, "templates", lambda: _compile(scenario, about, generic))


def _compile(scenario: Scenario, about: About | None, generic: bool) -> Templates:
    social = scenario.social
    assert social is not None  # a feed without `social:` has no templates
    facts = set(scenario.facts)
    library = {c.value: generic_pieces(c.value, about) if generic else [] for c in PostCategory}
    replies = {c: reply_pieces(c, about) if generic else [] for c in sorted(TEAM_CATEGORIES)}
    threads = {spec.id: thread_pieces(spec, social, facts, about) for spec in social.threads}
    pieces = [p for by_category in threads.values() for ps in by_category.values() for p in ps]
    pieces += [p for ps in library.values() for p in ps] + [p for ps in replies.values() for p in ps]
    conditions: list[PostCondition] = []
    index: dict[int, int] = {}
    for condition in (w for p in pieces for w in p.when):
        if id(condition) not in index:
            same = next((i for i, c in enumerate(conditions) if c == condition), None)
            if same is None:
                same = len(conditions)
                conditions.append(condition)
            index[id(condition)] = same
    facts_used = frozenset().union(*(p.facts for p in pieces))
    names = frozenset().union(*(p.variants.names for p in pieces))
    return Templates(library, replies, threads, conditions, index, facts_used, names)


class SocialFeed:
    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.threads: dict[str, Thread] = {}
        self.posts_total = 0  # delivered so far (one more once the cap is reported)
        self.reactions_used: set[int] = set()  # indexes of `social.reactions` that fired and fire only once
        self.damped: set[str] = set()  # threads whose topic a publication covered
        self._posts_last_sample = 0
        self._due: simpy.Event | None = None  # the pending delivery; an earlier one goes stale
        self._due_at = inf
        self._feed: list[Thread] = []
        self._version = -1  # the world's version the usable templates were picked for
        self.metric_conditions: list[WhenMetric] = []  # for World.on_metrics
        self._sampled: list[tuple[Thread, str]] = []  # each thread and the name of its rate's metric
        self.platforms = platforms(drill.scenario)
        self.official = official_platform(self.platforms)  # where the municipality's account posts
        social = drill.scenario.social
        self._model: SocialModel | None = social
        if social is None:
            return
        population = drill.scenario.organisation.population
        # the scenario's baselines and spikes are written for `reference_population` residents
        self.scale = population / social.reference_population if population else 1.0
        self.composer = Composer(drill, social)
        about = drill.world.topics.matcher.topics if drill.scenario.topics else None
        library = templates(drill.scenario, about, self.composer.generic)
        self._generic, self._replies = library.generic, library.replies
        self.composer.reads(library.names)
        people = drill.people
        # (named persona, None, []) or ({}, pool, the pool's member list: filled in index order, None where
        # a member is drawn but not made yet)
        self._authors: list[tuple[dict[str, Any], PersonaPool | None, list[dict[str, Any] | None]]] = [
            ({}, people.pools[ref], people.members(people.pools[ref]))
            if ref in people.pools
            else (people.named[ref], None, [])
            for ref in social.authors
        ]
        self._max_posts = social.max_posts
        facts = set(drill.scenario.facts)
        for spec in social.threads:
            self.threads[spec.id] = Thread(
                spec,
                social,
                drill.stream(f"thread:{spec.id}"),
                drill.stream(f"thread:{spec.id}:content"),
                facts,
                self.scale,
                about,
                thread_platform(spec, self.platforms),
                library.threads[spec.id],
            )
        self._feed = list(self.threads.values())
        self._sampled = [(thread, f"posts_per_hour:{thread.id}") for thread in self._feed]
        pieces = [p for th in self._feed for ps in th.pieces.values() for p in ps]
        pieces += [p for ps in self._generic.values() for p in ps]
        pieces += [p for ps in self._replies.values() for p in ps]
        self.metric_conditions = [w for p in pieces for w in p.when if isinstance(w, WhenMetric)]
        # What decides which templates are usable (_pick, Templates); the choice made for each state of
        # it, kept (a drill returns to few)
        self._conditions, self._condition_index = library.conditions, library.condition_index
        self._facts_used = library.facts_used
        # kept per scenario: the choice depends on the key and the scenario alone, and a preview's runs
        # meet the same few states again and again (engine/memo.py)
        self._picked: dict[tuple[Any, ...], tuple[dict[str, list[Piece]], list[dict[str, Any]]]] = per_scenario(
            drill.scenario, "usable templates", dict
        )
        for thread in self._feed:
            thread.others = [other for other in self._feed if other is not thread]
        for thread in self._feed:
            self._next_post(thread)
        for spike in social.spikes:
            drill.schedule(spike.at, self.apply, SocialEffect(thread=spike.thread, spike=spike.size), "spike")
        for index, reaction in enumerate(social.reactions):
            if reaction.on == "silence":
                drill.schedule(reaction.after or 0, self._silence, index)

    # --- what changes a thread ---

    def apply(self, effect: SocialEffect, cause: str) -> None:
        """Apply `effect` to its thread now (an inject's `social:`, a spike, a reaction)."""
        drill = self.drill
        if drill.finished or effect.thread not in self.threads:
            return
        thread = self.threads[effect.thread]
        thread.apply(effect, drill.now)
        data: dict[str, Any] = {"thread": effect.thread, "cause": cause}
        if thread.spike(effect):
            data["spike"] = thread.spike(effect)
        if effect.set_branching is not None:
            data["branching"] = effect.set_branching
        if effect.scale_baseline is not None:
            data["baseline_factor"] = effect.scale_baseline
        drill.emit(ev.SOCIAL_EFFECT, data)
        self._next_post(thread)  # the parameters changed: draw the thread's next post again

    def on_publish(
        self,
        channels: tuple[str, ...],
        topics: Sequence[str] = (),
        contradicts: Sequence[str] = (),
        action_id: str | None = None,
    ) -> None:
        """A public publication on `channels` covering `topics`: the `on: publish` reactions whose channels
        (and topics, when they name any) match; the threads on a topic covered now for the first time
        quieten; a contradiction has the scenario's `contradiction` effect. On the social channel it is
        the municipality's post (`action_id`, "a<seq>" as the feed shows it), which residents reply under."""
        if action_id is not None and "social" in channels and self._model is not None:
            self.composer.team_posted(action_id, self.official, self.drill.now)
        for index, reaction in enumerate(self._model.reactions if self._model else ()):
            if reaction.on != "publish":
                continue
            if reaction.topics and not set(reaction.topics) & set(topics):
                continue
            if not reaction.channels or any(c.value in channels for c in reaction.channels):
                self._react(index, "publish")
        now = self.drill.now
        for thread in self._feed:
            if thread.topic in topics and thread.id not in self.damped and thread.covered_factor != 1:
                self.damped.add(thread.id)
                thread.damp(thread.covered_factor, now)
                self.drill.emit(
                    ev.SOCIAL_EFFECT,
                    {"thread": thread.id, "cause": f"covered:{thread.topic}", "baseline_factor": thread.covered_factor},
                )
                self._next_post(thread)
        effect = self._model.contradiction if self._model else None
        if effect is not None:
            for topic in contradicts:
                self.apply(effect, f"contradiction:{topic}")

    def on_missed(self, inject_id: str, generator: str | None = None) -> None:
        """A missed deadline: the `on: missed` reactions for that inject, for the generator that made it
        (`generator`), or for any (a reaction that names neither injects nor generators)."""
        for index, reaction in enumerate(self._model.reactions if self._model else ()):
            if reaction.on != "missed":
                continue
            if reaction.injects or reaction.generators:
                named = inject_id in (reaction.injects or ()) or generator in (reaction.generators or ())
                if not named:
                    continue
            self._react(index, f"missed:{inject_id}")

    def _silence(self, index: int) -> None:
        if self.drill.actions.log.first_public is None:
            self._react(index, "silence")

    def _react(self, index: int, cause: str) -> None:
        assert self._model is not None  # only scheduled or called for a scenario with `social:`
        reaction = self._model.reactions[index]
        if reaction.only_once:
            if index in self.reactions_used:
                return
            self.reactions_used.add(index)
        self.apply(reaction.effect, cause)

    def post(self, data: dict[str, Any]) -> bool:
        """A post made outside the threads' own process (a journalist's story, a caller who gave up,
        engine/media.py and engine/calls.py): counted against `max_posts`; False when the cap is reached."""
        if self.drill.finished or self.posts_total >= self._max_posts or data["thread"] not in self.threads:
            return False
        data.setdefault("platform", self.threads[data["thread"]].platform)
        self.posts_total += 1
        self.drill.emit(ev.POST, data)
        return True

    # --- what the drill reports ---

    def now(self) -> dict[str, Any]:
        """Posts per hour, rumour share and negative share implied by the threads right now."""
        total = rumour = negative = 0.0
        rates = {}
        for thread in self.threads.values():
            rate = thread.intensity(self.drill.now)
            rates[thread.id] = rate * 3600.0
            total += rate
            rumour += rate * thread.rumour_weight
            negative += rate * thread.negative_weight
        return {
            "rate": total * 3600.0,
            "rumour_share": rumour / total if total else 0.0,
            "negative_share": negative / total if total else 0.0,
            "threads": rates,
        }

    def sample(self) -> dict[str, float]:
        """A `social_sample` event with the figures right now (when the scenario has threads); returns
        them as the metrics `metric` conditions read (Drill._sample; WhenMetric.key). `now`, written out
        for the minute samples of every drill."""
        t = self.drill.env.now
        total = rumour = negative = 0.0
        metrics: dict[str, float] = {}
        for thread, key in self._sampled:
            rate = thread.mu + thread.excitation * exp(-thread.beta * (t - thread.updated))  # Thread.intensity
            metrics[key] = rate * 3600.0
            total += rate
            rumour += rate * thread.rumour_weight
            negative += rate * thread.negative_weight
        rate_per_hour = total * 3600.0
        rumour_share = rumour / total if total else 0.0
        negative_share = negative / total if total else 0.0
        if self.threads and self.drill.figures_only:
            self.drill.seq += 1  # the sample not kept: the events after it keep their numbers
        elif self.threads:
            posts = self.posts_total - self._posts_last_sample
            self._posts_last_sample = self.posts_total
            self.drill.emit(
                ev.SAMPLE,
                {
                    "rate": round(rate_per_hour, 2),
                    "posts": posts,
                    "rumour_share": round(rumour_share, 4),
                    "negative_share": round(negative_share, 4),
                    "threads": {thread.id: round(metrics[key], 2) for thread, key in self._sampled},
                },
            )
        metrics["posts_per_hour"] = rate_per_hour
        metrics["rumour_share"] = rumour_share
        metrics["negative_share"] = negative_share
        return metrics

    # --- which templates are usable ---

    def _pick(self) -> None:
        """Each thread's usable templates per category, for the world as it is now (engine/world.py)."""
        world = self.drill.world
        self._version = world.version
        public = world.public
        # The choice depends only on these three: the world moves on (an inject, an action) far more
        # often than any of them changes, so most picks are one made before
        truths = world.truths(self._conditions)
        key = (self._facts_used.intersection(public), truths, frozenset(world.topics.covered))
        picked = self._picked.get(key)
        if picked is None:
            known = {named: truths[index] for named, index in self._condition_index.items()}
            picked = self._picked[key] = self._choose(key[0], known, key[2])
        self.composer.replies, contents = picked
        for thread, content in zip(self._feed, contents, strict=True):
            thread.content.update(content)

    def _choose(
        self, public: frozenset[str], known: dict[int, bool], answered: frozenset[str]
    ) -> tuple[dict[str, list[Piece]], list[dict[str, Any]]]:
        """The usable templates (the library's replies, each thread's content) when the facts `public` are
        public, each condition holds as `known` (by its id) says and the topics `answered` are covered."""

        def ok(piece: Piece) -> bool:
            return piece.facts <= public and all(known[id(condition)] for condition in piece.when)

        def usable(pieces: list[Piece], category: str) -> list[Piece]:
            # a question the team has answered publicly is not asked any more
            if category == "question" and answered:
                pieces = [p for p in pieces if not answered.intersection(p.topics)]
            return [p for p in pieces if p.fixed or ok(p)]

        generic = {c: usable(pieces, c) for c, pieces in self._generic.items()}
        replies = {c: usable(pieces, c) for c, pieces in self._replies.items()}
        contents = [
            {
                category: ((usable(thread.pieces[category], category), generic[category]), *moods)
                for category, (_usable, *moods) in thread.content.items()
            }
            for thread in self._feed
        ]
        return replies, contents

    # --- delivery ---

    def _next_post(self, thread: Thread) -> None:
        at = thread.updated + thread.next_wait()
        thread.next_at = at if at <= self.drill.end_time else inf
        self._wake()

    def _wake(self) -> None:
        at = inf  # the earliest next post (min() over a generator cost ~2x this loop, after every delivery)
        for thread in self._feed:
            if thread.next_at < at:
                at = thread.next_at
        if at == inf:
            self._due = None
        elif self._due is None or at != self._due_at:
            env = self.drill.env
            self._due_at = at
            self._due = due = Timeout(env, at - env.now)
            due.callbacks.append(self._deliver)

    def _deliver(self, due: simpy.Event) -> None:
        # The hot path of a busy feed, kept flat on purpose (locals, one tuple per thread): the
        # Hawkes update, social.next_wait and the weighted draws of social.Chooser, in that order.
        drill = self.drill
        if due is not self._due or drill.finished:
            return
        self._due = None
        threads = self._feed
        if self._version != drill.world.version:
            self._pick()
        compose = self.composer.compose
        if self.posts_total >= self._max_posts:
            if self.posts_total == self._max_posts:
                self.posts_total += 1  # report the cap once
                drill.emit(ev.SOCIAL_CAPPED, {"max_posts": self._max_posts})
            for thread in threads:
                thread.next_at = inf
            return
        # Nothing below schedules an event, so the queue's next time stays what it was; the loop's
        # `now` runs ahead of env.now, never past that time nor the step being taken.
        queued = drill.env.peek()
        end_time = drill.end_time
        limit = min(drill.until, end_time)
        authors, people = self._authors, drill.people
        seq, posts, max_posts = drill.seq, self.posts_total, self._max_posts
        out = drill.delivered
        figures = drill.post_figures if drill.figures_only else None
        thread = min(threads, key=_next_at)
        now = thread.next_at
        while True:
            beta, n_beta, mu, name, kinds, kinds_cumulative, kinds_total, content, random, timing, platform = (
                thread.packed
            )
            excitation, updated = thread.excitation, thread.updated
            other, successor = inf, None  # the earliest post of the other threads, and its thread
            for th in thread.others:
                if th.next_at < other:
                    other, successor = th.next_at, th
            while True:
                excitation = excitation * exp(-beta * (now - updated)) + n_beta
                updated = now
                posts += 1
                category = kinds[bisect(kinds_cumulative, random() * kinds_total)]
                named, pool, members = authors[int(random() * len(authors))]
                if pool is None:
                    author = named
                else:
                    index = int(random() * pool.size)
                    made = members[index] if index < len(members) else None
                    # None: not drawn or not made yet (engine/personas.py)
                    author = made if made is not None else people.member(pool, index)
                usable, moods, moods_cumulative, moods_total = content[category]
                post_id = f"p{posts}"
                composed = compose(name, category, usable, author, random, now, post_id, platform)
                if composed is None:  # nothing of this category may be said now: another that may
                    for other_category in kinds:
                        usable, moods, moods_cumulative, moods_total = content[other_category]
                        composed = compose(name, other_category, usable, author, random, now, post_id, platform)
                        if composed is not None:
                            category = other_category
                            break
                if composed is None:
                    pass
                elif figures is not None:  # a drill played for its figures: the same draws, less kept
                    seq += 1
                    random()  # the sentiment's
                    figures.append((now, category))
                else:
                    text, facts, repost_of, topics, reply_to = composed
                    seq += 1
                    data = {
                        "id": post_id,
                        "thread": name,
                        "category": category,
                        "sentiment": moods[bisect(moods_cumulative, random() * moods_total)],
                        "author": author["name"],
                        "handle": author.get("handle", ""),
                        "text": text,
                        "facts": list(facts),
                        "repost_of": repost_of,
                        "platform": platform,
                    }
                    if reply_to is not None:  # left out when none, as `topics`: most posts reply to nothing
                        data["reply_to"] = reply_to
                    if topics:  # left out when none, so a feed without topics plays (and digests) as before
                        data["topics"] = list(topics)
                    out.append(new_event((seq, now, ev.POST, data)))
                at = now + next_wait(excitation, beta, mu, timing)
                # another thread's post, anything queued (a tie goes to what was queued first, as
                # SimPy orders it), the step's end or the cap: stop here
                if at >= other or at >= queued or at > limit or posts >= max_posts:
                    break
                now = at
            thread.excitation, thread.updated = excitation, updated
            thread.next_at = at if at <= end_time else inf
            if successor is None or at < other or posts >= max_posts:
                break  # something other than a post is next, or the cap (reported in its own turn)
            thread, now = successor, other
            if now >= queued or now > limit:
                break
        drill.seq, self.posts_total = seq, posts
        self._wake()


def _next_at(thread: Thread) -> float:
    return thread.next_at
