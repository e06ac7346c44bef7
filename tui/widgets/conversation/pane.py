"""The scrolling area that paints the document's pre-rendered strips (Line API).

Lines are rendered in advance and painting one only builds its strip from
compact storage (kept until the document changes), so scrolling costs the
same whatever the size of the answer. The pane also
keeps what is on screen in place while units above it appear or change
height: it holds the (entry, unit, line) wanted at the top of the screen and
scrolls back to it after every change. The held position may lie beyond
what can be scrolled to yet (the newest answer while the rest is still
rendering); it is kept until the user scrolls, which the pane notices as a
scroll position other than the one it last set.
"""

from __future__ import annotations

from collections.abc import Iterable
from time import monotonic

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from .document import Document, Position

SIZE_INTERVAL = 0.25
"""Seconds between size changes while lines are added off screen."""
STRIP_CACHE_SIZE = 512
"""Lines kept as finished strips between paints (lines are stored compactly otherwise)."""


Span = tuple[int, int, Style]
"""(start, end, style): characters of a line to paint over with a style."""


def _paint_over(segments: list[Segment], text: str, spans: Iterable[Span]) -> list[Segment]:
    """``segments`` (of the line ``text``) with each span painted over with its style."""
    total = Segment.get_line_length(segments)
    for start, end, style in spans:
        left = cell_len(text[:start])
        right = min(left + max(1, cell_len(text[start:end])), total)
        if left >= right:
            continue
        before, middle, after = Segment.divide(segments, [left, right, total])
        segments = [*before, *Segment.apply_style(middle, post_style=style), *after]
    return segments


def _screen_line(segments: list[Segment], base: Style, x: int, width: int, y: int) -> Strip:
    """A document line as painted: on ``base``, from column ``x``, ``width`` wide.

    Built as one strip, straight from segments: the strips Textual derives one
    from another (styled, cropped, with offsets) each keep the next in a cache,
    and the chains become garbage only the collector can free.
    """
    styled = list(Segment.apply_style(segments, base))
    if x:
        total = Segment.get_line_length(styled)
        styled = list(Segment.divide(styled, [x, total]))[1] if total > x else []
    fitted = Segment.adjust_line_length(styled, width, style=base)
    painted: list[Segment] = []
    offset = x
    for text, style, _ in fitted:
        # Offsets tell Textual which character is where, for selecting with the mouse.
        meta = Style.from_meta({"offset": (offset, y)})
        painted.append(Segment(text, style + meta if style else meta))
        offset += len(text)
    return Strip(painted, width)


