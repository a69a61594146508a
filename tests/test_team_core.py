"""The host and its seats, in one process with a controlled clock (session/host.py, session/follower.py)."""

from __future__ import annotations

import json

import pytest
from teamkit import CHIEF, PRESS, SCENARIO, start_team

from krisovning.engine import Action, ActionRefused
from krisovning.scenario import load_scenario
from krisovning.session import follower
from krisovning.session.follower import SeatLink
from krisovning.session.host import HostDrill
from krisovning.session.seats import FACILITATOR, OBSERVER, Seat
from krisovning.session.store import JournalError, open_store
from krisovning.tui.model import DrillView


@pytest.fixture
def team(journal_db, monkeypatch):
    made = start_team(journal_db, monkeypatch)
    yield made.host, made.seat, made.db
    made.close()


def first_inject_to(link: SeatLink, role: str) -> str:
    return next(e.data["id"] for e in link.history if e.kind == "inject" and e.data["to"] == role)


def run(host: HostDrill, seconds: float, *seats: SeatLink) -> None:
    for _ in range(int(seconds)):
        host.step(1.0)
    for link in seats:
        link.tick(0.0)


def test_a_seat_sees_what_the_host_committed_and_its_view_equals_the_hosts(team):
    host, seat, _db = team
    host.live.speed = 60.0
    press = seat(PRESS)
    run(host, 60, press)
    assert [e.seq for e in press.history] == [e.seq for e in host.live.history]
    assert [e.canonical() for e in press.history] == [e.canonical() for e in host.live.history]
    mine, theirs = DrillView(), DrillView()
    mine.apply(press.history)
    theirs.apply(host.live.history)
    assert mine.inbox.keys() == theirs.inbox.keys() and mine.counts() == theirs.counts()
    assert press.host_lost is None and press.speed == 60.0 and abs(press.now - host.live.now) < 3 * 60


def test_a_reply_is_stamped_with_seat_role_and_send_time_and_a_second_seat_is_refused(team):
    host, seat, _db = team
    host.live.speed = 60.0
    press, chief = seat(PRESS), seat(CHIEF)
    run(host, 60, press, chief)
    inject = first_inject_to(press, "presssekreterare")
    # the seat claims to be someone else: the host stamps what the seat is
    events = press.act(Action("reply", inject=inject, text="Vi återkommer kl. 10.", role="kommunikationschef"))
    taken = [e for e in events if e.kind == "action"][-1].data["action"]
    assert taken["seat"] == "presssekreterare" and taken["role"] == "presssekreterare" and taken["sent"]
    chief.news(10.0)  # on PostgreSQL: once the host's NOTIFY has reached the other seat
    chief.tick(0.0)
    assert any(e.kind == "action" and e.data["action"].get("inject") == inject for e in chief.history)
    with pytest.raises(ActionRefused) as refused:
        chief.act(Action("reply", inject=inject, text="Jag svarar också."))
    assert refused.value.key == "action.answered_by"
    assert refused.value.fields["who"] == "Presssekreterare" and refused.value.fields["at"][2] == ":"


def test_a_claim_keeps_others_from_answering_until_released(team):
    host, seat, _db = team
    host.live.speed = 60.0
    press, chief = seat(PRESS), seat(CHIEF)
    run(host, 60, press, chief)
    inject = first_inject_to(press, "presssekreterare")
    chief.act(Action("claim", inject=inject))
    with pytest.raises(ActionRefused) as refused:
        press.act(Action("reply", inject=inject, text="svar"))
    assert refused.value.key == "action.claimed_by"
    with pytest.raises(ActionRefused):
        press.act(Action("release", inject=inject))  # not press's to release
    chief.act(Action("release", inject=inject))
    press.act(Action("reply", inject=inject, text="svar"))


@pytest.mark.parametrize(
    ("which", "kind", "fields"),
    [
        (PRESS, "pause", {}),
        (PRESS, "fire_inject", {"inject": "x"}),
        (OBSERVER, "decision", {"text": "x"}),
        (FACILITATOR, "reply", {"inject": "x", "text": "x"}),
    ],
)
def test_a_seat_may_do_only_what_its_kind_may(team, which, kind, fields):
    host, seat, db = team
    link = seat(which)
    store = open_store(db, write=True)
    try:  # straight into the table, as a seat process of another version might
        request = link.relay.send(which.id, json.dumps({"kind": kind, **fields}))
        host.step(0.0)
        answer = link.relay.answer(request)
    finally:
        store.close(tidy=False)
    assert answer is not None and answer.status == "refused" and answer.key == "seat.not_allowed"


