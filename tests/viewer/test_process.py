"""Rendering in the render process: same output, cancellation, and falling back."""

from __future__ import annotations

import os
import pickle
import threading
from contextlib import ExitStack

from tests.bench.documents import findings_document
from tests.viewer.helpers import DEADLINE, Host, process_ready, rendered, screen_text, until
from tui.widgets.conversation import ConversationEntry
from tui.widgets.conversation.job import Batch, Done, JobEntry, RenderRequest, run_request
from tui.widgets.conversation.process import RenderProcess, read_frame, serve, write_frame
from tui.widgets.conversation.theme import RenderTheme

SIZE = (100, 30)


def entries() -> list[ConversationEntry]:
    return [
        ConversationEntry("p", "user", "What happened?"),
        ConversationEntry("a", "assistant", findings_document(30_000)),
    ]


def document_text(app: Host) -> list[str]:
    return [text for _, text in app.view.pane.document.lines()]


async def test_the_process_renders_what_a_thread_renders() -> None:
    in_thread = Host()
    async with in_thread.run_test(size=SIZE):
        in_thread.view.show("s", entries())
        await rendered(in_thread.view)
        expected = document_text(in_thread)
    in_process = Host(render_process=True)
    async with in_process.run_test(size=SIZE):
        view = in_process.view
        await process_ready(view)
        view.show("s", entries())
        job = view.render_job
        assert job is not None and job.in_process
        await rendered(view)
        assert document_text(in_process) == expected
        assert screen_text(view)[1] == "  What happened?"


async def test_switching_sessions_stops_the_process_job() -> None:
    app = Host(render_process=True)
    async with app.run_test(size=SIZE):
        view = app.view
        await process_ready(view)
        view.show("big", [ConversationEntry("huge", "assistant", findings_document(600_000))])
        await view.wait_first_screen()
        old_job = view.render_job
        assert old_job is not None and old_job.in_process
        view.show("small", entries()[:1])
        await rendered(view)
        assert await until_set(old_job.finished)
        assert old_job.units_rendered < 600_000 // 4096 // 2
        assert view.rendered_key == "small"
        assert all(lines.entry.id != "huge" for lines in view.pane.document.entries)


async def until_set(event: threading.Event) -> bool:
    await until(event.is_set)
    return True


async def test_a_dead_process_falls_back_to_a_thread() -> None:
    app = Host(render_process=True)
    async with app.run_test(size=SIZE):
        view = app.view
        process = RenderProcess()
        view.render_process = process
        await process_ready(view)
        view.show("s", [ConversationEntry("a", "assistant", findings_document(300_000))])
        await view.wait_first_screen()
        job = view.render_job
        assert job is not None and job.in_process
        process._process.kill()
        await rendered(view)
        assert process.broken.is_set()
        assert view.rendered_key == "s"
        lines = view.pane.document.entries[0]
        assert lines.complete
        process.close()


def test_the_process_protocol_in_memory() -> None:
    request = RenderRequest(
        job_id=7,
        client=1,
        entries=(JobEntry(0, ConversationEntry("a", "assistant", "# Title\n\nbody")),),
        width=40,
        theme=RenderTheme(),
        screen_lines=10,
    )
    with ExitStack() as files:
        request_fds, event_fds = os.pipe(), os.pipe()
        request_read = files.enter_context(open(request_fds[0], "rb"))
        request_write = files.enter_context(open(request_fds[1], "wb"))
        event_read = files.enter_context(open(event_fds[0], "rb"))
        event_write = files.enter_context(open(event_fds[1], "wb"))
        server = threading.Thread(target=serve, args=(request_read, event_write))
        server.start()
        write_frame(request_write, ("render", request))
        received = [read_frame(event_read)]
        while not isinstance(received[-1], Done):
            received.append(read_frame(event_read))
        request_write.close()
        server.join(DEADLINE)
        assert not server.is_alive()
    assert received[0] == "ready"
    expected: list[object] = []
    run_request(request, expected.append, lambda: False)
    assert received[1:] == expected
    assert isinstance(received[-1], Done) and received[-1].units_rendered == 2
    assert isinstance(received[1], Batch)


def test_units_travel_with_shared_styles() -> None:
    plan_request = RenderRequest(
        job_id=1,
        client=1,
        entries=(JobEntry(0, ConversationEntry("a", "assistant", findings_document(20_000))),),
        width=80,
        theme=RenderTheme(),
        screen_lines=10,
    )
    events: list[object] = []
    run_request(plan_request, events.append, lambda: False)
    units = [unit for event in events if isinstance(event, Batch) for _, unit in event.units]
    copies = [pickle.loads(pickle.dumps(unit)) for unit in units]
    assert copies == units
    first, second = copies[1], copies[2]
    shared = set(map(id, first.styles)) & set(map(id, second.styles))
    assert shared


def test_the_process_exits_when_the_app_closes_it() -> None:
    process = RenderProcess()
    assert process.ready.wait(DEADLINE)
    process.close()
    assert process._process.poll() == 0
