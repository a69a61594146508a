"""The crisis page is what the world refers to (engine/website.py): residents cite it, a journalist asks
about a changed notice, an ignored journalist's texts quote it — only once something is on it."""

from __future__ import annotations

import pytest

from krisovning.engine.actions import Action
from krisovning.engine.drill import Drill
from krisovning.engine.events import digest_of
from krisovning.engine.website import notices, site_name
from tests.hostile import CONTROL, has_raw_control
from tests.scenario_factory import BASE, inject, scenario, social, thread

ORG = {**BASE["organisation"], "website": "https://www.testby.se/"}
TOPICS = [{"id": "tappstallen", "keywords": ["tappställe", "vatten att hämta"]}]
FIRST = "Vatten att hämta finns vid torget från klockan 10 i dag. Ring 020-123 vid frågor."
CHANGED = "Vatten att hämta finns vid torget från klockan 14 i dag."


def _scenario(**overrides):
    fields = {"organisation": ORG, "social": social(thread("grupp")), "topics": TOPICS}
    fields.update(overrides)
    return scenario(**fields)


def _play(s, actions, seed=3):
    """`actions`: (minute, Action); the events of the whole drill."""
    drill = Drill(s, seed)
    for minute, action in actions:
        drill.advance(minute * 60)
        drill.act(action)
    drill.run_to_end()
    return drill, drill.drain()


def _web(text, channels=("web",)):
    return Action("publish", text=text, channels=channels, role="kommunikation")


def _cites(events):
    return [e for e in events if e.kind == "post" and e.data["id"].startswith("w")]


def test_nothing_is_cited_before_the_page_has_a_notice_and_a_social_post_alone_puts_nothing_there():
    _, events = _play(_scenario(), [(5, _web(FIRST, channels=("social",)))])
    assert not _cites(events)


def test_residents_cite_a_new_notice_by_the_sites_name_within_half_an_hour():
    _, events = _play(_scenario(), [(5, _web(FIRST))])
    cites = _cites(events)
    assert 2 <= len(cites) <= 4
    for post in cites:
        assert 5 * 60 + 180 <= post.t <= 5 * 60 + 1500
        text = post.data["text"]
        assert "testby.se" in text or "webbplats" in text
        assert "Vatten att hämta finns vid torget från klockan 10 i dag." in text or "Ring 020-123 vid frågor." in text
        assert post.data["category"] == "information" and post.data["thread"] == "grupp"
        assert "https://" not in text and "www." not in text


def test_a_changed_notice_is_pointed_at_and_a_journalist_asks_ni_skrev_men_nu():
    _, events = _play(_scenario(), [(10, _web(FIRST)), (40, _web(CHANGED))])
    ask = next(e for e in events if e.kind == "inject" and e.data["id"] == "webbplats~1")
    text = ask.data["text"]
    assert "Ni skrev kl. 08:10 på testby.se att ”Vatten att hämta finns vid torget från klockan 10 i dag.”" in text
    assert "men nu står det att ”Vatten att hämta finns vid torget från klockan 14 i dag.”" in text
    assert ask.data["sender"]["kind"] == "journalist" and ask.data["expect"]["action"] == "reply"
    assert 40 * 60 + 300 <= ask.t <= 40 * 60 + 900
    changed = [p for p in _cites(events) if p.t > 40 * 60 and p.data["category"] == "criticism"]
    assert changed and all("klockan 14" in p.data["text"] for p in changed)
    # the same notice again, or one that says more, changes nothing
    _, calm = _play(_scenario(), [(10, _web(FIRST)), (40, _web(FIRST + " Ta med egna dunkar."))])
    assert not [e for e in calm if e.kind == "inject" and e.data["id"].startswith("webbplats~")]


def test_an_ignored_journalist_cites_the_page_once_it_has_a_notice():
    s = _scenario(injects=[inject("fraga", at="1m", channel="email")])
    _, quiet = _play(s, [])
    _, cited = _play(s, [(5, _web(FIRST))])

    def text(events, inject_id):
        return next(e for e in events if e.kind == "inject" and e.data["id"] == inject_id).data["text"]

    assert "testby.se" not in text(quiet, "fraga+2") and "testby.se" not in text(quiet, "fraga+story")
    assert "På testby.se skriver ni ”Vatten att hämta" in text(cited, "fraga+2")
    assert "Enligt testby.se: ”Vatten att hämta" in text(cited, "fraga+story")


def test_the_page_is_the_same_for_the_world_and_the_view_and_the_world_is_deterministic():
    actions = [(10, _web(FIRST)), (20, _web("Internt.", channels=("intranet",))), (40, _web(CHANGED))]
    drill, events = _play(_scenario(), actions)
    assert [n.text for n in drill.website.page()] == [CHANGED, FIRST]
    assert [n.update for n in notices(drill.website.publications) if n.on_web] == [1, 0]
    assert digest_of(events) == digest_of(_play(_scenario(), actions)[1])
    assert digest_of(events) != digest_of(_play(_scenario(), actions, seed=4)[1])


@pytest.mark.parametrize("text", CONTROL)
def test_a_hostile_notice_is_cited_literally_without_raw_control_characters(text):
    notice = f"Besked {text} {{plats}} [b]x[/b]."
    _, events = _play(_scenario(), [(5, _web(notice))])
    cites = _cites(events)
    assert cites
    for post in cites:
        assert "{plats} [b]x[/b]" in post.data["text"] and not has_raw_control(post.data["text"])


def test_the_site_is_named_as_residents_name_it():
    assert site_name("https://www.Ekebacka.se/") == "Ekebacka.se"
    assert site_name("vasterlida.se") == "vasterlida.se"
    assert site_name(None) == "kommunens webbplats" and site_name("  ") == "kommunens webbplats"
    assert not has_raw_control(site_name("http://x\x1b[2J.se"))


def test_a_reader_quotes_whole_sentences_not_the_pieces_after_an_abbreviation():
    from krisovning.engine.website import readable

    text = "Vatten finns vid torget från kl. 10. Ring 020-123 om du har frågor."
    assert readable(text) == ("Vatten finns vid torget från kl. 10.", "Ring 020-123 om du har frågor.")
    assert readable("Hej. Vatten finns vid torget i dag.") == ("Hej. Vatten finns vid torget i dag.",)


def test_no_resident_cites_the_page_with_the_same_text_twice():
    # one author, one short notice published again and again: every citing post is new, or left unsaid
    one = social(thread("grupp"), authors=["tib"])
    actions = [(5 + 10 * i, _web("Vatten att hämta finns vid torget.")) for i in range(8)]
    _, events = _play(_scenario(social=one), actions)
    texts = [p.data["text"] for p in _cites(events)]
    assert len(texts) >= 8 and len(set(texts)) == len(texts)
    assert {p.data["author"] for p in _cites(events)} == {"Bo Ek"}
