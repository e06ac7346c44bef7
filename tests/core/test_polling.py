from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.polling import PollBackoff


def test_backs_off_exponentially_to_a_minute_and_resets() -> None:
    backoff = PollBackoff(interval=5)
    delays = [backoff.next_delay()]
    for _ in range(6):
        backoff.record_failure()
        delays.append(backoff.next_delay())
    assert delays == [5, 10, 20, 40, 60, 60, 60]
    backoff.record_success()
    assert backoff.next_delay() == 5


def test_a_long_interval_is_never_shortened() -> None:
    backoff = PollBackoff(interval=90)
    backoff.record_failure()
    assert backoff.next_delay() == 90


def test_the_servers_retry_after_is_honoured() -> None:
    backoff = PollBackoff(interval=5)
    backoff.record_failure(retry_after=120)
    assert backoff.next_delay() == 120
    backoff.record_failure(retry_after=3)
    assert backoff.next_delay() == 20
    backoff.record_success()
    assert backoff.next_delay() == 5


def test_a_bad_interval_is_refused() -> None:
    with pytest.raises(ValueError):
        PollBackoff(interval=0)


@given(
    interval=st.floats(min_value=1, max_value=600),
    outcomes=st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=900)), max_size=3000),
)
def test_delay_stays_between_interval_and_cap(
    interval: float, outcomes: list[float | None]
) -> None:
    backoff = PollBackoff(interval=interval)
    for retry_after in outcomes:
        backoff.record_failure(retry_after)
        delay = backoff.next_delay()
        assert interval <= delay <= max(60, interval, retry_after or 0)
