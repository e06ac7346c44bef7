"""The top bar: the product, where it is connected, a DEMO marker, and the poll state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static


class TopBar(Horizontal):
    """One line: ``Traversal · endpoint`` on the left, ``DEMO`` and poll state on the right."""

    endpoint: reactive[str] = reactive("")
    poll_state: reactive[str] = reactive("")

    def __init__(self, *, demo: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self._demo = demo

    def compose(self) -> ComposeResult:
        yield Static("Traversal", id="brand", markup=False)
        yield Static("", id="endpoint", markup=False)
        yield Static(" DEMO ", id="demo-marker", markup=False)
        yield Static("", id="poll-state", markup=False)

    def on_mount(self) -> None:
        self.query_one("#demo-marker").display = self._demo

    def watch_endpoint(self, endpoint: str) -> None:
        if self.is_mounted:
            self.query_one("#endpoint", Static).update(endpoint)

    def watch_poll_state(self, state: str) -> None:
        if self.is_mounted:
            self.query_one("#poll-state", Static).update(state)
