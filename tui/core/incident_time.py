"""Parse the incident time a person types into the form.

Accepted: empty (no time), ``now``, relative times (``15m ago``,
``1h30m ago``, ``2 hours ago``), a clock time (``14:30``, today, or
yesterday when that would be in the future), and ISO-8601 dates with or
without a time and offset (``2024-03-15T14:30:00Z``, ``2024-03-15 14:30``).
Times without an offset are the machine's local time. The result is always
an aware UTC datetime, which the form shows back before submitting.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo

_RELATIVE_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)(?![a-z])"
)
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
#: How far in the future a typed time may be (clock skew), before it is refused.
FUTURE_TOLERANCE = timedelta(minutes=5)


class IncidentTimeError(ValueError):
    """The text is not a time this form understands; the message says what is accepted."""


def parse_incident_time(
    text: str, *, now: datetime | None = None, local_zone: tzinfo | None = None
) -> datetime | None:
    """The UTC incident time for ``text``, or None when it is blank."""
    cleaned = text.strip().lower()
    if not cleaned:
        return None
    current = now or datetime.now(UTC)
    zone = local_zone or current.astimezone().tzinfo or UTC
    if cleaned == "now":
        return current.astimezone(UTC).replace(microsecond=0)
    if cleaned.endswith("ago"):
        result = current - _relative(cleaned.removesuffix("ago"))
    elif match := _CLOCK.match(cleaned):
        result = _clock_time(match, current, zone)
    else:
        result = _iso(text.strip(), zone)
    result = result.astimezone(UTC).replace(microsecond=0)
    if result - current > FUTURE_TOLERANCE:
        raise IncidentTimeError("That time is in the future; give when the symptoms started.")
    return result


def describe_utc(moment: datetime) -> str:
    """``2024-03-15 14:30:00 UTC``: how the form shows a parsed time back."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _relative(text: str) -> timedelta:
    spec = text.replace(",", " ").replace("and", " ").strip()
    total = 0.0
    position = 0
    for match in _RELATIVE_PART.finditer(spec):
        if spec[position : match.start()].strip():
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)[0]]
        position = match.end()
    if position == 0 or spec[position:].strip():
        raise IncidentTimeError("Write a relative time like '15m ago' or '1h30m ago'.")
    return timedelta(seconds=total)


def _clock_time(match: re.Match[str], current: datetime, zone: tzinfo) -> datetime:
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise IncidentTimeError("That is not a clock time; use HH:MM, 24-hour.")
    local_now = current.astimezone(zone)
    candidate = local_now.replace(hour=hour, minute=minute, second=second, microsecond=0)
    if candidate - local_now > FUTURE_TOLERANCE:
        candidate -= timedelta(days=1)
    return candidate


def _iso(text: str, zone: tzinfo) -> datetime:
    normalised = text.replace(" ", "T", 1) if " " in text and "T" not in text else text
    if normalised.endswith(("z", "Z")):
        normalised = normalised[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(normalised)
    except ValueError:
        raise IncidentTimeError(
            "Use 'now', '15m ago', '14:30', or a date like 2024-03-15 14:30 (local) "
            "or 2024-03-15T14:30:00Z."
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed
