"""Reading an incident description: the kind of incident and the specifics it names.

Simple regular expressions, as a first pass of a real triage would do: service
names (``checkout-service``, ``payments api``), ISO-8601 times, HTTP status
codes, endpoints, versions, percentages and well-known third-party providers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class IncidentKind(StrEnum):
    BAD_DEPLOY = "bad_deploy"
    DB_POOL = "db_pool"
    TLS_EXPIRY = "tls_expiry"
    MEMORY_LEAK = "memory_leak"
    THIRD_PARTY = "third_party"
    NOISY_NEIGHBOUR = "noisy_neighbour"
    GENERIC = "generic"


KNOWN_PROVIDERS: tuple[str, ...] = (
    "Stripe",
    "Twilio",
    "SendGrid",
    "Auth0",
    "Okta",
    "PayPal",
    "Adyen",
    "Braintree",
    "Plaid",
    "Mailgun",
    "Cloudflare",
    "Fastly",
    "Akamai",
    "Segment",
    "Shopify",
    "GitHub",
)

#: Keywords per kind with their weight; the kind with the highest score wins,
#: ties go to the earlier kind. Symptoms shared by every kind (latency, 5xx)
#: are deliberately absent: they say nothing about the cause.
_KEYWORDS: dict[IncidentKind, tuple[tuple[int, tuple[str, ...]], ...]] = {
    IncidentKind.TLS_EXPIRY: (
        (3, ("x509", "x.509", "certificate", "cert-manager", "handshake")),
        (2, ("tls", "ssl", "cert ", "certs", "expired", "expiry")),
    ),
    IncidentKind.DB_POOL: (
        (3, ("connection pool", "too many connections", "hikari", "pgbouncer")),
        (2, ("database", "postgres", "mysql", "pool", "rds", "deadlock", "acquire")),
        (1, (" db", "db ", "-db")),
    ),
    IncidentKind.MEMORY_LEAK: (
        (3, ("oom", "leak", "out of memory", "heap")),
        (2, ("memory", "garbage collect", "crashloop", "rss", "evicted")),
        (1, (" gc", "restarts", "restarting")),
    ),
    IncidentKind.THIRD_PARTY: (
        (3, ("third-party", "third party", "3rd party", "status page", "statuspage")),
        (2, ("vendor", "provider", "external api", "upstream")),
        (2, tuple(provider.lower() for provider in KNOWN_PROVIDERS)),
    ),
    IncidentKind.NOISY_NEIGHBOUR: (
        (3, ("noisy", "neighbour", "neighbor", "throttl", "cpu steal", "contention")),
        (2, ("cpu", "node pressure", "saturat", "steal")),
    ),
    IncidentKind.BAD_DEPLOY: (
        (3, ("deploy", "rollout", "rolled out", "roll out", "canary", "rollback")),
        (2, ("release", "merged", "new version", "feature flag", "config change", "upgrade")),
    ),
}


_SERVICE_SUFFIXES = (
    "service|svc|api|worker|workers|gateway|db|server|proxy|web|app|frontend|backend|"
    "queue|cache|consumer|producer|scheduler|cron|job|jobs|daemon|router|ingester|"
    "indexer|processor|store|auth|bff"
)
_HYPHENATED = re.compile(
    rf"\b([a-z][a-z0-9]*(?:[-_][a-z0-9]+)*[-_](?:{_SERVICE_SUFFIXES}))\b", re.IGNORECASE
)
_WORD_BEFORE_SERVICE = re.compile(r"\b([a-z][a-z0-9-]{2,30})\s+(?:service|api|svc)(?![-\w])", re.I)
_NOT_SERVICE_NAMES = frozenset(
    {
        "the",
        "our",
        "this",
        "that",
        "a",
        "an",
        "main",
        "whole",
        "entire",
        "same",
        "other",
        "each",
        "every",
        "their",
        "your",
        "its",
        "any",
        "external",
        "public",
        "internal",
        "rest",
        "web",
        "third-party",
        "party",
        "upstream",
        "downstream",
        "backend",
        "new",
    }
)
#: "no recent deploys", "not the database": a negation up to the end of its clause.
_NEGATED = re.compile(r"\b(?:no|not|without|never|none|isn't|wasn't|aren't)\b[^.;,!?]*")
_ISO_TIME = re.compile(
    r"\b((?:19[7-9]\d|2\d{3})-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)",
    re.IGNORECASE,
)
_HTTP_CODE = re.compile(r"(?<![\w.])([45]\d\d)(?:s)?\b(?!\s*(?:ms|s\b|m\b|%|mb|gb|kb|k\b))", re.I)
_ENDPOINT = re.compile(
    r"(?<![\w.:/])(/(?:[A-Za-z0-9_.{}:-]+/)*[A-Za-z0-9_.{}:-]*[A-Za-z][\w.{}:-]*)"
)
_VERSION = re.compile(r"\b(v?\d+\.\d+\.\d+(?:-[a-z0-9.]+)?|v\d+\.\d+)\b", re.IGNORECASE)
_NODE = re.compile(r"\b(ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}|(?:node|host)-[a-z0-9-]*\d)\b", re.I)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?%")


@dataclass(frozen=True)
class IncidentFacts:
    """What an incident description names, in order of appearance."""

    services: tuple[str, ...] = ()
    times: tuple[datetime, ...] = ()
    http_codes: tuple[str, ...] = ()
    endpoints: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    percentages: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()


def _unique(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return tuple(seen)


def _parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.upper().replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _services(text: str) -> tuple[str, ...]:
    found: list[tuple[int, str]] = []
    for match in _HYPHENATED.finditer(text):
        found.append((match.start(), match.group(1).lower()))
    for match in _WORD_BEFORE_SERVICE.finditer(text):
        word = match.group(1).lower()
        if word not in _NOT_SERVICE_NAMES and not word.isdigit():
            found.append((match.start(), f"{word}-service"))
    names = [name for _, name in sorted(found)]
    return _unique([n for n in names if n.split("-")[0] not in _NOT_SERVICE_NAMES or "-" in n])


def extract_facts(text: str) -> IncidentFacts:
    """The specifics an incident description names."""
    times = [t for t in (_parse_time(m.group(1)) for m in _ISO_TIME.finditer(text)) if t]
    lowered = text.lower()
    providers = [p for p in KNOWN_PROVIDERS if p.lower() in lowered]
    return IncidentFacts(
        services=_services(text),
        times=tuple(times),
        http_codes=_unique(_HTTP_CODE.findall(_ISO_TIME.sub(" ", text))),
        endpoints=_unique(_ENDPOINT.findall(text)),
        versions=_unique(_VERSION.findall(_ISO_TIME.sub(" ", text))),
        providers=tuple(providers),
        percentages=_unique(_PERCENT.findall(text)),
        nodes=_unique([node.lower() for node in _NODE.findall(text)]),
    )


def classify(text: str) -> IncidentKind:
    """The incident kind whose keywords the text mentions most; GENERIC when none."""
    lowered = _NEGATED.sub(" ", f" {text.lower()} ")
    best, best_hits = IncidentKind.GENERIC, 0
    for kind, groups in _KEYWORDS.items():
        hits = sum(weight * lowered.count(word) for weight, words in groups for word in words)
        if hits > best_hits:
            best, best_hits = kind, hits
    return best


_TITLES = {
    IncidentKind.BAD_DEPLOY: "Errors on {service} after a deploy",
    IncidentKind.DB_POOL: "Database connection errors on {service}",
    IncidentKind.TLS_EXPIRY: "TLS handshake failures on {service}",
    IncidentKind.MEMORY_LEAK: "{service} restarting out of memory",
    IncidentKind.THIRD_PARTY: "{provider} failures affecting {service}",
    IncidentKind.NOISY_NEIGHBOUR: "Latency and CPU throttling on {service}",
    IncidentKind.GENERIC: "HTTP {code} errors on {service}",
}


def _first_line(text: str, limit: int) -> str:
    line = " ".join(text.strip().splitlines()[0].split()) if text.strip() else "Investigation"
    for end in (". ", "? ", "! "):
        if end in line[: limit + 1]:
            line = line[: line.index(end) + 1]
            break
    if len(line) <= limit:
        return line.rstrip(".")
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(" ,;:.") + "\u2026"


def suggest_title(text: str, limit: int = 80) -> str:
    """A short title: the kind of incident and the service it names, else the first line."""
    facts = extract_facts(text)
    kind = classify(text)
    template = _TITLES[kind]
    has_all = bool(facts.services) and (
        ("{provider}" not in template or bool(facts.providers))
        and ("{code}" not in template or bool(facts.http_codes))
    )
    if not has_all:
        return _first_line(text, limit)
    title = template.format(
        service=facts.services[0],
        provider=facts.providers[0] if facts.providers else "",
        code=facts.http_codes[0] if facts.http_codes else "",
    )
    return title if len(title) <= limit else _first_line(text, limit)
