"""The client against replies the emulator never sends: proxies, odd headers, empty bodies."""

from __future__ import annotations

import json

import pytest

from tui.api.client import TraversalClient
from tui.api.errors import (
    RETRY_AFTER_MAX,
    Conflict,
    NetworkError,
    ProtocolError,
    RateLimited,
    ServerError,
    Unauthorized,
)
from tui.api.models import Session

from .scripted_server import Reply, scripted_server
from .support import client_for

SECRET = "trv_ak_super_secret_value_123"
SESSION_ID = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
SESSION: dict[str, object] = {
    "id": SESSION_ID,
    "status": "idle",
    "input": "x",
    "created_at": "2026-03-15T14:35:00Z",
    "messages": [],
}


def _client(base_url: str) -> TraversalClient:
    return client_for(base_url, SECRET)


async def test_html_proxy_page_becomes_a_readable_server_error() -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
    with scripted_server(Reply(502, page, {"Content-Type": "text/html"})) as (url, script):
        async with _client(url) as client:
            with pytest.raises(ServerError) as caught:
                await client.get_session(SESSION_ID)
    assert "HTML page" in str(caught.value)
    assert "502" in str(caught.value)
    assert len(script.seen) == 3  # a GET is retried


async def test_empty_error_body_is_described() -> None:
    with scripted_server(Reply(503)) as (url, _):
        async with _client(url) as client:
            with pytest.raises(ServerError, match="empty body"):
                await client.get_session(SESSION_ID)


async def test_get_recovers_after_transient_5xx() -> None:
    ok = Reply(200, json.dumps(SESSION).encode(), {"Content-Type": "application/json"})
    with scripted_server(Reply(503), ok) as (url, script):
        async with _client(url) as client:
            session = await client.get_session(SESSION_ID)
    assert session.status == "idle"
    assert len(script.seen) == 2


