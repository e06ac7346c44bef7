"""Countdown toasts for 409 and 429: the wait counts down in place, once a second.

Textual's ``notify`` returns no handle to update, so this is a small rack of
our own. Each toast knows its deadline on the app's clock; the rack ticks once
a second, updates every toast's line, and removes those that reach zero,
posting :class:`CountdownRack.Expired` so the owner can re-send what was held.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

Clock = Callable[[], float]
_ids = itertools.count(1)


@dataclass(frozen=True)
class CountdownSpec:
    """What a toast says. ``message`` is server text: shown as text, never markup."""

    title: str
    message: str
    seconds: int
    severity: str = "warning"
    #: What the owner does when it expires (e.g. "follow-up:<session id>"); free form.
    purpose: str = ""


class CountdownToast(Static):
    """One toast: a title, the server's message, and ``retry in N s``."""

    def __init__(self, spec: CountdownSpec, deadline: float, clock: Clock) -> None:
        self.spec = spec
        self.deadline = deadline
        self._clock = clock
        self.toast_id = next(_ids)
        super().__init__(classes=f"-{spec.severity}", id=f"countdown-{self.toast_id}")

    @property
    def remaining(self) -> int:
        """Whole seconds left, rounded up; 0 when the wait is over."""
        return max(0, math.ceil(self.deadline - self._clock() - 1e-6))

    def on_mount(self) -> None:
        self.refresh_text()

    def refresh_text(self) -> None:
        seconds = self.remaining
        unit = "second" if seconds == 1 else "seconds"
        self.update(
            Content.assemble(
                (self.spec.title, "bold"),
                "\n",
                Content(self.spec.message),
                "\n",
                (f"Retry in {seconds} {unit}", "italic"),
            )
        )


class CountdownRack(Vertical):
    """Holds the countdown toasts, newest at the bottom, and ticks them."""

    DEFAULT_CSS = """
    CountdownRack {
        layer: toasts;
        dock: top;
        margin-top: 5;
        width: 100%;
        height: auto;
        max-height: 60%;
        align-horizontal: right;
        visibility: hidden;
    }
    CountdownToast {
        visibility: visible;
        width: 56;
        max-width: 60%;
        height: auto;
        margin: 0 2 1 0;
        padding: 0 1;
        background: $panel-lighten-1;
        border-left: outer $warning;
    }
    CountdownToast.-error { border-left: outer $error; }
    CountdownToast.-information { border-left: outer $success; }
    """

    class Expired(Message):
        """A countdown reached zero."""

        def __init__(self, spec: CountdownSpec) -> None:
            self.spec = spec
            super().__init__()

    def __init__(self, clock: Clock = time.monotonic, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock
        self._toasts: list[CountdownToast] = []

    def on_mount(self) -> None:
        self.display = False
        self.set_interval(1.0, self.tick, name="countdown-tick")

    @property
    def toasts(self) -> list[CountdownToast]:
        """The toasts still counting, oldest first."""
        return list(self._toasts)

    def start(self, spec: CountdownSpec) -> CountdownToast:
        """Show a countdown; a toast with the same purpose is replaced, not stacked."""
        if spec.purpose:
            self._drop(lambda toast: toast.spec.purpose == spec.purpose)
        toast = CountdownToast(spec, self._clock() + spec.seconds, self._clock)
        self._toasts.append(toast)
        self.mount(toast)
        self.display = True
        return toast

    def cancel(self, purpose: str) -> None:
        """Remove the countdown for ``purpose`` without posting Expired."""
        self._drop(lambda toast: toast.spec.purpose == purpose)

    def remaining(self, purpose: str) -> int | None:
        """Seconds left on the countdown for ``purpose``, None when there is none."""
        for toast in self._toasts:
            if toast.spec.purpose == purpose:
                return toast.remaining
        return None

    def tick(self) -> None:
        """Update every toast once; expire those at zero."""
        for toast in self._drop(lambda toast: toast.remaining <= 0):
            self.post_message(self.Expired(toast.spec))
        for toast in self._toasts:
            toast.refresh_text()

    def _drop(self, condition: Callable[[CountdownToast], bool]) -> list[CountdownToast]:
        dropped = [toast for toast in self._toasts if condition(toast)]
        for toast in dropped:
            self._toasts.remove(toast)
            toast.remove()
        self.display = bool(self._toasts)
        return dropped
