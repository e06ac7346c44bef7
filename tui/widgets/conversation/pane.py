"""The scrolling area that paints the document's pre-rendered strips (Line API).

Painting a line is a lookup and a crop of a strip rendered in advance, so
scrolling costs the same whatever the size of the answer. The pane also
keeps what is on screen in place while units above it appear or change
height: it holds the (entry, unit, line) wanted at the top of the screen and
scrolls back to it after every change. The held position may lie beyond
what can be scrolled to yet (the newest answer while the rest is still
rendering); it is kept until the user scrolls, which the pane notices as a
scroll position other than the one it last set.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .document import Document, Position


def _highlight(strip: Strip, text: str, spans: Iterable[tuple[int, int, Style]]) -> Strip:
    """``strip`` with each (start, end) character span of ``text`` painted over with a style."""
    for start, end, style in spans:
        left = cell_len(text[:start])
        right = min(left + max(1, cell_len(text[start:end])), strip.cell_length)
        if left >= right:
            continue
        before, middle, after = strip.divide([left, right, strip.cell_length])[:3]
        painted = Strip(Segment.apply_style(list(middle), post_style=style), middle.cell_length)
        strip = Strip.join([before, painted, after])
    return strip


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
        self.pending: str | None = None
        self.message: str | None = None
        self.held = Position()
        """The position wanted at the top of the screen."""
        self._placed_y = 0
        self.highlights: dict[int, list[tuple[int, int, Style]]] = {}
        self.pending_style = Style(italic=True)
        self.message_style = Style(dim=True)
        self._message_strips: tuple[tuple[str, int, Style], list[Strip]] | None = None

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
        return self.document.height > 0 and round(self.scroll_y) >= self.max_scroll_y

    def hold(self) -> None:
        """Before the document changes: note the top line if the user scrolled since."""
        if round(self.scroll_y) != self._placed_y:
            self.held = self.document.locate(round(self.scroll_y))

    def remap(self, entry: int, unit: int, old_height: int, new_height: int) -> None:
        """Keep the held position proportionally inside a unit whose height changed."""
        held = self.held
        if (held.entry, held.unit) == (entry, unit) and old_height and new_height != old_height:
            self.held = Position(entry, unit, held.line * new_height // old_height)

    def release(self) -> None:
        """After the document changed: resize, return to the held position, repaint."""
        self.document.reindex()
        extra = len(self._extra_lines)
        self.virtual_size = Size(self.document.width, self.document.height + extra)
        self._scroll(self.document.y_of(self.held))
        self.refresh()

    def _scroll(self, y: int, x: int | None = None) -> None:
        self.scroll_to(x=x, y=y, animate=False, force=True, immediate=True)
        self._placed_y = round(self.scroll_y)

    def go_to(self, y: int, *, x: int | None = None) -> None:
        """Scroll so document line ``y`` is at the top, and hold that position."""
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

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line_y = scroll_y + y
        width = self.content_width
        base = self.rich_style
        strip = self.document.strip(line_y)
        if strip is None:
            extra = self._extra_lines
            index = line_y - self.document.height
            strip = extra[index] if 0 <= index < len(extra) else Strip([])
        elif line_y in self.highlights:
            strip = _highlight(strip, self.document.text(line_y), self.highlights[line_y])
        return strip.apply_style(base).crop_extend(scroll_x, scroll_x + width, base)
