"""The conversation viewer: prompts and Markdown answers, rendered off the event loop."""

from .entry import ConversationEntry
from .view import ConversationView

__all__ = ["ConversationEntry", "ConversationView"]
