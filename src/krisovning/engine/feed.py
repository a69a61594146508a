"""The drill's social-media feed: every thread's posts, delivered in SimPy time.

A part of Drill (as ActionHandler is). Each thread knows the time of its next post
(`Thread.next_at`); one SimPy event stands for the earliest of them. When it fires, the
feed delivers posts in time order, from whichever thread is next, for as long as nothing
else in SimPy's queue comes first and the step being taken (`advance`) lasts. That gives
the same events in the same order as one queue entry per post, at a fraction of the
cost: a busy feed is almost all of a drill's events (bench/bench_engine.py).
"""

from __future__ import annotations

from bisect import bisect
from math import exp, inf, log
from typing import TYPE_CHECKING, Any

import simpy
from simpy.events import Timeout

from krisovning.engine import events as ev
from krisovning.engine.events import new_event
from krisovning.engine.social import Thread
from krisovning.scenario.model import SocialEffect

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill


class SocialFeed:
    def _wire_social(self: Drill) -> None:
        self.threads: dict[str, Thread] = {}
        self._feed_due: simpy.Event | None = None  # the pending delivery; an earlier one goes stale
        self._feed_at = inf
        social = self.scenario.social
        if social is None:
            return
        # (named persona, None, None) or (None, pool, the pool's member list, filled in index order)
        self._authors = [
            (None, self.people.pools[ref], self.people.members(self.people.pools[ref])) if ref in self.people.pools
            else (self.people.named[ref], None, None)
            for ref in social.authors
        ]
        self._max_posts = social.max_posts
        # Facts never change in a drill: filled into the post templates once (what a post's author or
        # the in-world clock fills in stays, as does a fact that shares its name with one of those).
        fixed = {name: value for name, value in self._static.items()
                 if not name.startswith("author.") and name not in ("time", "date")}
        for spec in social.threads:
            self.threads[spec.id] = Thread(spec, social, self.stream(f"thread:{spec.id}"),
                                           self.stream(f"thread:{spec.id}:content"), fixed)
        self._feed = list(self.threads.values())
        for thread in self._feed:
            thread.others = [other for other in self._feed if other is not thread]
        for thread in self._feed:
            self._next_post(thread)
        for spike in social.spikes:
            self._schedule(spike.at, self._apply_social, SocialEffect(thread=spike.thread, spike=spike.size), "spike")
        for index, reaction in enumerate(social.reactions):
            if reaction.on == "silence":
                self._schedule(reaction.after or 0, self._silence, index)

    def _next_post(self: Drill, thread: Thread) -> None:
        at = thread.updated + thread.next_wait(thread.timing_rng)
        thread.next_at = at if at <= self.end_time else inf
        self._wake_feed()

    def _wake_feed(self: Drill) -> None:
        at = min((thread.next_at for thread in self._feed), default=inf)
        if at == inf:
            self._feed_due = None
        elif self._feed_due is None or at != self._feed_at:
            self._feed_at = at
            self._feed_due = due = Timeout(self.env, at - self.env.now)
            due.callbacks.append(self._deliver_posts)

    def _deliver_posts(self: Drill, due: simpy.Event) -> None:
        # The hot path of a busy feed, kept flat on purpose: it inlines the Hawkes update,
        # Thread.next_wait and Chooser.pick with the very same draws, in the same order.
        if due is not self._feed_due or self.finished:
            return
        self._feed_due = None
        threads = self._feed
        if self.posts_total >= self._max_posts:
            if self.posts_total == self._max_posts:
                self.posts_total += 1  # report the cap once
                self._emit(ev.SOCIAL_CAPPED, {"max_posts": self._max_posts})
            for thread in threads:
                thread.next_at = inf
            return
        # Nothing below schedules an event, so the queue's next time stays what it was; the loop's
        # `now` runs ahead of env.now, never past that time nor the step being taken.
        queued = self.env.peek()
        end_time = self.end_time
        limit = min(self._until, end_time)
        authors, people, static = self._authors, self.people, self._static
        seq, posts, max_posts = self._seq, self.posts_total, self._max_posts
        out = self._out
        thread = min(threads, key=_next_at)
        now = thread.next_at
        while True:
            beta, n_beta, mu, name, kinds, kinds_cumulative, kinds_total, content, random, timing = thread.packed
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
                if named is not None:
                    author = named
                else:
                    index = int(random() * pool.size)
                    author = members[index] if index < len(members) else people.member(pool, index)
                templates, moods, moods_cumulative, moods_total = content[category]
                template, texts = templates[int(random() * len(templates))]
                text = template.const
                if text is None:
                    if template.clock:
                        text = template.render(self._values(author, "author", at=now), static)
                    else:  # one author's post from one template always reads the same; the cache
                        # holds no more texts than posts were delivered (the cap bounds both), and shares them
                        text = texts.get(author["id"])
                        if text is None:
                            text = texts[author["id"]] = template.render(people.values(author, "author"), static)
                seq += 1
                out.append(new_event((seq, now, ev.POST, {
                    "id": f"p{posts}", "thread": name, "category": category,
                    "sentiment": moods[bisect(moods_cumulative, random() * moods_total)],
                    "author": author["name"], "handle": author.get("handle", ""), "text": text,
                })))
                # The thread's next post (Dassios & Zhao), as Thread.next_wait draws it.
                s1 = -log(1.0 - timing()) / mu if mu > 0 else inf
                u2 = 1.0 - timing()
                if excitation > 0:
                    d = 1.0 + beta * log(u2) / excitation
                    s2 = -log(d) / beta if d > 0 else inf
                else:
                    s2 = inf
                at = now + (s1 if s1 < s2 else s2)
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
        self._seq, self.posts_total = seq, posts
        self._wake_feed()

    def _apply_social(self: Drill, effect: SocialEffect, cause: str) -> None:
        if self.finished or effect.thread not in self.threads:
            return
        thread = self.threads[effect.thread]
        thread.apply(effect, self.now)
        data: dict[str, Any] = {"thread": effect.thread, "cause": cause}
        if effect.spike:
            data["spike"] = effect.spike
        if effect.set_branching is not None:
            data["branching"] = effect.set_branching
        if effect.scale_baseline is not None:
            data["baseline_factor"] = effect.scale_baseline
        self._emit(ev.SOCIAL_EFFECT, data)
        self._next_post(thread)  # the parameters changed: draw the thread's next post again

    def _react(self: Drill, index: int, effect: SocialEffect, cause: str) -> None:
        reaction = self.scenario.social.reactions[index]  # type: ignore[union-attr]
        if reaction.only_once:
            if index in self._reactions_used:
                return
            self._reactions_used.add(index)
        self._apply_social(effect, cause)

    def _silence(self: Drill, index: int) -> None:
        if self.log.first_public is None:
            self._react(index, self.scenario.social.reactions[index].effect, "silence")  # type: ignore[union-attr]

    def social_now(self: Drill) -> dict[str, Any]:
        """Posts per hour, rumour share and negative share implied by the threads right now."""
        total = rumour = negative = 0.0
        rates = {}
        for thread in self.threads.values():
            rate = thread.intensity(self.now)
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


def _next_at(thread: Thread) -> float:
    return thread.next_at
