"""The conversation viewer of the detail pane.

Rendering happens off the event loop, unit by unit (see :mod:`.job`): in the
app's render process once it is up (:mod:`.process`), in a thread until then
or if it fails. It reaches the screen in batches, what is on screen first and
the rest after, while keys, scrolling and timers keep running. Complete renders are cached
per entry, width and theme, so showing a conversation again, or the same
poll twice, costs nothing. A resize or theme change re-renders in the
background while the previous render stays on screen.

Scroll position when a conversation is shown:

- another session: at the prompt that asked the newest answer, or at the
  answer itself when that prompt would take more than a third of the
  screen; at the last prompt when it has no answer yet;
- the same session with new entries: unchanged, unless the view was at the
  bottom, in which case it follows: the first new entry is brought up as
  far as the top of the screen;
- the same session and content: nothing happens at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.worker import Worker

from .bindings import VIEW_BINDINGS
from .cache import RenderCache, cache_key
from .document import EntryLines, Position
from .entry import ConversationEntry
from .find import FindBar, FindState
from .job import Batch, JobEntry, JobHandle, RenderRequest
from .outline import Outline
from .pane import ConversationPane
from .process import RenderProcess, shared_process
from .runner import JobRunner, RenderProgress, next_job_id
from .styles import VIEW_COMPONENT_CLASSES, VIEW_CSS
from .theme import RenderTheme, read_theme

RESIZE_DELAY = 0.12
"""Seconds a new width must last before the conversation is re-rendered for it."""
FIND_REFRESH_DELAY = 0.25
"""Seconds between searches of a document that is still being rendered."""
HORIZONTAL_STEP = 4


class ConversationView(Widget, can_focus=True):
    """Shows a session's prompts and answers; answers are rendered Markdown."""

    DEFAULT_CSS = VIEW_CSS
    COMPONENT_CLASSES = VIEW_COMPONENT_CLASSES
    BINDINGS = VIEW_BINDINGS

    class Rendered(Message):
        """Everything of the conversation shown for ``key`` is rendered."""

        def __init__(self, view: ConversationView, key: str) -> None:
            super().__init__()
            self.view = view
            self.key = key

        @property
        def control(self) -> ConversationView:
            return self.view

    is_rendering: var[bool] = var(False)
    """Whether a render job is running for the conversation on display."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
        render_process: bool = True,
    ) -> None:
        """``render_process``: render in the app's render process once it is ready
        (else always in a thread)."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._key: str | None = None
        self._entries: tuple[ConversationEntry, ...] = ()
        self._pending: str | None = None
        self._message: str | None = None
        self._theme = RenderTheme()
        self._width = 0
        self._job: JobHandle | None = None
        self._use_process = render_process
        self._runner = JobRunner(self, None)
        self._cache = RenderCache()
        self._rendered_key: str | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._first_screen = asyncio.Event()
        self._prompt_rule: tuple[int, int] | None = None
        self._find = FindState()
        self._find_at: Position | None = None
        """Where the current match is, to keep it current when the document changes."""
        self._find_stale = False
        self._pane = ConversationPane()

    def compose(self) -> ComposeResult:
        yield self._pane
        yield FindBar()
        yield Outline()

    @property
    def pane(self) -> ConversationPane:
        """The scrolling area that paints the conversation."""
        return self._pane

    @property
    def key(self) -> str | None:
        """The session shown (None when cleared)."""
        return self._key

    @property
    def rendered_key(self) -> str | None:
        """The session shown, once all of it is rendered; None while rendering."""
        return self._rendered_key

    @property
    def render_job(self) -> JobHandle | None:
        """The render job running, if any."""
        return self._job

    async def wait_rendered(self) -> None:
        """Wait until nothing is left to render (for tests and benchmarks)."""
        await self._idle.wait()

    async def wait_first_screen(self) -> None:
        """Wait until the screen is filled, or everything rendered (for tests and benchmarks)."""
        await self._first_screen.wait()

    # Lifecycle -----------------------------------------------------------

    @property
    def render_process(self) -> RenderProcess | None:
        """The render process this view uses when it is ready, if any."""
        return self._runner.process

    @render_process.setter
    def render_process(self, process: RenderProcess | None) -> None:
        self._runner.process = process

    def on_mount(self) -> None:
        self._read_theme()
        if self._use_process:
            self._runner.process = shared_process()

    def on_unmount(self) -> None:
        self._cancel_job()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self.call_later(self._check_theme)

    def _read_theme(self) -> bool:
        """Read the styles the renderer uses; True when they changed."""
        theme = read_theme(self.get_component_rich_style, dark=self.app.current_theme.dark)
        pane = self.pane
        pane.pending_style = self.get_component_rich_style("conversation--pending")
        pane.message_style = self.get_component_rich_style("conversation--message")
        if theme == self._theme:
            return False
        self._theme = theme
        return True

    def _check_theme(self) -> None:
        if self._read_theme() and self._entries:
            self._restyle()
        self._paint_matches()

    def on_resize(self) -> None:
        width = self.pane.content_width
        if width == self._width or width <= 0:
            return
        if self._width == 0:
            self._width = width
            self._restyle()
        else:
            self.set_timer(RESIZE_DELAY, self._width_settled, name="conversation-resize")

    def _width_settled(self) -> None:
        width = self.pane.content_width
        if width > 0 and width != self._width:
            self._width = width
            self._restyle()

    # Public API ------------------------------------------------------------

    def show(
        self,
        key: str,
        entries: Sequence[ConversationEntry],
        *,
        pending: str | None = None,
    ) -> None:
        """Show the conversation of session ``key``; see the module doc for scrolling.

        ``pending`` is a one-line status shown, as plain text, after the last
        entry. Calling again with the same key and entries changes nothing
        (beyond the status line, if that differs).
        """
        new_entries = tuple(entries)
        if key == self._key and new_entries == self._entries and self._message is None:
            if pending != self._pending:
                self._set_pending(pending)
            return
        pane = self.pane
        pane.hold()
        same_session = key == self._key and self._message is None
        following = same_session and pane.at_bottom()
        old_lines = pane.document.entries if same_session else []
        lines: list[EntryLines] = []
        first_new = len(new_entries)
        for index, entry in enumerate(new_entries):
            previous = old_lines[index] if index < len(old_lines) else None
            if previous is not None and previous.entry == entry:
                lines.append(previous)
                continue
            first_new = min(first_new, index)
            current = EntryLines(entry)
            if previous is not None and previous.entry.id == entry.id:
                current.units = previous.units
                current.mark_stale()
            lines.append(current)
        self._key = key
        self._entries = new_entries
        self._pending = pending
        self._message = None
        pane.message = None
        pane.pending = pending
        pane.document.reset(lines)
        if not same_session:
            self._close_outline()
            self._prompt_rule = None
            pane.scroll_to(x=0, y=0, animate=False, immediate=True)
            pane.held = self._opening_position(new_entries)
        elif following and first_new < len(new_entries):
            pane.held = Position(first_new, 0, 0)
        self._fill_from_cache()
        self._start_job()
        pane.release()
        self._document_changed()

    def clear(self, message: str) -> None:
        """Show no conversation, only ``message`` (plain text)."""
        self._cancel_job()
        self._key = None
        self._entries = ()
        self._pending = None
        self._message = message
        self._rendered_key = None
        self._prompt_rule = None
        self._close_outline()
        pane = self.pane
        pane.document.reset([])
        pane.held = Position()
        pane.pending = None
        pane.message = message
        pane.scroll_to(x=0, y=0, animate=False, immediate=True)
        pane.release()
        self._set_idle()
        self._document_changed()

    # Rendering ---------------------------------------------------------

    def _opening_position(self, entries: tuple[ConversationEntry, ...]) -> Position:
        """Where a newly shown conversation opens (see the module doc)."""
        if not entries:
            return Position()
        if entries[-1].is_user:
            return Position(len(entries) - 1, 0, 0)
        answer = len(entries) - 1
        if answer > 0 and entries[answer - 1].is_user:
            self._prompt_rule = (answer - 1, answer)
            return Position(answer - 1, 0, 0)
        return Position(answer, 0, 0)

    def _apply_prompt_rule(self) -> None:
        """Skip to the answer when the prompt above it turned out long."""
        if self._prompt_rule is None:
            return
        prompt, answer = self._prompt_rule
        pane = self.pane
        lines = pane.document.entries[prompt]
        if not lines.complete:
            return
        self._prompt_rule = None
        if pane.held == Position(prompt, 0, 0) and lines.height > pane.size.height // 3:
            pane.held = Position(answer, 0, 0)

    def _fill_from_cache(self) -> None:
        for index, lines in enumerate(self.pane.document.entries):
            if lines.complete:
                continue
            cached = self._cache.get(cache_key(lines.entry, index, self._width, self._theme))
            if cached is not None:
                lines.fill(cached)

    def _restyle(self) -> None:
        """Re-render for a new width or theme, keeping the old render on screen meanwhile."""
        pane = self.pane
        pane.hold()
        for lines in pane.document.entries:
            lines.mark_stale()
        self._fill_from_cache()
        self._start_job()
        pane.release()
        self._document_changed()

    def _job_order(self) -> list[JobEntry]:
        """Incomplete entries, the one on screen first, then those below, then those above."""
        pane = self.pane
        focus = pane.held
        entries = pane.document.entries
        count = len(entries)
        start = min(focus.entry, max(0, count - 1))
        order = [*range(start, count), *range(start - 1, -1, -1)]
        return [
            JobEntry(
                index,
                entries[index].entry,
                focus.unit if index == focus.entry else 0,
                frozenset(unit for unit, fresh in enumerate(entries[index].fresh) if fresh),
            )
            for index in order
            if not entries[index].complete
        ]

    def _start_job(self, *, in_thread: bool = False) -> None:
        self._cancel_job()
        self._first_screen.clear()
        work = self._job_order()
        if not work:
            self._set_idle()
            return
        self._idle.clear()
        self._rendered_key = None
        if self._width <= 0:
            return  # not laid out yet: the first resize starts the job
        request = RenderRequest(
            job_id=next_job_id(),
            client=id(self),
            entries=tuple(work),
            width=self._width,
            theme=self._theme,
            screen_lines=max(1, self.pane.size.height),
        )
        self._job = self._runner.start(request, in_thread=in_thread)
        self.is_rendering = True

    def _cancel_job(self) -> None:
        if self._job is not None:
            self._runner.cancel(self._job)
            self._job = None
            self.is_rendering = False

    def _set_idle(self) -> None:
        self.is_rendering = False
        self._first_screen.set()
        if not self._idle.is_set():
            self._idle.set()
        if self._key is not None and self._rendered_key != self._key:
            self._rendered_key = self._key
            self.post_message(self.Rendered(self, self._key))

    def on_render_progress(self, message: RenderProgress) -> None:
        message.stop()
        if message.handle is not self._job:
            return
        event = message.event
        if isinstance(event, Batch):
            self._apply_batch(event)
        elif event.failed and message.handle.in_process:
            self._start_job(in_thread=True)  # the process died: render here instead
        else:  # done, or failed in a thread too: what could be rendered is shown
            self._job = None
            self.pane.flush_size()
            self._set_idle()

    def _apply_batch(self, batch: Batch) -> None:
        pane = self.pane
        pane.hold()
        lines = pane.document.entries[batch.entry_index]
        if not lines.planned or len(lines.units) != batch.unit_count:
            lines.plan(batch.unit_count)
        for index, unit in batch.units:
            old_height = lines.unit_height(index)
            lines.put(index, unit)
            pane.remap(batch.entry_index, index, old_height, unit.height)
        lines.reindex()
        if batch.complete and lines.complete:
            key = cache_key(lines.entry, batch.entry_index, self._width, self._theme)
            self._cache.put(key, lines.rendered())
        self._apply_prompt_rule()
        pane.release()
        filled = pane.document.height - round(pane.scroll_y) >= pane.size.height
        if filled and not self._first_screen.is_set():
            self._first_screen.set()
        self._document_changed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        event.stop()

    def _set_pending(self, pending: str | None) -> None:
        pane = self.pane
        pane.hold()
        self._pending = pending
        pane.pending = pending
        pane.release()

    # Scrolling -----------------------------------------------------------

    def action_scroll_lines(self, lines: int) -> None:
        pane = self.pane
        pane.go_to(round(pane.scroll_y) + lines)

    def action_scroll_columns(self, direction: int) -> None:
        pane = self.pane
        pane.go_to(
            round(pane.scroll_y), x=max(0, round(pane.scroll_x) + direction * HORIZONTAL_STEP)
        )

    def action_page(self, direction: int) -> None:
        pane = self.pane
        step = max(1, pane.scrollable_content_region.height - 1)
        pane.go_to(round(pane.scroll_y) + direction * step)

    def action_top(self) -> None:
        self.pane.go_to(0, x=0)

    def action_bottom(self) -> None:
        pane = self.pane
        pane.go_to(pane.max_scroll_y)

    # Headings and outline ------------------------------------------------

    def action_heading(self, direction: int) -> None:
        pane = self.pane
        top = round(pane.scroll_y)
        items = pane.document.outline()
        if direction > 0:
            target = next((item.y for item in items if item.y > top), None)
        else:
            target = next((item.y for item in reversed(items) if item.y < top), None)
        if target is not None:
            pane.go_to(target, x=0)

    def action_outline(self) -> None:
        outline = self.query_one(Outline)
        if outline.is_open:
            self._close_outline()
            return
        pane = self.pane
        outline.open(pane.document.outline(), round(pane.scroll_y), self.size.width)

    def _close_outline(self) -> None:
        outline = self.query_one(Outline)
        if outline.is_open:
            outline.close()
            self.focus()

    def on_outline_jump(self, message: Outline.Jump) -> None:
        message.stop()
        self._close_outline()
        self.pane.go_to(message.y, x=0)

    def on_outline_closed(self, message: Outline.Closed) -> None:
        message.stop()
        self._close_outline()

    # Find ------------------------------------------------------------------

    def action_find(self) -> None:
        self.query_one(FindBar).open()

    def action_match(self, direction: int) -> None:
        if self._find.step(direction):
            self._show_match()

    def on_find_bar_query_changed(self, message: FindBar.QueryChanged) -> None:
        message.stop()
        self._find.query = message.query
        self._search(from_top=True)

    def on_find_bar_step(self, message: FindBar.Step) -> None:
        message.stop()
        self.action_match(message.direction)

    def on_find_bar_closed(self, message: FindBar.Closed) -> None:
        message.stop()
        self.query_one(FindBar).close()
        self._find.query = ""
        self._search(from_top=False)
        self.focus()

    def _search(self, *, from_top: bool) -> None:
        self._find_stale = False
        document = self.pane.document
        if from_top or self._find_at is None:
            at = round(self.pane.scroll_y)
        else:
            at = document.y_of(self._find_at)
        if self._find.search(document.lines(), at, from_top=from_top):
            self._show_match()
        else:
            self._paint_matches()

    def _show_match(self) -> None:
        match = self._find.current
        if match is not None:
            self.pane.center_on(match.y, match.start)
        self._paint_matches()

    def _paint_matches(self) -> None:
        """Paint the matches, note where the current one is, update the counter."""
        match = self._find.current
        self._find_at = self.pane.document.locate(match.y) if match is not None else None
        normal = self.get_component_rich_style("conversation--match")
        current = self.get_component_rich_style("conversation--match-current")
        self.pane.highlights = self._find.highlights(normal, current)
        self.query_one(FindBar).set_counter(self._find.counter())

    def _document_changed(self) -> None:
        """Search again (at most every few hundred ms) when the query is set."""
        if self._find.query and not self._find_stale:
            self._find_stale = True
            self.set_timer(FIND_REFRESH_DELAY, self._refresh_search)

    def _refresh_search(self) -> None:
        if self._find_stale and self._find.query:
            self._search(from_top=False)
