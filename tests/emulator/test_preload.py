"""--preload: sessions present at start, in a realistic mix of states."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from tests.emulator.support import Api
from tui.emulator.keys import DEMO_MEMBER_KEY, OTHER_ADMIN_KEY
from tui.emulator.preload import plan


def test_the_mix_of_states(api_factory: Any) -> None:
    api: Api = api_factory(preload=8)
    body = api.list().json()
    assert body["total"] == 8
    statuses = Counter(s["status"] for s in body["sessions"])
    assert statuses == {"idle": 4, "running": 2, "follow_up_running": 1, "failed": 1}
    sessions = [api.session(s["id"]) for s in body["sessions"]]
    for session in sessions:
        roles = [m["role"] for m in session["messages"]]
        assert roles[0] == "user"
        if session["status"] == "idle":
            assert roles[-1] == "assistant" and len(roles) % 2 == 0
        elif session["status"] in ("running", "failed"):
            assert roles == ["user"]
        else:
            assert roles[-1] == "user" and len(roles) >= 3
    idle = [s for s in sessions if s["status"] == "idle"]
    assert all("## Investigation Summary" in s["messages"][1]["markdown_content"] for s in idle)
    assert any(len(s["messages"]) >= 4 for s in idle), "some idle sessions have follow-ups"
    assert len({s["title"] for s in sessions}) == 8


def test_created_times_spread_over_the_last_hours(api_factory: Any) -> None:
    api: Api = api_factory(preload=10)
    created = sorted(datetime.fromisoformat(s["created_at"]) for s in api.list().json()["sessions"])
    now = api.emulator.clock.to_datetime(api.emulator.clock.now())
    assert created[-1] <= now
    assert now - created[0] > timedelta(hours=2)
    assert created[-1] - created[0] > timedelta(hours=1)


def test_running_sessions_finish_within_about_a_minute_of_real_time(api_factory: Any) -> None:
    for scale in (1.0, 10.0):
        api: Api = api_factory(preload=6, time_scale=scale)
        engine, clock = api.emulator.engine, api.emulator.clock
        in_flight = [
            engine.record(s["id"]).work
            for s in api.list().json()["sessions"]
            if s["status"] in ("running", "follow_up_running")
        ]
        assert len(in_flight) == 3
        for work in in_flight:
            assert work is not None
            real_seconds_left = clock.real_seconds(work.end - clock.now())
            assert 19 <= real_seconds_left <= 90


def test_preloaded_sessions_belong_to_demo_and_can_be_continued(api_factory: Any) -> None:
    api: Api = api_factory(preload=5)
    assert api.as_key(OTHER_ADMIN_KEY).list().json()["total"] == 0
    member = api.as_key(DEMO_MEMBER_KEY)
    idle = next(s for s in api.list().json()["sessions"] if s["status"] == "idle")
    assert member.follow_up(idle["id"], "How confident are you?").status_code == 202
    api.advance(3600)
    assert all(s["status"] in ("idle", "failed") for s in api.list().json()["sessions"])


def test_the_plan_respects_the_limit_and_small_counts() -> None:
    assert plan(0, 5) == []
    assert plan(1, 5) == ["idle"]
    assert plan(2, 5) == ["idle", "running"]
    assert Counter(plan(30, 5)) == {"idle": 26, "running": 2, "failed": 1, "follow_up_running": 1}
    assert Counter(plan(8, 1)) == {"idle": 6, "running": 1, "failed": 1}
