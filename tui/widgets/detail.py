"""The detail pane: the open session's header, conversation and follow-up box."""

from __future__ import annotations

from datetime import UTC

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tui.api.models import Session, SessionStatus
from tui.core.ordering import WallClock, age, utc_now
from tui.core.status import follow_up_blocked_reason, status_label
from tui.widgets.conversation import ConversationEntry, ConversationView
from tui.widgets.followup import FollowUpBox

PENDING_TEXT = {
    SessionStatus.RUNNING: ("◐ Traversal is investigating: metrics, logs, traces and deploys…"),
    SessionStatus.FOLLOW_UP_RUNNING: "◑ Traversal is answering your follow-up…",
    SessionStatus.FAILED: (
        "✖ This investigation failed (it errored or timed out). Press x to start it again "
        "as a new investigation."
    ),
}


class DetailPane(Vertical):
    """Shows one session. ``session_id`` is the open one, or None."""

    def __init__(self, wall_clock: WallClock = utc_now, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = wall_clock
        self.session_id: str | None = None
        self.session: Session | None = None
        # Held, not queried: poll results may arrive while the app is closing.
        self._title_line = Static("", id="detail-title")
        self._status_line = Static("", id="detail-status")
        self._id_line = Static("", id="detail-id")
        self._header = Vertical(
            self._title_line, self._status_line, self._id_line, id="detail-header"
        )
        self.conversation = ConversationView(id="conversation")
        self.follow_up = FollowUpBox(id="follow-up")

    def compose(self) -> ComposeResult:
        yield self._header
        yield self.conversation
        yield self.follow_up

    def on_mount(self) -> None:
        self.show_nothing("Select a session and press enter to read its findings.")

    def show_nothing(self, message: str) -> None:
        self.session_id = None
        self.session = None
        self._title_line.update(Content("No session open"))
        self._status_line.update("")
        self._id_line.update("")
        for name in ("running", "idle", "failed", "unknown"):
            self._header.set_class(False, f"-{name}")
        self.conversation.clear(message)
        self.follow_up.lock_reason = "Open a session to ask a follow-up."

    def open(self, session_id: str, known: Session | None) -> None:
        """Switch to ``session_id``; ``known`` is the list's summary until the full one arrives."""
        self.session_id = session_id
        self.session = None
        if known is not None:
            self.show(known)
        else:
            self._title_line.update(Content("Loading…"))
            self._status_line.update("")
            self._id_line.update(Content(session_id))
            self.conversation.clear("Loading the conversation…")
            self.follow_up.lock_reason = "Loading the session…"

    def show(self, session: Session) -> None:
        """Render ``session`` if it is the open one; the view skips unchanged content."""
        if session.id != self.session_id:
            return
        if session.messages is None and self.session is not None and self.session.messages:
            # A list summary carries no messages: keep the conversation, take the status.
            session = session.model_copy(update={"messages": self.session.messages})
        self.session = session
        self._render_header(session)
        if session.messages is not None:
            entries = [
                ConversationEntry(id=m.id, role=m.role, markdown=m.markdown_content)
                for m in session.messages
            ]
            if not any(entry.role == "user" for entry in entries):
                entries.insert(
                    0,
                    ConversationEntry(
                        id=f"{session.id}-input", role="user", markdown=session.input
                    ),
                )
            self.conversation.show(session.id, entries, pending=PENDING_TEXT.get(session.status))  # type: ignore[call-overload]
        self.follow_up.lock_reason = follow_up_blocked_reason(session.status)

    def refresh_ages(self) -> None:
        """Re-render the header's relative times (called on a timer)."""
        if self.session is not None:
            self._render_header(self.session)

    def _render_header(self, session: Session) -> None:
        label = status_label(session.status)
        created = session.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        now = self._now()
        times = f"started {created} ({age(session.created_at, now)} ago)"
        if session.updated_at:
            times += f" · updated {age(session.updated_at, now)} ago"
        # One line each, whatever the title holds (line breaks, tabs, huge lengths).
        self._title_line.update(Content(" ".join(session.display_title.split())))
        self._status_line.update(Content.assemble((label.text, "bold"), "  ·  ", times))
        self._id_line.update(Content(session.id))
        for name in ("running", "idle", "failed", "unknown"):
            self._header.set_class(name == label.style_class, f"-{name}")
