"""--faults: the grammar and each kind of fault, seen from a real HTTP client."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx
import pytest

from tests.emulator.support import Api, assert_error, wait_for
from tui.emulator.faults import FaultSpec, parse_faults
from tui.emulator.server import EmulatorOptions


def test_the_documented_example_parses() -> None:
    spec = parse_faults(
        "latency=0.2-1.5,error=0.1:503,html502=0.05,drop=0.02,garbage=0.05,only=GET"
    )
    assert spec == FaultSpec(
        latency=(0.2, 1.5),
        error_rate=0.1,
        error_codes=(503,),
        html502_rate=0.05,
        drop_rate=0.02,
        drop_after=False,
        garbage_rate=0.05,
        only=("GET",),
    )
    assert parse_faults(" latency = 0.5 , drop=1:after, only=create|/v1/*|POST") == FaultSpec(
        latency=(0.5, 0.5), drop_rate=1.0, drop_after=True, only=("create", "/v1/*", "POST")
    )
    assert parse_faults("error=0.3:500|502") == FaultSpec(error_rate=0.3, error_codes=(500, 502))
    assert parse_faults(None) is None
    assert parse_faults("  ") is None


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("bogus=1", "unknown fault term"),
        ("latency", "latency=VALUE"),
        ("latency=abc", "seconds"),
        ("latency=2-1", "MIN-MAX"),
        ("latency=-1", "seconds"),
        ("error=1.5", "rate from 0 to 1"),
        ("error=0.1:404", "500, 502 or 503"),
        ("drop=0.1:sometimes", "before"),
        ("garbage=nan", "rate"),
        ("only=PUTS", "selectors"),
        ("error=0.1,error=0.2", "twice"),
        ("latency=0.1,,drop=0.1", "unknown fault term"),
    ],
)
def test_a_bad_spec_is_a_clear_value_error(spec: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_faults(spec)
    with pytest.raises(ValueError, match=words):
        EmulatorOptions(faults=spec)


def test_latency_delays_api_requests_but_not_the_control_routes(api_factory: Any) -> None:
    api: Api = api_factory(faults="latency=0.3")
    started = time.monotonic()
    assert api.list().status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    api.stats()
    assert time.monotonic() - started < 0.3


def test_random_latency_stays_in_its_range(api_factory: Any) -> None:
    api: Api = api_factory(faults="latency=0.02-0.08")
    for _ in range(5):
        started = time.monotonic()
        api.list()
        assert 0.02 <= time.monotonic() - started < 1


def test_errors_use_the_envelope_and_are_not_processed(api_factory: Any) -> None:
    api: Api = api_factory(faults="error=1:503")
    assert_error(api.create(), 503, "not available")
    assert_error(api.list(), 503)
    assert api.emulator.engine.running_count("demo") == 0


def test_error_codes_are_drawn_from_the_list(api_factory: Any) -> None:
    api: Api = api_factory(faults="error=1:500|502")
    codes = {api.list().status_code for _ in range(20)}
    assert codes == {500, 502}


def test_a_proxy_502_is_an_html_page(api_factory: Any) -> None:
    api: Api = api_factory(faults="html502=1")
    response = api.list()
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in response.text


def test_a_dropped_connection_gets_no_answer_and_is_not_processed(api_factory: Any) -> None:
    api: Api = api_factory(faults="drop=1")
    with pytest.raises(httpx.RemoteProtocolError):
        api.create()
    assert api.emulator.engine.running_count("demo") == 0
    assert api.stats() == {"POST /v1/sessions": 1}


def test_a_connection_dropped_after_processing_loses_only_the_answer(api_factory: Any) -> None:
    api: Api = api_factory(faults="drop=1:after,only=create")
    with pytest.raises(httpx.RemoteProtocolError):
        api.create(idempotency_key="lost-answer")
    [session] = api.list().json()["sessions"]  # the investigation was started all the same
    assert session["status"] == "running"


def test_garbage_is_a_truncated_json_body_with_the_real_status(api_factory: Any) -> None:
    api: Api = api_factory(faults="garbage=1,only=create")
    response = api.create()
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert api.list().json()["total"] == 1


def test_only_limits_faults_to_matching_requests(api_factory: Any) -> None:
    by_method: Api = api_factory(faults="error=1:500,only=GET")
    assert by_method.create().status_code == 201
    assert by_method.list().status_code == 500
    by_operation: Api = api_factory(faults="error=1:500,only=follow_up|get")
    session = by_operation.created()
    assert by_operation.list().status_code == 200
    assert by_operation.get(session["id"]).status_code == 500
    assert by_operation.follow_up(session["id"]).status_code == 500
    by_path: Api = api_factory(faults="error=1:503,only=/v1/sessions/*")
    session = by_path.created()
    assert by_path.get(session["id"]).status_code == 503


def test_fault_rates_are_seeded(api_factory: Any) -> None:
    def pattern() -> list[int]:
        api: Api = api_factory(faults="error=0.5:503", random_seed="faults")
        return [api.list().status_code for _ in range(30)]

    first, second = pattern(), pattern()
    assert first == second
    assert 5 <= first.count(503) <= 25


def test_faulted_requests_are_counted(api_factory: Any) -> None:
    api: Api = api_factory(faults="html502=1")
    api.list()
    api.list()
    assert api.stats() == {"GET /v1/sessions": 2}


def test_a_client_that_stops_waiting_does_not_stop_a_slow_request(
    api_factory: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Latency is a slow server: the request has arrived and is processed all the same.
    api: Api = api_factory(faults="latency=0.4,only=follow_up")
    session = api.settled("idle")
    with pytest.raises(httpx.TimeoutException):
        api.follow_up(session["id"], "Is it the deploy?", timeout=0.1)
    wait_for(lambda: len(api.session(session["id"])["messages"]) == 3, timeout=5)
    assert api.session(session["id"])["messages"][-1]["markdown_content"] == "Is it the deploy?"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
