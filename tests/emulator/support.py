"""A small client for driving an emulator over HTTP in tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from tui.emulator.engine import FOLLOW_UP_SECONDS, INVESTIGATION_SECONDS, TIMEOUT_SECONDS
from tui.emulator.keys import DEMO_ADMIN_KEY
from tui.emulator.server import EmbeddedEmulator

#: Advancing the clock this far settles every investigation (or follow-up) that does not hang.
LONGEST_INVESTIGATION = max(high for _, high in INVESTIGATION_SECONDS.values()) + 1
LONGEST_FOLLOW_UP = max(high for _, high in FOLLOW_UP_SECONDS.values()) + 1
PAST_TIMEOUT = TIMEOUT_SECONDS + 1

INCIDENT = (
    "checkout-service started returning 500 errors at 2024-03-15T14:30:00Z after the "
    "v2.14.3 deploy. Error rate on /api/v1/checkout jumped from 0.1% to 15%."
)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


class Api:
    """One key talking to one emulator."""

    def __init__(self, emulator: EmbeddedEmulator, key: str = DEMO_ADMIN_KEY) -> None:
        self.emulator = emulator
        self.key = key
        self.http = httpx.Client(base_url=emulator.base_url, headers=bearer(key), timeout=10)
        self._keys = 0
        self._others: list[Api] = []

    def close(self) -> None:
        for other in self._others:
            other.close()
        self.http.close()

    def as_key(self, key: str) -> Api:
        """A client for the same emulator with another key (closed with this one)."""
        other = Api(self.emulator, key)
        self._others.append(other)
        return other

    def create(self, text: str = INCIDENT, **fields: Any) -> httpx.Response:
        if "idempotency_key" not in fields:
            self._keys += 1
            fields["idempotency_key"] = f"test-{self.key}-{self._keys}-{time.monotonic_ns()}"
        return self.http.post("/v1/sessions", json={"input": text, **fields})

    def created(self, text: str = INCIDENT, **fields: Any) -> dict[str, Any]:
        response = self.create(text, **fields)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def get(self, session_id: str) -> httpx.Response:
        return self.http.get(f"/v1/sessions/{session_id}")

    def session(self, session_id: str) -> dict[str, Any]:
        response = self.get(session_id)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def follow_up(
        self,
        session_id: str,
        text: str = "Should we roll back?",
        *,
        timeout: float | None = None,
        **fields: Any,
    ) -> httpx.Response:
        path = f"/v1/sessions/{session_id}/messages"
        if timeout is None:
            return self.http.post(path, json={"input": text, **fields})
        return self.http.post(path, json={"input": text, **fields}, timeout=timeout)

    def list(self, **params: Any) -> httpx.Response:
        return self.http.get("/v1/sessions", params=params)

    def advance(self, seconds: float) -> None:
        response = self.http.post("/_emulator/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text

    def stats(self) -> dict[str, int]:
        response = self.http.get("/_emulator/stats")
        assert response.status_code == 200, response.text
        body: dict[str, int] = response.json()
        return body

    def settled(
        self, status: str, text: str = INCIDENT, *, tries: int = 40, **fields: Any
    ) -> dict[str, Any]:
        """A new session whose investigation ends ``status`` (idle or failed), with messages."""
        for _ in range(tries):
            session_id = self.created(text, **fields)["id"]
            self.advance(LONGEST_INVESTIGATION)
            session = self.session(session_id)
            if session["status"] == "running":  # a hanging one: let it time out
                self.advance(PAST_TIMEOUT)
                session = self.session(session_id)
            if session["status"] == status:
                return session
        raise AssertionError(f"no investigation ended {status} in {tries} tries")


def wait_for(condition: Callable[[], bool], *, timeout: float = 5.0, step: float = 0.02) -> None:
    """Wait until ``condition()`` holds, failing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(step)


def assert_error(response: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """The response is an error in the API's envelope whose message holds ``words``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert isinstance(error["message"], str) and error["message"]
    assert "retry_after" in error
    for word in words:
        assert word.lower() in error["message"].lower(), error["message"]
    return error
