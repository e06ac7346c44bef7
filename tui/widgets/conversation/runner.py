"""Running render jobs for a widget: in the render process when it is ready, else a thread.

Either way, the job's events reach the widget as :class:`RenderProgress`
messages on its event loop; events of a cancelled job are dropped before
they are posted.
"""

from __future__ import annotations

from functools import partial
from itertools import count

from textual.message import Message
from textual.widget import Widget

from .job import Done, JobEvent, JobHandle, RenderRequest, run_request
from .process import RenderProcess

_job_ids = count(1)


def next_job_id() -> int:
    return next(_job_ids)


class RenderProgress(Message, bubble=False):
    """An event of job ``handle``, delivered to the widget that started it."""

    def __init__(self, handle: JobHandle, event: JobEvent) -> None:
        super().__init__()
        self.handle = handle
        self.event = event


class JobRunner:
    """Starts and cancels the render jobs of one widget."""

    def __init__(self, widget: Widget, process: RenderProcess | None) -> None:
        self.widget = widget
        self.process = process

    def start(self, request: RenderRequest, *, in_thread: bool = False) -> JobHandle:
        """Start ``request``; in the render process unless ``in_thread`` or it is not ready."""
        process = self.process
        in_process = not in_thread and process is not None and process.usable
        handle = JobHandle(request, in_process)
        sink = partial(self._receive, handle)
        if in_process:
            assert process is not None
            process.submit(request, sink)
        else:
            self.widget.run_worker(
                partial(self._run_in_thread, handle, sink),
                name="conversation-render",
                group="conversation-render",
                thread=True,
                exit_on_error=False,
            )
        return handle

    def cancel(self, handle: JobHandle) -> None:
        handle.cancelled.set()
        if handle.in_process and self.process is not None:
            self.process.cancel(handle.job_id)

    @staticmethod
    def _run_in_thread(handle: JobHandle, sink: partial[None]) -> None:
        try:
            run_request(handle.request, sink, handle.cancelled.is_set)
        except Exception:
            sink(Done(handle.job_id, 0, failed=True))

    def _receive(self, handle: JobHandle, event: JobEvent) -> None:
        """Called on the job's thread (or the process reader's) for each event."""
        if isinstance(event, Done):
            handle.units_rendered = event.units_rendered
            handle.finished.set()
        if handle.cancelled.is_set():
            return
        try:
            self.widget.post_message(RenderProgress(handle, event))
        except RuntimeError:  # the app's loop has closed
            handle.cancelled.set()
