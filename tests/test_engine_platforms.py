"""Platforms and threads (issue 16 point 4): every post lives on its thread's platform, replies answer an
earlier post on that platform or the municipality's own post, likes and shares only grow, and all of it
is the same for the same seed and actions; the export carries what it takes to check this."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from hostile import SCENARIO_SAFE
from scenario_factory import scenario, social, thread

from krisovning.cli import main
from krisovning.engine import Action, Drill
from krisovning.engine.compose import TEAM_CATEGORIES
from krisovning.engine.headless import run_headless
from krisovning.engine.social import DEFAULT_PLATFORM, engagement, official_platform, platforms
from krisovning.engine.typed import Post, decode_event
from krisovning.i18n import set_language
from krisovning.scenario import ScenarioError, load_scenario, load_scenario_bytes
from krisovning.session.live import LiveDrill

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
BUNDLED = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
DRICKSVATTEN = (SCENARIOS / "dricksvatten.yaml").read_text(encoding="utf-8")


def _played(name: str, seed: int = 1, policy: str = "realistic") -> list:
    return run_headless(load_scenario(SCENARIOS / f"{name}.yaml"), seed, policy)[1]


@pytest.mark.parametrize("name", BUNDLED)
def test_every_post_is_on_its_threads_platform_and_replies_answer_what_came_before_there(name: str) -> None:
    s = load_scenario(SCENARIOS / f"{name}.yaml")
    assert s.social is not None and len(s.social.platforms) >= 2  # the bundled scenarios declare platforms
    assert all(th.platform for th in s.social.threads)
    of_thread = {th.id: th.platform for th in s.social.threads}
    events = _played(name)
    seen: dict[str, tuple[float, str]] = {}  # post id -> (time, platform)
    team: dict[str, float] = {}  # "a<seq>" of a public social publication -> time
    replies = to_team = 0
    for event in events:
        action = event.data.get("action") if event.kind == "action" else None
        if action and action["kind"] == "publish" and event.data.get("public") and "social" in action["channels"]:
            team[f"a{event.seq}"] = event.t
        if event.kind != "post":
            continue
        data = event.data
        assert data["platform"] == of_thread[data["thread"]], data
        target = data.get("reply_to")
        if target is not None:
            replies += 1
            if target in team:
                to_team += 1
                assert team[target] <= event.t and data["category"] in TEAM_CATEGORIES
                assert data["platform"] == official_platform(platforms(s))
            else:
                assert target in seen, data  # an earlier post…
                assert seen[target][1] == data["platform"]  # …on the same platform
                assert target != data["id"]
        seen[data["id"]] = (event.t, data["platform"])
    assert replies > 0
    if team:
        assert to_team > 0  # residents reply under the municipality's own post


def test_replies_under_the_municipalitys_post_use_the_librarys_replies_and_topics() -> None:
    events = _played("dricksvatten", 5)
    team = {f"a{e.seq}" for e in events if e.kind == "action" and "social" in e.data["action"].get("channels", ())}
    under = [e.data for e in events if e.kind == "post" and e.data.get("reply_to") in team]
    assert len(under) >= 10
    assert {d["category"] for d in under} == set(TEAM_CATEGORIES)
    assert any("först nu" in d["text"] or "Tack" in d["text"] or "Gäller det" in d["text"] for d in under)


def test_the_same_seed_and_actions_give_the_same_platforms_replies_and_counts() -> None:
    first, second = _played("hot-mot-skola", 4), _played("hot-mot-skola", 4)
    shape = [(e.data["id"], e.data["platform"], e.data.get("reply_to")) for e in first if e.kind == "post"]
    assert shape == [(e.data["id"], e.data["platform"], e.data.get("reply_to")) for e in second if e.kind == "post"]
    counts = [engagement(e.data["id"], e.data["text"], e.data["category"], 1800) for e in first if e.kind == "post"]
    assert counts == [
        engagement(e.data["id"], e.data["text"], e.data["category"], 1800) for e in second if e.kind == "post"
    ]
    other = _played("hot-mot-skola", 5)
    assert shape != [(e.data["id"], e.data["platform"], e.data.get("reply_to")) for e in other if e.kind == "post"]


def test_likes_and_shares_never_fall_and_most_posts_get_few() -> None:
    finals = []
    for k in range(3000):
        post_id, text = f"p{k}", f"Text nummer {k}"
        last = (0, 0)
        for age in (-5, 0, 30, 60, 300, 900, 1800, 3600, 7200, 36_000):
            now = engagement(post_id, text, "question", age)
            assert now[0] >= last[0] and now[1] >= last[1], (post_id, age, now, last)
            last = now
        assert engagement(post_id, text, "question", 0) == (0, 0)
        finals.append(last[0])
    finals.sort()
    assert finals[len(finals) // 2] <= 5  # the median post: a handful
    assert finals[-1] >= 200  # a few: hundreds
    assert engagement("p1", "x", "rumour", 3600) == engagement("p1", "x", "rumour", 3600)


def test_a_scenario_without_platforms_lives_in_the_towns_facebook_group() -> None:
    s = scenario(social=social(thread("t", baseline=60)), duration="30m")
    drill = Drill(s, seed=2)
    drill.run_to_end()
    posts = [e for e in drill.drain() if e.kind == "post"]
    assert posts and {p.data["platform"] for p in posts} == {DEFAULT_PLATFORM}
    known = platforms(s)
    assert list(known) == [DEFAULT_PLATFORM] and known[DEFAULT_PLATFORM].kind == "facebook"
    assert known[DEFAULT_PLATFORM].name == f"{s.organisation.short_name or s.organisation.name} just nu"


def test_a_scenario_with_platforms_puts_an_unnamed_thread_on_the_first() -> None:
    declared = [{"id": "tidning", "kind": "comments", "name": "Tidningen"}, {"id": "x", "kind": "x", "name": "X"}]
    s = scenario(
        social=social(thread("a", baseline=60), {**thread("b", baseline=60), "platform": "x"}, platforms=declared)
    )
    drill = Drill(s, seed=3)
    drill.run_to_end()
    by_thread = {(e.data["thread"], e.data["platform"]) for e in drill.drain() if e.kind == "post"}
    assert by_thread == {("a", "tidning"), ("b", "x")}
    assert official_platform(platforms(s)) == "tidning"  # none `official`, none on Facebook: the first


@pytest.mark.parametrize(
    ("lang", "words"), [("sv", 'plattform "ekebacka-nu" finns inte'), ("en", 'unknown platform "ekebacka-nu"')]
)
def test_an_unknown_platform_is_named_at_its_line_and_column(lang: str, words: str) -> None:
    set_language(lang)
    needle = "      platform: ekebacka-posten\n"
    assert DRICKSVATTEN.count(needle) == 1
    text = DRICKSVATTEN.replace(needle, "      platform: ekebacka-nu\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(text.encode(), "bad.yaml")
    [problem] = info.value.problems
    line = text[: text.index("platform: ekebacka-nu")].count("\n") + 1
    assert (problem.file, problem.line, problem.column) == ("bad.yaml", line, len("      platform: ") + 1)
    assert words in problem.message and '"ekebacka-just-nu"' in problem.message  # the close match


def test_a_platform_id_used_twice_is_named() -> None:
    set_language("en")
    needle = "    - {id: ekebacka-posten, kind: comments"
    text = DRICKSVATTEN.replace(needle, "    - {id: ekebacka-just-nu, kind: comments")
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(text.encode(), "bad.yaml")
    assert any("already used" in p.message for p in info.value.problems)


@pytest.mark.parametrize("name", [s for s in SCENARIO_SAFE if len(s) <= 200])  # a longer name: a Title is refused
def test_hostile_platform_names_are_data(name: str) -> None:
    s = scenario(social=social(thread("t", baseline=60), platforms=[{"id": "p", "name": name}]), duration="10m")
    assert platforms(s)["p"].name == name
    drill = Drill(s, seed=1)
    drill.run_to_end()
    assert {e.data["platform"] for e in drill.drain() if e.kind == "post"} == {"p"}  # the id, never the name


def test_a_post_journaled_before_platforms_still_reads() -> None:
    old = {"kind": "post", "seq": 3, "t": 1.0, "id": "p1", "thread": "t", "category": "question"}
    old |= {"sentiment": "neutral", "author": "A", "handle": "", "text": "Hur länge?"}
    post = decode_event(json.dumps(old))
    assert isinstance(post, Post) and post.facts == ()
    assert post.platform is msgspec.UNSET and post.reply_to is msgspec.UNSET
    new = decode_event(json.dumps(old | {"platform": "x", "reply_to": "a7", "facts": ["f"], "topics": ["t"]}))
    assert isinstance(new, Post) and (new.platform, new.reply_to) == ("x", "a7")
    with pytest.raises(msgspec.ValidationError):
        decode_event(json.dumps(old | {"reply_to": 7}))


def test_the_export_gives_every_post_platform_topics_facts_reply_to_and_repost_of(tmp_path: Path, capsys) -> None:
    set_language("sv")
    db = tmp_path / "j.db"
    s = load_scenario_bytes(DRICKSVATTEN.encode(), "dricksvatten.yaml")
    live = LiveDrill.start(db, s, DRICKSVATTEN, "dricksvatten.yaml", 5, "sv")
    while live.now < 1200:
        live.tick(10.0)
    live.act(Action("publish", "Koka vattnet i Norra Ekebacka tills vidare.", channels=("social", "web")))
    while live.now < 3600:
        live.tick(10.0)
    session = live.recorder.info.id
    live.close(interrupted=True)
    assert main(["export", session, "--db", str(db)]) == 0
    entries = [json.loads(line) for line in capsys.readouterr().out.splitlines()][1:]
    posts = [e for e in entries if e["kind"] == "post"]
    assert posts
    for post in posts:
        assert {"platform", "topics", "facts", "reply_to", "repost_of"} <= post.keys(), post
        assert post["platform"] in {"ekebacka-just-nu", "ekebacka-posten"}
        assert isinstance(post["topics"], list) and isinstance(post["facts"], list)
    action = next(e for e in entries if e["kind"] == "action" and e["action"]["kind"] == "publish")
    assert any(p["reply_to"] == f"a{action['seq']}" for p in posts)  # a reply under the team's post
    assert any(p["reply_to"] and p["reply_to"].startswith("p") for p in posts)
    assert any(p["repost_of"] for p in posts)
