"""How long to wait before the next poll."""

from __future__ import annotations

from dataclasses import dataclass

#: Upper bound of the backoff after failures (unless the interval itself is longer).
MAX_BACKOFF = 60.0
_MAX_DOUBLINGS = 16  # far past any cap; keeps the arithmetic finite


@dataclass
class PollBackoff:
    """The poll interval, doubled after each consecutive failure up to :data:`MAX_BACKOFF`.

    A success resets it. A server's ``retry_after`` (409, 429) is honoured
    even when it is longer than the backoff.
    """

    interval: float
    max_delay: float = MAX_BACKOFF
    failures: int = 0
    retry_after: float | None = None

    def __post_init__(self) -> None:
        if not self.interval > 0:
            raise ValueError("the poll interval must be greater than 0")

    def record_success(self) -> None:
        self.failures = 0
        self.retry_after = None

    def record_failure(self, retry_after: float | None = None) -> None:
        self.failures += 1
        self.retry_after = retry_after

    def next_delay(self) -> float:
        """Seconds until the next poll."""
        if self.failures == 0:
            return self.interval
        ceiling = max(self.max_delay, self.interval)
        delay = min(self.interval * 2.0 ** min(self.failures, _MAX_DOUBLINGS), ceiling)
        return max(delay, self.retry_after or 0.0)