async def test_retry_after_http_date_header_on_429() -> None:
    body = json.dumps({"error": {"message": "limit", "retry_after": None}}).encode()
    reply = Reply(429, body, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    with scripted_server(reply) as (url, _):
        async with _client(url) as client:
            with pytest.raises(RateLimited) as caught:
                await client.list_sessions()
    assert caught.value.retry_after == 1  # a date in the past: the minimum


async def test_conflict_without_any_wait_gets_the_default() -> None:
    with scripted_server(Reply(409, b"not json")) as (url, _):
        async with _client(url) as client:
            with pytest.raises(Conflict) as caught:
                await client.send_follow_up(SESSION_ID, "q", before=_session_model())
    assert caught.value.retry_after == 5


async def test_reply_that_breaks_the_schema_is_a_protocol_error() -> None:
    with scripted_server(Reply(200, b'{"id": 5}')) as (url, _):
        async with _client(url) as client:
            with pytest.raises(ProtocolError, match="does not understand"):
                await client.get_session(SESSION_ID)


async def test_non_json_success_is_a_protocol_error() -> None:
    with scripted_server(Reply(200, b"<html>login</html>")) as (url, _):
        async with _client(url) as client:
            with pytest.raises(ProtocolError, match="not JSON"):
                await client.get_session(SESSION_ID)


async def test_dropped_connection_is_a_network_error_and_get_retries() -> None:
    with scripted_server(Reply(0, drop=True)) as (url, script):
        async with _client(url) as client:
            with pytest.raises(NetworkError):
                await client.get_session(SESSION_ID)
    assert len(script.seen) == 3


async def test_refused_connection_is_a_network_error() -> None:
    with scripted_server(Reply(200)) as (url, _):
        pass  # the server is gone now: nothing listens on that port
    async with _client(url) as client:
        with pytest.raises(NetworkError, match="Could not reach"):
            await client.get_session(SESSION_ID)


async def test_session_id_cannot_change_the_route() -> None:
    ok = Reply(200, json.dumps(SESSION).encode())
    with scripted_server(ok) as (url, script):
        async with _client(url) as client:
            await client.get_session("../../v1/sessions?page=1")
    assert script.seen[0][1] == "/v1/sessions/..%2F..%2Fv1%2Fsessions%3Fpage%3D1"


async def test_key_is_sent_as_bearer_and_never_shown() -> None:
    body = json.dumps({"error": {"message": "bad key"}}).encode()
    with scripted_server(Reply(401, body)) as (url, script):
        client = _client(url)
        with pytest.raises(Unauthorized) as caught:
            await client.list_sessions()
        await client.aclose()
    assert script.seen[0][3]["Authorization"] == f"Bearer {SECRET}"
    for shown in (repr(client), str(caught.value), repr(caught.value), repr(client._http.auth)):
        assert SECRET not in shown


def _session_model() -> Session:
    return Session.model_validate(SESSION)


def _conversation(*texts: tuple[str, str]) -> dict[str, object]:
    messages = [
        {
            "id": f"msg-{i}",
            "role": role,
            "markdown_content": text,
            "created_at": "2026-03-15T14:35:00Z",
        }
        for i, (role, text) in enumerate(texts)
    ]
    return {**SESSION, "messages": messages}


async def test_follow_up_lost_reply_is_recognised_as_taken() -> None:
    before = _conversation(
        ("user", "incident"), ("assistant", "findings"), ("user", "why?"), ("assistant", "because")
    )
    after = _conversation(
        ("user", "incident"),
        ("assistant", "findings"),
        ("user", "why?"),
        ("assistant", "because"),
        ("user", "why?"),
    )
    after["status"] = "follow_up_running"
    replies = (Reply(0, drop=True), Reply(200, json.dumps(after).encode()))
    with scripted_server(*replies) as (url, script):
        async with _client(url) as client:
            response = await client.send_follow_up(
                SESSION_ID, "why?", before=Session.model_validate(before)
            )
    assert response.user_message_id == "msg-4"
    assert response.status == "follow_up_running"
    assert [request[0] for request in script.seen] == ["POST", "GET"]


async def test_follow_up_lost_and_not_taken_raises_so_it_can_be_sent_again() -> None:
    # The same question was asked before: the text alone would wrongly say "taken".
    before = _conversation(
        ("user", "incident"), ("assistant", "findings"), ("user", "why?"), ("assistant", "because")
    )
    replies = (Reply(0, drop=True), Reply(200, json.dumps(before).encode()))
    with scripted_server(*replies) as (url, script):
        async with _client(url) as client:
            with pytest.raises(NetworkError):
                await client.send_follow_up(
                    SESSION_ID, "why?", before=Session.model_validate(before)
                )
    assert [request[0] for request in script.seen] == ["POST", "GET"]  # never re-sent


async def test_a_huge_retry_after_is_clamped_not_a_crash() -> None:
    body = b'{"error": {"message": "limit", "retry_after": 1' + b"0" * 400 + b"}}"
    with scripted_server(Reply(429, body, {"Retry-After": "1" + "0" * 400})) as (url, _):
        async with _client(url) as client:
            with pytest.raises(RateLimited) as caught:
                await client.list_sessions()
    assert caught.value.retry_after == RETRY_AFTER_MAX


async def test_a_follow_up_a_gateway_gave_up_on_is_looked_for_again() -> None:
    # A 504 means the API may still be working on it: the conversation is read until it shows.
    before = _conversation(("user", "incident"), ("assistant", "findings"))
    after = _conversation(("user", "incident"), ("assistant", "findings"), ("user", "why?"))
    replies = (
        Reply(504, b"<html>Gateway Timeout</html>", {"Content-Type": "text/html"}),
        Reply(200, json.dumps(before).encode()),
        Reply(200, json.dumps(after).encode()),
    )
    with scripted_server(*replies) as (url, script):
        async with _client(url) as client:
            response = await client.send_follow_up(
                SESSION_ID, "why?", before=Session.model_validate(before)
            )
    assert response.user_message_id == "msg-2"
    assert response.assistant_message_id == ""  # not answered yet
    assert [request[0] for request in script.seen] == ["POST", "GET", "GET"]


async def test_a_follow_up_the_api_failed_is_looked_for_once() -> None:
    before = _conversation(("user", "incident"), ("assistant", "findings"))
    error = json.dumps({"error": {"message": "boom", "retry_after": None}}).encode()
    replies = (Reply(500, error), Reply(200, json.dumps(before).encode()))
    with scripted_server(*replies) as (url, script):
        async with _client(url) as client:
            with pytest.raises(ServerError, match="boom"):
                await client.send_follow_up(
                    SESSION_ID, "why?", before=Session.model_validate(before)
                )
    assert [request[0] for request in script.seen] == ["POST", "GET"]
