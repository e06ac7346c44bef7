"""A render job: entries rendered unit by unit in a thread, published in batches.

The job runs in a thread worker and never touches the widget: it posts
:class:`UnitsRendered` and :class:`RenderFinished` messages (posting is
thread-safe) and the view applies them on the event loop, where each is a
cheap list update. Batches go out as soon as the first screen is filled and
then every :data:`BATCH_SECONDS`, so the loop sees a few small messages a
second however long the answer. Cancelling sets an event the job checks
between units, so dropped work stops within one unit.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic

from textual.message import Message

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


class UnitsRendered(Message, bubble=False):
    """Units of one entry rendered by job ``job_id`` (posted from the job's thread)."""

    def __init__(
        self,
        job_id: int,
        entry_index: int,
        unit_count: int,
        units: list[tuple[int, RenderedUnit]],
        *,
        complete: bool,
    ) -> None:
        super().__init__()
        self.job_id = job_id
        self.entry_index = entry_index
        self.unit_count = unit_count
        self.units = units
        self.complete = complete


class RenderFinished(Message, bubble=False):
    """Job ``job_id`` has rendered everything it was given."""

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id


def unit_order(count: int, start: int) -> list[int]:
    """Units from ``start`` to the end, then back from ``start`` to the first."""
    start = max(0, min(start, count))
    return [*range(start, count), *range(start - 1, -1, -1)]


@dataclass
class RenderJob:
    """Render ``entries`` at ``width`` with ``theme``, posting results through ``post``."""

    job_id: int
    entries: list[JobEntry] = field(repr=False)
    width: int
    theme: RenderTheme = field(repr=False)
    screen_lines: int
    post: Callable[[Message], object] = field(repr=False)
    cancelled: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    """Set when :meth:`run` has returned, whether done or cancelled."""
    units_rendered: int = 0
    """How many units this job has rendered (read by tests)."""

    def cancel(self) -> None:
        self.cancelled.set()

    def run(self) -> None:
        """Render every entry, in the order given; stop early if cancelled."""
        try:
            self._run()
        finally:
            self.finished.set()

    def _run(self) -> None:
        renderer = UnitRenderer(self.width, self.theme)
        published = 0
        for job_entry in self.entries:
            if self.cancelled.is_set():
                return
            plan = plan_entry(job_entry.entry, job_entry.index)
            renderer.use_references(plan.references)
            count = len(plan.units)
            batch: list[tuple[int, RenderedUnit]] = []
            last = monotonic()
            for index in unit_order(count, job_entry.start_unit):
                if self.cancelled.is_set():
                    return
                unit = renderer.render(plan.units[index])
                # A young collection now, while little is alive, instead of one
                # mid-unit that would promote the unit's parse to the oldest
                # generation, whose collections stop every thread.
                gc.collect(1)
                self.units_rendered += 1
                batch.append((index, unit))
                published += unit.height
                now = monotonic()
                if published <= self.screen_lines + unit.height or now - last >= BATCH_SECONDS:
                    self.post(
                        UnitsRendered(self.job_id, job_entry.index, count, batch, complete=False)
                    )
                    batch, last = [], now
            self.post(UnitsRendered(self.job_id, job_entry.index, count, batch, complete=True))
        self.post(RenderFinished(self.job_id))
