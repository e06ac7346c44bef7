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
        # Held, not queried: updates may arrive while the app is closing.
        self._endpoint = Static("", id="endpoint", markup=False)
        self._demo_marker = Static(" DEMO ", id="demo-marker", markup=False)
        self._demo_marker.display = demo
        self._poll_state = Static("", id="poll-state", markup=False)

    def compose(self) -> ComposeResult:
        yield Static("Traversal", id="brand", markup=False)
        yield self._endpoint
        yield self._demo_marker
        yield self._poll_state

    def watch_endpoint(self, endpoint: str) -> None:
        self._endpoint.update(endpoint)

    def watch_poll_state(self, state: str) -> None:
        self._poll_state.update(state)
