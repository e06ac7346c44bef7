"""409 and 429: countdown toasts, the text kept, and the send held for the end of the wait."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.conftest import EmulatorFactory
from tui.app import TraversalApp
from tui.emulator.server import EmbeddedEmulator
from tui.screens.new_investigation import NewInvestigationScreen
from tui.widgets.countdown import CountdownRack

from .conftest import AppFactory, FakeClock, wait_until
from .helpers import create, create_finished, finish, follow_up, open_listed, stats


async def _open_idle(pilot: Pilot[None], app: TraversalApp, session_id: str) -> None:
    await open_listed(pilot, app, session_id)
    await wait_until(
        pilot,
        lambda: app.detail.session is not None and app.detail.follow_up.lock_reason is None,
        what="an idle session with an open box",
    )


def _toast_texts(app: TraversalApp) -> list[str]:
    return [str(toast.render()) for toast in app.query_one(CountdownRack).toasts]


async def test_409_counts_down_keeps_the_text_and_sends_when_asked(
    emulator: EmbeddedEmulator, make_app: AppFactory, clock: FakeClock
) -> None:
    session = create_finished(emulator, "checkout-api 500s after deploy")
    app = make_app(emulator, poll_interval=120)  # the app will not notice the change by itself
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open_idle(pilot, app, session["id"])
        follow_up(emulator, session["id"], "someone else asks first")  # now busy
        box = app.detail.follow_up
        await pilot.press("f", *"should we roll back?")
        await pilot.press("ctrl+s")
        rack = app.query_one(CountdownRack)
        await wait_until(pilot, lambda: len(rack.toasts) == 1, what="the countdown toast")
        wait = rack.toasts[0].remaining
        assert wait >= 1
        assert "409" in _toast_texts(app)[0]
        assert f"Retry in {wait} second" in _toast_texts(app)[0]
        assert box.text == "should we roll back?"
        clock.advance(1)
        rack.tick()
        await pilot.pause()
        if wait > 1:
            assert f"Retry in {wait - 1} second" in _toast_texts(app)[0]
        # Ask for it to go by itself; let the other follow-up finish; end the wait.
        await pilot.press("ctrl+s")
        assert "by itself" in str(app.detail.follow_up.note)
        finish(emulator, session["id"])
        posts_before = stats(emulator).get("POST /v1/sessions/{session_id}/messages", 0)
        clock.advance(wait)
        rack.tick()
        await wait_until(
            pilot,
            lambda: (
                stats(emulator).get("POST /v1/sessions/{session_id}/messages", 0) > posts_before
            ),
            what="the held follow-up to be sent",
        )
        await wait_until(pilot, lambda: not rack.toasts, what="the toast to go")
        await wait_until(pilot, lambda: box.text == "", what="the box to empty after the 202")


async def test_429_on_a_follow_up_keeps_the_text(
    emulator_factory: EmulatorFactory, make_app: AppFactory
) -> None:
    emulator = emulator_factory(max_running=1)
    idle = create_finished(emulator, "payments-db pool exhausted")
    create(emulator, "another investigation takes the only slot")
    app = make_app(emulator, poll_interval=120)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open_idle(pilot, app, idle["id"])
        await pilot.press("f", *"was the pool exhausted?", "enter")
        rack = app.query_one(CountdownRack)
        await wait_until(pilot, lambda: len(rack.toasts) == 1, what="the 429 toast")
        assert "429" in _toast_texts(app)[0]
        assert app.detail.follow_up.text == "was the pool exhausted?"
        assert app.detail.follow_up.input.has_focus


async def test_429_on_a_new_investigation_keeps_the_form_and_several_toasts_stack(
    emulator_factory: EmulatorFactory, make_app: AppFactory, clock: FakeClock
) -> None:
    emulator = emulator_factory(max_running=1)
    create(emulator, "the only slot is taken")
    app = make_app(emulator, poll_interval=120)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("n", *"search-api 503s since 09:10")
        await pilot.press("ctrl+s")
        rack = app.query_one(CountdownRack)
        await wait_until(pilot, lambda: len(rack.toasts) == 1, what="the 429 toast")
        assert isinstance(app.screen, NewInvestigationScreen)
        assert app.screen.draft.description == "search-api 503s since 09:10"
        # Submitting again while waiting asks for it to start by itself at the end.
        await pilot.press("ctrl+s")
        status = str(app.screen.query_one("#form-status").render())
        assert "by itself" in status
        creates = stats(emulator).get("POST /v1/sessions", 0)
        clock.advance(rack.toasts[0].remaining)
        rack.tick()
        await wait_until(
            pilot,
            lambda: stats(emulator).get("POST /v1/sessions", 0) > creates,
            what="the automatic resubmission",
        )
        # Still at the limit: a new countdown replaces the old one (same purpose).
        await wait_until(pilot, lambda: len(rack.toasts) == 1)
        assert app.screen.draft.description == "search-api 503s since 09:10"
