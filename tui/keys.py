"""The dashboard's keys: one place, so the footer, help, palette and keymap agree."""

from __future__ import annotations

from textual.binding import Binding, BindingType

#: Single-letter keys act only where no text is typed; see ``TraversalApp.check_action``
#: for the two that are priority bindings.
APP_BINDINGS: list[BindingType] = [
    Binding(
        "n",
        "new_investigation",
        "New",
        id="new-investigation",
        tooltip="Start a new investigation",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        id="filter",
        priority=True,  # see check_action: moves focus before the next keys arrive
        tooltip="Filter the session list (in an answer: find)",
    ),
    Binding(
        "s",
        "cycle_sort",
        "Sort",
        show=False,
        id="cycle-sort",
        tooltip="Cycle the list's sort order",
    ),
    Binding(
        "a",
        "watch",
        "Watch id",
        show=False,
        id="watch-session",
        tooltip="Watch a session by pasting its id",
    ),
    Binding(
        "d",
        "unwatch",
        "Unwatch",
        show=False,
        id="unwatch-session",
        tooltip="Stop watching the selected session",
    ),
    Binding(
        "f",
        "focus_follow_up",
        "Follow-up",
        id="focus-follow-up",
        priority=True,  # see check_action: moves focus before the next keys arrive
        tooltip="Type a follow-up question",
    ),
    Binding("r", "refresh", "Refresh", id="refresh", tooltip="Refresh now"),
    Binding(
        "e",
        "export",
        "Export",
        show=False,
        id="export",
        tooltip="Export the open session to a Markdown file",
    ),
    Binding(
        "c",
        "copy_answer",
        "Copy",
        show=False,
        id="copy-answer",
        tooltip="Copy the latest answer to the clipboard",
    ),
    Binding(
        "x",
        "rerun",
        "Re-run",
        show=False,
        id="rerun",
        tooltip="Start a failed investigation again as a new one",
    ),
    Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
    Binding("q", "quit", "Quit", id="quit", tooltip="Quit"),
    Binding(
        "ctrl+p",
        "command_palette",
        "Commands",
        show=False,
        id="command-palette",
        tooltip="Open the command palette",
    ),
]


def app_bindings() -> list[Binding]:
    """The bindings as ``Binding`` objects (for help and the command palette)."""
    return [b for b in APP_BINDINGS if isinstance(b, Binding)]
