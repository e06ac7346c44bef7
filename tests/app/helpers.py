"""Direct calls to the emulator, as another responder or a test would make them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from textual.pilot import Pilot

from tests.conftest import ADMIN_KEY
from tests.waiting import wait_until
from tui.app import TraversalApp
from tui.emulator.server import EmbeddedEmulator
from tui.widgets.session_list import row_ids


def api(emulator: EmbeddedEmulator, key: str = ADMIN_KEY) -> httpx.Client:
    return httpx.Client(
        base_url=emulator.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=10
    )


def create(
    emulator: EmbeddedEmulator, text: str, key: str = ADMIN_KEY, **extra: object
) -> dict[str, Any]:
    """Start an investigation over HTTP; returns the created session."""
    with api(emulator, key) as http:
        reply = http.post(
            "/v1/sessions", json={"input": text, "idempotency_key": str(uuid.uuid4()), **extra}
        )
    assert reply.status_code == 201, reply.text
    body: dict[str, Any] = reply.json()
    return body


def get(emulator: EmbeddedEmulator, session_id: str) -> dict[str, Any]:
    with api(emulator) as http:
        reply = http.get(f"/v1/sessions/{session_id}")
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def follow_up(emulator: EmbeddedEmulator, session_id: str, text: str) -> None:
    with api(emulator) as http:
        reply = http.post(f"/v1/sessions/{session_id}/messages", json={"input": text})
    assert reply.status_code == 202, reply.text


def advance(emulator: EmbeddedEmulator, seconds: float) -> None:
    with api(emulator) as http:
        assert http.post("/_emulator/advance", json={"seconds": seconds}).status_code == 200


def finish(emulator: EmbeddedEmulator, session_id: str) -> dict[str, Any]:
    """Move the clock until the session is idle (or failed); returns it."""
    for _ in range(40):
        session = get(emulator, session_id)
        if session["status"] in ("idle", "failed"):
            return session
        advance(emulator, 30)
    raise AssertionError(f"session {session_id} never finished")


def create_finished(emulator: EmbeddedEmulator, text: str) -> dict[str, Any]:
    """A quick ("fast") investigation, run to its end; returns the finished session."""
    return finish(emulator, create(emulator, text, thinking_mode="fast")["id"])


async def open_listed(pilot: Pilot[Any], app: TraversalApp, session_id: str) -> None:
    """Wait for the row, open it, and wait for its conversation."""
    await wait_until(pilot, lambda: session_id in app.list_pane.sessions, what="the row")
    app.list_pane.select(session_id)
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: app.detail.session is not None and app.detail.session.messages is not None,
        what="the conversation",
    )


def stats(emulator: EmbeddedEmulator) -> dict[str, int]:
    with api(emulator) as http:
        body: dict[str, int] = http.get("/_emulator/stats").json()
    return body


def rows(app: TraversalApp) -> list[str]:
    return row_ids(app.list_pane.table)


def row_text(app: TraversalApp, session_id: str) -> str:
    return " ".join(str(cell) for cell in app.list_pane.table.get_row(session_id))
