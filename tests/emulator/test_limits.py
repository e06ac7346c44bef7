"""The per-organisation limit on running work: investigations and follow-ups both count."""

from __future__ import annotations

from typing import Any

from tests.emulator.support import LONGEST_INVESTIGATION, Api, assert_error
from tui.emulator.keys import OTHER_ADMIN_KEY


def assert_limited(response: Any) -> int:
    error = assert_error(response, 429, "limit")
    retry_after = error["retry_after"]
    assert isinstance(retry_after, int) and 1 <= retry_after <= 60
    assert response.headers["Retry-After"] == str(retry_after)
    return retry_after


def test_the_default_limit_is_five_running_investigations(api: Api) -> None:
    for _ in range(5):
        api.created()
    assert_limited(api.create())
    assert api.list().json()["total"] == 5
    # Another organisation has its own limit.
    assert api.as_key(OTHER_ADMIN_KEY).create().status_code == 201


def test_follow_ups_in_flight_count_towards_the_limit(api_factory: Any) -> None:
    api: Api = api_factory(max_running=2)
    first = api.settled("idle")
    second = api.settled("idle")
    assert api.follow_up(first["id"]).status_code == 202  # 1 in flight
    api.created()  # 2 in flight
    assert_limited(api.create())
    assert_limited(api.follow_up(second["id"]))
    assert api.session(second["id"])["status"] == "idle"
    assert len(api.session(second["id"])["messages"]) == 2


def test_a_slot_frees_when_work_ends(api_factory: Any) -> None:
    api: Api = api_factory(max_running=1)
    first = api.created()
    assert_limited(api.create())
    api.advance(LONGEST_INVESTIGATION)
    still_running = api.session(first["id"])["status"] == "running"  # it may hang
    assert api.create().status_code == (429 if still_running else 201)
    assert api.emulator.engine.running_count("demo") == 1


def test_retry_after_estimates_when_a_slot_frees(api_factory: Any) -> None:
    # At 10x, a 45-180 s investigation frees its slot within 5 to 18 real seconds.
    api: Api = api_factory(max_running=1, time_scale=10)
    created = api.created(thinking_mode="auto")
    retry_after = assert_limited(api.create())
    record = api.emulator.engine.record(created["id"])
    assert record.work is not None
    remaining = (record.work.expected_end - api.emulator.clock.now()) / 10
    assert retry_after - 1 <= remaining <= retry_after


def test_with_only_hanging_work_the_wait_is_the_default(api_factory: Any) -> None:
    api: Api = api_factory(max_running=1)
    for _ in range(40):
        session = api.created()
        api.advance(LONGEST_INVESTIGATION)
        if api.session(session["id"])["status"] == "running":  # overdue: it hangs
            break
    else:
        raise AssertionError("no investigation hung")
    assert assert_limited(api.create()) == 30
    error = assert_error(api.follow_up(session["id"]), 409, "running")
    assert error["retry_after"] == 5
