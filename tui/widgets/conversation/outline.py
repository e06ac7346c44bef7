"""The outline: a list of the conversation's entries and headings to jump to."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from .document import OutlineItem

INDENT = "  "
WIDTH_SHARE = 0.45
"""The outline covers this share of the view's width, up to :data:`MAX_WIDTH` cells."""
MAX_WIDTH = 60
FRAME = 3
"""Cells of the outline's border and scrollbar, and one to spare."""


def _label(item: OutlineItem, width: int) -> Text:
    """The item's title, indented by level, cut to ``width`` cells (one line)."""
    label = Text(INDENT * item.level + item.title, no_wrap=True)
    label.truncate(width, overflow="ellipsis")
    return label


class Outline(OptionList):
    """Entries (level 0) and headings, indented by level; enter jumps to one."""

    DEFAULT_CSS = """
    Outline {
        layer: outline;
        dock: right;
        width: 45%;
        max-width: 60;  /* WIDTH_SHARE and MAX_WIDTH */
        height: 1fr;
        display: none;
        padding: 0;
        scrollbar-size-vertical: 1;
    }
    Outline, Outline:focus {
        border: none;
        border-left: tall $border;
    }
    Outline.-open { display: block; }
    """

    BINDINGS = [
        Binding(
            "escape,o",
            "close",
            "Close outline",
            id="conversation.outline.close",
            tooltip="Close the outline without moving",
        ),
    ]

    class Jump(Message):
        """Go to document line ``y``."""

        def __init__(self, y: int) -> None:
            super().__init__()
            self.y = y

    class Closed(Message):
        """The outline was closed without choosing."""

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, items: Sequence[OutlineItem], current_y: int, view_width: int) -> None:
        """Show ``items``, highlight the last one at or above ``current_y``, take focus."""
        width = max(8, min(MAX_WIDTH, int(view_width * WIDTH_SHARE)) - FRAME)
        self.clear_options()
        self.add_options(Option(_label(item, width), str(item.y)) for item in items)
        before = [index for index, item in enumerate(items) if item.y <= current_y]
        self.highlighted = before[-1] if before else (0 if items else None)
        self.add_class("-open")
        self.focus()

    def close(self) -> None:
        self.remove_class("-open")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Jump(int(event.option.id)))

    def action_close(self) -> None:
        self.post_message(self.Closed())
