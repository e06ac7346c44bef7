"""--random-seed: the same seed and the same requests give the same sessions."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from tests.emulator.support import LONGEST_FOLLOW_UP, Api

INPUTS = [
    ("checkout-service 500s after deploy v3.2.0 at 2024-05-02T09:15:00Z", "auto"),
    ("orders-api: too many connections to postgres", "deep"),
    ("x509 certificate expired on partner-api", "fast"),
    ("search-api OOMKilled again", "auto"),
    ("Stripe timeouts from payments-service", "deep"),
    ("CPU throttling on catalog-api pods", "fast"),
    ("Something is off with logins", "auto"),
] * 2
QUESTIONS = ["Should we roll back?", "Why?", "Which logs?", "What is the impact?"]


#: Clock times in answers follow the wall clock the emulator started at, as do timestamps.
WALL_CLOCK = re.compile(r"\d{4}-\d\d-\d\d|\b\d\d:\d\d\b")


def seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def durations(session: dict[str, Any]) -> list[float]:
    """How long each piece of work took: creation or question to answer (or failure)."""
    messages = session["messages"]
    taken = []
    for n, message in enumerate(messages):
        if message["role"] == "user":
            ended = messages[n + 1]["created_at"] if n + 1 < len(messages) else None
            taken.append(seconds(message["created_at"], ended or session["updated_at"]))
    return taken


def run_script(api: Api) -> tuple[list[Any], list[list[float]]]:
    """The same requests in the same order; what they produced, and how long work took."""
    ids = [api.created(text, thinking_mode=mode)["id"] for text, mode in INPUTS]
    api.advance(3601)
    for n, session_id in enumerate(ids):
        if api.session(session_id)["status"] == "idle":
            api.follow_up(session_id, QUESTIONS[n % len(QUESTIONS)])
    api.advance(LONGEST_FOLLOW_UP)
    ids += [s["id"] for s in api.list().json()["sessions"] if s["id"] not in ids]  # preloaded
    sessions = [api.session(session_id) for session_id in ids]
    produced = [
        (
            s["id"],
            s["status"],
            s["title"],
            [
                (m["id"], m["role"], WALL_CLOCK.sub("T", m["markdown_content"]))
                for m in s["messages"]
            ],
        )
        for s in sessions
    ]
    return produced, [durations(s) for s in sessions]


def test_the_same_seed_gives_the_same_ids_findings_timings_and_failures(
    api_factory: Any,
) -> None:
    options = {"random_seed": "same-seed", "max_running": 50, "preload": 6}
    first, first_durations = run_script(api_factory(**options))
    second, second_durations = run_script(api_factory(**options))
    assert first == second
    for one, other in zip(first_durations, second_durations, strict=True):
        assert one == pytest.approx(other, abs=0.01)
    statuses = {entry[1] for entry in first}
    assert statuses == {"idle", "failed"}


def test_another_seed_gives_other_sessions(api_factory: Any) -> None:
    one = api_factory(random_seed="one").created()
    other = api_factory(random_seed="other").created()
    unseeded = api_factory(random_seed=None).created()
    assert len({one["id"], other["id"], unseeded["id"]}) == 3
