"""Deterministic scenes of the dashboard, for snapshot tests and the screenshots script.

The emulator's clock starts at a fixed instant with a fixed seed, and the app
reads a fixed wall clock, so the same scene renders the same screen every run.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from textual.pilot import Pilot

from tests.waiting import wait_until
from tui.api.client import TraversalClient
from tui.app import AppOptions, TraversalApp
from tui.core.store import Store
from tui.emulator.server import EmbeddedEmulator, EmulatorOptions
from tui.widgets.countdown import CountdownSpec
from tui.widgets.session_list import row_ids
from tui.workspace import Workspace

ORIGIN = datetime(2026, 3, 15, 14, 30, tzinfo=UTC)
SIZE = (120, 40)


class FrozenClock:
    """The countdowns' clock, standing still so a toast reads the same in every run."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def scene_emulator() -> EmbeddedEmulator:
    emulator = EmbeddedEmulator(
        EmulatorOptions(port=0, preload=10, random_seed="screens", origin=ORIGIN)
    )
    return emulator.start()


def scene_app(emulator: EmbeddedEmulator) -> TraversalApp:
    client = TraversalClient(emulator.base_url, "trv_ak_demo_admin")
    return TraversalApp(
        Workspace(client, Store.in_memory(), "demo"),
        AppOptions(
            endpoint_label="demo · embedded emulator on 127.0.0.1",
            demo=True,
            poll_interval=3600,
            wall_clock=lambda: ORIGIN,
        ),
        clock=FrozenClock(),
    )


async def steady(pilot: Pilot[Any], *, seconds: float = 10.0) -> None:
    """Wait until two frames 0.2 s apart are the same (layout and re-renders done)."""
    for widget in pilot.app.screen.query("TextArea, Input"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    previous = ""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await pilot.pause(0.2)
        frame = pilot.app.export_screenshot()
        if frame == previous:
            return
        previous = frame
    raise AssertionError("the screen never stopped changing")


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the first poll to fill the list."""
    app = pilot.app
    assert isinstance(app, TraversalApp)
    await wait_until(pilot, lambda: app.list_pane.table.row_count == 10, what="the list")
    await steady(pilot)


async def open_findings(pilot: Pilot[Any]) -> None:
    """The main screen: an idle investigation with a follow-up exchange, open."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, TraversalApp)
    sessions = app.list_pane.sessions
    chosen = next(sid for sid in row_ids(app.list_pane.table) if sessions[sid].status == "idle")
    app.list_pane.select(chosen)
    await pilot.press("enter")
    view = app.detail.conversation
    await wait_until(
        pilot, lambda: view.rendered_key == chosen and not view.is_rendering, what="the findings"
    )
    # Start from the top of the conversation: the same picture whatever the opening scroll.
    view.focus()
    await pilot.press("home")
    app.list_pane.table.focus()
    await steady(pilot)


async def new_investigation_form(pilot: Pilot[Any]) -> None:
    """The form, filled in, with the time shown back in UTC."""
    await settle(pilot)
    await pilot.press("n")
    await pilot.press(*"checkout-api 500s since the 14:05 deploy of v2.31.1; error rate 12%")
    screen = pilot.app.screen
    from textual.widgets import Input

    screen.query_one("#form-title", Input).value = "Checkout 500s after deploy"
    screen.query_one("#form-time", Input).value = "2026-03-15 14:05Z"
    screen.query_one("#form-reference", Input).value = "PD-P8Q2R1"
    await steady(pilot)


async def countdowns(pilot: Pilot[Any]) -> None:
    """A 409 and a 429 counting down over an open session, the question kept."""
    await open_findings(pilot)
    app = pilot.app
    assert isinstance(app, TraversalApp)
    await pilot.press("f", *"Did the connection pool saturate before the deploy?")
    app.countdowns.start(
        CountdownSpec(
            title="Session busy (409): not sent",
            message="Session is busy answering a follow-up. Your question is kept in the box.",
            seconds=12,
            purpose="follow-up:scene",
        )
    )
    app.countdowns.start(
        CountdownSpec(
            title="At the limit of running investigations (429)",
            message="The organisation has 5 investigations running. Your form is kept as typed.",
            seconds=30,
            purpose="create",
        )
    )
    await steady(pilot)
