"""The vendor's documented usage works against the emulator unchanged.

Plain HTTP and a bearer key, as the vendor's own example does it: create a
session, poll ``GET /v1/sessions/{id}`` every 5 seconds until it is ``idle``
or ``failed``, read the answer; then a follow-up, polled the same way. The
emulator runs 200 times faster than real time, so 5 emulated seconds between
polls are 25 ms.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.conftest import ADMIN_KEY, EmulatorFactory

TIME_SCALE = 200
POLL_EVERY = 5  # seconds, as in the vendor's example
#: The request body of the spec's own example.
EXAMPLE = {
    "input": (
        "Our checkout service started returning 500 errors at 2024-03-15T14:30:00Z. "
        "Error rate jumped from 0.1% to 15%."
    ),
    "title": "Elevated error rate in checkout service",
    "time": "2024-03-15T14:30:00Z",
    "idempotency_key": "pagerduty-incident-P12345",
}
FOLLOW_UP = "Can you check if the database connection pool was exhausted during the incident?"


def wait_until_done(http: httpx.Client, session_id: str) -> tuple[dict[str, Any], int]:
    """Poll until idle or failed; the session and how many polls it took."""
    polls = 0
    deadline = time.monotonic() + 30
    while True:
        response = http.get(f"/v1/sessions/{session_id}")
        response.raise_for_status()
        session: dict[str, Any] = response.json()
        polls += 1
        if session["status"] in ("idle", "failed"):
            return session, polls
        assert time.monotonic() < deadline, f"still {session['status']} after 30 s"
        time.sleep(POLL_EVERY / TIME_SCALE)


def test_create_poll_read_and_follow_up_as_the_vendor_shows(
    emulator_factory: EmulatorFactory,
) -> None:
    emulator = emulator_factory(time_scale=TIME_SCALE)
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    with httpx.Client(base_url=emulator.base_url, headers=headers, timeout=10) as http:
        created = http.post("/v1/sessions", json=EXAMPLE)
        assert created.status_code == 201, created.text
        session_id = created.json()["id"]
        assert created.json()["status"] == "running"

        # A retry of the same event (same idempotency key) returns the same session.
        retried = http.post("/v1/sessions", json=EXAMPLE)
        assert (retried.status_code, retried.json()["id"]) == (200, session_id)

        session, polls = wait_until_done(http, session_id)
        assert session["status"] == "idle", "the seeded investigation succeeds"
        assert polls > 1  # an investigation takes tens of seconds at least
        answer = session["messages"][-1]
        assert answer["role"] == "assistant"
        assert answer["markdown_content"].startswith("## Investigation Summary")

        accepted = http.post(f"/v1/sessions/{session_id}/messages", json={"input": FOLLOW_UP})
        assert accepted.status_code == 202, accepted.text
        reply_id = accepted.json()["assistant_message_id"]
        assert accepted.json()["status"] == "follow_up_running"

        session, _ = wait_until_done(http, session_id)
        assert session["status"] == "idle", "the seeded follow-up succeeds"
        messages = session["messages"]
        assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
        assert [messages[0]["markdown_content"], messages[2]["markdown_content"]] == [
            EXAMPLE["input"],
            FOLLOW_UP,
        ]
        reply = messages[-1]
        assert (reply["id"], reply["role"]) == (reply_id, "assistant")
        assert "pool" in reply["markdown_content"].lower()
