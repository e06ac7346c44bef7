"""The specifics of one investigation: what happened, where and when.

A :class:`Story` is drawn once, when an investigation starts, from the
incident text (names, times and codes it gives) and the session's seeded
random source (plausible values for what it does not give). The findings
and every follow-up answer of the session are written from it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tui.api.models import ThinkingMode
from tui.emulator.incident import IncidentFacts, IncidentKind, classify, extract_facts

CONFIDENCE_LEVELS = ("Low", "Medium", "High")

_DEFAULT_SERVICES: dict[IncidentKind, tuple[str, ...]] = {
    IncidentKind.BAD_DEPLOY: ("checkout-service", "cart-service", "orders-api"),
    IncidentKind.DB_POOL: ("orders-api", "billing-service", "inventory-service"),
    IncidentKind.TLS_EXPIRY: ("auth-gateway", "payments-api", "partner-api"),
    IncidentKind.MEMORY_LEAK: ("search-api", "recommendation-service", "media-worker"),
    IncidentKind.THIRD_PARTY: ("payments-service", "notifications-worker", "identity-service"),
    IncidentKind.NOISY_NEIGHBOUR: ("catalog-api", "pricing-service", "session-store"),
    IncidentKind.GENERIC: ("api-gateway", "checkout-service", "user-profile-service"),
}
_DEFAULT_PROVIDERS = ("Stripe", "Twilio", "SendGrid", "Auth0")
_DEFAULT_ENDPOINTS = ("/api/v1/checkout", "/api/v2/orders", "/api/v1/payments", "/v1/search")
_DEPENDENCIES = ("inventory-service", "pricing-service", "ledger-service", "profile-cache")
_BATCH_JOBS = ("report-builder", "search-reindex", "ml-feature-backfill")
_FAST_CODES = {IncidentKind.NOISY_NEIGHBOUR: "504", IncidentKind.THIRD_PARTY: "502"}


@dataclass(frozen=True)
class Story:
    """Everything an answer about one incident needs; all strings are plain text."""

    kind: IncidentKind
    service: str
    start: datetime
    time_given: bool
    service_given: bool
    http_code: str
    endpoint: str
    version: str
    previous_version: str
    provider: str
    database: str
    node: str
    dependency: str
    batch_job: str
    baseline_rate: str
    peak_rate: str
    duration_minutes: int
    confidence: str
    style: int

    def at(self, minutes: float) -> str:
        """The wall-clock time (``HH:MM``) ``minutes`` after the symptoms began."""
        return (self.start + timedelta(minutes=minutes)).strftime("%H:%M")

    @property
    def day(self) -> str:
        return self.start.strftime("%Y-%m-%d")

    @property
    def host(self) -> str:
        return f"{self.service}.prod.internal"


def _usable(moment: datetime | None) -> datetime | None:
    """Times far outside the present make no sense on a timeline; ignore them."""
    if moment is None or not 1970 <= moment.year <= 2999:
        return None
    return moment


def _confidence(
    kind: IncidentKind,
    facts: IncidentFacts,
    time_given: bool,
    mode: ThinkingMode,
    rng: random.Random,
) -> int:
    """0, 1 or 2 (Low, Medium, High): like the vendor's, it reflects how complete the data was."""
    score = int(time_given) + int(bool(facts.services))
    score += {ThinkingMode.DEEP: 1, ThinkingMode.FAST: -1}.get(mode, 0)
    if rng.random() < 0.15:
        score -= 1
    ceiling = 1 if kind is IncidentKind.GENERIC else 2  # the generic story leaves the cause open
    return max(0, min(ceiling, score))


def _version(facts: IncidentFacts, rng: random.Random) -> tuple[str, str]:
    if facts.versions:
        version = facts.versions[0]
    else:
        version = f"v{rng.randint(1, 4)}.{rng.randint(2, 40)}.{rng.randint(0, 9)}"
    parts = version.lstrip("v").split(".")
    try:
        minor = int(parts[1])
    except (IndexError, ValueError):
        return version, "the previous release"
    previous = ".".join([parts[0], str(max(0, minor - 1)), *(["0"] if len(parts) > 2 else [])])
    return version, ("v" if version.startswith("v") else "") + previous


def _rates(facts: IncidentFacts, rng: random.Random) -> tuple[str, str]:
    if len(facts.percentages) >= 2:
        return facts.percentages[0], facts.percentages[-1]
    if facts.percentages:
        return "0.1", facts.percentages[0]
    return "0.1", str(rng.choice((4, 7, 12, 18, 23, 31)))


def build_story(
    text: str,
    *,
    incident_time: datetime | None,
    created: datetime,
    mode: ThinkingMode,
    rng: random.Random,
) -> Story:
    """Draw the story of one investigation of ``text`` (the session's input)."""
    facts = extract_facts(text)
    kind = classify(text)
    given_time = _usable(facts.times[0] if facts.times else None) or _usable(incident_time)
    start = given_time or created - timedelta(minutes=rng.randint(6, 45))
    service = facts.services[0] if facts.services else rng.choice(_DEFAULT_SERVICES[kind])
    version, previous = _version(facts, rng)
    baseline, peak = _rates(facts, rng)
    default_code = _FAST_CODES.get(kind, rng.choice(("500", "502", "503")))
    return Story(
        kind=kind,
        service=service,
        start=start.replace(second=0, microsecond=0),
        time_given=given_time is not None,
        service_given=bool(facts.services),
        http_code=facts.http_codes[0] if facts.http_codes else default_code,
        endpoint=facts.endpoints[0] if facts.endpoints else rng.choice(_DEFAULT_ENDPOINTS),
        version=version,
        previous_version=previous,
        provider=facts.providers[0] if facts.providers else rng.choice(_DEFAULT_PROVIDERS),
        database=f"{service.split('-')[0]}-db",
        node=facts.nodes[0]
        if facts.nodes
        else f"ip-10-42-{rng.randint(1, 9)}-{rng.randint(10, 250)}",
        dependency=rng.choice([d for d in _DEPENDENCIES if d != service]),
        batch_job=rng.choice(_BATCH_JOBS),
        baseline_rate=baseline,
        peak_rate=peak,
        duration_minutes=rng.randint(14, 48),
        confidence=CONFIDENCE_LEVELS[_confidence(kind, facts, given_time is not None, mode, rng)],
        style=rng.randrange(1000),
    )
