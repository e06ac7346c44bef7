"""What the conversation viewer displays: one entry per prompt or answer."""

from __future__ import annotations

from dataclasses import dataclass

USER_ROLE = "user"


@dataclass(frozen=True)
class ConversationEntry:
    """One message of a conversation.

    ``role`` is ``"user"`` for a prompt, shown as plain text, or anything else
    (normally ``"assistant"``) for an answer, shown as Markdown.
    """

    id: str
    role: str
    markdown: str

    @property
    def is_user(self) -> bool:
        """Whether this entry is a prompt rather than an answer."""
        return self.role == USER_ROLE
