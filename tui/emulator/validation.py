"""Checking request bodies and query parameters; every refusal names the field.

Exactly what the spec allows is accepted: unknown body fields are ignored, as
the spec does not forbid them, and an empty ``input`` or ``idempotency_key``
is a string like any other (the spec sets no minimum length). Strings must be
valid Unicode (no lone surrogates), since they are echoed back.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from tui.api.models import ThinkingMode
from tui.emulator.engine import EngineError, NewSession

MAX_IDEMPOTENCY_KEY = 128
MAX_TITLE = 256
#: An RFC 3339 date-time, as the spec's ``format: date-time`` means: seconds and an offset
#: required, ``T`` and ``Z`` in either case. A time without an offset would be ambiguous.
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})",
    re.IGNORECASE,
)
#: Digits only in ASCII: ``\d`` would also take other scripts' digits.
_POSITIVE_INT = re.compile(r"\+?[0-9]{1,1000}")
_MODES = tuple(mode.value for mode in ThinkingMode)


class InvalidRequest(EngineError):
    status = 400


def json_object(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise InvalidRequest("Invalid request body: it is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InvalidRequest("Invalid request body: expected a JSON object.")
    return data


def _valid_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _string(
    body: Mapping[str, Any],
    name: str,
    *,
    required: bool,
    allowed: Callable[[str], object],
    problem: str,
    nullable: bool = True,
) -> str | None:
    """A string field: missing (an error when required), null (when optional), or checked."""
    if name not in body:
        if required:
            raise InvalidRequest(f"Missing required field '{name}'.")
        return None
    value = body[name]
    if value is None and nullable and not required:
        return None
    if isinstance(value, str) and _valid_text(value) and allowed(value):
        return value
    raise InvalidRequest(f"Field '{name}' must be {problem}.")


def _any(text: str) -> bool:
    return True


def _input(body: Mapping[str, Any]) -> str:
    value = _string(body, "input", required=True, allowed=_any, problem="a string")
    assert value is not None
    return value


def _thinking_mode(body: Mapping[str, Any]) -> ThinkingMode:
    value = _string(
        body,
        "thinking_mode",
        required=False,
        allowed=lambda text: text in _MODES,
        problem=f"one of: {', '.join(_MODES)}",
        nullable=False,
    )
    return ThinkingMode(value or ThinkingMode.AUTO)


def _parse_time(text: str) -> datetime | None:
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        return None
    minute, second, fraction, zone = match.groups()
    # A leap second (:60) is valid RFC 3339; Python's datetime cannot hold it.
    second = "59" if second == "60" else second
    normal = f"{minute}:{second}{fraction or ''}{zone}".upper()
    try:
        moment = datetime.fromisoformat(normal)
    except ValueError:
        return None
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # at the very edges of the calendar; keep its own offset
        return moment


def new_session(raw: bytes) -> NewSession:
    """A ``POST /v1/sessions`` body."""
    body = json_object(raw)
    key = _string(
        body,
        "idempotency_key",
        required=True,
        allowed=lambda text: len(text) <= MAX_IDEMPOTENCY_KEY,
        problem=f"a string of at most {MAX_IDEMPOTENCY_KEY} characters",
    )
    title = _string(
        body,
        "title",
        required=False,
        allowed=lambda text: len(text) <= MAX_TITLE,
        problem=f"null or a string of at most {MAX_TITLE} characters",
    )
    time = _string(
        body,
        "time",
        required=False,
        allowed=_parse_time,
        problem="null or a date-time with seconds and a UTC offset, such as 2024-03-15T14:30:00Z",
    )
    assert key is not None
    return NewSession(
        input=_input(body),
        idempotency_key=key,
        title=title,
        time=_parse_time(time) if time else None,
        thinking_mode=_thinking_mode(body),
    )


def follow_up(raw: bytes) -> tuple[str, ThinkingMode]:
    """A ``POST /v1/sessions/{id}/messages`` body: (input, thinking_mode)."""
    body = json_object(raw)
    return _input(body), _thinking_mode(body)


def page_parameter(query: Mapping[str, str], name: str) -> int | None:
    """``page`` or ``limit``: absent, or an integer of at least 1."""
    value = query.get(name)
    if value is None:
        return None
    if not _POSITIVE_INT.fullmatch(value.strip()) or int(value) < 1:
        raise InvalidRequest(f"Query parameter '{name}' must be an integer of at least 1.")
    return int(value)


def advance_seconds(raw: bytes) -> float:
    """The body of ``POST /_emulator/advance``: ``{"seconds": N}``, N >= 0."""
    value = json_object(raw).get("seconds")
    problem = InvalidRequest("Field 'seconds' must be a number of 0 or more.")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise problem
    try:
        seconds = float(value)
    except OverflowError:
        raise problem from None
    if not (math.isfinite(seconds) and seconds >= 0):
        raise problem
    return seconds
