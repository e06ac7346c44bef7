"""POST /v1/sessions: creation, idempotency and validation."""

from __future__ import annotations

import re
import uuid
from typing import Any

from tests.emulator.support import INCIDENT, Api, assert_error


def test_a_new_session_is_201_running_with_the_spec_fields(api: Api) -> None:
    response = api.create(
        title="Checkout errors", time="2024-03-15T14:30:00Z", thinking_mode="deep"
    )
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"id", "status", "title", "input", "created_at", "updated_at", "messages"}
    assert str(uuid.UUID(body["id"])) == body["id"]
    assert body["status"] == "running"
    assert body["title"] == "Checkout errors"
    assert body["input"] == INCIDENT
    assert body["messages"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["created_at"])
    assert body["updated_at"] == body["created_at"]


def test_a_missing_title_is_generated_from_the_input(api: Api) -> None:
    named = api.created("payments-api returning 503s since the deploy of v1.4.0")
    assert named["title"] == "Errors on payments-api after a deploy"
    plain = api.created("Something is wrong with logins. Users see a blank page.", title=None)
    assert plain["title"] == "Something is wrong with logins"
    long_text = "word " * 100
    assert 0 < len(api.created(long_text)["title"]) <= 81


def test_the_same_idempotency_key_returns_the_original_session_unchanged(api: Api) -> None:
    first = api.create(idempotency_key="pagerduty-P12345", title="First")
    again = api.create("A different body", idempotency_key="pagerduty-P12345", title="Other")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert api.list().json()["total"] == 1
    # The replay's different body changed nothing on the server either.
    stored = api.session(first.json()["id"])
    assert (stored["title"], stored["input"]) == ("First", INCIDENT)
    assert [m["markdown_content"] for m in stored["messages"]] == [INCIDENT]


def test_the_replay_returns_the_session_as_it_is_now(api: Api) -> None:
    first = api.create(idempotency_key="incident-7").json()
    api.advance(3601)
    again = api.create(idempotency_key="incident-7")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["status"] in ("idle", "failed")
    assert again.json()["messages"] is None


def test_a_replay_succeeds_even_at_the_limit(api_factory: Any) -> None:
    api = api_factory(max_running=1)
    first = api.create(idempotency_key="only-one")
    assert first.status_code == 201
    assert_error(api.create(), 429)
    replay = api.create(idempotency_key="only-one")
    assert replay.status_code == 200
    assert replay.json()["id"] == first.json()["id"]


#: (body, the field its 400 must name); one emulator serves them all.
INVALID_BODIES: list[tuple[dict[str, Any], str]] = [
    ({"idempotency_key": "k"}, "input"),
    ({"input": 42, "idempotency_key": "k"}, "input"),
    ({"input": None, "idempotency_key": "k"}, "input"),
    ({"input": ["x"], "idempotency_key": "k"}, "input"),
    ({"input": "x"}, "idempotency_key"),
    ({"input": "x", "idempotency_key": "k" * 129}, "idempotency_key"),
    ({"input": "x", "idempotency_key": 7}, "idempotency_key"),
    ({"input": "x", "idempotency_key": None}, "idempotency_key"),
    ({"input": "x", "idempotency_key": "k", "title": "t" * 257}, "title"),
    ({"input": "x", "idempotency_key": "k", "title": 5}, "title"),
    ({"input": "x", "idempotency_key": "k", "time": "yesterday"}, "time"),
    ({"input": "x", "idempotency_key": "k", "time": "2024-03-15"}, "time"),
    ({"input": "x", "idempotency_key": "k", "time": "2024-13-45T99:00:00Z"}, "time"),
    ({"input": "x", "idempotency_key": "k", "time": 1710513000}, "time"),
    # RFC 3339, as the spec's date-time means: seconds and an offset are required.
    ({"input": "x", "idempotency_key": "k", "time": "2024-03-15T14:30:00"}, "time"),
    ({"input": "x", "idempotency_key": "k", "time": "2024-03-15T14:30Z"}, "time"),
    ({"input": "x", "idempotency_key": "k", "time": "2024-03-15 14:30:00Z"}, "time"),
    ({"input": "x", "idempotency_key": "k", "time": "2024-03-15T14:30:00+0200"}, "time"),
    ({"input": "x", "idempotency_key": "k", "time": "２０２４-03-15T14:30:00Z"}, "time"),
    ({"input": "x", "idempotency_key": "k", "thinking_mode": "slow"}, "thinking_mode"),
    ({"input": "x", "idempotency_key": "k", "thinking_mode": None}, "thinking_mode"),
    ({"input": "x", "idempotency_key": "k", "thinking_mode": "AUTO"}, "thinking_mode"),
]
NOT_OBJECTS = [b"", b"{", b"not json", b"[1, 2]", b'"text"', b"null", b"[" * 100_000]


def test_each_invalid_field_is_a_400_naming_it(api: Api) -> None:
    for body, field in INVALID_BODIES:
        error = assert_error(api.http.post("/v1/sessions", json=body), 400, f"'{field}'")
        assert error["retry_after"] is None
    assert api.list().json()["total"] == 0


def test_a_body_that_is_not_a_json_object_is_a_400(api: Api) -> None:
    for content in NOT_OBJECTS:
        response = api.http.post(
            "/v1/sessions", content=content, headers={"Content-Type": "application/json"}
        )
        assert_error(response, 400, "body")


def test_a_lone_surrogate_is_refused_not_a_server_error(api: Api) -> None:
    content = b'{"input": "broken \\ud800 text", "idempotency_key": "k"}'
    assert_error(api.http.post("/v1/sessions", content=content), 400, "'input'")


VALID_EDGES: list[dict[str, Any]] = [
    {"idempotency_key": "k" * 128},
    # The spec sets no minimum length: an empty input or key is a string like any other.
    {"idempotency_key": ""},
    {"input": ""},
    {"title": "t" * 256},
    {"title": None, "time": None},
    {"time": "2024-03-15T14:30:00+02:00"},
    {"time": "2024-03-15T14:30:00.123456Z"},
    {"time": "2024-03-15t14:30:00z"},
    {"time": "2016-12-31T23:59:60Z"},  # a leap second
    {"thinking_mode": "auto"},
    {"thinking_mode": "fast"},
    {"unknown_field": "ignored"},
]


def test_valid_edges_are_accepted(api_factory: Any) -> None:
    api = api_factory(max_running=len(VALID_EDGES))
    for fields in VALID_EDGES:
        response = api.create(**fields)
        assert response.status_code == 201, fields
        assert response.json()["title"], fields  # generated when missing, even from nothing
