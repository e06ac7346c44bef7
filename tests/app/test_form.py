"""The new-investigation form: fields, time echo, idempotency, re-run."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from tests.conftest import EmulatorFactory
from tui.app import TraversalApp
from tui.emulator.server import EmbeddedEmulator
from tui.screens.new_investigation import NewInvestigationScreen

from .conftest import AppFactory, wait_until
from .helpers import create_finished, get, stats


async def test_n_opens_the_form_with_the_cursor_in_the_description(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NewInvestigationScreen)
        assert app.focused is app.screen.query_one("#form-description", TextArea)


async def test_time_is_shown_back_in_utc_and_bad_times_are_explained(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        form.query_one("#form-time", Input).value = "2024-03-15T14:30:00+02:00"
        await pilot.pause()
        echo = str(form.query_one("#form-time-echo").render())
        assert "2024-03-15 12:30:00 UTC" in echo
        form.query_one("#form-time", Input).value = "yesterday-ish"
        await pilot.pause()
        assert "Use 'now'" in str(form.query_one("#form-time-echo").render())
        form.query_one("#form-description", TextArea).text = "x"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, NewInvestigationScreen)  # refused, still open
        assert "Use 'now'" in str(form.query_one("#form-status").render())


async def test_submit_creates_selects_and_tracks_with_every_field(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"inventory-api 503s since the deploy")
        form = app.screen
        form.query_one("#form-title", Input).value = "Inventory 503s"
        form.query_one("#form-time", Input).value = "2026-01-10 08:15Z"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, NewInvestigationScreen))
        session_id = app.detail.session_id
        assert session_id is not None
        assert app.list_pane.highlighted_id == session_id
        tracked = app.workspace.store.tracked(app.workspace.profile)
        assert [t.session_id for t in tracked] == [session_id]
        assert [t.origin for t in tracked] == ["created"]
        assert get(emulator, session_id)["title"] == "Inventory 503s"


async def test_empty_description_is_refused_without_a_request(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "ctrl+s")
        assert isinstance(app.screen, NewInvestigationScreen)
        assert "Describe the incident" in str(app.screen.query_one("#form-status").render())
    assert stats(emulator).get("POST /v1/sessions", 0) == 0


async def test_escape_keeps_what_was_typed_for_next_time(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"half-typed incident", "escape")
        assert not isinstance(app.screen, NewInvestigationScreen)
        await pilot.press("n")
        assert app.screen.query_one("#form-description", TextArea).text == "half-typed incident"
    assert stats(emulator).get("POST /v1/sessions", 0) == 0


async def test_same_reference_from_two_dashboards_lands_on_one_session(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    opened: list[str | None] = []
    for responder in ("first", "second"):
        app = make_app(emulator, profile=responder)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.press("n", *f"{responder} responder: checkout down")
            app.screen.query_one("#form-reference", Input).value = "PD-Q1W2E3"
            await pilot.press("ctrl+s")
            detail = app.detail
            await wait_until(pilot, lambda: detail.session_id is not None)  # noqa: B023
            opened.append(detail.session_id)
    assert opened[0] == opened[1]
    assert stats(emulator)["POST /v1/sessions"] == 2


async def test_rerun_opens_the_form_prefilled(
    emulator_factory: EmulatorFactory, make_app: AppFactory
) -> None:
    emulator = emulator_factory(preload=8, random_seed="app-tests")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 8)
        failed = next(s for s in app.list_pane.sessions.values() if s.status == "failed")
        app.list_pane.select(failed.id)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.detail.session is not None)
        assert "failed" in str(app.detail.follow_up.lock_reason)
        await pilot.press("x")
        assert isinstance(app.screen, NewInvestigationScreen)
        description = app.screen.query_one("#form-description", TextArea).text
        assert description == failed.input


async def test_rerun_of_a_healthy_session_is_refused(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    create_finished(emulator, "fine one")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 1)
        await pilot.press("x")
        assert not isinstance(app.screen, NewInvestigationScreen)
        assert any("failed investigation" in n.message for n in app._notifications)


def _burst(app: TraversalApp, text: str, then: str) -> None:
    """Queue keys the way a fast typist or a terminal paste delivers them: all at once."""
    for character in text:
        app.post_message(events.Key(character, character))
    app.post_message(events.Key(then, None))


async def test_submit_right_after_a_burst_of_typing_sends_every_character(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    text = "inventory-api 503s since the 14:05 deploy"
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        _burst(app, text, "ctrl+s")
        await wait_until(pilot, lambda: app.detail.session_id is not None, what="the creation")
        assert app.detail.session_id is not None
        assert get(emulator, app.detail.session_id)["input"] == text


async def test_follow_up_right_after_a_burst_of_typing_sends_every_character(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    session = create_finished(emulator, "checkout 500s")
    text = "did the pool saturate before the deploy"
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.detail.follow_up.lock_reason is None)
        await pilot.press("f")
        _burst(app, text, "ctrl+s")
        await wait_until(
            pilot, lambda: len(get(emulator, session["id"])["messages"]) > 2, what="the follow-up"
        )
    messages = get(emulator, session["id"])["messages"]
    assert [m["markdown_content"] for m in messages if m["role"] == "user"][-1] == text


async def test_tab_moves_field_by_field_even_in_a_burst(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        for character in "cart-api 503s":
            app.post_message(events.Key(character, character))
        for key, text in (("tab", "Cart 503s"), ("tab", "15m ago"), ("tab", "PD-Q1W2E3")):
            app.post_message(events.Key(key, None))
            for character in text:
                app.post_message(events.Key(character, character))
        await wait_until(
            pilot,
            lambda: app.screen.query_one("#form-reference", Input).value == "PD-Q1W2E3",
            what="the reference",
        )
        draft = app.screen.draft  # type: ignore[attr-defined]
        assert (draft.description, draft.title, draft.time) == (
            "cart-api 503s",
            "Cart 503s",
            "15m ago",
        )


async def test_n_pressed_twice_in_a_burst_opens_one_form(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        app.post_message(events.Key("n", "n"))
        app.post_message(events.Key("n", "n"))
        await wait_until(pilot, lambda: isinstance(app.screen, NewInvestigationScreen))
        await pilot.pause()
        forms = [s for s in app.screen_stack if isinstance(s, NewInvestigationScreen)]
        assert len(forms) == 1
