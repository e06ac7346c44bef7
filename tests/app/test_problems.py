"""Failures explained on screen in plain words, and hostile server text shown as text."""

from __future__ import annotations

import socket

from textual.widgets import Static

from tests.conftest import DISABLED_KEY, EmulatorFactory
from tui.api.client import TraversalClient
from tui.app import AppOptions, TraversalApp
from tui.core.store import Store
from tui.emulator.server import EmbeddedEmulator
from tui.workspace import Workspace

from .conftest import AppFactory, wait_until
from .helpers import create, create_finished, finish, follow_up, open_listed, stats


def _problem(app: TraversalApp) -> str:
    bar = app.query_one("#problem", Static)
    return str(bar.render()) if bar.display else ""


async def test_unknown_key_is_explained(emulator: EmbeddedEmulator, make_app: AppFactory) -> None:
    app = make_app(emulator, key="trv_ak_not_a_real_key")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "401" in _problem(app), what="the 401 explanation")
        assert "not accepted" in _problem(app)
        assert "Could not load" in str(app.query_one("#list-empty").render())
        assert "trv_ak_not_a_real_key" not in _problem(app)


async def test_org_without_access_is_explained(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator, key=DISABLED_KEY, poll_interval=0.2)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: "403" in _problem(app), what="the 403 explanation")
        assert "not enabled" in _problem(app)
        lists = stats(emulator)["GET /v1/sessions"]
        await wait_until(pilot, lambda: stats(emulator)["GET /v1/sessions"] >= lists + 2)
        assert "403" in _problem(app)  # still said, poll after poll
        assert app.workspace.can_list is not False  # not mistaken for a member key
        assert not any("member" in n.message for n in app._notifications)


async def test_unreachable_server_is_explained_and_recovers(
    emulator_factory: EmulatorFactory, make_app: AppFactory
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = Store.in_memory()
    client = TraversalClient(f"http://127.0.0.1:{port}", "trv_ak_demo_admin", timeout=2)
    app = TraversalApp(Workspace(client, store, "p"), AppOptions("nowhere", poll_interval=0.2))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "Cannot reach" in _problem(app), seconds=15)
        assert "Retrying in" in _problem(app)
    store.close()


async def test_server_text_is_never_markup_or_terminal_control(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    hostile_title = (
        "[@click=app.quit]Click[/] [bold red]me\nline two\ttab"
        "\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202eevil"
    )
    session = create(
        emulator,
        "[link=https://evil.example]x[/link] \x1b]0;pwned\x07 input",
        title=hostile_title,
        thinking_mode="fast",
    )
    finish(emulator, session["id"])
    app = make_app(emulator)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_listed(pilot, app, session["id"])
        await wait_until(pilot, lambda: app.detail.session is not None)
        shown = app.detail.session
        assert shown is not None
        assert "\x1b" not in shown.display_title
        assert "[@click=app.quit]Click[/]" in shown.display_title  # literal text, not an action
        header = " ".join(
            str(line.render()) for line in app.query("#detail-header Static").results()
        )
        assert "[@click=app.quit]Click[/]" in header
        assert "⟪U+202E⟫" in header
        assert "\n" not in str(app.query_one("#detail-title").render())
        title_cell = str(app.list_pane.table.get_row(session["id"])[2])
        assert title_cell.startswith("[@click=app.quit]")
        await pilot.click("#detail-title")
        assert app.is_running


async def test_a_session_that_failed_explains_itself_in_the_box(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    session = create_finished(emulator, "checkout 500s")
    follow_up(emulator, session["id"], "busy now")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_listed(pilot, app, session["id"])
        await wait_until(pilot, lambda: app.detail.follow_up.lock_reason is not None)
        assert "answering the last follow-up" in str(app.detail.follow_up.lock_reason)
