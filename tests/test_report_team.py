"""The report of a team drill names each seat's work: a host and its seats run in one process
(as tests/test_team_core.py), the report is built from the journal as `krisovning report` builds it."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from hostile import SCENARIO_SAFE, TYPED, has_raw_control
from report_cases import golden_report
from teamkit import CHIEF, PRESS, SCENARIO, start_team

from krisovning.cli import main
from krisovning.cli.commands_report import build_for
from krisovning.engine import Action, ActionRefused, Drill
from krisovning.i18n import set_language
from krisovning.i18n.fmt import minutes
from krisovning.report import ReportMeta, build_comparison, build_report, render, render_comparison
from krisovning.report.fmt import clean
from krisovning.report.model import Report
from krisovning.scenario import load_scenario, load_scenario_bytes
from krisovning.session import journal, relay
from krisovning.session.seats import FACILITATOR, OBSERVER, Seat
from krisovning.session.store import SqliteStore

JOURNALED = "2026-12-06T10:00:10+01:00"  # when the host writes (every entry of the test's actions)


def _sent(second: int) -> str:
    return f"2026-12-06T10:00:{second:02d}+01:00"


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> tuple[Path, str, dict]:
    """A finished team drill: two team seats reply, one claims, the observer notes an objective, the facilitator
    ends it. Every action is written at JOURNALED and sent at the second given with it, so the delays are known."""
    db = tmp_path_factory.mktemp("team") / "j.db"
    sent = {"now": _sent(0)}
    with pytest.MonkeyPatch.context() as patch:
        made = start_team(db, patch, speed=60.0)
        host = made.host
        links = {seat.id: made.seat(seat) for seat in (PRESS, CHIEF, OBSERVER, FACILITATOR)}
        try:
            for _ in range(60):  # an hour of drill time
                host.step(1.0)
            for link in links.values():
                link.tick(0.0)
            history = links[PRESS.id].history
            to_press = [e.data["id"] for e in history if e.kind == "inject" and e.data["to"] == "presssekreterare"]
            first, second, third = to_press[:3]
            patch.setattr(relay, "now_iso", lambda *_a: sent["now"])
            patch.setattr(journal, "now_iso", lambda *_a: JOURNALED)

            def act(seat: Seat, second: int, action: Action) -> None:
                sent["now"] = _sent(second)
                links[seat.id].act(action)

            act(PRESS, 0, Action("reply", inject=first, text="Vi återkommer."))
            act(CHIEF, 1, Action("claim", inject=second))
            with pytest.raises(ActionRefused):  # claimed by the chief: refused, never journaled
                act(PRESS, 3, Action("reply", inject=second, text="Jag svarar också."))
            act(PRESS, 2, Action("claim", inject=third))
            act(PRESS, 3, Action("release", inject=third))
            act(CHIEF, 4, Action("reply", inject=second, text="Kommunikationschefen svarar."))
            act(CHIEF, 5, Action("checklist", checklist="forsta-timmen", item="samla"))
            act(PRESS, 6, Action("publish", text="Koka vattnet.", channels=("web",)))
            act(CHIEF, 7, Action("situation_update", text="Läget just nu"))
            act(CHIEF, 8, Action("decision", text="Vi informerar varje halvtimme."))
            act(OBSERVER, 9, Action("observation", text="Lägesbilden kom tidigt.", objective="lagesbild"))
            act(FACILITATOR, 9, Action("end"))
            host.step(0.0)
        finally:
            for link in links.values():
                link.close(interrupted=False)
            host.close(interrupted=False)
    return db, host.live.session_id, {"first": first, "second": second, "third": third}


def report_of(db: Path, session: str) -> Report:
    store = SqliteStore.open(db, write=False)
    try:
        return build_for(store, session)
    finally:
        store.close()


def rendered(db: Path, session: str, fmt: str, tmp_path: Path, lang: str = "sv") -> bytes:
    out = tmp_path / f"r-{lang}.{fmt}"
    assert main(["--lang", lang, "report", session, "--db", str(db), "--format", fmt, "-o", str(out), "--force"]) == 0
    return out.read_bytes()


def test_each_seat_is_counted_with_its_reply_time_and_request_delay(team) -> None:
    set_language("sv")
    db, session, _ = team
    report = report_of(db, session)
    seats = {s.seat: s for s in report.seats}
    assert list(seats) == ["presssekreterare", "kommunikationschef", "facilitator", "observer"]
    press, chief = seats["presssekreterare"], seats["kommunikationschef"]
    assert press.kind == "team" and press.roles == ["Presssekreterare"]
    assert (press.replies, press.publications, press.decisions, press.claims, press.actions) == (1, 1, 0, 1, 4)
    assert (chief.replies, chief.claims, chief.decisions, chief.situation_updates, chief.checklist_ticks) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert chief.roles == ["Kommunikationschef"] and chief.publications == 0
    # sent at :00 :02 :03 :06 and :01 :04 :05 :07 :08, every one journaled at :10
    assert (press.requests, press.delay_median, press.delay_max) == (4, 7.5, 10.0)
    assert (chief.requests, chief.delay_median, chief.delay_max) == (5, 5.0, 9.0)
    assert seats["observer"].observations == 1 and seats["observer"].roles == []
    assert seats["facilitator"].kind == "facilitator" and seats["facilitator"].actions == 1
    replies = {r.replied_seat: r.response for r in report.timeline if r.replied_seat}
    assert press.median_reply == replies["presssekreterare"] and chief.median_reply == replies["kommunikationschef"]
    assert press.median_reply is not None and press.median_reply > 0


def test_the_front_page_names_the_seats_that_took_part(team) -> None:
    set_language("sv")
    db, session, _ = team
    assert report_of(db, session).overview.participants == [
        "presssekreterare: Presssekreterare",
        "kommunikationschef: Kommunikationschef",
        "Övningsledare",
        "Utvärderare",
    ]


def test_every_action_names_its_role_and_seat(team) -> None:
    set_language("sv")
    db, session, injects = team
    report = report_of(db, session)
    answered = {r.inject: (r.replied_role, r.replied_seat) for r in report.timeline}
    assert answered[injects["first"]] == ("Presssekreterare", "presssekreterare")
    assert answered[injects["second"]] == ("Kommunikationschef", "kommunikationschef")  # it claimed it first
    assert answered[injects["third"]] == (None, None)
    assert [(p.role, p.seat) for p in report.publications] == [("Presssekreterare", "presssekreterare")]
    assert [(d.role, d.seat) for d in report.decisions + report.situation] == [
        ("Kommunikationschef", "kommunikationschef")
    ] * 2
    item = next(i for c in report.checklists for i in c.items if i.id == "samla")
    assert (item.ticked_role, item.ticked_seat) == ("Kommunikationschef", "kommunikationschef")
    assert [(o.seat, o.objective) for o in report.observations] == [("observer", "lagesbild")]


def test_claims_are_listed_but_not_counted_as_the_teams_work(team) -> None:
    db, session, injects = team
    report = report_of(db, session)
    assert [(c.kind, c.inject, c.seat) for c in report.claims] == [
        ("claim", injects["second"], "kommunikationschef"),
        ("claim", injects["third"], "presssekreterare"),
        ("release", injects["third"], "presssekreterare"),
    ]
    assert all(c.subject != "–" for c in report.claims)
    # two replies, a publication, a tick, a situation picture, a decision: not the claims, nor the
    # observer's note or the facilitator's end
    assert report.overview.team_actions == 6


def test_an_observation_on_an_objective_is_its_evidence(team) -> None:
    db, session, _ = team
    report = report_of(db, session)
    linked = {o.id: [e.text for e in o.observations] for o in report.objectives}
    assert linked.pop("lagesbild") == ["Lägesbilden kom tidigt."]
    assert all(texts == [] for texts in linked.values())


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_format_names_each_seat(team, tmp_path, lang) -> None:
    db, session, _ = team
    heading, facilitator, observer, evidence = {
        "sv": ("Vem gjorde vad", "Övningsledare", "Utvärderare", "Utvärderarens iakttagelser om målet"),
        "en": ("Who did what", "Facilitator", "Observer", "The evaluator's observations on the objective"),
    }[lang]
    md = rendered(db, session, "md", tmp_path, lang).decode("utf-8")
    assert re.search(rf"^## (Bilaga|Appendix) [A-Z]: {heading}$", md, re.MULTILINE)  # an appendix
    # the counts, then the times: actions, reply time, delay median and longest
    assert "| presssekreterare | Presssekreterare | 1 | 1 | 0 | 0 | 0 | 1 |" in md
    assert "| kommunikationschef | Kommunikationschef | 1 | 0 | 1 | 1 | 1 | 1 |" in md
    set_language(lang)
    press, chief = (minutes(s.median_reply or 0) for s in report_of(db, session).seats[:2])
    half = {"sv": "7,5 s", "en": "7.5 s"}[lang]  # tenths below ten seconds
    assert f"| presssekreterare | 4 | {press} | {half} | 10 s |" in md
    assert f"| kommunikationschef | 5 | {chief} | 5,0 s | 9,0 s |".replace(",", "," if lang == "sv" else ".") in md
    assert f"| {facilitator} |" in md and f"| {observer} |" in md and evidence in md
    assert "Presssekreterare / presssekreterare" in md  # a role over its seat, as one Markdown cell
    html = rendered(db, session, "html", tmp_path, lang).decode("utf-8")
    assert re.search(
        rf'<h2 id="seats"( class="new-page")?>[^<]*: {heading}</h2>', html
    ) and f"<td>{facilitator}</td>" in html.replace(' class=""', "")
    document = docx.Document(io.BytesIO(rendered(db, session, "docx", tmp_path, lang)))
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    seats = next(t for header, t in tables.items() if header[0] in ("Plats", "Seat") and len(header) == 8)
    times = next(t for header, t in tables.items() if header[0] in ("Plats", "Seat") and len(header) == 5)
    assert [r.cells[0].text for r in seats.rows[1:]] == [
        "presssekreterare",
        "kommunikationschef",
        facilitator,
        observer,
    ]
    assert [c.text for c in seats.rows[2].cells[2:]] == ["1", "0", "1", "1", "1", "1"]
    assert [c.text for c in times.rows[1].cells] == ["presssekreterare", "4", press, half, "10 s"]
    data = json.loads(rendered(db, session, "json", tmp_path, lang))
    assert [s["seat"] for s in data["seats"]] == ["presssekreterare", "kommunikationschef", "facilitator", "observer"]
    assert data["seats"][0]["delay_max"] == 10.0 and len(data["claims"]) == 3
    assert Report.model_validate(data).seats[1].delay_median == 5.0


def test_a_delay_under_ten_seconds_is_shown_in_tenths(team, tmp_path) -> None:
    """A request's delay is a fraction of a second on one machine: "0 s" in every row would say nothing."""
    db, session, _ = team
    assert report_of(db, session).seats[0].delay_median == 7.5
    assert "| 7,5 s | 10 s |" in rendered(db, session, "md", tmp_path).decode("utf-8")


