"""The other keys: watch, unwatch, filter, export, copy, help, palette, drafts, stale results."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from tests.conftest import EmulatorFactory
from tui.core.store import Store
from tui.emulator.server import EmbeddedEmulator
from tui.screens.dialogs import ConfirmScreen, HelpScreen, WatchSessionScreen

from .conftest import AppFactory, wait_until
from .helpers import create, create_finished, open_listed, rows, stats


async def test_watch_by_id_and_unwatch_after_confirming(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    from tests.conftest import MEMBER_KEY

    session = create(emulator, "someone else's incident on cart-api")
    app = make_app(emulator, key=MEMBER_KEY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.workspace.can_list is False)
        await pilot.press("a")
        assert isinstance(app.screen, WatchSessionScreen)
        await pilot.press(*"not-an-id", "enter")
        assert isinstance(app.screen, WatchSessionScreen)  # refused with a message
        app.screen.query_one(Input).value = f"https://app.traversal.com/s/{session['id']}"
        await pilot.press("enter")
        await wait_until(pilot, lambda: rows(app) == [session["id"]], what="the watched row")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # changed my mind
        assert rows(app) == [session["id"]]
        await pilot.press("d", "y")
        await wait_until(pilot, lambda: rows(app) == [])
        assert app.workspace.store.tracked(app.workspace.profile) == []


async def test_unwatched_session_stays_hidden_from_the_admin_list(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    keep = create(emulator, "keep me")
    hide = create(emulator, "hide me")
    app = make_app(emulator, poll_interval=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 2)
        app.list_pane.select(hide["id"])
        await pilot.press("d", "y")
        calls = stats(emulator)["GET /v1/sessions"]
        await wait_until(pilot, lambda: stats(emulator)["GET /v1/sessions"] >= calls + 2)
        assert rows(app) == [keep["id"]]


async def test_unknown_id_is_reported(emulator: EmbeddedEmulator, make_app: AppFactory) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("a", *"00000000-0000-4000-8000-000000000000", "enter")
        await wait_until(
            pilot, lambda: any("No session with that id" in n.message for n in app._notifications)
        )


async def test_filter_narrows_and_escape_clears(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    create(emulator, "payments-db pool exhausted")
    cart = create(emulator, "cart-api TLS handshake failures")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 2)
        await pilot.press("slash", *"cart tls")
        assert rows(app) == [cart["id"]]
        await pilot.press("escape")
        assert len(rows(app)) == 2


async def test_export_and_copy_the_open_session(
    emulator: EmbeddedEmulator, make_app: AppFactory, tmp_path: Path
) -> None:
    session = create_finished(emulator, "orders-api OOMKilled since 03:00")
    app = make_app(emulator, export_dir=tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_listed(pilot, app, session["id"])
        await wait_until(
            pilot,
            lambda: app.detail.session is not None and app.detail.session.messages is not None,
        )
        await pilot.press("e")
        await pilot.press("c")
        copied = app.clipboard
    files = sorted(str(path) for path in tmp_path.iterdir() if path.suffix == ".md")
    assert len(files) == 1
    text = Path(files[0]).read_text()
    assert "orders-api OOMKilled since 03:00" in text
    assert "trv_ak" not in text
    if session["status"] == "idle":
        answer = session["messages"][-1]["markdown_content"]
        assert answer in text
        assert copied == answer


async def test_help_lists_every_key_and_palette_offers_actions(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        for key in ("n ", "s ", "a ", "d ", "f ", "r ", "e ", "c ", "x ", "q ", "ctrl+s"):
            assert key in keys, key
        await pilot.press("escape")
        assert len(app.screen_stack) == 1
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("New", "Refresh", "Export", "Copy", "Re-run", "Watch id", "Help"):
            assert title in titles
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)


async def test_unsent_follow_up_survives_a_restart(
    emulator: EmbeddedEmulator, make_app: AppFactory, tmp_path: Path
) -> None:
    session = create_finished(emulator, "queue backlog on billing-worker")
    path = tmp_path / "state.sqlite3"
    for attempt in ("type", "read"):
        store = Store(path)
        app = make_app(emulator, store=store)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: rows(app) == [session["id"]])  # noqa: B023
            await pilot.press("enter")
            box = app.detail.follow_up
            await wait_until(pilot, lambda: box.lock_reason is None)  # noqa: B023
            if attempt == "type":
                await pilot.press("f", *"did the consumer lag")
            else:
                assert box.text == "did the consumer lag"


async def test_a_result_for_a_session_no_longer_open_is_dropped(
    emulator_factory: EmulatorFactory, make_app: AppFactory
) -> None:
    emulator = emulator_factory(faults="latency=0.4,only=get")
    first = create(emulator, "first incident")
    second = create(emulator, "second incident")
    app = make_app(emulator, poll_interval=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 2, seconds=15)
        app.open_session(first["id"])
        app.open_session(second["id"])
        await wait_until(
            pilot,
            lambda: app.detail.session is not None and app.detail.session.messages is not None,
            seconds=15,
        )
        await pilot.pause(0.6)  # let any late reply for the first one arrive
        assert app.detail.session_id == second["id"]
        assert app.detail.session is not None and app.detail.session.id == second["id"]


async def test_f_on_a_row_opens_it_and_goes_to_its_box(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    session = create_finished(emulator, "orders-api slow")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: rows(app) == [session["id"]])
        await pilot.press("f")
        assert app.detail.session_id == session["id"]
        assert app.detail.follow_up.input.has_focus


async def test_filter_typed_in_one_burst_lands_in_the_filter(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    create(emulator, "payments-db pool exhausted")
    cart = create(emulator, "cart-api TLS handshake failures")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 2)
        for key in ("slash", *"cart"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await wait_until(pilot, lambda: rows(app) == [cart["id"]], what="the filtered list")
        assert app.list_pane.filter_text == "cart"


async def test_slash_and_f_type_themselves_where_text_is_typed(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    session = create_finished(emulator, "orders-api slow")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: rows(app) == [session["id"]])
        await pilot.press("f")
        await wait_until(pilot, lambda: app.detail.follow_up.lock_reason is None)
        await pilot.press(*"a/b f")
        assert app.detail.follow_up.text == "a/b f"
        await pilot.press("escape", "n", "slash", "f")
        assert app.screen.query_one("#form-description", TextArea).text == "/f"


async def test_slash_in_the_answer_finds_in_the_answer(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    session = create_finished(emulator, "orders-api slow")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_listed(pilot, app, session["id"])
        view = app.detail.conversation
        await wait_until(pilot, lambda: view.rendered_key == session["id"])
        view.focus()
        await pilot.press("slash", *"orders")
        assert app.list_pane.filter_text == ""  # the list's filter stayed shut
        assert isinstance(app.focused, Input) and app.focused.value == "orders"
        assert view in app.focused.ancestors
