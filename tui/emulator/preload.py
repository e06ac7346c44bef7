"""``--preload N``: sessions already there at start, in a realistic mix of states.

For organisation ``demo``: mostly ``idle`` sessions with findings created over
the last hours (every other one with a follow-up exchange or two), two
``running`` investigations that finish 20 to 90 seconds (real time) after
start, one ``follow_up_running`` session and one ``failed`` one. Sessions in
flight never exceed the organisation's limit. The mix depends on N only; the
details come from the emulator's seed.
"""

from __future__ import annotations

import random
from datetime import timedelta

from tui.api.models import ThinkingMode
from tui.emulator.engine import NewSession, Outcome, SessionEngine, SessionRecord
from tui.emulator.keys import DEMO_ORG

HOUR = 3600.0

#: (incident text with ``{time}`` for when symptoms began, title or None for an automatic one)
INCIDENTS: tuple[tuple[str, str | None], ...] = (
    (
        "checkout-service started returning 500 errors at {time} right after the v2.31.0 "
        "deploy. Error rate on /api/v1/checkout went from 0.1% to 18%.",
        "Checkout 500s after v2.31.0 deploy",
    ),
    (
        "orders-api requests timing out since {time}. Logs show 'Connection is not "
        "available, request timed out after 30000ms' from HikariCP. orders-db looks fine.",
        None,
    ),
    (
        "Partners report TLS handshake failures calling partner-api since {time}: "
        "x509: certificate has expired or is not yet valid.",
        "TLS errors on partner-api",
    ),
    (
        "search-api pods keep getting OOMKilled and restarting since {time}; memory climbs "
        "steadily after each restart. Intermittent 503s on /v1/search.",
        None,
    ),
    (
        "Payments failing: payments-service gets timeouts from Stripe since {time}, "
        "checkout conversion down 30%.",
        "Stripe timeouts in payments-service",
    ),
    (
        "catalog-api p99 latency jumped from 150 ms to 2.5 s at {time}, only on some pods. "
        "CPU throttling alerts on node ip-10-42-7-91.",
        "catalog-api latency spike",
    ),
    (
        "Elevated 502s from api-gateway on /api/v2/orders starting {time}. No recent deploys "
        "that we know of.",
        None,
    ),
    (
        "notifications-worker backlog growing since {time}; Twilio API calls returning 503 "
        "and SMS delivery delayed.",
        None,
    ),
    (
        "billing-service: 'too many connections' errors from postgres at {time} during the "
        "invoice run; /api/v1/invoices returning 500.",
        "Billing DB connection errors",
    ),
    (
        "cart-service error rate 12% after the rollout of v4.8.2 at {time}; rollback not "
        "started yet.",
        None,
    ),
)
FOLLOW_UPS = (
    "Should we roll back?",
    "How confident are you in this root cause?",
    "Can you give me the timeline?",
    "Which logs should I look at to confirm?",
    "What is the customer impact so far?",
    "Was the database connection pool exhausted?",
    "What should we do to prevent this next time?",
)


def plan(count: int, max_running: int) -> list[str]:
    """The status each preloaded session will have, oldest slot first."""
    first = ["idle", "running", "idle", "failed", "follow_up_running", "running"]
    statuses = (first + ["idle"] * max(0, count - len(first)))[:count]
    in_flight = 0
    for index, status in enumerate(statuses):
        if status in ("running", "follow_up_running"):
            in_flight += 1
            if in_flight > max_running:
                statuses[index] = "idle"
    return statuses


def preload(engine: SessionEngine, count: int, *, org: str = DEMO_ORG) -> None:
    """Create ``count`` sessions for ``org`` as if they had been started over the last hours."""
    rng = random.Random(f"{engine.seed}/preload")
    now = engine.clock.now()

    def soon() -> float:
        """20 to 90 real seconds from now, kept well inside the one-hour timeout."""
        return now + min(engine.clock.emulator_seconds(rng.uniform(20, 90)), 0.4 * HOUR)

    for index, status in enumerate(plan(count, engine.max_running)):
        if status == "running":
            created = now - min(engine.clock.emulator_seconds(rng.uniform(30, 150)), 0.4 * HOUR)
        else:
            created = now - rng.uniform(2 * HOUR, 8 * HOUR)
        record = engine.open_session(org, _request(engine, index, created, rng), created)
        if status == "running":
            engine.start_investigation(
                record, created, duration=soon() - created, outcome=Outcome.SUCCEED
            )
            continue
        outcome = rng.choice((Outcome.FAIL, Outcome.HANG)) if status == "failed" else None
        engine.start_investigation(
            record,
            created,
            duration=rng.uniform(45, 240),
            outcome=outcome or Outcome.SUCCEED,
        )
        if status == "follow_up_running":
            asked = now - engine.clock.emulator_seconds(rng.uniform(5, 30))
            _exchange(engine, record, rng, asked=asked, until=soon())
        elif status == "idle" and index % 2 == 0:
            for _ in range(rng.randint(1, 2)):
                _exchange(engine, record, rng)
    engine.settle(now)


def _request(engine: SessionEngine, index: int, created: float, rng: random.Random) -> NewSession:
    text, title = INCIDENTS[index % len(INCIDENTS)]
    began = engine.clock.to_datetime(created) - timedelta(minutes=rng.randint(3, 20))
    return NewSession(
        input=text.format(time=began.strftime("%Y-%m-%dT%H:%M:00Z")),
        idempotency_key=f"preload-{index + 1}",
        title=title,
        thinking_mode=rng.choice(list(ThinkingMode)),
    )


def _exchange(
    engine: SessionEngine,
    record: SessionRecord,
    rng: random.Random,
    *,
    asked: float | None = None,
    until: float | None = None,
) -> None:
    """One follow-up on ``record`` after its last work ended; running until ``until`` if given."""
    assert record.work is not None
    engine.settle(record.work.end)
    earliest = record.updated + 60
    asked = max(asked, earliest) if asked is not None else earliest + rng.uniform(60, 1200)
    duration = until - asked if until is not None else rng.uniform(15, 60)
    engine.start_follow_up(
        record,
        rng.choice(FOLLOW_UPS),
        ThinkingMode.AUTO,
        asked,
        duration=duration,
        outcome=Outcome.SUCCEED,
    )
