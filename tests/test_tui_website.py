"""The "Webbplats" tab (issue #16 point 7): the public publications as the crisis page shows them."""

from __future__ import annotations

from hostile import SCENARIO_SAFE, TYPED, has_raw_control

from krisovning.textsafe import visible
from krisovning.tui.app import make_app
from krisovning.tui.website import notices
from tests.test_tui_app import MIN, advance_to, start, until


def page(app) -> str:
    return str(app.query_one("#website-page").content)


async def test_the_page_shows_public_notices_newest_first_with_updates_marked(tmp_path):
    live = start(tmp_path)
    app = make_app(live, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+g")
        await until(pilot, lambda: app.query_one("#tabs").active == "tab-website")
        assert "Inget publicerat" in page(app)
        advance_to(app, 5 * MIN)
        app.act("publish", channels=["web"], text="Strömavbrott i Sjöstad")
        advance_to(app, 12 * MIN)
        app.act("publish", channels=["sms"], text="Sms till drabbade")
        app.act("publish", channels=["intranet"], text="Bara till personalen")
        advance_to(app, 20 * MIN)
        app.act("publish", channels=["web", "social"], text="Strömmen tillbaka i norra Sjöstad")
        await until(pilot, lambda: "tillbaka" in page(app))
        text = page(app)
        assert "personalen" not in text  # the intranet is not the public's
        newest, sms, first = (text.index(s) for s in ("tillbaka", "Sms till", "Strömavbrott i"))
        assert newest < sms < first
        assert "08:20 (T+0:20:00) · Uppdatering 1" in text and "08:05 (T+0:05:00) · Publicerad" in text
        assert "Senast uppdaterad 08:20" in text
    shown = notices(app.view.publications)
    assert [(n.on_web, n.update) for n in shown] == [(True, 1), (False, 0), (True, 0)]


async def test_hostile_published_text_is_literal_on_the_page(tmp_path):
    app = make_app(start(tmp_path), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        advance_to(app, 1 * MIN)
        taken = [h for h in [*SCENARIO_SAFE, *TYPED] if h.strip() and app.act("publish", channels=["web"], text=h)]
        assert len(taken) >= len(SCENARIO_SAFE) // 2
        await pilot.pause()
        text = page(app)
        assert not has_raw_control(text)
        assert all(visible(h.strip()) in text for h in taken)
