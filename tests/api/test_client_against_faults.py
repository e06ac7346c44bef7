"""The client against the emulator's own faults, over real HTTP.

What the client claims (reads retry, creates retry only with the same key,
a follow-up is never sent twice) is checked where it matters: in what the
emulator received (``/_emulator/stats``) and what it holds afterwards.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import ADMIN_KEY, EmulatorFactory
from tests.emulator.support import LONGEST_FOLLOW_UP, Api
from tui.api.client import TraversalClient
from tui.api.errors import Conflict, NetworkError, ProtocolError, RateLimited, ServerError
from tui.api.models import CreateSessionRequest, ThinkingMode
from tui.emulator.engine import Outcome
from tui.emulator.server import EmbeddedEmulator

from .support import client_for

GET = "GET /v1/sessions/{session_id}"
LIST = "GET /v1/sessions"
CREATE = "POST /v1/sessions"
FOLLOW_UP = "POST /v1/sessions/{session_id}/messages"
QUESTION = "Should we roll back the deploy?"


def connect(emulator: EmbeddedEmulator, **options: Any) -> TraversalClient:
    return client_for(emulator.base_url, ADMIN_KEY, **options)


def request(key: str) -> CreateSessionRequest:
    return CreateSessionRequest(input=f"orders-api errors ({key})", idempotency_key=key)


def idle_session(emulator: EmbeddedEmulator) -> tuple[Api, str]:
    """An HTTP helper for the emulator and one of its sessions, idle with its findings."""
    api = Api(emulator)
    return api, api.settled("idle")["id"]


async def test_reads_retry_on_server_errors_then_give_up(emulator_factory: EmulatorFactory) -> None:
    emulator = emulator_factory(faults="error=1:503,only=get")
    api, session_id = Api(emulator), Api(emulator).created()["id"]
    async with connect(emulator, attempts=4) as client:
        with pytest.raises(ServerError) as caught:
            await client.get_session(session_id)
    assert caught.value.status == 503
    assert "not available" in caught.value.message
    assert api.stats()[GET] == 4


async def test_reads_ride_out_intermittent_faults(emulator_factory: EmulatorFactory) -> None:
    emulator = emulator_factory(faults="error=0.2:502|503,html502=0.1,drop=0.05,only=GET")
    api = Api(emulator)
    ids = [api.created(f"incident {n}")["id"] for n in range(5)]
    async with connect(emulator, attempts=8) as client:
        for _ in range(3):
            assert [(await client.get_session(i)).id for i in ids] == ids
            assert (await client.list_sessions()).total == 5
    received = api.stats()
    assert received[GET] + received[LIST] > 18  # some were retried


async def test_a_proxy_page_and_a_cut_body_are_typed_errors(
    emulator_factory: EmulatorFactory,
) -> None:
    proxy = emulator_factory(faults="html502=1,only=list")
    async with connect(proxy) as client:
        with pytest.raises(ServerError, match="HTML page") as caught:
            await client.list_sessions()
    assert caught.value.status == 502
    garbled = emulator_factory(faults="garbage=1,only=list")
    async with connect(garbled) as client:
        with pytest.raises(ProtocolError, match="not JSON"):
            await client.list_sessions()


async def test_a_create_whose_answers_are_all_lost_made_one_session(
    emulator_factory: EmulatorFactory,
) -> None:
    emulator = emulator_factory(faults="drop=1:after,only=create")
    async with connect(emulator, attempts=3) as client:
        with pytest.raises(NetworkError):
            await client.create_session(request("pd-lost"))
    api = Api(emulator)
    assert api.stats()[CREATE] == 3
    assert api.list().json()["total"] == 1


async def test_creates_retried_after_lost_answers_never_duplicate(
    emulator_factory: EmulatorFactory,
) -> None:
    emulator = emulator_factory(faults="drop=0.5:after,only=create", max_running=10)
    keys = [f"pd-{n}" for n in range(8)]
    async with connect(emulator, attempts=10) as client:
        results = [await client.create_session(request(key)) for key in keys]
    api = Api(emulator)
    listed = api.list().json()
    assert listed["total"] == len(keys)
    assert {s["id"] for s in listed["sessions"]} == {r.session.id for r in results}
    # A submission whose first answer was lost is found again by its key: 200, not created.
    assert {r.created for r in results} == {True, False}
    assert api.stats()[CREATE] > len(keys)


async def test_a_follow_up_whose_answer_was_lost_is_recognised_as_taken(
    emulator_factory: EmulatorFactory,
) -> None:
    emulator = emulator_factory(faults="drop=1:after,only=follow_up")
    api, session_id = idle_session(emulator)
    async with connect(emulator) as client:
        first = await client.send_follow_up(session_id, QUESTION)
        asked = (await client.get_session(session_id)).messages or []
        assert (first.status, first.user_message_id) == ("follow_up_running", asked[-1].id)
        assert asked[-1].markdown_content == QUESTION
        api.advance(LONGEST_FOLLOW_UP)
        before = await client.get_session(session_id)
        assert before.status == "idle", "the seeded follow-up succeeds"
        # The same question again: recognised by the grown conversation, not by its text.
        second = await client.send_follow_up(session_id, QUESTION, before=before)
    assert second.user_message_id != first.user_message_id
    assert second.user_message_id == api.session(session_id)["messages"][-1]["id"]
    assert api.stats()[FOLLOW_UP] == 2  # each sent once


async def test_a_follow_up_the_server_never_saw_raises_and_is_not_resent(
    emulator_factory: EmulatorFactory,
) -> None:
    emulator = emulator_factory(faults="drop=1:before,only=follow_up")
    api, session_id = idle_session(emulator)
    # The same question was asked and answered before (set up inside the engine, as
    # every follow-up over HTTP is dropped here): its text alone must not pass for taken.
    engine = emulator.engine
    engine.start_follow_up(
        engine.record(session_id),
        QUESTION,
        ThinkingMode.FAST,
        engine.clock.now(),
        duration=1,
        outcome=Outcome.SUCCEED,
    )
    api.advance(2)
    before = api.session(session_id)
    async with connect(emulator) as client:
        with pytest.raises(NetworkError):
            await client.send_follow_up(session_id, QUESTION)
    assert api.stats()[FOLLOW_UP] == 1
    assert api.session(session_id) == before


async def test_a_timed_out_follow_up_taken_late_is_recognised(
    emulator_factory: EmulatorFactory,
) -> None:
    # The server answers follow-ups after 0.5 s; the client waits 0.15 s, then reads the
    # conversation again with backoff until the question shows.
    emulator = emulator_factory(faults="latency=0.5,only=follow_up")
    api, session_id = idle_session(emulator)
    async with connect(
        emulator, timeout=0.15, attempts=4, base_delay=0.4, max_delay=1.0, sleep=asyncio.sleep
    ) as client:
        taken = await client.send_follow_up(session_id, QUESTION)
    messages = api.session(session_id)["messages"]
    assert taken.user_message_id == messages[2]["id"]
    assert [m["markdown_content"] for m in messages].count(QUESTION) == 1
    assert api.stats()[FOLLOW_UP] == 1


async def test_busy_and_limited_are_typed_with_their_waits(
    emulator_factory: EmulatorFactory,
) -> None:
    emulator = emulator_factory(max_running=1)
    api = Api(emulator)
    failed = api.settled("failed")["id"]
    running = api.created()["id"]
    async with connect(emulator) as client:
        with pytest.raises(RateLimited) as limited:
            await client.create_session(request("one-too-many"))
        with pytest.raises(Conflict) as busy:
            await client.send_follow_up(running, QUESTION)
        with pytest.raises(Conflict) as gone:
            await client.send_follow_up(failed, QUESTION)
    assert 1 <= limited.value.retry_after <= 60
    assert 1 <= busy.value.retry_after <= 60 and not busy.value.session_failed
    assert gone.value.session_failed
    assert api.stats()[CREATE] == api.list().json()["total"] + 1  # the refused one


async def test_listing_everything_sees_each_session_once(
    emulator_factory: EmulatorFactory,
) -> None:
    emulator = emulator_factory(max_running=23)
    api = Api(emulator)
    ids = [api.created(f"incident {n}")["id"] for n in range(23)]
    async with connect(emulator) as client:
        sessions = await client.list_all_sessions(page_size=5)
    assert [s.id for s in sessions] == ids[::-1]
    assert all(s.messages is None for s in sessions)
    assert api.stats()[LIST] == 5


async def test_a_follow_up_accepted_with_an_unreadable_reply_is_recognised_as_taken(
    emulator_factory: EmulatorFactory,
) -> None:
    emulator = emulator_factory(faults="garbage=1,only=follow_up")
    api, session_id = idle_session(emulator)
    async with connect(emulator) as client:
        reply = await client.send_follow_up(session_id, QUESTION)
    assert reply.user_message_id == api.session(session_id)["messages"][-1]["id"]
    assert api.stats()[FOLLOW_UP] == 1
