"""Findings-like Markdown documents of a requested size, for tests and benchmarks.

The documents look like what an investigation answer contains: headings, a
summary with emphasis, inline code and links, 12-row tables, 15-line code
blocks in several languages, nested lists and block quotes. They are built
from a seeded generator, so the same size and seed always give the same text.
"""

from __future__ import annotations

import random

SERVICES = (
    "checkout-api",
    "payments-gateway",
    "inventory-sync",
    "edge-proxy",
    "orders-db",
    "session-cache",
    "search-indexer",
    "notification-worker",
)
SIGNALS = ("p99 latency", "5xx rate", "CPU", "heap", "queue depth", "error budget", "saturation")
VERBS = ("spiked", "degraded", "recovered", "flapped", "stalled", "saturated", "drained")

CODE_SAMPLES: dict[str, list[str]] = {
    "python": [
        "def retry_budget(requests: int, failures: int) -> float:",
        '    """Share of the retry budget left in this window."""',
        "    if requests == 0:",
        "        return 1.0",
        "    ratio = failures / requests",
        "    return max(0.0, 1.0 - ratio * RETRY_MULTIPLIER)",
    ],
    "sql": [
        "SELECT service, percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms)",
        "  FROM request_log",
        " WHERE ts > now() - interval '30 minutes'",
        "   AND status >= 500",
        " GROUP BY service",
        " ORDER BY 2 DESC;",
    ],
    "bash": [
        "kubectl -n prod get pods -l app=checkout-api -o wide",
        "kubectl -n prod logs deploy/checkout-api --since=30m | grep -c 'upstream timeout'",
        'for pod in $(kubectl -n prod get pods -o name); do echo "$pod"; done',
        "curl -s https://status.internal/healthz | jq '.checks[] | select(.ok == false)'",
    ],
    "yaml": [
        "resources:",
        "  limits:",
        "    cpu: 500m",
        "    memory: 512Mi",
        "readinessProbe:",
        "  httpGet: {path: /healthz, port: 8080}",
        "  timeoutSeconds: 1",
    ],
}


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.section = 0

    def pick(self, options: tuple[str, ...]) -> str:
        return self.rng.choice(options)

    def sentence(self) -> str:
        service = self.pick(SERVICES)
        signal = self.pick(SIGNALS)
        value = self.rng.randint(2, 980)
        return self.pick(
            (
                f"The **{signal}** of `{service}` {self.pick(VERBS)} to {value} ms "
                f"after deploy `v{self.rng.randint(100, 999)}`.",
                f"*{service.capitalize()}* logged {value} `upstream timeout` errors; "
                f"see [the dashboard](https://grafana.example.com/d/{service}?from=now-1h).",
                f"Correlated with a {signal} change on {self.pick(SERVICES)} "
                f"(confidence {self.rng.randint(50, 99)}%).",
                f"No change in {signal} on `{service}`, which rules it out as the trigger.",
            )
        )

    def paragraph(self, sentences: int = 3) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def table(self, rows: int = 12) -> str:
        lines = [
            "| Time (UTC) | Service | Signal | Value | Change | Note |",
            "|:-----------|:--------|:-------|------:|-------:|------|",
        ]
        for row in range(rows):
            lines.append(
                f"| 14:{row * 4:02d}:{self.rng.randint(0, 59):02d} | `{self.pick(SERVICES)}` "
                f"| {self.pick(SIGNALS)} | {self.rng.randint(1, 9999)} "
                f"| {self.rng.choice('+-')}{self.rng.randint(1, 400)}% | {self.pick(VERBS)} |"
            )
        return "\n".join(lines)

    def code(self, lines: int = 15) -> str:
        language = self.pick(tuple(CODE_SAMPLES))
        sample = CODE_SAMPLES[language]
        body = [sample[index % len(sample)] for index in range(lines)]
        return "\n".join([f"```{language}", *body, "```"])

    def bullets(self) -> str:
        items = []
        for _ in range(self.rng.randint(3, 5)):
            items.append(f"- {self.sentence()}")
            if self.rng.random() < 0.5:
                items.append(f"  - {self.sentence()}")
                items.append(f"    1. Check `{self.pick(SERVICES)}` pool size")
        return "\n".join(items)

    def steps(self) -> str:
        return "\n".join(
            f"{index}. {self.sentence()}" for index in range(1, self.rng.randint(3, 6) + 1)
        )

    def quote(self) -> str:
        return f"> **Note:** {self.sentence()}\n> {self.sentence()}"

    def next_section(self) -> str:
        self.section += 1
        number = self.section
        service = self.pick(SERVICES)
        parts = [
            f"## Finding {number}: {self.pick(SIGNALS)} on {service}",
            self.paragraph(),
            f"### Evidence {number}",
            self.table(),
            self.bullets(),
            self.code(),
            self.quote(),
            f"### Remediation {number}",
            self.steps(),
        ]
        return "\n\n".join(parts)


def findings_document(size: int, *, seed: int = 0) -> str:
    """Return a findings-like Markdown answer of about ``size`` characters (at least that)."""
    writer = _Writer(seed)
    parts = [
        "# Investigation: elevated 5xx on checkout",
        "## Summary",
        writer.paragraph(4),
    ]
    length = sum(len(part) + 2 for part in parts)
    while True:
        section = writer.next_section()
        if length + len(section) + 2 > size:
            break
        parts.append(section)
        length += len(section) + 2
    while length < size:
        paragraph = writer.paragraph(2)
        parts.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(parts) + "\n"
