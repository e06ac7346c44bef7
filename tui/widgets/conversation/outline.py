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


class Outline(OptionList):
    """Entries (level 0) and headings, indented by level; enter jumps to one."""

    DEFAULT_CSS = """
    Outline {
        dock: right;
        width: 40%;
        max-width: 60;
        height: 1fr;
        display: none;
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

    def open(self, items: Sequence[OutlineItem], current_y: int) -> None:
        """Show ``items``, highlight the last one at or above ``current_y``, take focus."""
        self.clear_options()
        self.add_options(
            Option(
                Text(INDENT * item.level + item.title, no_wrap=True, overflow="ellipsis"),
                str(item.y),
            )
            for item in items
        )
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
