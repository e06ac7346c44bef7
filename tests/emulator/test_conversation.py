"""GET /v1/sessions/{id} and follow-ups: the state machine and the conversation."""

from __future__ import annotations

import re
from typing import Any

from tests.emulator.support import (
    INCIDENT,
    LONGEST_FOLLOW_UP,
    LONGEST_INVESTIGATION,
    Api,
    assert_error,
)

MESSAGE_ID = re.compile(r"msg-\d{3}-[0-9a-f-]{36}")


def test_unknown_malformed_and_odd_ids_are_404(api: Api) -> None:
    api.created()
    for session_id in (
        "00000000-0000-4000-8000-000000000000",
        "not-a-uuid",
        "123",
        "00000000000040008000000000000000",
        "{00000000-0000-4000-8000-000000000000}",
        "%20",
        "..",
    ):
        assert_error(api.get(session_id), 404, "not found")
        assert_error(api.follow_up(session_id), 404, "not found")


def test_ids_are_matched_case_insensitively(api: Api) -> None:
    session = api.created()
    assert api.session(session["id"].upper())["id"] == session["id"]


def test_a_new_session_holds_the_input_as_its_first_message(api: Api) -> None:
    session = api.session(api.created()["id"])
    assert session["status"] == "running"
    [message] = session["messages"]
    assert message["role"] == "user"
    assert message["markdown_content"] == INCIDENT
    assert message["created_at"] == session["created_at"]
    assert MESSAGE_ID.fullmatch(message["id"])


def test_an_investigation_ends_idle_with_an_assistant_answer(api: Api) -> None:
    created = api.created()
    api.advance(LONGEST_INVESTIGATION)
    session = api.session(created["id"])
    assert session["status"] == "idle"
    user, answer = session["messages"]
    assert answer["role"] == "assistant"
    assert answer["markdown_content"].startswith("## Investigation Summary")
    assert MESSAGE_ID.fullmatch(answer["id"]) and answer["id"] != user["id"]
    assert session["updated_at"] == answer["created_at"] > session["created_at"]


def test_a_follow_up_is_202_and_shapes_the_conversation(api: Api) -> None:
    session = api.settled("idle")
    before = session["updated_at"]
    response = api.follow_up(session["id"], "Should we roll back the deploy?")
    assert response.status_code == 202
    accepted = response.json()
    assert accepted["status"] == "follow_up_running"
    assert accepted["messages"] is None
    assert accepted["id"] == session["id"]
    assert accepted["updated_at"] > before
    user_id, assistant_id = accepted["user_message_id"], accepted["assistant_message_id"]
    assert MESSAGE_ID.fullmatch(user_id) and MESSAGE_ID.fullmatch(assistant_id)
    assert user_id != assistant_id

    during = api.session(session["id"])
    assert [m["id"] for m in during["messages"]][-1] == user_id
    assert during["messages"][-1]["markdown_content"] == "Should we roll back the deploy?"
    assert len(during["messages"]) == 3

    api.advance(LONGEST_FOLLOW_UP)
    after = api.session(session["id"])
    assert after["status"] in ("idle", "failed")
    if after["status"] == "idle":
        assert [m["role"] for m in after["messages"]] == ["user", "assistant", "user", "assistant"]
        assert after["messages"][-1]["id"] == assistant_id
        assert "roll" in after["messages"][-1]["markdown_content"].lower()
        assert after["updated_at"] == after["messages"][-1]["created_at"]
    assert after["updated_at"] > accepted["updated_at"]


def test_several_follow_ups_keep_the_order_and_distinct_ids(api_factory: Any) -> None:
    api = api_factory(random_seed="three-follow-ups")
    session = api.settled("idle")
    asked: list[str] = []
    for question in ("Why?", "How confident are you?", "What is the impact?"):
        if api.session(session["id"])["status"] != "idle":
            break
        accepted = api.follow_up(session["id"], question).json()
        asked += [accepted["user_message_id"], accepted["assistant_message_id"]]
        api.advance(LONGEST_FOLLOW_UP)
    messages = api.session(session["id"])["messages"]
    ids = [m["id"] for m in messages]
    assert len(set(ids)) == len(ids)
    assert ids[2 : 2 + len(asked)] == asked[: len(ids) - 2]
    numbers = [int(i.split("-")[1]) for i in ids]
    assert numbers == list(range(1, len(ids) + 1))


def test_a_follow_up_while_busy_is_409_with_retry_after(api: Api) -> None:
    running = api.created()
    response = api.follow_up(running["id"])
    error = assert_error(response, 409, "running", "idle")
    assert isinstance(error["retry_after"], int) and error["retry_after"] >= 1
    assert response.headers["Retry-After"] == str(error["retry_after"])
    assert "fail" not in error["message"].lower()

    idle = api.settled("idle")
    assert api.follow_up(idle["id"]).status_code == 202
    busy = api.follow_up(idle["id"], "And another question")
    error = assert_error(busy, 409, "follow_up_running")
    assert busy.headers["Retry-After"] == str(error["retry_after"])
    assert len(api.session(idle["id"])["messages"]) == 3  # the refused question left no trace


def test_a_follow_up_on_a_failed_session_says_to_start_again(api: Api) -> None:
    failed = api.settled("failed")
    assert [m["role"] for m in failed["messages"]] == ["user"]  # no answer on failure
    response = api.follow_up(failed["id"])
    error = assert_error(response, 409, "failed", "new investigation")
    assert isinstance(error["retry_after"], int) and error["retry_after"] >= 1
    assert response.headers["Retry-After"] == str(error["retry_after"])


def test_invalid_follow_up_bodies_are_a_400_naming_the_field(api: Api) -> None:
    session = api.settled("idle")
    path = f"/v1/sessions/{session['id']}/messages"
    for body, field in (
        ({}, "input"),
        ({"input": None}, "input"),
        ({"input": 3}, "input"),
        ({"input": ["why?"]}, "input"),
        ({"input": "ok", "thinking_mode": "turbo"}, "thinking_mode"),
        ({"input": "ok", "thinking_mode": None}, "thinking_mode"),
    ):
        error = assert_error(api.http.post(path, json=body), 400, f"'{field}'")
        assert error["retry_after"] is None
    assert_error(api.http.post(path, content=b"[]"), 400, "body")
    assert api.session(session["id"])["status"] == "idle"


def test_an_empty_follow_up_is_a_question_like_any_other(api: Api) -> None:
    # The spec sets no minimum length on ``input``.
    session = api.settled("idle")
    response = api.follow_up(session["id"], "")
    assert response.status_code == 202, response.text
    assert api.session(session["id"])["messages"][-1]["markdown_content"] == ""
    api.advance(LONGEST_FOLLOW_UP)
    assert api.session(session["id"])["status"] in ("idle", "failed")


def test_messages_are_null_everywhere_but_get(api: Api) -> None:
    created = api.created()
    assert created["messages"] is None
    api.advance(LONGEST_INVESTIGATION)
    replay = api.create(idempotency_key="replay-me")
    assert replay.json()["messages"] is None
    assert all(s["messages"] is None for s in api.list().json()["sessions"])
    assert isinstance(api.session(created["id"])["messages"], list)
