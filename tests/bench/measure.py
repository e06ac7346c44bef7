"""One benchmark measurement, run in a fresh interpreter by ``test_viewer_bench``.

``python -m tests.bench.measure WIDGET SIZE`` renders a findings-like answer
of SIZE bytes with WIDGET (``process``, ``frozen``, ``thread`` or ``stock``) in a
headless app and prints the figures as one JSON object. A fresh interpreter
per measurement keeps one measurement's heap (the stock widget's apps leave
hundreds of thousands of objects alive) from slowing the next one's garbage
collections.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock

from tests.bench.documents import findings_document
from tests.viewer.helpers import Host, process_ready
from tui.widgets.conversation import ConversationEntry
from tui.widgets.conversation.pane import ConversationPane

TERMINAL = (120, 40)
PROBE_INTERVAL = 0.002
SCROLL_KEYS = ("pagedown",) * 12 + ("down",) * 20 + ("end", "home") + ("pagedown",) * 12

PROCESS = "viewer/process"
THREAD = "viewer/thread"
FROZEN = "viewer/process*"
"""The viewer in its render process, in an app that froze its heap after starting."""
STOCK = "stock Markdown"


class StallProbe:
    """Measures how late the event loop runs a task that wakes every 2 ms."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(PROBE_INTERVAL)
            self.longest = max(self.longest, time.perf_counter() - start - PROBE_INTERVAL)

    def __enter__(self) -> StallProbe:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()


@contextmanager
def paints(widget_class: type[Widget]) -> Iterator[list[float]]:
    """Record when the compositor paints any ``widget_class``."""
    times: list[float] = []
    original = widget_class.render_lines

    def recording(self: Widget, crop: object) -> object:
        times.append(time.perf_counter())
        return original(self, crop)  # type: ignore[arg-type]

    widget_class.render_lines = recording  # type: ignore[assignment, method-assign]
    try:
        yield times
    finally:
        widget_class.render_lines = original  # type: ignore[method-assign]


@dataclass
class Figures:
    widget: str
    size: int
    first_screen: float
    complete: float
    stall_rendering: float
    stall_scrolling: float


async def _press_every(app: App[None], interval: float, stop: asyncio.Event) -> None:
    """Press page down every ``interval`` seconds until ``stop`` is set."""
    while not stop.is_set():
        app.post_message(events.Key("pagedown", None))
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


async def _scroll(app: App[None]) -> float:
    """Press the scroll keys, letting each be handled; return the longest stall."""
    with StallProbe() as probe:
        for key in SCROLL_KEYS:
            app.post_message(events.Key(key, None))
            await asyncio.sleep(0.02)
    return probe.longest


async def _first_paint_after(moment: float, painted: list[float]) -> float:
    """When the first paint at or after ``moment`` happened (paints are recorded, not awaited)."""
    for _ in range(5_000):
        if any(t >= moment for t in painted):
            break
        await asyncio.sleep(0.001)
    return min(t for t in painted if t >= moment)


async def _measure(
    widget: str,
    size: int,
    app: App[None],
    begin: Callable[[], Awaitable[object]],
    first_screen: Callable[[], Awaitable[object]],
    painted: list[float],
) -> Figures:
    """Call ``begin`` (which starts rendering and returns what completes with it) while
    pressing keys; then scroll. The heap is collected before each phase, so neither
    pays for garbage left by the previous one."""
    gc.collect()
    stop = asyncio.Event()
    with StallProbe() as probe:
        presser = asyncio.get_running_loop().create_task(_press_every(app, 0.1, stop))
        began = time.perf_counter()
        done = begin()
        await first_screen()
        ready = time.perf_counter()
        await done
        complete = time.perf_counter() - began
        stop.set()
        await presser
    first = await _first_paint_after(ready, painted) - began
    gc.collect()
    scrolling = await _scroll(app)
    return Figures(widget, size, first, max(first, complete), probe.longest, scrolling)


async def bench_viewer(size: int, *, in_process: bool, frozen: bool = False) -> Figures:
    """The viewer; ``frozen``: the app's heap is frozen once started (``gc.freeze()``)."""
    app = Host(render_process=in_process)
    document = findings_document(size)
    async with app.run_test(size=TERMINAL):
        view = app.view
        if in_process:
            await process_ready(view)
        if frozen:
            gc.collect()
            gc.freeze()

        def begin() -> Awaitable[None]:
            view.show(f"s{size}", [ConversationEntry("a", "assistant", document)])
            return view.wait_rendered()

        with paints(ConversationPane) as painted:
            return await _measure(
                FROZEN if frozen else PROCESS if in_process else THREAD,
                size,
                app,
                begin,
                view.wait_first_screen,
                painted,
            )


class StockHost(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()


async def bench_stock(size: int) -> Figures:
    app = StockHost()
    document = findings_document(size)
    async with app.run_test(size=TERMINAL):
        markdown = app.query_one(Markdown)
        updated = asyncio.Event()

        async def update() -> None:
            await markdown.update(document)
            updated.set()

        def begin() -> Awaitable[None]:
            return asyncio.ensure_future(update())

        with paints(MarkdownBlock) as painted:
            return await _measure(STOCK, size, app, begin, updated.wait, painted)


async def measure(widget: str, size: int) -> dict[str, float | int | str]:
    if widget == "stock":
        figures = await bench_stock(size)
    else:
        in_process = widget in ("process", "frozen")
        figures = await bench_viewer(size, in_process=in_process, frozen=widget == "frozen")
    return dataclasses.asdict(figures)


async def process_cold_start() -> float:
    """Seconds from mounting a view to its render process being ready."""
    app = Host(render_process=True)
    async with app.run_test(size=TERMINAL):
        began = time.perf_counter()
        await process_ready(app.view)
        return time.perf_counter() - began


def main() -> None:
    widget, size = sys.argv[1], int(sys.argv[2])
    if widget == "cold-start":
        print(json.dumps({"cold_start": asyncio.run(process_cold_start())}))
    else:
        print(json.dumps(asyncio.run(measure(widget, size))))


if __name__ == "__main__":
    main()
