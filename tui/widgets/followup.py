"""The follow-up box: a text area that locks itself while the session is not idle.

Locked is not Textual's ``disabled``: a disabled widget loses focus, and the
next keystroke would fall through to the app's single-letter keys (typing
"quick question" would quit). A locked box keeps its focus and its text,
shows why it is locked, and swallows every typing key.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static, TextArea

#: Keys that insert a line break (enter sends). Terminals report shift+enter only sometimes.
NEWLINE_KEYS = frozenset({"ctrl+j", "alt+enter", "shift+enter"})


class FollowUpInput(TextArea):
    """The text area itself. ``read_only`` is the lock."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "send",
            "Send",
            id="send-follow-up",
            tooltip="Send the follow-up question",
        ),
        Binding("escape", "leave", "Leave box", id="leave-follow-up", tooltip="Leave the box"),
    ]

    class SendRequested(Message):
        """ctrl+s or enter was pressed in the box."""

    class Left(Message):
        """escape was pressed in the box."""

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only:
            if event.is_printable or event.key in ("enter", "backspace", "delete", *NEWLINE_KEYS):
                event.stop()
                event.prevent_default()
                if event.key != "tab":
                    self.app.bell()
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.SendRequested())
            return
        if event.key in NEWLINE_KEYS:
            # Here, not as a binding: a binding runs after the keys typed behind it.
            event.stop()
            event.prevent_default()
            start, end = self.selection
            self._replace_via_keyboard("\n", start, end)
            return
        await super()._on_key(event)

    def action_send(self) -> None:
        self.post_message(self.SendRequested())

    def action_leave(self) -> None:
        self.post_message(self.Left())


class FollowUpBox(Vertical):
    """The reason line and the input; the app sets ``lock_reason`` from the session's status."""

    #: Why typing is refused right now; None when the box is open for typing.
    lock_reason: reactive[str | None] = reactive(None)
    #: A line of status under the box (e.g. "Will send automatically in 12 s").
    note: reactive[str] = reactive("")

    class Send(Message):
        """The user asked to send ``text``."""

        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class DraftChanged(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Held, not queried: the app updates the box while it may be closing.
        self._reason = Static("", id="follow-up-reason", markup=False)
        self.input = FollowUpInput(
            id="follow-up-input", soft_wrap=True, show_line_numbers=False, tab_behavior="focus"
        )
        self.input.border_title = "Follow-up · enter or ctrl+s sends · ctrl+j new line"
        self._note = Static("", id="follow-up-note", markup=False)

    def compose(self) -> ComposeResult:
        yield self._reason
        yield self.input
        yield self._note

    def on_mount(self) -> None:
        self.watch_lock_reason(self.lock_reason)
        self.watch_note(self.note)

    @property
    def text(self) -> str:
        return self.input.text

    def set_text(self, text: str) -> None:
        """Replace the text without posting a draft change."""
        area = self.input
        if area.text != text:
            with area.prevent(TextArea.Changed):
                area.load_text(text)
            area.move_cursor(area.document.end)

    def watch_lock_reason(self, reason: str | None) -> None:
        self.input.read_only = reason is not None
        self.set_class(reason is not None, "-locked")
        self._reason.display = reason is not None
        self._reason.update(reason or "")

    def watch_note(self, note: str) -> None:
        self._note.display = bool(note)
        self._note.update(note)

    @on(FollowUpInput.SendRequested)
    def _send_requested(self, event: FollowUpInput.SendRequested) -> None:
        event.stop()
        self.post_message(self.Send(self.text))

    @on(TextArea.Changed, "#follow-up-input")
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.DraftChanged(self.text))
