"""Small dialogs: watch a session by id, confirm, and help."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static


def parse_session_id(text: str) -> str | None:
    """The canonical UUID in ``text`` (pasted ids often carry spaces or a URL), or None."""
    candidate = text.strip().rstrip("/").rsplit("/", 1)[-1].strip()
    try:
        return str(uuid.UUID(candidate))
    except ValueError:
        return None


class WatchSessionScreen(ModalScreen[str | None]):
    """Ask for a session id to watch; dismisses with the id or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-watch", tooltip="Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Watch a session: paste its id (or a link ending in it)")
            yield Input(placeholder="a1b2c3d4-e5f6-7890-abcd-ef1234567890", id="watch-id")
            yield Static("", id="watch-error", markup=False)
        yield Footer()

    @on(Input.Submitted, "#watch-id")
    def _submitted(self, event: Input.Submitted) -> None:
        session_id = parse_session_id(event.value)
        if session_id is None:
            self.query_one("#watch-error", Static).update(
                "That is not a session id; it looks like a1b2c3d4-e5f6-7890-abcd-ef1234567890."
            )
            self.app.bell()
            return
        self.dismiss(session_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; ``y``/``enter`` confirm, ``n``/``escape`` refuse."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm-yes", tooltip="Confirm"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no", tooltip="Cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question, markup=False)
            yield Label("y: yes    n / escape: no")
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class HelpScreen(ModalScreen[None]):
    """Every key of the dashboard, from the live bindings."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="close-help", tooltip="Close help")
    ]

    def __init__(self, rows: Iterable[tuple[str, str]], intro: str) -> None:
        super().__init__()
        self._rows = list(rows)
        self._intro = intro

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-body"):
            yield Static("Keys", classes="dialog-title")
            width = max((len(key) for key, _ in self._rows), default=4) + 2
            lines = [f"{key.ljust(width)}{description}" for key, description in self._rows]
            yield Static("\n".join(lines), markup=False, id="help-keys")
            yield Static(self._intro, markup=False, id="help-intro")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)


class TooSmallScreen(ModalScreen[None]):
    """Shown instead of the dashboard while the terminal is below the minimum size.

    Modal, so the dashboard's keys do nothing behind it; only q (quit) works.
    """

    BINDINGS = [Binding("q", "app.quit", "Quit", id="quit-too-small", tooltip="Quit")]

    size_now: reactive[Size] = reactive(Size(0, 0))

    def __init__(self, size: Size, min_width: int, min_height: int) -> None:
        super().__init__()
        self._minimum = (min_width, min_height)
        self._notice = Static("", id="too-small", markup=False)
        self.set_reactive(TooSmallScreen.size_now, size)

    def compose(self) -> ComposeResult:
        yield self._notice

    def on_mount(self) -> None:
        self.watch_size_now(self.size_now)

    def watch_size_now(self, size: Size) -> None:
        width, height = self._minimum
        self._notice.update(
            f"Terminal too small: {size.width}×{size.height}. Traversal needs at least "
            f"{width}×{height}. Enlarge the window, or press q to quit."
        )
