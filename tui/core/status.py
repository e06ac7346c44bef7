"""How a session status reads on screen: a symbol and a word, so it works without colour."""

from __future__ import annotations

from dataclasses import dataclass

from tui.api.models import SessionStatus


@dataclass(frozen=True)
class StatusLabel:
    symbol: str
    word: str
    style_class: str

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.word}"


_LABELS = {
    SessionStatus.RUNNING: StatusLabel("◐", "running", "running"),
    SessionStatus.FOLLOW_UP_RUNNING: StatusLabel("◑", "follow-up", "running"),
    SessionStatus.IDLE: StatusLabel("●", "idle", "idle"),
    SessionStatus.FAILED: StatusLabel("✖", "failed", "failed"),
}


def status_label(status: str) -> StatusLabel:
    """The label for a status; an unknown one is shown as itself with a question mark."""
    known = _LABELS.get(SessionStatus(status)) if status in _LABELS else None
    if known is not None:
        return known
    return StatusLabel("?", status[:20] or "unknown", "unknown")


#: Why the follow-up box is disabled, per status.
FOLLOW_UP_BLOCKED_REASON = {
    SessionStatus.RUNNING: (
        "Traversal is still investigating; you can ask a follow-up when it is idle."
    ),
    SessionStatus.FOLLOW_UP_RUNNING: (
        "Traversal is answering the last follow-up; wait until it is idle."
    ),
    SessionStatus.FAILED: "This investigation failed: press x to start it again as a new one.",
}


def follow_up_blocked_reason(status: str) -> str | None:
    """None when a follow-up can be sent now, else why not, in plain words."""
    if status == SessionStatus.IDLE:
        return None
    if status in FOLLOW_UP_BLOCKED_REASON:
        return FOLLOW_UP_BLOCKED_REASON[SessionStatus(status)]
    return f"The session is '{status}'; follow-ups need it to be idle."
