"""A host and its seats in one test process: the host steps when a seat waits for its answer
(as the host's own process would take its turn), so no test sleeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from krisovning.scenario import load_scenario, load_scenario_bytes
from krisovning.session import follower
from krisovning.session.follower import SeatLink
from krisovning.session.host import HostDrill
from krisovning.session.seats import Seat

SCENARIO = Path(__file__).parents[1] / "scenarios" / "dricksvatten.yaml"
PRESS = Seat.team(["presssekreterare"])
CHIEF = Seat.team(["kommunikationschef"])


class Team:
    """A host and the seats opened on it; `run` moves the drill on and lets every seat (or seat app) see it."""

    def __init__(self, db: Path, host: HostDrill) -> None:
        self.db, self.host = db, host
        self.links: list[SeatLink] = []

    def seat(self, which: Seat) -> SeatLink:
        link = SeatLink.open(self.db, self.host.live.session_id, which)
        self.links.append(link)
        return link

    def run(self, seconds: float, *seats) -> None:
        """(A seat that has not heard from the host for 3 s of wall time takes it for gone: tests run this
        before anything is sent.) `seats` are SeatLinks (ticked) or seat apps (stepped)."""
        for _ in range(int(seconds)):
            self.host.step(1.0)
        self.host.step(0.0)
        for seat in seats:
            link = seat if isinstance(seat, SeatLink) else seat.live
            if isinstance(link, SeatLink):
                link.news(10.0)  # on PostgreSQL a seat reads when the host's NOTIFY has reached it
            if isinstance(seat, SeatLink):
                seat.tick(0.0)
            else:
                seat.step(0.0)

    def close(self) -> None:
        for link in self.links:
            link.close(interrupted=False)
        self.host.close(interrupted=True)


def start_team(
    db: Path | str, patch: pytest.MonkeyPatch, text: str | None = None, *, speed: float | None = None
) -> Team:
    """A new team drill of the reference scenario (or of `text`), seed 7, in Swedish."""
    if text is None:
        scenario = load_scenario(SCENARIO)
        text = SCENARIO.read_text("utf-8")
    else:
        scenario = load_scenario_bytes(text.encode(), "hostile.yaml")
    host = HostDrill.start(db, scenario, text, str(SCENARIO), 7, "sv")
    if speed is not None:
        host.live.speed = speed
    patch.setattr(follower.time, "sleep", lambda _s: host.step(0.0))
    # a loaded test machine can leave the host unstepped for seconds: a minute is "gone" here (the tests of
    # a lost host make the heartbeat an hour old)
    patch.setattr(follower, "STALE", 60.0)
    return Team(db, host)