class ConversationPane(ScrollView, can_focus=False):
    """Paints a :class:`Document`, a pending status line and find highlights."""

    DEFAULT_CSS = """
    ConversationPane {
        height: 1fr;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.document = Document()
        self._pending: str | None = None
        self._message: str | None = None
        self.held = Position()
        """The position wanted at the top of the screen."""
        self._placed_y = 0
        self.pending_style = Style(italic=True)
        self.message_style = Style(dim=True)
        self._message_strips: tuple[tuple[str, int, Style], list[Strip]] | None = None
        self._strips: dict[int, tuple[object, Strip]] = {}
        """Finished strips by document line, with what the line showed when it was built
        (a strip is reused while the line still shows that), for ``_strips_key``."""
        self._strips_key: tuple[Style, int, int] | None = None
        self._paint_key: tuple[Style, int, int] | None = None
        self._highlights: dict[int, list[tuple[int, int, Style]]] = {}
        self._painted: tuple[object, ...] | None = None
        self._size_due: Size | None = None
        self._size_applied = 0.0
        self._size_timer_set = False

    @property
    def pending(self) -> str | None:
        """A status line painted after the document."""
        return self._pending

    @pending.setter
    def pending(self, pending: str | None) -> None:
        if pending != self._pending:
            self._pending = pending
            self.repaint()

    @property
    def highlights(self) -> dict[int, list[tuple[int, int, Style]]]:
        """Find matches to paint over: (start, end, style) by document line."""
        return self._highlights

    @highlights.setter
    def highlights(self, highlights: dict[int, list[tuple[int, int, Style]]]) -> None:
        if highlights != self._highlights:
            self._highlights = highlights
            self.repaint()

    @property
    def message(self) -> str | None:
        """The empty-state message painted instead of a document."""
        return self._message

    @message.setter
    def message(self, message: str | None) -> None:
        if message != self._message:
            self._message = message
            self.repaint()

    # Size and position -------------------------------------------------

    @property
    def content_width(self) -> int:
        """Columns available to rendered lines (the scrollbar gutter excluded)."""
        return self.scrollable_content_region.width

    @property
    def _extra_lines(self) -> list[Strip]:
        """Lines painted after the document: the empty-state message or the pending status."""
        width = max(1, self.content_width)
        if self.message is not None:
            return self._text_strips(self.message, width, self.message_style, wrap=True)
        if self.pending is None:
            return []
        status = self._text_strips(self.pending.replace("\n", " "), width, self.pending_style)
        return [Strip([]), *status] if self.document.height else status

    def _text_strips(
        self, text: str, width: int, style: Style, *, wrap: bool = False
    ) -> list[Strip]:
        key = (text, width, style)
        if self._message_strips is None or self._message_strips[0] != key:
            renderable = Text(
                text, style=style, end="", no_wrap=not wrap, overflow="fold" if wrap else "ellipsis"
            )
            options = self.app.console.options.update(width=width, height=None)
            lines = self.app.console.render_lines(renderable, options, pad=False)
            self._message_strips = (key, [Strip(line) for line in lines])
        return self._message_strips[1]

    def at_bottom(self) -> bool:
        self.flush_size()
        return self.document.height > 0 and round(self.scroll_y) >= self.max_scroll_y

    def _on_screen(self, top: int | None = None) -> tuple[object, ...]:
        """What is painted with line ``top`` at the top: offsets and each line's identity."""
        top = round(self.scroll_y) if top is None else top
        lines = range(top, top + self.scrollable_content_region.height)
        return (top, round(self.scroll_x), *(self.document.identity(y) for y in lines))

    def hold(self) -> None:
        """Before the document changes: note the top line if the user scrolled since."""
        if round(self.scroll_y) != self._placed_y:
            self.held = self.document.locate(round(self.scroll_y))
        self._painted = self._on_screen()

    def remap(self, entry: int, unit: int, old_height: int, new_height: int) -> None:
        """Keep the held position proportionally inside a unit whose height changed."""
        held = self.held
        if (held.entry, held.unit) == (entry, unit) and old_height and new_height != old_height:
            self.held = Position(entry, unit, held.line * new_height // old_height)

    def release(self) -> None:
        """After the document changed: resize, return to the held position, repaint.

        Units rendered off screen (most of a long answer) change neither what
        is painted nor where: then the lines are not painted again, and the
        new size (which makes Textual lay out and paint the whole screen) is
        applied at most every :data:`SIZE_INTERVAL` seconds.
        """
        self.document.reindex()
        size = Size(self.document.width, self.document.height + len(self._extra_lines))
        target = self.document.y_of(self.held)
        unchanged = (
            self._painted is not None
            and size.width == self.virtual_size.width
            and target == round(self.scroll_y)
            and self._on_screen(target) == self._painted
        )
        self._painted = None
        if unchanged:
            self._defer_size(size)
            return
        self._apply_size(size)
        self._scroll(target)
        self.refresh()

    def _apply_size(self, size: Size) -> None:
        self._size_due = None
        self._size_applied = monotonic()
        if size.width == self.virtual_size.width:
            # Only taller or shorter: update the scrollbars without the layout of
            # the whole screen (and its full repaint) that setting ``virtual_size``
            # asks for. A change of width may show or hide the horizontal
            # scrollbar, which does need a layout.
            self.set_reactive(ConversationPane.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size

    def _defer_size(self, size: Size) -> None:
        if size == self.virtual_size:
            self._size_due = None
        elif monotonic() - self._size_applied >= SIZE_INTERVAL:
            self._apply_size(size)
        else:
            self._size_due = size
            if not self._size_timer_set:
                self._size_timer_set = True
                self.set_timer(SIZE_INTERVAL, self._size_timer_fired)

    def _size_timer_fired(self) -> None:
        self._size_timer_set = False
        self.flush_size()

    def flush_size(self) -> None:
        """Apply a deferred size now (before scrolling by the user, or when rendering ends)."""
        if self._size_due is not None:
            self._apply_size(self._size_due)
            self._scroll(self.document.y_of(self.held))

    def repaint(self) -> None:
        """Paint everything again (the lines after the document changed)."""
        self._painted = None
        self._strips.clear()
        self.refresh()

    def _scroll(self, y: int, x: int | None = None) -> None:
        self.scroll_to(x=x, y=y, animate=False, force=True, immediate=True)
        self._placed_y = round(self.scroll_y)

    def go_to(self, y: int, *, x: int | None = None) -> None:
        """Scroll so document line ``y`` is at the top, and hold that position."""
        self.flush_size()
        self._scroll(y, x)
        self.held = self.document.locate(self._placed_y)

    def center_on(self, y: int, column: int) -> None:
        """Scroll so document line ``y`` and ``column`` are on screen, line mid-screen."""
        height = self.scrollable_content_region.height
        width = self.content_width
        top = round(self.scroll_y)
        if not top <= y < top + height:
            top = max(0, y - height // 2)
        left = round(self.scroll_x)
        if not left <= column < left + width:
            left = max(0, column - width // 2)
        self.go_to(top, x=left)

    # Painting ------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of one paint shares, looked up once per paint.
        self._paint_key = (self.rich_style, self.content_width, round(self.scroll_x))
        try:
            return super().render_lines(crop)
        finally:
            self._paint_key = None

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the screen: a finished strip, kept while the line shows the same."""
        key = self._paint_key or (self.rich_style, self.content_width, round(self.scroll_x))
        if key != self._strips_key:
            self._strips.clear()
            self._strips_key = key
        line_y = round(self.scroll_y) + y
        identity = self._identity(line_y)
        cached = self._strips.get(line_y)
        if cached is not None and cached[0] == identity:
            return cached[1]
        base, width, scroll_x = key
        strip = _screen_line(self._line_segments(line_y), base, scroll_x, width, line_y)
        if len(self._strips) >= STRIP_CACHE_SIZE:
            self._strips.clear()
        self._strips[line_y] = (identity, strip)
        return strip

    def _identity(self, y: int) -> object:
        """What line ``y`` shows: a unit's line, or one of the lines after the document."""
        return self.document.identity(y) or ("after", y - self.document.height)

    def _line_segments(self, y: int) -> list[Segment]:
        """Document line ``y`` with its find and selection highlights, or a line after it."""
        segments = self.document.segments(y)
        if segments is None:
            extra = self._extra_lines
            index = y - self.document.height
            return list(extra[index]) if 0 <= index < len(extra) else []
        spans = list(self.highlights.get(y, ()))
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            text = self.document.text(y)
            style = self.screen.get_component_rich_style("screen--selection")
            spans.append((start, len(text) if end == -1 else end, style))
        return _paint_over(segments, self.document.text(y), spans) if spans else segments

    # Selecting text ----------------------------------------------------------

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text of the conversation, as plain lines."""
        text = "\n".join(line for _, line in self.document.lines())
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.repaint()
