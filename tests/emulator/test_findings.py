"""The answers: realistic Markdown chosen from the incident text, and follow-up replies."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime

import pytest

from tests.emulator.support import LONGEST_FOLLOW_UP, Api
from tui.api.models import ThinkingMode
from tui.emulator.findings import answer_follow_up
from tui.emulator.incident import IncidentKind, classify, extract_facts
from tui.emulator.story import Story, build_story

INCIDENTS = {
    IncidentKind.BAD_DEPLOY: (
        "cart-service error rate hit 12% right after the rollout of v4.8.2 at "
        "2024-06-01T10:42:00Z; 502s on /api/v1/cart"
    ),
    IncidentKind.DB_POOL: (
        "billing-service: 'too many connections' from postgres at 2024-06-01T02:10:00Z, "
        "HikariCP pool exhausted, /api/v1/invoices returning 500"
    ),
    IncidentKind.TLS_EXPIRY: (
        "partner-api handshake failures since 2024-06-01T00:00:00Z: x509: certificate has expired"
    ),
    IncidentKind.MEMORY_LEAK: (
        "search-api pods OOMKilled every 30 minutes since 2024-06-01T08:05:00Z, memory "
        "leak suspected, 503 on /v1/search"
    ),
    IncidentKind.THIRD_PARTY: (
        "notifications-worker failing since 2024-06-01T13:20:00Z: Twilio returns 503 and "
        "their status page shows an incident"
    ),
    IncidentKind.NOISY_NEIGHBOUR: (
        "pricing-service p99 up 10x at 2024-06-01T16:45:00Z, CPU throttling on node "
        "ip-10-42-3-17, noisy neighbour?"
    ),
    IncidentKind.GENERIC: "The app feels broken since 2024-06-01T11:30:00Z, 500s on /login",
}


@pytest.mark.parametrize("kind", list(IncidentKind))
def test_the_incident_text_picks_the_kind(kind: IncidentKind) -> None:
    assert classify(INCIDENTS[kind]) is kind


def test_negated_words_do_not_count() -> None:
    assert classify("Elevated 502s from api-gateway. No recent deploys that we know of.") is (
        IncidentKind.GENERIC
    )


def test_specifics_are_read_from_the_text() -> None:
    facts = extract_facts(
        "Our checkout service started returning 500 errors at 2024-03-15T14:30:00Z after "
        "v2.1.0; /api/v1/pay took 400 ms; error rate from 0.1% to 15% on ip-10-0-3-7 (Stripe)"
    )
    assert facts.services == ("checkout-service",)
    assert facts.times == (datetime(2024, 3, 15, 14, 30, tzinfo=UTC),)
    assert facts.http_codes == ("500",)
    assert facts.endpoints == ("/api/v1/pay",)
    assert facts.versions == ("v2.1.0",)
    assert facts.percentages == ("0.1", "15")
    assert facts.nodes == ("ip-10-0-3-7",)
    assert facts.providers == ("Stripe",)


def test_every_kind_gets_a_full_report_with_the_incident_specifics(api: Api) -> None:
    answers = {}
    for kind, text in INCIDENTS.items():
        session = api.settled("idle", text)
        answer = session["messages"][1]["markdown_content"]
        answers[kind] = answer
        assert answer.startswith("## Investigation Summary\n")
        assert "**Root cause:**" in answer
        assert re.search(r"\*\*Confidence:\*\* (High|Medium|Low)", answer)
        assert answer.count("\n### ") >= 5  # evidence, anomalies, timeline, impact, steps
        assert "|---|" in answer  # tables
        assert "\n- " in answer and "\n1. " in answer  # lists
        assert re.search(r"`[^`\n]+`", answer)  # inline code
        facts = extract_facts(text)
        for service in facts.services[:1]:
            assert f"`{service}`" in answer
        assert facts.times[0].strftime("%H:%M") in answer
    assert sum("```" in answer for answer in answers.values()) >= 6  # code blocks
    assert len({answer.split("\n\n")[1] for answer in answers.values()}) == len(INCIDENTS)


def test_without_specifics_the_report_invents_plausible_ones_with_less_confidence(
    api: Api,
) -> None:
    answer = api.settled("idle", "Something is wrong")["messages"][1]["markdown_content"]
    assert re.search(r"`[a-z]+(-[a-z]+)+`", answer)  # some service name
    assert "**Confidence:** Low" in answer or "**Confidence:** Medium" in answer
    assert "no start time was given" in answer


def story(text: str = INCIDENTS[IncidentKind.BAD_DEPLOY]) -> Story:
    return build_story(
        text,
        incident_time=None,
        created=datetime(2024, 6, 1, 11, 0, tzinfo=UTC),
        mode=ThinkingMode.AUTO,
        rng=random.Random(7),
    )


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Should we roll back?", ["roll"]),
        ("Was the connection pool exhausted?", ["pool"]),
        ("Which logs should I check?", ["```"]),
        ("Can you give me the timeline?", ["10:42"]),
        ("Why do you think it's the deploy?", ["v4.8.2"]),
        ("How confident are you?", ["High", "Medium", "Low"]),
        ("What's the customer impact?", ["%"]),
        ("What should we do next?", ["cart-service"]),
        ("Can I see it on a dashboard?", ["promql"]),
    ],
)
def test_follow_ups_answer_the_question_asked(question: str, words: list[str]) -> None:
    replies = [
        answer_follow_up(question, story(), mode, random.Random(seed))
        for mode in ThinkingMode
        for seed in range(4)
    ]
    for reply in replies:
        assert any(word in reply for word in words), reply
    assert any("###" not in reply for reply in replies), "some replies are short"
    assert any("###" in reply for reply in replies), "some replies are structured"


def test_a_follow_up_over_http_answers_in_the_sessions_context(api: Api) -> None:
    session = api.settled("idle", INCIDENTS[IncidentKind.DB_POOL])
    accepted = api.follow_up(session["id"], "Was the connection pool exhausted?").json()
    api.advance(LONGEST_FOLLOW_UP)
    reply = api.session(session["id"])["messages"][-1]
    assert reply["id"] == accepted["assistant_message_id"]
    assert "exhausted" in reply["markdown_content"]
    assert "billing-service" in reply["markdown_content"]
