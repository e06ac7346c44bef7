"""Writing answers as Markdown: investigation reports and follow-up replies.

Reports look like the vendor's: a ``## Investigation Summary`` heading, the
root cause, a confidence level (High, Medium or Low), then evidence,
anomalies, timeline, impact and recommendations, with tables, lists, inline
code and fenced code blocks. Headings vary a little from answer to answer, as
they do in real answers. Follow-up replies answer the question that was
asked from the same story; some are quick unstructured replies.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import timedelta

from tui.api.models import ThinkingMode
from tui.emulator.scenarios import Findings, Step, findings_for
from tui.emulator.story import Story

_CONFIDENCE_MEANING = {
    "High": "strong, consistent evidence across several independent signals",
    "Medium": "the explanation is plausible, but part of the picture is not visible",
    "Low": "the signals are weak or partial; a person should confirm before acting",
}
_HEADINGS = {
    "evidence": ("Evidence", "Supporting Evidence", "Key Evidence"),
    "anomalies": ("Relevant Anomalies", "Anomalies", "Other Anomalies Observed"),
    "timeline": ("Timeline", "Timeline of Events", "Timeline"),
    "impact": ("Impact", "Impact Assessment", "Estimated Impact"),
    "recommendations": ("Recommendations", "Recommended Next Steps", "Next Steps"),
}


def _heading(story: Story, part: str) -> str:
    choices = _HEADINGS[part]
    return choices[story.style % len(choices)]


def _gaps(story: Story) -> str:
    missing = []
    if not story.time_given:
        missing.append("no start time was given, so the window was inferred from alert history")
    if not story.service_given:
        missing.append(f"no service was named, so the scope was narrowed to `{story.service}`")
    return "; ".join(missing)


def confidence_line(story: Story) -> str:
    gaps = _gaps(story)
    reason = _CONFIDENCE_MEANING[story.confidence]
    return f"**Confidence:** {story.confidence}: {reason}" + (f" ({gaps})." if gaps else ".")


def _when(story: Story, minutes: int) -> str:
    moment = story.start + timedelta(minutes=minutes)
    if moment.date() != story.start.date():
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.strftime("%H:%M")


def _step(step: Step, number: int | None = None) -> str:
    lead = f"{number}. " if number is not None else ""
    text = f"{lead}{step.text}"
    if step.code:
        indent = "   " if number is not None else ""
        fenced = "\n".join(f"{indent}{line}".rstrip() for line in step.code.splitlines())
        text += f"\n\n{indent}```{step.language}\n{fenced}\n{indent}```"
    return text


def _numbered(steps: tuple[Step, ...]) -> str:
    return "\n\n".join(_step(step, n) for n, step in enumerate(steps, 1))


def _timeline_table(story: Story, found: Findings) -> str:
    rows = "\n".join(f"| {_when(story, m)} | {event} |" for m, event in found.timeline)
    return f"| Time (UTC) | Event |\n|---|---|\n{rows}"


def render_investigation(story: Story) -> str:
    """The full report for the first investigation of a session."""
    found = findings_for(story)
    evidence = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in found.evidence)
    anomalies = "\n".join(f"- {line}" for line in found.anomalies)
    impact = "\n".join(f"- {line}" for line in found.impact)
    return "\n\n".join(
        [
            "## Investigation Summary",
            found.summary,
            f"**Root cause:** {found.root_cause}",
            confidence_line(story),
            f"### {_heading(story, 'evidence')}",
            f"| Signal | Source | Observation |\n|---|---|---|\n{evidence}",
            f"### {_heading(story, 'anomalies')}",
            anomalies,
            f"### {_heading(story, 'timeline')}",
            _timeline_table(story, found),
            f"### {_heading(story, 'impact')}",
            impact,
            f"### {_heading(story, 'recommendations')}",
            _numbered(found.recommendations),
        ]
    )


# -- follow-ups ---------------------------------------------------------------

Reply = Callable[[Story, Findings, bool], str]


def _rollback(story: Story, found: Findings, short: bool) -> str:
    if short:
        return found.rollback.text
    return f"### Should we roll back?\n\n{_step(found.rollback)}"


def _pool(story: Story, found: Findings, short: bool) -> str:
    text = found.pool or (
        f"No. `{story.service}`'s connection pool peaked at 41% of its maximum during the "
        "incident and no thread waited for a connection, so the pool is not a factor here."
    )
    if short:
        return text
    return f"### Connection pool\n\n{text}\n\n{_step(found.metric)}"


def _logs(story: Story, found: Findings, short: bool) -> str:
    return (
        f"{_step(found.logs)}" if short else f"### Where to look in the logs\n\n{_step(found.logs)}"
    )


def _timeline(story: Story, found: Findings, short: bool) -> str:
    if short:
        minutes, event = found.timeline[0]
        return (
            f"It started at {story.at(0)} UTC; the earliest related event is at "
            f"{_when(story, minutes)} ({event})."
        )
    return f"### Timeline\n\n{_timeline_table(story, found)}"


def _why(story: Story, found: Findings, short: bool) -> str:
    if short:
        return found.why
    return f"### Why this is the root cause\n\n{found.why}\n\n**Root cause:** {found.root_cause}"


def _confidence(story: Story, found: Findings, short: bool) -> str:
    if short:
        return f"{story.confidence}. {_CONFIDENCE_MEANING[story.confidence].capitalize()}."
    missing = _gaps(story)
    more = (
        f"\n\nIt would go up with more data: {missing}."
        if missing
        else "\n\nThe data I needed was available; the remaining doubt is about the trigger."
    )
    return f"### Confidence\n\n{confidence_line(story)}{more}"


def _impact(story: Story, found: Findings, short: bool) -> str:
    if short:
        return found.impact[0]
    return "### Impact\n\n" + "\n".join(f"- {line}" for line in found.impact)


def _fix(story: Story, found: Findings, short: bool) -> str:
    if short:
        return _step(found.recommendations[0])
    return f"### What to do\n\n{_numbered(found.recommendations)}"


def _metrics(story: Story, found: Findings, short: bool) -> str:
    return _step(found.metric) if short else f"### The query to chart\n\n{_step(found.metric)}"


def _other(story: Story, found: Findings, short: bool) -> str:
    if short:
        return f"Short answer: it comes back to the same cause. {found.root_cause}"
    return (
        "I looked at this again in the context of the incident.\n\n"
        f"- The finding still holds: {found.root_cause}\n"
        f"- Confidence stays {story.confidence}.\n\n{_step(found.recommendations[0])}"
    )


#: Topics in order of precedence: (pattern, reply).
_TOPICS: tuple[tuple[re.Pattern[str], Reply], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reply)
    for pattern, reply in (
        (r"roll ?back|revert|undo", _rollback),
        (r"pool|connection|database|\bdb\b|postgres|mysql", _pool),
        (r"confiden|how sure|certain|\bsure\b", _confidence),
        (r"\blogs?\b|grep|search for|query", _logs),
        (r"timeline|when did|what time|\bstart|began|\bwhen\b", _timeline),
        (r"\bwhy\b|how do you know|cause|explain|reason|evidence", _why),
        (r"impact|customer|users?\b|affected|how many|revenue", _impact),
        (r"fix|prevent|recommend|next step|mitigat|remediat|what should|do now", _fix),
        (r"metric|dashboard|graph|chart|promql|grafana", _metrics),
    )
)


def answer_follow_up(question: str, story: Story, mode: ThinkingMode, rng: random.Random) -> str:
    """The reply to a follow-up question about the session's incident."""
    found = findings_for(story)
    short_share = {ThinkingMode.FAST: 0.7, ThinkingMode.DEEP: 0.1}.get(mode, 0.35)
    short = rng.random() < short_share
    for pattern, reply in _TOPICS:
        if pattern.search(question):
            return reply(story, found, short)
    return _other(story, found, short)
