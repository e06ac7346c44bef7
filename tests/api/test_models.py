"""Request models send only what the spec accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from tests.conftest import ADMIN_KEY, EmulatorFactory
from tui.api.models import CreateSessionRequest

from .support import client_for


def test_an_incident_time_needs_an_offset() -> None:
    # The spec's date-time is RFC 3339: a time without an offset is ambiguous and invalid.
    with pytest.raises(ValidationError, match="timezone"):
        CreateSessionRequest(input="x", idempotency_key="k", time=datetime(2024, 3, 15, 14, 30))
    local = datetime(2024, 3, 15, 16, 30, tzinfo=timezone(timedelta(hours=2)))
    body = CreateSessionRequest(input="x", idempotency_key="k", time=local).to_json()
    assert body["time"] == "2024-03-15T16:30:00+02:00"


async def test_what_the_client_sends_the_emulator_accepts(
    emulator_factory: EmulatorFactory,
) -> None:
    emulator = emulator_factory()
    request = CreateSessionRequest(
        input="x",
        idempotency_key="k" * 128,
        title="t" * 256,
        time=datetime(2024, 3, 15, 14, 30, 0, 123456, tzinfo=UTC),
    )
    async with client_for(emulator.base_url, ADMIN_KEY) as client:
        assert (await client.create_session(request)).created
