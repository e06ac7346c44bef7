"""HTTP surface: the error envelope everywhere, no server errors, request statistics."""

from __future__ import annotations

import json
import logging
import socket

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.support import Api, assert_error, wait_for
from tui.emulator.server import EmbeddedEmulator, EmulatorOptions


def test_unknown_routes_are_a_404_in_the_envelope(api: Api) -> None:
    for path in ("/", "/v2/sessions", "/v1/sessions/", "/v1/sessions/x/messages/y", "/v1"):
        response = api.http.get(path)
        error = assert_error(response, 404)
        assert error["retry_after"] is None
    # A trailing slash is not redirected.
    assert "location" not in api.http.get("/v1/sessions/").headers


def test_wrong_methods_are_a_405_with_allow(api: Api) -> None:
    session = api.created()
    cases = [
        ("DELETE", "/v1/sessions"),
        ("PUT", f"/v1/sessions/{session['id']}"),
        ("POST", f"/v1/sessions/{session['id']}"),
        ("GET", f"/v1/sessions/{session['id']}/messages"),
        ("PATCH", "/_emulator/advance"),
    ]
    for method, path in cases:
        response = api.http.request(method, path)
        assert_error(response, 405, method)
        allowed = response.headers["Allow"].split(", ")
        assert allowed == sorted(allowed) and method not in allowed


def test_errors_come_before_auth_only_for_routing(api: Api) -> None:
    anonymous = httpx.Client(base_url=api.emulator.base_url)
    try:
        assert anonymous.get("/nowhere").status_code == 404
        assert anonymous.delete("/v1/sessions").status_code == 405
        assert_error(anonymous.post("/v1/sessions", content=b"{"), 401)
    finally:
        anonymous.close()


def test_stats_count_requests_per_method_and_route_template(api: Api) -> None:
    session = api.created()
    api.get(session["id"])
    api.get("not-a-uuid")
    api.list()
    api.follow_up(session["id"])
    api.http.get("/nowhere")
    api.http.delete("/v1/sessions")
    api.advance(1)
    assert api.stats() == {
        "POST /v1/sessions": 1,
        "GET /v1/sessions/{session_id}": 2,
        "GET /v1/sessions": 1,
        "POST /v1/sessions/{session_id}/messages": 1,
        "GET (unmatched)": 1,
        "DELETE /v1/sessions": 1,
    }
    assert api.emulator.stats.snapshot() == api.stats()


METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
SEGMENT_WORDS = ["v1", "sessions", "messages", "_emulator", "advance", "stats", "%00", "..", "é"]
SEGMENTS = st.lists(
    st.sampled_from([*SEGMENT_WORDS, "x" * 300, "00000000-0000-4000-8000-000000000000"]),
    max_size=4,
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=10,
)
BODIES = st.one_of(
    st.binary(max_size=50),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "input": JSON_VALUES,
            "idempotency_key": JSON_VALUES,
            "title": JSON_VALUES,
            "time": JSON_VALUES,
            "thinking_mode": JSON_VALUES,
            "seconds": JSON_VALUES,
        },
    ).map(lambda value: json.dumps(value).encode()),
)


def test_no_request_ever_gets_a_server_error() -> None:
    with EmbeddedEmulator(
        EmulatorOptions(port=0, random_seed="fuzz", max_running=1000)
    ) as emulator:
        client = httpx.Client(
            base_url=emulator.base_url, headers={"Authorization": "Bearer trv_ak_demo_admin"}
        )

        @settings(
            max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(
            method=METHODS,
            segments=SEGMENTS,
            body=BODIES,
            query=st.dictionaries(
                st.sampled_from(["page", "limit"]), st.text(max_size=5), max_size=2
            ),
        )
        def request_anything(
            method: str, segments: list[str], body: bytes, query: dict[str, str]
        ) -> None:
            response = client.request(method, "/" + "/".join(segments), content=body, params=query)
            assert response.status_code < 500, response.text
            if response.status_code >= 400:
                assert_error(response, response.status_code)

        try:
            request_anything()
        finally:
            client.close()


def test_a_client_that_leaves_mid_body_is_not_a_server_error(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    head = (
        f"POST /v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {api.key}\r\n"
        "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", api.emulator.port), timeout=5) as raw:
        raw.sendall(head.encode() + b'{"input": "cut sh')
    wait_for(lambda: api.stats().get("POST /v1/sessions") == 1)
    assert api.list().json()["total"] == 0  # still serving, nothing created
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
