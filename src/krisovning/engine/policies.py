"""Bot teams: headless players, so facilitators can see how a scenario plays.

Each policy answers what the drill expects after a delay drawn from its own random
stream, and does the proactive work a team does (first public message, situation
picture, decisions, checklist). It picks up most phone calls while they ring, as a team
would, and says its reply before the call ends. `silent` does nothing at all.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from krisovning.engine import events as ev
from krisovning.engine.actions import Action
from krisovning.engine.events import Event
from krisovning.i18n import t_in
from krisovning.scenario.model import HOLD
from krisovning.vocab import InjectChannel

if TYPE_CHECKING:
    from krisovning.engine.drill import Drill

MINUTE = 60.0


@dataclass(frozen=True)
class Profile:
    reply_median: float  # minutes to answer an inject
    reply_spread: float  # lognormal sigma (0 = always the median)
    answer_share: float  # share of injects answered at all
    first_message: float  # minutes to the first public message
    situation_every: float  # minutes between situation pictures (0: never)
    decision_at: float  # minutes to the first logged decision
    checklist_lag: float  # minutes relative to an item's due time (negative = early)
    call_share: float  # share of phone calls picked up while they ring (engine/calls.py)
    call_minutes: tuple[float, float] = (1.0, 4.0)  # how long a call lasts: the reply is said by its end


PROFILES = {
    "diligent": Profile(5, 0.3, 1.0, 20, 20, 10, -5, 0.95),
    "realistic": Profile(11, 0.6, 0.9, 45, 35, 25, 5, 0.8),
    "slow": Profile(25, 0.3, 0.8, 80, 50, 50, 25, 0.55),
}
PICK_UP = (0.15, 0.75)  # when a call is picked up, as shares of its ringing time
POLICIES = tuple(PROFILES) + ("silent",)


class Silent:
    name = "silent"

    def start(self, drill: Drill) -> None:
        pass

    def on_event(self, drill: Drill, event: Event) -> None:
        pass


class Bot:
    def __init__(self, name: str) -> None:
        self.name = name
        self.profile = PROFILES[name]
        self.rng: random.Random | None = None

    def _delay(self, median: float) -> float:
        assert self.rng is not None
        spread = self.profile.reply_spread
        factor = math.exp(self.rng.gauss(0.0, spread)) if spread else 1.0
        return max(0.5, median * factor) * MINUTE

    def start(self, drill: Drill) -> None:
        self.rng = drill.stream(f"policy:{self.name}")
        lang = drill.scenario.language

        def t(key: str, **fields: object) -> str:
            return t_in(lang, key, **fields)

        self.t = t
        p = self.profile
        role = drill.scenario.roles[0].id
        public = ("web", "social", "press_release")
        drill.schedule_action(
            self._delay(p.first_message),
            Action(
                "publish",
                # with what an informed team says on each of the scenario's topics
                text=" ".join(
                    [t("bot.first_message", organisation=drill.scenario.organisation.name)]
                    + [topic.answer for topic in drill.scenario.topics if topic.answer]
                ),
                channels=public,
                role=role,
            ),
        )
        drill.schedule_action(self._delay(p.decision_at), Action("decision", text=t("bot.decision"), role=role))
        if p.situation_every:
            at = drill.now + self._delay(p.situation_every / 2)  # from now: a resumed drill has no past to fill
            while at < drill.end_time:
                drill.schedule_action(at, Action("situation_update", text=t("bot.situation"), role=role))
                at += self._delay(p.situation_every)
        for checklist in drill.scenario.checklists:
            for index, item in enumerate(checklist.items):
                due = item.due if item.due is not None else (index + 1) * 10 * MINUTE
                at = max(MINUTE, due + p.checklist_lag * MINUTE + self.rng.uniform(-2, 2) * MINUTE)
                drill.schedule_action(at, Action("checklist", checklist=checklist.id, item=item.id, role=role))

    def on_event(self, drill: Drill, event: Event) -> None:
        assert self.rng is not None
        t = self.t
        if event.kind != ev.INJECT:
            return
        if (event.data.get("expect") or {}).get("action") == HOLD and event.data["channel"] == "internal":
            return  # nothing to do but not publish (engine/content.py): no draw, the bot's stream goes on
        data = event.data
        role = data["to"]
        # a ringing phone is picked up (or not) whatever comes next; its own stream, so the draws below
        # stay those of a drill without calls
        call_end = self._pick_up(drill, event) if data["channel"] == InjectChannel.phone else None
        answers = self.rng.random() < self.profile.answer_share
        if not answers and call_end is None:
            return
        expect = data.get("expect") or {}
        at = event.t + self._delay(self.profile.reply_median) if answers else event.t
        if call_end is not None:  # what is said on the phone is the reply, given before hanging up
            at = call_end
        kind = expect.get("action", "reply")
        asked = tuple(expect.get("topics") or ())  # what the expectation asks to be said (engine/content.py)
        if kind == "publish":
            channels = tuple(expect.get("channels") or ("web", "social"))
            known = {topic.id: topic.answer for topic in drill.scenario.topics if topic.answer}
            said = [known[tid] for tid in (*asked, expect.get("answers")) if tid in known]
            text = " ".join([t("bot.publish"), *said])
            drill.schedule_action(at, Action("publish", text=text, channels=channels, role=role, topics=asked))
        elif kind == "situation_update":
            drill.schedule_action(at, Action("situation_update", text=t("bot.situation"), role=role))
        elif kind == "decision":
            drill.schedule_action(at, Action("decision", text=t("bot.decision"), role=role, topics=asked))
        if data.get("do_not_answer"):
            return  # an attacker's demand and the like: a team does not answer it
        if data["channel"] != "internal" or kind == "reply":
            drill.schedule_action(at, Action("reply", inject=data["id"], text=t("bot.reply"), role=role))

    def _pick_up(self, drill: Drill, event: Event) -> float | None:
        """Pick up a ringing call within its ringing time (the profile's share of calls); returns when
        the call ends, or None for a call left to ring out (called back later, as any inject)."""
        if event.data.get("source") == "story":  # a story on the phone channel does not ring
            return None
        calls = drill.stream(f"policy:{self.name}:calls")
        if calls.random() >= self.profile.call_share:
            return None
        ring = drill.calls.ring
        answer = event.t + calls.uniform(*PICK_UP) * ring
        drill.schedule_action(answer, Action("answer_call", inject=event.data["id"], role=event.data["to"]))
        return answer + calls.uniform(*self.profile.call_minutes) * MINUTE


def make_policy(name: str) -> Bot | Silent:
    if name == "silent":
        return Silent()
    if name not in PROFILES:
        raise ValueError(name)
    return Bot(name)
