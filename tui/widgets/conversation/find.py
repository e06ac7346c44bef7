"""Find in the answer: matching lines, and the bar where the query is typed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

MATCH_LIMIT = 10_000
"""Matches counted at most; the counter then shows ``N+``."""


@dataclass(frozen=True)
class Match:
    """``query`` found on document line ``y``, characters ``start`` to ``end``."""

    y: int
    start: int
    end: int


def find_matches(lines: Iterable[tuple[int, str]], query: str) -> tuple[list[Match], bool]:
    """Every match of ``query`` in ``lines`` and whether the count was cut at the limit.

    Case-insensitive unless ``query`` has an upper-case letter. A match does
    not span two lines, so text wrapped across lines is found only by a query
    that fits on one of them.
    """
    if not query:
        return [], False
    sensitive = query != query.lower()
    needle = query if sensitive else query.lower()
    size = len(needle)
    matches: list[Match] = []
    for y, text in lines:
        haystack = text if sensitive else text.lower()
        start = haystack.find(needle)
        while start >= 0:
            matches.append(Match(y, start, start + size))
            if len(matches) >= MATCH_LIMIT:
                return matches, True
            start = haystack.find(needle, start + size)
    return matches, False


Highlights = dict[int, list[tuple[int, int, Style]]]
"""(start, end, style) of the matches on each document line."""


class FindState:
    """The query, its matches in the document, and which match is current."""

    def __init__(self) -> None:
        self.query = ""
        self.matches: list[Match] = []
        self.truncated = False
        self.index: int | None = None

    @property
    def current(self) -> Match | None:
        return self.matches[self.index] if self.index is not None else None

    def search(self, lines: Iterable[tuple[int, str]], at: int, *, from_top: bool) -> bool:
        """Search ``lines`` again; True when the current match was chosen anew.

        ``from_top`` (the query changed): the first match at or below line
        ``at`` (the top of the screen) becomes current. Otherwise (the document
        changed) ``at`` is where the current match's line is now, and the match
        there, or the next one, stays current.
        """
        current = self.current
        self.matches, self.truncated = find_matches(lines, self.query)
        if not self.matches:
            self.index = None
            return False
        chosen = from_top or current is None
        start = (at, 0) if chosen or current is None else (at, current.start)
        self.index = next(
            (i for i, match in enumerate(self.matches) if (match.y, match.start) >= start), 0
        )
        return chosen

    def step(self, direction: int) -> bool:
        """Make the next (``1``) or previous (``-1``) match current; False if none."""
        if not self.matches:
            return False
        if self.index is None:
            self.index = 0 if direction > 0 else len(self.matches) - 1
        else:
            self.index = (self.index + direction) % len(self.matches)
        return True

    def highlights(self, normal: Style, current: Style) -> Highlights:
        painted: Highlights = {}
        for index, match in enumerate(self.matches):
            style = current if index == self.index else normal
            painted.setdefault(match.y, []).append((match.start, match.end, style))
        return painted

    def counter(self) -> str:
        """The "3/12" shown beside the query ("" without a query)."""
        if not self.query:
            return ""
        return counter_text(self.index, len(self.matches), self.truncated)


def counter_text(current: int | None, total: int, truncated: bool) -> str:
    """The "3/12" shown beside the query."""
    if total == 0:
        return "no matches"
    shown = f"{total}+" if truncated else str(total)
    return f"{(current or 0) + 1}/{shown}"


class FindBar(Horizontal):
    """A one-line bar with the query and the match counter."""

    DEFAULT_CSS = """
    FindBar {
        height: 1;
        dock: bottom;
        display: none;
        background: $boost;
    }
    FindBar.-open { display: block; }
    FindBar > Label { padding: 0 1; }
    FindBar > #find-label { color: $text-muted; }
    FindBar > Input, FindBar > Input:focus {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Close find",
            id="conversation.find.close",
            tooltip="Close the find bar and clear the highlights",
        ),
        Binding(
            "down,f3",
            "step(1)",
            "Next match",
            key_display="↓/enter",
            id="conversation.find.next",
            tooltip="Go to the next match (also enter)",
        ),
        Binding(
            "up,shift+f3",
            "step(-1)",
            "Previous match",
            key_display="↑",
            id="conversation.find.previous",
            tooltip="Go to the previous match",
        ),
    ]

    class QueryChanged(Message):
        """The query was edited."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Step(Message):
        """Move to the next (``1``) or previous (``-1``) match."""

        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    class Closed(Message):
        """The bar was closed."""

    def compose(self) -> ComposeResult:
        yield Label("Find", id="find-label")
        yield Input(placeholder="text in the answer", id="find-input", select_on_focus=True)
        yield Label("", id="find-counter")

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()

    def close(self) -> None:
        self.remove_class("-open")

    def set_counter(self, text: str) -> None:
        self.query_one("#find-counter", Label).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Step(1))

    def action_step(self, direction: int) -> None:
        self.post_message(self.Step(direction))

    def action_close(self) -> None:
        self.post_message(self.Closed())
