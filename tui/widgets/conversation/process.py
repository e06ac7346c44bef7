"""The render process: rendering that shares neither the GIL nor the collector with the UI.

Rendering in a thread of the app competes with the event loop for the GIL,
and its garbage triggers collections that stop the loop too. The render
process takes both away: the app writes :class:`~.job.RenderRequest` frames
to its stdin and reads :class:`~.job.Batch` and :class:`~.job.Done` frames
from its stdout, on two threads that spend their time waiting on pipes.

Frames are a 4-byte big-endian length and a pickle. Both ends are this
module, run from the same interpreter (``python -m`` this module, not
``multiprocessing``, so the app's ``__main__`` is never imported again).

One process serves every view of the app; it starts when the first view is
mounted and stops when its stdin closes (the app exits). Until it says it is
ready, and if it ever fails, views render in a thread instead.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import IO, Any

from .job import Done, JobEvent, RenderRequest, run_request

_HEADER = struct.Struct(">I")
NICENESS = 10
"""How much lower than the app the render process runs in the scheduler's eyes."""
READY = "ready"
Sink = Callable[[JobEvent], object]


def write_frame(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """The next value, or None at the end of the stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


# The process ------------------------------------------------------------


def serve(requests_in: IO[bytes], events_out: IO[bytes]) -> None:
    """Render requests read from ``requests_in`` until it closes (runs in the child)."""
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read() -> None:
        while (value := read_frame(requests_in)) is not None:
            inbox.put(value)
        inbox.put(None)

    threading.Thread(target=read, name="render-requests", daemon=True).start()
    pending: deque[Any] = deque()

    def drain() -> None:
        while True:
            try:
                pending.append(inbox.get_nowait())
            except queue.Empty:
                return

    def replaced(request: RenderRequest) -> bool:
        """Whether a newer request cancels or replaces ``request``."""
        drain()
        return any(
            value is None
            or value == ("cancel", request.job_id)
            or (value[0] == "render" and value[1].client == request.client)
            for value in pending
        )

    def post(event: JobEvent) -> None:
        write_frame(events_out, event)

    try:
        write_frame(events_out, READY)
        while True:
            value = pending.popleft() if pending else inbox.get()
            if value is None:
                return
            if value[0] != "render":
                continue
            request: RenderRequest = value[1]
            try:
                run_request(request, post, partial(replaced, request))
            except BrokenPipeError:
                raise
            except Exception:
                post(Done(request.job_id, 0, failed=True))
    except BrokenPipeError:
        return


# The app's side ------------------------------------------------------------


class RenderProcess:
    """The render process, with a thread that feeds it and one that reads it."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.broken = threading.Event()
        self._sinks: dict[int, Sink] = {}
        self._lock = threading.Lock()
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        threading.Thread(target=self._write, name="render-writer", daemon=True).start()
        threading.Thread(target=self._read, name="render-reader", daemon=True).start()

    @property
    def usable(self) -> bool:
        return self.ready.is_set() and not self.broken.is_set()

    def submit(self, request: RenderRequest, sink: Sink) -> None:
        """Render ``request`` in the process; ``sink`` gets its events on the reader thread."""
        with self._lock:
            self._sinks[request.job_id] = sink
        self._outbox.put(("render", request))

    def cancel(self, job_id: int) -> None:
        """Stop job ``job_id`` (its sink still gets the final :class:`Done`)."""
        self._outbox.put(("cancel", job_id))

    def close(self) -> None:
        self._outbox.put(None)
        try:
            self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self._process.kill()

    def _write(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            while (value := self._outbox.get()) is not None:
                write_frame(stdin, value)
        except OSError:
            self._fail()
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            while (event := read_frame(stdout)) is not None:
                if event == READY:
                    self.ready.set()
                    continue
                with self._lock:
                    sink = self._sinks.get(event.job_id)
                    if isinstance(event, Done):
                        self._sinks.pop(event.job_id, None)
                if sink is not None:
                    sink(event)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
        self._fail()

    def _fail(self) -> None:
        """The process is gone: jobs it had are reported failed, to be rendered elsewhere."""
        self.broken.set()
        with self._lock:
            sinks, self._sinks = self._sinks, {}
        for job_id, sink in sinks.items():
            sink(Done(job_id, 0, failed=True))


_shared: RenderProcess | None = None
_shared_lock = threading.Lock()


def shared_process() -> RenderProcess | None:
    """The app's render process, started on first use; None if it cannot run."""
    global _shared
    with _shared_lock:
        if _shared is None:
            try:
                _shared = RenderProcess()
            except OSError:
                return None
            atexit.register(_shared.close)
        return _shared


if __name__ == "__main__":
    # Background work: when the machine is busy, the app's event loop goes first.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(NICENESS)
    frames_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write between the frames
    serve(sys.stdin.buffer, frames_out)
