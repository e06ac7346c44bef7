"""Typed errors for every way a Sessions API call can fail.

Messages are written for a person on call: they say what happened and what
to do. None of them ever contains the API key. An error body that is not the
API's JSON envelope (a proxy's HTML page, an empty body) still becomes one of
these types, with a message that says what came back.

How long to wait (:class:`Conflict` and :class:`RateLimited` carry it as
``retry_after``, whole seconds) comes from the body's ``retry_after``, else
from the ``Retry-After`` header, as a number of seconds (a fraction is
rounded up) or an HTTP date. Whatever the server says, the wait is clamped to
``RETRY_AFTER_MIN``..``RETRY_AFTER_MAX`` (1 to 900 seconds): zero, or a date
in the past, waits 1 second; a huge number or a far-off date waits 900.
Missing, empty, negative, not-a-number or unreadable values get the default:
``DEFAULT_RATE_LIMIT_WAIT`` (30 s, the API's documented default) for a 429,
``DEFAULT_CONFLICT_WAIT`` (5 s, the vendor's polling pace) for a 409.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

#: ``retry_after`` is clamped to this range (seconds) whatever the server says.
RETRY_AFTER_MIN = 1
RETRY_AFTER_MAX = 900
#: Used when a 429 carries no usable wait (the API's documented default).
DEFAULT_RATE_LIMIT_WAIT = 30
#: Used when a 409 carries no usable wait.
DEFAULT_CONFLICT_WAIT = 5


class ApiError(Exception):
    """Base of every error the client raises."""

    status: int | None = None

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message


class BadRequest(ApiError):
    """400: a field was invalid or missing; the message names it."""

    status = 400


class Unauthorized(ApiError):
    """401: the key is missing, invalid or revoked."""

    status = 401


class Forbidden(ApiError):
    """403: the organisation has no V1 access, or the role is too low."""

    status = 403


class NotFound(ApiError):
    """404: no such session in this organisation."""

    status = 404


class RetryableError(ApiError):
    """An error that says how long to wait before trying again."""

    def __init__(self, message: str, *, retry_after: int, status: int | None = None) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class Conflict(RetryableError):
    """409: the session is not idle, or it failed (then waiting will not help)."""

    status = 409

    @property
    def session_failed(self) -> bool:
        return "fail" in self.message.lower()


class RateLimited(RetryableError):
    """429: the organisation is at its limit of concurrently running work."""

    status = 429


class ServerError(ApiError):
    """5xx: the service failed or is unavailable."""

    status = 500


class NetworkError(ApiError):
    """The request never got an HTTP answer: refused, reset, timed out, DNS."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class ProtocolError(ApiError):
    """The server answered with something that is not what the API promises."""


def parse_retry_after(
    body_value: object, header_value: str | None, *, default: int, now: datetime | None = None
) -> int:
    """Seconds to wait, from the body's ``retry_after`` or else the header.

    Accepts numbers (fractions are rounded up), numeric strings, and HTTP
    dates. Anything missing, empty, negative, not a number or unparseable
    gives ``default``; the result is always within
    ``RETRY_AFTER_MIN..RETRY_AFTER_MAX``, however huge the value.
    """
    seconds = _seconds_from(body_value, now)
    if seconds is None:
        seconds = _seconds_from(header_value, now)
    if seconds is None:
        seconds = float(default)
    return math.ceil(min(max(seconds, RETRY_AFTER_MIN), RETRY_AFTER_MAX))


#: A plain decimal number, as a ``Retry-After`` header or a JSON string may carry one.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?", re.IGNORECASE)


def _seconds_from(value: object, now: datetime | None) -> float | None:
    """Seconds (``inf`` when too big to hold), or None when there is no usable wait."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            number = float(value)
        except OverflowError:  # more digits than a float holds: huge
            number = math.inf if value > 0 else -math.inf
    elif isinstance(value, float):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not _NUMBER.fullmatch(text):
            return _seconds_until_http_date(text, now)
        number = float(text)  # ``inf`` when huge
    else:
        return None
    if math.isnan(number) or number < 0:
        return None
    return number


def _seconds_until_http_date(text: str, now: datetime | None) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return max(delta, 0.0)