def test_a_solo_drill_has_no_seats_and_its_json_no_team_fields() -> None:
    set_language("sv")
    report = golden_report()
    assert report.seats == [] and report.claims == []
    assert "Vem gjorde vad" not in render(report, "md").decode("utf-8")
    data = json.loads(render(report, "json"))
    assert "seats" not in data and "claims" not in data
    assert all("replied_seat" not in row and "replied_role" not in row for row in data["timeline"])
    assert all("observations" not in o for o in data["objectives"])


def test_the_comparison_takes_a_team_drill_beside_a_solo_one(team, tmp_path) -> None:
    db, session, _ = team
    assert main(["report", session, "--db", str(db), "--compare", session, "--format", "json"]) == 0
    comparison = build_comparison([report_of(db, session), golden_report()])
    assert [r.session_id for r in comparison.rows][-1] == session and comparison.rows[-1].posts > 0
    for fmt in ("md", "html", "docx", "json"):
        assert render_comparison(comparison, fmt)


def test_export_carries_seat_send_time_objective_and_claims(team, capsys) -> None:
    db, session, injects = team
    assert main(["--lang", "en", "export", session, "--db", str(db)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    header, actions = lines[0], [e["action"] for e in lines[1:] if e["kind"] == "action"]
    assert header["types"] == {"valid": True, "first_bad": None} and header["integrity"]["state"] == "intact"
    assert {
        "kind": "claim",
        "inject": injects["third"],
        "role": "presssekreterare",
        "seat": "presssekreterare",
    }.items() <= actions[2].items()
    assert actions[2]["sent"] == _sent(2) and actions[3]["kind"] == "release"
    observation = next(a for a in actions if a["kind"] == "observation")
    assert observation["objective"] == "lagesbild" and observation["seat"] == "observer"
    assert all(e["wall_time"] == JOURNALED for e in lines[1:] if e["kind"] == "action")


# --- hostile texts: role names from the scenario, seats from a journal written by hand ---


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _unescape_md(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]<>|~#+\-=.)&])", r"\1", text)


ROLE_NAMES = [s for s in SCENARIO_SAFE if len(s) <= 200][:4]


def hostile_report(lang: str) -> tuple[Report, list[str]]:
    set_language(lang)
    text = SCENARIO.read_text("utf-8")
    for name, hostile in zip(
        ("Kommunikationschef", "Presssekreterare", "Webbredaktör", "Kontaktcenter"), ROLE_NAMES, strict=True
    ):
        text = text.replace(f"    name: {name}\n", f"    name: {json.dumps(hostile, ensure_ascii=False)}\n", 1)
    scenario = load_scenario_bytes(text.encode("utf-8"), "hostile.yaml")
    assert [r.name for r in scenario.roles][:4] == ROLE_NAMES
    drill = Drill(scenario, seed=7)
    drill.advance(3600)
    events = drill.drain()
    injects = [e.data for e in events if e.kind == "inject"]
    seats = list(TYPED)
    roles = [r.id for r in scenario.roles]
    taken = []
    for index, seat in enumerate(seats):
        role = roles[index % len(roles)]
        sent = _sent(index % 60)
        if index < len(injects):
            action = Action("reply", inject=injects[index]["id"], text="svar", role=role, seat=seat, sent=sent)
        else:
            action = Action("decision", text="beslut", role=role, seat=seat, sent=sent)
        taken.append(drill.act(action))
    drill.act(Action("claim", inject=injects[-1]["id"], role=roles[0], seat=seats[0], sent=_sent(1)))
    drill.run_to_end()
    events += drill.drain()
    journaled = {e.seq: JOURNALED for e in events if e.kind == "action"}
    return build_report(scenario, events, ReportMeta("hostile", status="finished", journaled=journaled)), seats


def _lines(strings: list[str]) -> list[str]:
    """What must be read in the report: each line of each string as the report shows it (clean())."""
    return [line.strip() for s in strings for line in clean(s).split("\n") if line.strip()]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_hostile_role_names_and_seats_stay_text_in_every_format(lang) -> None:
    report, seats = hostile_report(lang)
    assert len(report.seats) == len(seats)
    wanted = _lines(ROLE_NAMES + seats)
    md = render(report, "md").decode("utf-8")
    assert not has_raw_control(md) and "<script>" not in md
    plain = _unescape_md(md)
    assert [w for w in wanted if w not in plain] == []
    html = render(report, "html").decode("utf-8")
    assert not has_raw_control(html) and "<script>" not in html and "&lt;script&gt;" in html
    parser = _Text()
    parser.feed(html)
    assert "script" not in parser.tags
    shown = "".join(parser.text).replace("\u200b", "")
    assert [w for w in wanted if w not in shown] == []
    document = docx.Document(io.BytesIO(render(report, "docx")))
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert not has_raw_control(cells)
    assert [w for w in wanted if w not in cells] == []
    data = render(report, "json").decode("utf-8")
    assert Report.model_validate_json(data).seats == report.seats


def test_team_reports_pass_the_w3c_checker(team, tmp_path) -> None:
    from test_report_w3c import check

    db, session, _ = team
    files = [tmp_path / "team.html", tmp_path / "hostile.html"]
    files[0].write_bytes(rendered(db, session, "html", tmp_path))
    files[1].write_bytes(render(hostile_report("sv")[0], "html"))
    assert [f"{m.get('lastLine')}: {m['message']}" for m in check(files) if m["type"] != "info"] == []


def test_a_delay_is_measured_only_between_two_readable_times() -> None:
    set_language("sv")
    scenario = load_scenario(SCENARIO)
    drill = Drill(scenario, seed=7)
    drill.advance(600)
    sent_times = ("inte en tid", "2026-12-06T10:00:00", "2026-12-06T10:00:20+01:00", None, _sent(4), _sent(1))
    for sent in sent_times:
        drill.act(Action("decision", text="x", role="kommunikationschef", seat="kommunikationschef", sent=sent))
    drill.act(Action("decision", text="värdens egen", role="presssekreterare"))  # no seat: taken at the host
    events = drill.drain()
    journaled = {e.seq: JOURNALED for e in events if e.kind == "action"}
    journaled[sorted(journaled)[5]] = "inte heller en tid"  # the one sent at :01
    report = build_report(scenario, events, ReportMeta("x", status="running", journaled=journaled))
    [seat] = report.seats
    # garbage, no time zone, no send time and an unreadable journal time are left out; sent after it was
    # journaled (the clock was set back) is no delay; sent at :04, journaled at :10 is six seconds
    assert (seat.decisions, seat.requests, seat.delay_median, seat.delay_max) == (6, 2, 3.0, 6.0)
    assert [d.seat for d in report.decisions] == ["kommunikationschef"] * 6 + [None]
    md = render(report, "md").decode("utf-8")
    assert "| T+0:10 | Presssekreterare | värdens egen |" in md
    assert "| T+0:10 | Kommunikationschef / kommunikationschef | x |" in md


@pytest.mark.parametrize(
    ("lang", "value", "shown"),
    [("sv", 0.046, "46 ms"), ("sv", 0.9996, "1,0 s"), ("sv", 7.5, "7,5 s"), ("en", 7.5, "7.5 s"), ("en", 42.4, "42 s")],
)
def test_a_delay_is_shown_in_milliseconds_below_a_second(lang, value, shown) -> None:
    from krisovning.report.view_team import seconds

    set_language(lang)
    try:
        assert seconds(value).replace("\xa0", " ").replace("\u202f", " ") == shown
    finally:
        set_language("sv")
