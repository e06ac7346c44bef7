"""The emulator's clock: durations, thinking modes, the one-hour timeout, time scale."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from tests.emulator.support import PAST_TIMEOUT, Api, assert_error, wait_for
from tui.api.models import ThinkingMode
from tui.emulator.engine import FOLLOW_UP_SECONDS, INVESTIGATION_SECONDS, TIMEOUT_SECONDS


def seconds_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def test_investigations_take_tens_of_seconds_to_minutes_by_mode(api_factory: Any) -> None:
    api: Api = api_factory(max_running=60)
    engine = api.emulator.engine
    durations: dict[str, list[float]] = {}
    for mode in ("fast", "auto", "deep"):
        for _ in range(15):
            work = engine.record(api.created(thinking_mode=mode)["id"]).work
            assert work is not None
            durations.setdefault(mode, []).append(work.duration)
    everything = [d for values in durations.values() for d in values]
    assert min(everything) >= 10 and max(everything) <= 300
    assert max(durations["fast"]) < min(durations["deep"])
    assert sum(durations["fast"]) < sum(durations["auto"]) < sum(durations["deep"])


def test_follow_ups_are_quicker_than_investigations(api: Api) -> None:
    session = api.settled("idle")
    api.follow_up(session["id"])
    work = api.emulator.engine.record(session["id"]).work
    assert work is not None and work.follow_up
    low, high = FOLLOW_UP_SECONDS[ThinkingMode.AUTO]
    assert low <= work.duration <= high < INVESTIGATION_SECONDS[ThinkingMode.AUTO][1]


def test_nothing_finishes_before_its_time(api: Api) -> None:
    session = api.created(thinking_mode="fast")
    api.advance(INVESTIGATION_SECONDS[ThinkingMode.FAST][0] - 1)
    assert api.session(session["id"])["status"] == "running"


def test_work_still_running_after_an_hour_fails(api_factory: Any) -> None:
    api: Api = api_factory(max_running=100)
    ids = [api.created(f"incident {n}")["id"] for n in range(40)]
    api.advance(TIMEOUT_SECONDS - 1)
    hanging = [i for i in ids if api.session(i)["status"] == "running"]
    assert hanging, "some investigations hang (a small seeded share)"
    assert len(hanging) < 10
    api.advance(2)
    for session_id in hanging:
        session = api.session(session_id)
        assert session["status"] == "failed"
        assert [m["role"] for m in session["messages"]] == ["user"]
        assert seconds_between(session["created_at"], session["updated_at"]) == TIMEOUT_SECONDS
    statuses = {api.session(i)["status"] for i in ids}
    assert statuses == {"idle", "failed"}


def test_time_scale_speeds_up_everything_including_the_timeout(api_factory: Any) -> None:
    # At 3600x an hour of emulator time is one real second.
    api: Api = api_factory(max_running=100, time_scale=3600)
    started = time.monotonic()
    ids = [api.created(f"incident {n}")["id"] for n in range(40)]

    def all_settled() -> bool:
        return all(s["status"] != "running" for s in api.list().json()["sessions"])

    wait_for(all_settled, timeout=5)
    elapsed = time.monotonic() - started
    sessions = [api.session(i) for i in ids]
    timed_out = [
        s for s in sessions if seconds_between(s["created_at"], s["updated_at"]) == TIMEOUT_SECONDS
    ]
    assert timed_out and all(s["status"] == "failed" for s in timed_out)
    assert 0.9 <= elapsed < 4


def test_advance_moves_the_clock_and_refuses_nonsense(api: Api) -> None:
    before = api.emulator.clock.now()
    api.advance(90.5)
    assert api.emulator.clock.now() - before >= 90.5
    for body in (
        b"{}",
        b'{"seconds": -1}',
        b'{"seconds": "10"}',
        b'{"seconds": true}',
        b'{"seconds": 1e400}',
        b'{"seconds": NaN}',
        b'{"seconds": 1' + b"0" * 400 + b"}",
    ):
        assert_error(api.http.post("/_emulator/advance", content=body), 400, "'seconds'")
    assert_error(api.http.post("/_emulator/advance", json={"seconds": 1e12}), 400, "seconds")
    assert_error(api.http.post("/_emulator/advance", content=b"nope"), 400, "body")
    assert (
        api.http.post("/_emulator/advance", json={"seconds": PAST_TIMEOUT}).json()["advanced"]
        == PAST_TIMEOUT
    )
