"""A render job: entries rendered unit by unit, results published in batches.

A job is plain data (:class:`RenderRequest`) and one function
(:func:`run_request`), so it can run in a thread of the app or in the render
process (see :mod:`.process`) alike. It never touches the widget: it hands
:class:`Batch` and :class:`Done` events to a ``post`` callable, and the view
applies them on the event loop, where each is a cheap list update. Batches go
out unit by unit until the first screen is filled, then every
:data:`BATCH_SECONDS`, so the loop sees a few small events a second however
long the answer. The job asks ``stop_requested`` between units, so dropped
work stops within one unit.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic

from .entry import ConversationEntry
from .render import RenderedUnit, UnitRenderer, plan_entry
from .theme import RenderTheme

BATCH_SECONDS = 0.05
"""Longest time rendered units wait before being published."""


@dataclass(frozen=True)
class JobEntry:
    """An entry to render: its position in the conversation and the unit to start at."""

    index: int
    entry: ConversationEntry
    start_unit: int = 0
    done: frozenset[int] = frozenset()
    """Units already rendered for this width and theme (left out)."""


@dataclass(frozen=True)
class RenderRequest:
    """Everything a job needs, picklable: what to render, how wide, in which theme."""

    job_id: int
    client: int
    """Who asked (a view); a newer request from the same client replaces this one."""
    entries: tuple[JobEntry, ...] = field(repr=False)
    width: int
    theme: RenderTheme = field(repr=False)
    screen_lines: int


@dataclass(frozen=True)
class Batch:
    """Units of one entry, rendered by job ``job_id``."""

    job_id: int
    entry_index: int
    unit_count: int
    units: tuple[tuple[int, RenderedUnit], ...]
    complete: bool
    """Whether this is the entry's last batch."""


@dataclass(frozen=True)
class Done:
    """Job ``job_id`` has stopped: finished, or ``cancelled`` (or it could not run)."""

    job_id: int
    units_rendered: int
    cancelled: bool = False
    failed: bool = False


JobEvent = Batch | Done


@dataclass
class JobHandle:
    """The app's handle on a job, wherever it runs."""

    request: RenderRequest
    in_process: bool
    cancelled: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    """Set when the job has stopped (its :class:`Done` arrived)."""
    units_rendered: int = 0
    """Units the job rendered (known once it has stopped)."""

    @property
    def job_id(self) -> int:
        return self.request.job_id


def unit_order(count: int, start: int) -> list[int]:
    """Units from ``start`` to the end, then back from ``start`` to the first."""
    start = max(0, min(start, count))
    return [*range(start, count), *range(start - 1, -1, -1)]


def run_request(
    request: RenderRequest,
    post: Callable[[JobEvent], object],
    stop_requested: Callable[[], bool],
) -> int:
    """Render ``request``'s entries in order, posting batches; return the units rendered."""
    renderer = UnitRenderer(request.width, request.theme)
    published = 0
    rendered = 0
    for job_entry in request.entries:
        plan = plan_entry(job_entry.entry, job_entry.index)
        renderer.use_references(plan.references)
        count = len(plan.units)
        batch: list[tuple[int, RenderedUnit]] = []
        last = monotonic()
        for index in unit_order(count, job_entry.start_unit):
            if index in job_entry.done:
                continue
            if stop_requested():
                post(Done(request.job_id, rendered, cancelled=True))
                return rendered
            unit = renderer.render(plan.units[index])
            # A young collection now, while little is alive, rather than one in
            # the middle of a unit that would promote its parse to the oldest
            # generation, whose collections stop every thread of the process.
            gc.collect(1)
            rendered += 1
            batch.append((index, unit))
            published += unit.height
            now = monotonic()
            if published <= request.screen_lines + unit.height or now - last >= BATCH_SECONDS:
                post(Batch(request.job_id, job_entry.index, count, tuple(batch), complete=False))
                batch, last = [], now
        post(Batch(request.job_id, job_entry.index, count, tuple(batch), complete=True))
    post(Done(request.job_id, rendered))
    return rendered
