"""Building clients for tests: no real waiting between retries unless a test asks for it."""

from __future__ import annotations

from typing import Any

from tui.api.client import RetryPolicy, Sleep, TraversalClient


async def no_sleep(_: float) -> None:
    return None


def client_for(
    base_url: str,
    key: str,
    *,
    attempts: int = 3,
    timeout: float = 5,
    sleep: Sleep = no_sleep,
    **retry: Any,
) -> TraversalClient:
    """A client whose retries do not wait (give ``sleep=asyncio.sleep`` for real backoff)."""
    policy = RetryPolicy(attempts=attempts, **retry)
    return TraversalClient(base_url, key, retry=policy, sleep=sleep, timeout=timeout)
