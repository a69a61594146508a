"""Plain `{placeholder}` templates: parsed once, filled in parts, never evaluated."""

from __future__ import annotations

from scenario_factory import scenario, social, thread

from krisovning.engine import Drill
from krisovning.scenario.templates import Template, fill


def test_render_takes_the_first_mapping_then_the_second_and_leaves_unknown_names_visible():
    template = Template("{{a}} {a} {b} {c}}}")
    assert template.render({"a": "1"}, {"a": "x", "b": "2"}) == "{a} 1 2 {c}}"
    assert fill("{{a}} {a} {b} {c}}}", {"a": "1", "b": "2"}) == "{a} 1 2 {c}}"


def test_bind_fills_some_names_now_and_keeps_the_rest():
    template = Template("{{lit}} {plats}: {author.name} kl {time} {okand}")
    bound = template.bind({"plats": "Ort {med} klamrar }{", "author.x": "unused"})
    assert bound.names == {"author.name", "time", "okand"}
    assert bound.clock
    assert bound.render({"author.name": "Bo", "time": "08:00"}, {}) == "{lit} Ort {med} klamrar }{: Bo kl 08:00 {okand}"
    constant = Template("Bara {plats}").bind({"plats": "{x}"})
    assert constant.const == "Bara {x}"


def test_posts_read_the_same_whether_facts_are_filled_in_first_or_not():
    templates = {
        c: ["{author.name} i {plats} ({organisation}) {{ok}} {personas.p4.name}", "Bara {plats}"]
        for c in ("information", "question", "rumour", "criticism", "support", "eyewitness")
    }
    s = scenario(
        facts={"plats": "Ort {med} klamrar"},
        social=social(thread(baseline=600, branching=0.3), templates=templates, texture=False, generic=False),
    )
    drill = Drill(s, seed=2)
    drill.run_to_end()
    posts = [e for e in drill.drain() if e.kind == "post"]
    assert len(posts) > 100
    originals = [post for post in posts if post.data["repost_of"] is None]  # a share has its post's text
    assert len(originals) > 100
    for post in originals:  # an account's repeat is told apart by a mark at the end (engine/compose.py)
        assert post.data["text"].startswith(
            (f"{post.data['author']} i Ort {{med}} klamrar (Testby kommun) {{ok}} Anna Ek", "Bara Ort {med} klamrar")
        )
