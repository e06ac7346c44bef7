"""Retry-After in every shape a server or proxy sends it, clamped to a documented range."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.api.errors import RETRY_AFTER_MAX, RETRY_AFTER_MIN, parse_retry_after

NOW = datetime(2026, 3, 15, 14, 30, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        (12, None, 12),  # the body wins
        (12, "99", 12),
        (None, "7", 7),  # else the header
        (None, "2.2", 3),  # fractions round up
        (2.5, None, 3),
        (0, None, RETRY_AFTER_MIN),  # never less than the minimum
        (None, "0", RETRY_AFTER_MIN),
        (-5, None, 30),  # negative is nonsense: the default
        (None, "-5", 30),
        (None, "", 30),  # empty
        (None, "   ", 30),
        (None, None, 30),  # missing
        (None, "soon", 30),  # garbage
        ("abc", None, 30),
        (True, None, 30),  # a JSON boolean is not a number
        (None, "nan", 30),
        (None, "inf", 30),
        (10**9, None, RETRY_AFTER_MAX),  # huge is clamped
        (None, "1e300", RETRY_AFTER_MAX),
        # More digits than a float holds.
        pytest.param(10**400, None, RETRY_AFTER_MAX, id="huge-int"),
        pytest.param(None, "1" + "0" * 400, RETRY_AFTER_MAX, id="huge-header"),
        (None, "1e400", RETRY_AFTER_MAX),
        (float("inf"), None, RETRY_AFTER_MAX),  # what JSON's 1e400 decodes to
        pytest.param(-(10**400), None, 30, id="huge-negative"),
        (float("nan"), "8", 8),  # an unusable body falls back to the header
        (None, "0.2", RETRY_AFTER_MIN),
        (None, "+4", 4),
        (None, "0x10", 30),
        (None, "Sun, 15 Mar 2126 14:30:45 GMT", RETRY_AFTER_MAX),  # a far-off date
        ("Sun, 15 Mar 2026 14:31:00 GMT", None, 60),  # a date in the body, oddly
        (None, "Sun, 15 Mar 2026 14:30:45 GMT", 45),  # an HTTP date
        (None, "Sun, 15 Mar 2026 14:00:00 GMT", RETRY_AFTER_MIN),  # a date in the past
        ("20", None, 20),  # a numeric string in the body
    ],
)
def test_retry_after_shapes(body: object, header: str | None, expected: int) -> None:
    assert parse_retry_after(body, header, default=30, now=NOW) == expected


def test_default_is_clamped_too() -> None:
    assert parse_retry_after(None, None, default=0) == RETRY_AFTER_MIN
