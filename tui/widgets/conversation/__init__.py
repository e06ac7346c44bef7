"""The conversation viewer: prompts and Markdown answers, rendered off the event loop.

Public API:

- :class:`ConversationEntry` ``(id, role, markdown)``: one prompt (``role ==
  "user"``, shown as plain text) or answer (any other role, Markdown).
- :class:`ConversationView`: ``show(key, entries, pending=None)``,
  ``clear(message)``; ``key``, ``rendered_key``, ``is_rendering``;
  ``await wait_rendered()`` and ``await wait_first_screen()``; posts
  ``ConversationView.Rendered(view, key)`` when everything shown is rendered.

Keys (when the view or its find bar has focus): up/down, left/right,
pageup/``b``, pagedown/space, home/end scroll; ``/`` finds (enter or down or
F3 next, up or shift+F3 previous, escape closes); ``o`` lists the headings
(enter jumps, escape or ``o`` closes); ``]`` and ``[`` jump to the next and
previous heading; F3 and shift+F3 step through matches from the view too.
"""

from .entry import ConversationEntry
from .view import ConversationView

__all__ = ["ConversationEntry", "ConversationView"]
