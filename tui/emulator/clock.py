"""The emulator's own clock.

Emulator time is a number of seconds since the clock's origin (the wall-clock
instant the emulator started). It runs ``time_scale`` times faster than real
time and jumps forward on :meth:`EmulatorClock.advance`; every duration the
engine knows (investigations, follow-ups, the one-hour timeout) is measured on
it, so ``--time-scale 10`` makes all of them ten times shorter in real time.
Timestamps the API reports are the origin plus emulator time.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

#: How far ahead of its origin the clock may be moved (keeps dates printable).
MAX_OFFSET_SECONDS = 100 * 365 * 24 * 3600.0


class EmulatorClock:
    """Scaled, advanceable time; thread-safe."""

    def __init__(
        self,
        time_scale: float = 1.0,
        *,
        origin: datetime | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (math.isfinite(time_scale) and time_scale > 0):
            raise ValueError("time_scale must be a finite number greater than 0")
        self.time_scale = time_scale
        self.origin = origin or datetime.now(UTC)
        self._monotonic = monotonic
        self._start = monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Emulator seconds since the origin."""
        with self._lock:
            return (self._monotonic() - self._start) * self.time_scale + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` of emulator time; returns the new now."""
        if not (math.isfinite(seconds) and seconds >= 0):
            raise ValueError("seconds must be a finite number, 0 or more")
        with self._lock:
            if self._offset + seconds > MAX_OFFSET_SECONDS:
                raise ValueError("the clock cannot be moved more than 100 years ahead")
            self._offset += seconds
        return self.now()

    def to_datetime(self, emulator_seconds: float) -> datetime:
        return self.origin + timedelta(seconds=emulator_seconds)

    def real_seconds(self, emulator_seconds: float) -> float:
        """How long ``emulator_seconds`` take in real time."""
        return emulator_seconds / self.time_scale

    def emulator_seconds(self, real_seconds: float) -> float:
        """How much emulator time passes in ``real_seconds`` of real time."""
        return real_seconds * self.time_scale


def iso(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds and a ``Z``, as the API writes timestamps."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
