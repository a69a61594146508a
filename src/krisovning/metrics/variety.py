"""How varied a drill's feed is, from its events: the measures issue #16 sets targets for.

`unique_share`: of the original posts (not shares), the share whose text no other original post has
(a share repeats its post's text by design). `worst_repeat`: the most times one account posted one
text (a share included). `early_facts`: posts that use a fact before its `fact_public` event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from math import inf
from typing import Any

from krisovning.engine import events as ev
from krisovning.engine.events import Event


def variety(events: Iterable[Event], hidden: Collection[str] = ()) -> dict[str, Any]:
    """The measures over `events`; `hidden`: the facts not public at the start (scenario.model.hidden_facts)."""
    originals: list[str] = []
    per_account: Counter[tuple[str, str]] = Counter()
    shares = early = 0
    public_at: dict[str, float] = {}
    posts: list[Event] = []
    for event in events:
        if event.kind == ev.FACT_PUBLIC:
            public_at.setdefault(event.data["fact"], event.t)
        elif event.kind == ev.POST:
            posts.append(event)
    for fact in hidden:
        public_at.setdefault(fact, inf)  # never made public: any use is too early
    for post in posts:
        data = post.data
        per_account[(data["handle"] or data["author"], data["text"])] += 1
        if data.get("repost_of"):
            shares += 1
        else:
            originals.append(data["text"])
        early += any(post.t < public_at.get(f, -1.0) for f in data.get("facts", ()))
    counts = Counter(originals)
    unique = sum(1 for text in originals if counts[text] == 1)
    return {
        "posts": len(posts),
        "originals": len(originals),
        "shares": shares,
        "unique_share": unique / len(originals) if originals else 1.0,
        "worst_repeat": max(per_account.values(), default=0),
        "early_facts": early,
    }
