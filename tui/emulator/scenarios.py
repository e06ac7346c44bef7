"""What the emulator concludes about each kind of incident.

One function per :class:`~tui.emulator.incident.IncidentKind` turns a
:class:`~tui.emulator.story.Story` into :class:`Findings`: the parts of a
root-cause analysis (summary, root cause, evidence, anomalies, timeline,
impact, recommendations) plus the material follow-up answers draw on.
:mod:`tui.emulator.findings` writes them out as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui.emulator.incident import IncidentKind
from tui.emulator.story import Story


@dataclass(frozen=True)
class Step:
    """A recommendation or an instruction, optionally with a code block."""

    text: str
    code: str = ""
    language: str = "bash"


@dataclass(frozen=True)
class Findings:
    summary: str
    root_cause: str
    #: (signal, source, observation)
    evidence: tuple[tuple[str, str, str], ...]
    anomalies: tuple[str, ...]
    #: (minutes after the symptoms began, event)
    timeline: tuple[tuple[int, str], ...]
    impact: tuple[str, ...]
    recommendations: tuple[Step, ...]
    #: For follow-ups: whether to roll back, why this cause, where to look.
    rollback: Step
    why: str
    logs: Step
    metric: Step
    pool: str = ""


def _ratio(description: str, top: str, bottom: str, around: str = "rate(SERIES[5m])") -> Step:
    """A PromQL ratio of two series, each wrapped in ``around``."""
    code = f"{around.replace('SERIES', top)}\n/ {around.replace('SERIES', bottom)}"
    return Step(f"{description} (PromQL):", code, "promql")


def _bad_deploy(s: Story) -> Findings:
    svc, ver, prev, code, ep = s.service, s.version, s.previous_version, s.http_code, s.endpoint
    return Findings(
        summary=(
            f"`{svc}` started answering `{ep}` with HTTP {code} at {s.at(0)} UTC, two minutes "
            f"after release `{ver}` finished rolling out. Only pods running `{ver}` fail; "
            "databases, caches and downstream services stayed healthy throughout."
        ),
        root_cause=(
            f"Release `{ver}` of `{svc}` introduced a regression in the `{ep}` handler: "
            "`shipping_address.region` is no longer filled in when a client omits it, so the "
            f"serialiser raises `KeyError: 'region'` and the request ends in HTTP {code}."
        ),
        evidence=(
            ("Deploy event", "Kubernetes events", f"`{svc}` rolled out `{ver}` at {s.at(-2)}"),
            (
                "Error rate",
                "APM service metrics",
                f"HTTP {code} on `{ep}` rose from {s.baseline_rate}% to {s.peak_rate}% in 3 min",
            ),
            (
                "Logs",
                "Log search",
                f"1,842 occurrences of `KeyError: 'region'`, all from pods on `{ver}`",
            ),
            ("Traces", "Tracing", "Failing spans end in `OrderSerializer.to_payload()`"),
            ("Infrastructure", "Metrics", "Database, cache and node metrics flat"),
        ),
        anomalies=(
            f"Canary analysis was skipped for `{ver}` (`skipAnalysis: true` in the rollout).",
            f"A smaller rise in HTTP 4xx on `{ep}` from mobile clients sending the old payload.",
            "No pod restarts: the failures are handled exceptions, not crashes.",
        ),
        timeline=(
            (-9, f"`{ver}` merged and built"),
            (-2, f"Rollout of `{ver}` completes (10/10 pods)"),
            (0, f"First HTTP {code} responses on `{ep}`"),
            (3, f"Error rate reaches {s.peak_rate}%"),
            (6, f"Alert `{svc} error rate > 5%` fires"),
        ),
        impact=(
            f"About {s.peak_rate}% of `{ep}` requests failed from {s.at(0)} UTC onwards.",
            "Affected customers could not complete the action; client retries added ~30% load.",
            "No data loss: the failing requests were rejected before any write.",
        ),
        recommendations=(
            Step(
                f"**Roll back** `{svc}` to `{prev}` now; it is the fastest way to stop the errors.",
                f"kubectl rollout undo deployment/{svc} -n production\n"
                f"kubectl rollout status deployment/{svc} -n production",
            ),
            Step(
                "Fix the serialiser and add a regression test for requests without "
                "`shipping_address.region` before releasing again."
            ),
            Step(
                f"Re-enable canary analysis for `{svc}` so an error-rate regression blocks "
                "the rollout automatically.",
                "strategy:\n  canary:\n    analysis:\n      templates:\n"
                "        - templateName: error-rate\n      startingStep: 1",
                "yaml",
            ),
        ),
        rollback=Step(
            f"Yes, roll back. `{ver}` ships no schema migration, and `{prev}` served the same "
            "traffic for days without these errors, so the rollback is low risk.",
            f"kubectl rollout undo deployment/{svc} -n production",
        ),
        why=(
            f"Three signals line up: the errors begin within two minutes of the `{ver}` rollout, "
            f"they come only from pods running `{ver}` (pods still on `{prev}` during the rollout "
            "were clean), and every infrastructure signal stays flat. A capacity or dependency "
            "problem would have hit old and new pods alike."
        ),
        logs=Step(
            "The errors from the new build only, grouped by pod:",
            f'service:"{svc}" version:"{ver}" status:{code}\n| stats count() by pod, error.type',
            "text",
        ),
        metric=_ratio(
            "Error ratio per version",
            f'http_requests_total{{service="{svc}",code="{code}"}}',
            f'http_requests_total{{service="{svc}"}}',
            "sum by (version) (rate(SERIES[5m]))",
        ),
    )


def _db_pool(s: Story) -> Findings:
    svc, db, ep, code = s.service, s.database, s.endpoint, s.http_code
    return Findings(
        summary=(
            f"`{svc}` ran out of database connections to `{db}` at {s.at(0)} UTC. Requests "
            "queued for a connection until the 30 s acquire timeout, which surfaced as "
            f"HTTP {code} on `{ep}`. The database itself stayed healthy."
        ),
        root_cause=(
            f"The `{s.batch_job}` export, re-run by hand at {s.at(-4)}, shares `{svc}`'s "
            "connection pool and held connections for 20-40 s per query, leaving the pool "
            "(20 per pod) with no free connections for request traffic."
        ),
        evidence=(
            (
                "Pool metrics",
                "Application metrics",
                "`hikaricp_connections_active` 20/20 on every pod; up to 180 threads waiting",
            ),
            ("Database", "`pg_stat_activity`", "34 sessions running the same export query"),
            (
                "Errors",
                "Logs",
                "4,117 occurrences of `Connection is not available, request timed out`",
            ),
            ("Latency", "APM", f"p99 of `{ep}` from 180 ms to 30 s (the acquire timeout)"),
            ("Database host", "RDS metrics", f"`{db}` CPU 38%, no replication lag"),
        ),
        anomalies=(
            f"`{s.batch_job}` normally runs at 02:00; this run started at {s.at(-4)}.",
            f"Connections on `{db}` reached 92% of `max_connections`.",
            f"Client retries from `{s.dependency}` doubled the request rate at {s.at(5)}.",
        ),
        timeline=(
            (-4, f"`{s.batch_job}` started manually"),
            (0, "Pool saturated: first acquire timeouts"),
            (2, f"HTTP {code} rate reaches {s.peak_rate}%"),
            (5, f"Retry storm from `{s.dependency}`"),
            (s.duration_minutes, f"`{s.batch_job}` finishes; pool recovers"),
        ),
        impact=(
            f"{s.peak_rate}% of `{ep}` requests failed for about {s.duration_minutes} minutes.",
            "Writes that timed out were rolled back; no partial orders were found.",
        ),
        recommendations=(
            Step(
                f"Stop the running `{s.batch_job}` job, or point it at the read replica.",
                f"kubectl delete job -n production -l app={s.batch_job}",
            ),
            Step(
                "Give batch work its own small pool so it can never starve request traffic.",
                f"datasources:\n  {svc}-batch:\n"
                "    maximumPoolSize: 4\n    connectionTimeout: 5000",
                "yaml",
            ),
            Step(
                "Cap long statements for the export role.",
                f"ALTER ROLE {s.batch_job.replace('-', '_')} SET statement_timeout = '15s';",
                "sql",
            ),
        ),
        rollback=Step(
            "A rollback would not help: nothing was deployed to "
            f"`{svc}` in the six hours before. Stopping `{s.batch_job}` is the lever."
        ),
        why=(
            "The pool's active count hits its maximum at the same minute the acquire timeouts "
            f"begin, every waiting thread is blocked on `getConnection()`, and the sessions "
            f"holding connections all run the `{s.batch_job}` export. The database had spare "
            "CPU and I/O, so the bottleneck is the pool, not the database."
        ),
        logs=Step(
            "Acquire timeouts per pod:",
            f'service:"{svc}" "Connection is not available"\n| stats count() by pod, bin(1m)',
            "text",
        ),
        metric=_ratio(
            "Pool saturation",
            f'hikaricp_connections_active{{service="{svc}"}}',
            f'hikaricp_connections_max{{service="{svc}"}}',
            "max by (pod) (SERIES)",
        ),
        pool=(
            f"Yes, it was exhausted. Every `{svc}` pod sat at 20/20 active connections from "
            f"{s.at(0)} to {s.at(s.duration_minutes)} UTC with up to 180 threads waiting, and "
            f"34 of those connections were held by `{s.batch_job}`."
        ),
    )


def _tls_expiry(s: Story) -> Findings:
    svc, host, code = s.service, s.host, s.http_code
    return Findings(
        summary=(
            f"Calls to `{svc}` began failing at {s.at(0)} UTC with TLS handshake errors: the "
            f"certificate for `{host}` expired at that minute, and its automated renewal had "
            "been failing silently for 30 days."
        ),
        root_cause=(
            f"The certificate for `{host}` expired. cert-manager could not renew it because "
            "the DNS-01 challenge lost permission to write TXT records after the DNS zone moved "
            "to a new account."
        ),
        evidence=(
            ("Certificate", "`openssl s_client`", f"`notAfter={s.day} {s.at(0)}:00 GMT`"),
            ("Client errors", "Logs", "`x509: certificate has expired or is not yet valid`"),
            ("Renewal", "cert-manager events", "`Order failed: 403 unauthorized` daily for 30 d"),
            ("Traffic", "Load balancer", f"TLS handshakes to `{host}` dropped to ~0"),
        ),
        anomalies=(
            "HTTP health checks stayed green: they do not use TLS, so nothing paged.",
            f"Three callers of `{svc}` retry handshakes in a tight loop (CPU up 3x on them).",
        ),
        timeline=(
            (-43200, "First failed renewal attempt"),
            (0, f"Certificate for `{host}` expires"),
            (1, "First handshake failures"),
            (9, f"Callers report HTTP {code}"),
        ),
        impact=(
            f"Every HTTPS call to `{svc}` has failed since {s.at(0)} UTC.",
            "Callers that cache connections kept working until their connections recycled.",
        ),
        recommendations=(
            Step(
                "Renew the certificate now (after fixing the DNS permission, or by hand).",
                f"cmctl renew {svc}-tls -n production\n"
                f"openssl s_client -connect {host}:443 -servername {host} </dev/null "
                "| openssl x509 -noout -enddate",
            ),
            Step("Give the cert-manager DNS role write access to the new zone."),
            Step(
                "Alert when any certificate has less than 14 days left.",
                "certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 24 * 3600",
                "promql",
            ),
        ),
        rollback=Step(
            "There is nothing to roll back: no deploy is involved. The fix is a renewed "
            "certificate; restoring the old one would still be expired."
        ),
        why=(
            "The failures start at the exact minute of the certificate's `notAfter`, every "
            "client error is the same x509 expiry message, and the renewal log shows a month "
            "of failed orders. Nothing else changed in that window."
        ),
        logs=Step(
            "Renewal failures:",
            f"kubectl describe certificate {svc}-tls -n production\n"
            "kubectl logs -n cert-manager deploy/cert-manager --since=24h | grep -i order",
        ),
        metric=Step(
            "Days left per certificate (PromQL):",
            "(certmanager_certificate_expiration_timestamp_seconds - time()) / 86400",
            "promql",
        ),
    )


def _memory_leak(s: Story) -> Findings:
    svc, ver, code = s.service, s.version, s.http_code
    return Findings(
        summary=(
            f"`{svc}` pods are being OOM-killed in a cycle: memory grows about 40 MiB a "
            "minute after each start until it reaches the 2 GiB limit, and each restart "
            f"produces a burst of HTTP {code}. The growth began with `{ver}`."
        ),
        root_cause=(
            f"A memory leak in `{ver}`: the response cache on `build_query()` is keyed by the "
            "whole request object and never evicts, so the heap grows with traffic until the "
            "kernel kills the container."
        ),
        evidence=(
            ("Container memory", "kubelet / cAdvisor", "600 MiB to 2 GiB in ~35 min, then reset"),
            ("Kubernetes events", "`kubectl get events`", "`OOMKilled` x27 across 6 pods"),
            ("Heap profile", "Continuous profiler", "`_lru_cache_wrapper` retains 71% of heap"),
            ("Errors", "Load balancer", f"HTTP {code} bursts line up with pod restarts"),
        ),
        anomalies=(
            "GC pause time rose tenfold in the last minutes before each kill.",
            "Restart backoff put two pods in `CrashLoopBackOff`, reducing capacity by a third.",
        ),
        timeline=(
            (-35, f"`{ver}` deployed; memory starts climbing"),
            (0, "First `OOMKilled` event"),
            (4, f"HTTP {code} bursts begin"),
            (12, "Two pods in `CrashLoopBackOff`"),
        ),
        impact=(
            f"Intermittent HTTP {code} for about 1 in 8 requests during each restart wave.",
            "Capacity reduced by a third while pods were in backoff.",
        ),
        recommendations=(
            Step(
                f"Roll back to `{s.previous_version}` or, as a stop-gap, raise the limit.",
                f"kubectl set resources deployment/{svc} -n production --limits=memory=4Gi",
            ),
            Step(
                "Bound the cache and key it by the normalised query only.",
                "@lru_cache(maxsize=4096)\ndef build_query(normalised: str) -> Query:\n    ...",
                "python",
            ),
            Step("Alert on memory growth rate, not only on the limit."),
        ),
        rollback=Step(
            f"Rolling back to `{s.previous_version}` stops the leak; memory on pods running "
            "it was flat for weeks. It is safe: the release has no migration.",
            f"kubectl rollout undo deployment/{svc} -n production",
        ),
        why=(
            "Memory grows linearly with traffic and resets only at restart, the heap profile "
            "attributes most retained memory to one cache, and the growth starts with "
            f"`{ver}`, the release that added that cache."
        ),
        logs=Step(
            "Kill events and restarts:",
            f"kubectl get events -n production --field-selector reason=OOMKilling\n"
            f"kubectl get pods -n production -l app={svc} -o wide",
        ),
        metric=Step(
            "Memory growth per pod (PromQL):",
            f'deriv(container_memory_working_set_bytes{{container="{svc}"}}[15m])',
            "promql",
        ),
    )


def _third_party(s: Story) -> Findings:
    svc, provider, code = s.service, s.provider, s.http_code
    api = f"api.{provider.lower()}.com"
    return Findings(
        summary=(
            f"`{svc}` errors come from {provider}: calls to `{api}` started timing out at "
            f"{s.at(0)} UTC and {provider}'s status page reports degraded API performance "
            "in the same window. Our own services and infrastructure are healthy."
        ),
        root_cause=(
            f"A partial {provider} outage. `{svc}` calls {provider} synchronously with a 10 s "
            "timeout and no circuit breaker, so each slow call holds a worker and user "
            f"requests fail with HTTP {code} once the workers are used up."
        ),
        evidence=(
            ("Outbound calls", "APM external services", f"`{api}` p95 from 300 ms to 10 s"),
            ("Status page", f"status.{provider.lower()}.com", f"Incident posted at {s.at(4)}"),
            ("Errors", "Logs", f"`ReadTimeout: HTTPSConnectionPool(host='{api}')`"),
            ("Our side", "Metrics and deploy log", "No deploys; CPU, memory, database normal"),
        ),
        anomalies=(
            f"38% of {provider} calls returned HTTP 503 before the timeouts began.",
            f"`{svc}` worker utilisation at 100% from {s.at(2)}.",
        ),
        timeline=(
            (0, f"{provider} latency rises"),
            (2, f"`{svc}` workers saturated; HTTP {code} begins"),
            (4, f"{provider} posts an incident"),
            (s.duration_minutes, f"{provider} reports recovery"),
        ),
        impact=(
            f"Requests that need {provider} failed for about {s.duration_minutes} minutes.",
            "Requests that do not need it slowed down because they shared the worker pool.",
        ),
        recommendations=(
            Step(
                f"Fail fast: lower the {provider} timeout to 2 s and add a circuit breaker.",
                f"breaker = CircuitBreaker(fail_max=5, reset_timeout=30)\n\n@breaker\n"
                f"def call_{provider.lower()}(payload):\n"
                f"    return session.post(URL, json=payload, timeout=2)",
                "python",
            ),
            Step(f"Queue {provider} work that can wait and retry it with backoff."),
            Step(f"Subscribe the on-call channel to {provider}'s status page."),
        ),
        rollback=Step(
            "Rolling back would not help: nothing of ours changed. The errors track "
            f"{provider}'s outage exactly."
        ),
        why=(
            f"Only the calls that touch {provider} fail, their latency rises before our errors "
            f"do, {provider} confirmed the incident, and none of our own signals moved first."
        ),
        logs=Step(
            f"Failed {provider} calls:",
            f'service:"{svc}" "{api}" (ReadTimeout OR status:503)\n| stats count() by bin(1m)',
            "text",
        ),
        metric=Step(
            f"{provider} latency (PromQL):",
            f"histogram_quantile(0.95, sum by (le) (rate("
            f'http_client_request_duration_seconds_bucket{{host="{api}"}}[5m])))',
            "promql",
        ),
    )


def _noisy_neighbour(s: Story) -> Findings:
    svc, node, job, code = s.service, s.node, s.batch_job, s.http_code
    return Findings(
        summary=(
            f"Latency on `{svc}` rose at {s.at(0)} UTC because its pods on node `{node}` were "
            f"CPU-throttled: a `{job}` batch pod without CPU limits was scheduled on the same "
            "node and took most of its CPU. Pods on other nodes were unaffected."
        ),
        root_cause=(
            f"`{job}` (no CPU limit) landed on `{node}` at {s.at(-1)} and drove node CPU to "
            f"98%; `{svc}` pods there hit their CFS quota in 61% of periods and timed out "
            f"upstream, which the gateway reported as HTTP {code}."
        ),
        evidence=(
            ("Throttling", "cAdvisor", "`cfs_throttled_periods` ratio 0.61 on that node's pods"),
            ("Node CPU", "node-exporter", f"`{node}` 98% busy, load 31 on 16 vCPU"),
            ("Scheduling", "Kubernetes events", f"`{job}` scheduled on `{node}` at {s.at(-1)}"),
            ("Latency by node", "APM", f"p99 2.4 s on `{node}` vs 140 ms elsewhere"),
        ),
        anomalies=(
            f"CPU steal on `{node}` at 12%, unusually high for this instance type.",
            f"`{job}` has no resource requests, so the scheduler ignored its real usage.",
        ),
        timeline=(
            (-1, f"`{job}` pod scheduled on `{node}`"),
            (0, f"`{svc}` p99 latency rises"),
            (3, f"Gateway returns HTTP {code} for timed-out calls"),
            (s.duration_minutes, f"`{job}` completes; latency recovers"),
        ),
        impact=(
            f"About a third of `{svc}` traffic (the share routed to `{node}`) was slow or failed.",
            f"Peak error rate {s.peak_rate}% for about {s.duration_minutes} minutes.",
        ),
        recommendations=(
            Step(
                "Move the batch pod off the node now.",
                f"kubectl cordon {node}\nkubectl delete pod -n batch -l app={job}",
            ),
            Step(
                "Give batch jobs CPU requests and limits.",
                "resources:\n  requests:\n    cpu: '2'\n  limits:\n    cpu: '4'",
                "yaml",
            ),
            Step("Schedule batch work on a dedicated node pool (taints and tolerations)."),
        ),
        rollback=Step(
            f"No rollback needed: `{svc}` did not change. Evicting `{job}` from `{node}` is enough."
        ),
        why=(
            f"The slowdown is confined to pods on `{node}`, it starts one minute after `{job}` "
            "arrived there, and those pods are throttled while identical pods elsewhere are not."
        ),
        logs=Step(
            "What ran on the node:",
            f"kubectl get pods -A -o wide --field-selector spec.nodeName={node}\n"
            f"kubectl top pods -A --sort-by=cpu | head",
        ),
        metric=_ratio(
            "Throttling per pod",
            f'container_cpu_cfs_throttled_periods_total{{container="{svc}"}}',
            f'container_cpu_cfs_periods_total{{container="{svc}"}}',
        ),
    )


def _generic(s: Story) -> Findings:
    svc, dep, code, ep = s.service, s.dependency, s.http_code, s.endpoint
    return Findings(
        summary=(
            f"`{svc}` returned HTTP {code} for up to {s.peak_rate}% of `{ep}` requests from "
            f"{s.at(0)} UTC. The errors trace back to timeouts on calls to `{dep}`; no deploy, "
            "configuration change or infrastructure event lines up with the start."
        ),
        root_cause=(
            f"Calls from `{svc}` to `{dep}` timed out after `{dep}`'s request queue filled up. "
            f"What filled the queue is not visible in the available data: `{dep}` emits no "
            "queue-depth metric."
        ),
        evidence=(
            ("Errors", "APM", f"HTTP {code} on `{ep}` from {s.baseline_rate}% to {s.peak_rate}%"),
            ("Traces", "Tracing", f"92% of failing traces end in a timeout calling `{dep}`"),
            ("Dependency", "Metrics", f"`{dep}` p99 latency from 90 ms to 5 s"),
            ("Changes", "Deploy and config log", "No changes in the preceding 4 hours"),
        ),
        anomalies=(
            f"`{dep}` thread count at its configured maximum from {s.at(-1)}.",
            "A 3x rise in requests from one API client in the same minute.",
        ),
        timeline=(
            (-1, f"`{dep}` threads saturated"),
            (0, f"First HTTP {code} on `{ep}`"),
            (4, f"Error rate peaks at {s.peak_rate}%"),
            (s.duration_minutes, "Error rate back to baseline"),
        ),
        impact=(
            f"Up to {s.peak_rate}% of `{ep}` requests failed for about {s.duration_minutes} min.",
            "Other endpoints of the service were unaffected.",
        ),
        recommendations=(
            Step(f"Add a queue-depth metric to `{dep}` so the next occurrence can be explained."),
            Step(
                "Look at the client whose traffic tripled and rate-limit it if needed.",
                f'service:"{svc}" endpoint:"{ep}"\n| stats count() by client_id | sort -count',
                "text",
            ),
            Step(f"Give `{svc}` a shorter timeout and a fallback for `{dep}`."),
        ),
        rollback=Step(
            "I would not roll anything back: nothing was deployed in the window, so there is "
            "no obvious candidate."
        ),
        why=(
            f"Almost every failing trace ends in a timeout on `{dep}`, and `{dep}`'s latency "
            "rose a minute before the errors. What made it slow is still open."
        ),
        logs=Step(
            f"Timeouts towards `{dep}`:",
            f'service:"{svc}" "{dep}" timeout\n| stats count() by bin(1m)',
            "text",
        ),
        metric=_ratio(
            "Error ratio",
            f'http_requests_total{{service="{svc}",code=~"5.."}}',
            f'http_requests_total{{service="{svc}"}}',
            "sum(rate(SERIES[5m]))",
        ),
    )


_BUILDERS: dict[IncidentKind, Callable[[Story], Findings]] = {
    IncidentKind.BAD_DEPLOY: _bad_deploy,
    IncidentKind.DB_POOL: _db_pool,
    IncidentKind.TLS_EXPIRY: _tls_expiry,
    IncidentKind.MEMORY_LEAK: _memory_leak,
    IncidentKind.THIRD_PARTY: _third_party,
    IncidentKind.NOISY_NEIGHBOUR: _noisy_neighbour,
    IncidentKind.GENERIC: _generic,
}


def findings_for(story: Story) -> Findings:
    return _BUILDERS[story.kind](story)