@pytest.mark.parametrize(
    "body", ["not json", "[]", '{"kind": "reply"}', '{"kind": "nope"}', '{"kind": "decision", "x": 1}']
)
def test_a_request_that_is_not_an_action_is_refused(team, body):
    host, seat, _db = team
    link = seat(CHIEF)
    request = link.relay.send(CHIEF.id, body)
    host.step(0.0)
    answer = link.relay.answer(request)
    assert answer is not None and answer.status == "refused" and answer.key == "seat.bad_request"


def test_requests_are_taken_in_the_order_they_arrived(team):
    host, seat, _db = team
    press, chief = seat(PRESS), seat(CHIEF)
    ids = [
        chief.relay.send(CHIEF.id, json.dumps({"kind": "decision", "text": "först"})),
        press.relay.send(PRESS.id, json.dumps({"kind": "decision", "text": "sedan"})),
    ]
    host.step(0.0)
    seqs = [chief.relay.answer(i).seq for i in ids]
    assert seqs[0] < seqs[1]
    texts = [e.data["action"]["text"] for e in host.live.history if e.kind == "action"]
    assert texts[-2:] == ["först", "sedan"]


def test_the_facilitator_seat_sees_what_is_coming_and_steers(team):
    host, seat, _db = team
    fac, press = seat(FACILITATOR), seat(PRESS)
    run(host, 1, fac, press)
    assert fac.upcoming() and press.upcoming() == []
    coming = fac.upcoming()[0]["id"]
    fac.act(Action("fire_inject", inject=coming))
    fac.act(Action("speed", speed=30))
    fac.act(Action("pause"))
    press.news(10.0)
    press.tick(0.0)
    assert any(e.kind == "inject" and e.data["id"] == coming for e in press.history)
    assert press.speed == 30 and press.paused


def test_an_observation_names_an_objective_that_exists(team):
    host, seat, _db = team
    obs = seat(OBSERVER)
    objective = host.live.scenario.objectives[0].id
    events = obs.act(Action("observation", text="Bra samordning", objective=objective))
    assert [e.data["action"]["objective"] for e in events if e.kind == "action"] == [objective]
    with pytest.raises(ActionRefused) as refused:
        obs.act(Action("observation", text="x", objective="finns-inte"))
    assert refused.value.key == "action.unknown_objective"


def test_a_seat_says_when_the_host_has_gone_and_sends_nothing(team, monkeypatch):
    _host, seat, _db = team
    press = seat(PRESS)
    press.tick(0.0)
    assert press.host_lost is None
    state = press.state
    monkeypatch.setattr(follower.time, "time", lambda: state.beat + 3600)
    monkeypatch.setattr(type(state), "age", lambda self, now=None: 3600.0)
    press.tick(0.0)
    assert press.host_lost is not None and press.paused
    assert press.now == state.clock  # where the host last said, not run on past it
    with pytest.raises(ActionRefused) as refused:
        press.act(Action("decision", text="x"))
    assert refused.value.key == "seat.host_gone"


def test_a_resumed_host_expires_what_the_dead_one_left_and_the_seat_is_told(journal_db):
    scenario = load_scenario(SCENARIO)
    db = journal_db
    host = HostDrill.start(db, scenario, SCENARIO.read_text("utf-8"), str(SCENARIO), 7, "sv")
    host.step(1.0)
    session = host.live.session_id
    press = SeatLink.open(db, session, PRESS)
    request = press.relay.send(PRESS.id, json.dumps({"kind": "decision", "text": "x"}))
    host.live.recorder.lock.release()  # the host dies (its lock goes with its process)
    host.live.recorder.store.close(tidy=False)
    again = HostDrill.resume(db, session)
    try:
        assert again.expired == 1 and again.live.paused
        answer = press.relay.answer(request)
        assert answer.status == "expired" and answer.key == "seat.request_expired"
        assert again.tokens == host.tokens  # the invitations still hold
    finally:
        press.close(interrupted=False)
        again.close(interrupted=True)


def test_a_second_host_on_the_same_session_is_refused(team):
    host, _seat, db = team
    with pytest.raises(JournalError) as busy:
        HostDrill.resume(db, host.live.session_id)
    assert busy.value.key == "session.busy"


def test_a_seat_for_a_role_the_scenario_has_not_is_refused(team):
    host, _seat, db = team
    with pytest.raises(JournalError) as refused:
        SeatLink.open(db, host.live.session_id, Seat.team(["nobody"]))
    assert refused.value.key == "seat.unknown_role"


def test_a_solo_drill_replays_as_before():
    """Team fields are left out when empty: a solo drill's journal and digest are unchanged."""
    assert Action("reply", inject="a", text="b").to_dict() == {"kind": "reply", "inject": "a", "text": "b"}
