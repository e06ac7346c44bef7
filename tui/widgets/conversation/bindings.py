"""The view's key bindings (none of the app's letters: n s a d f r e c x q ?)."""

from __future__ import annotations

from textual.binding import Binding


def _binding(
    key: str,
    action: str,
    description: str,
    name: str,
    tooltip: str,
    *,
    show: bool = True,
    key_display: str | None = None,
) -> Binding:
    return Binding(
        key,
        action,
        description,
        show=show,
        key_display=key_display,
        id=f"conversation.{name}",
        tooltip=tooltip,
    )


VIEW_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    _binding("up", "scroll_lines(-1)", "Up", "up", "Scroll up one line", show=False),
    _binding("down", "scroll_lines(1)", "Down", "down", "Scroll down one line", show=False),
    _binding("left", "scroll_columns(-1)", "Left", "left", "Scroll left", show=False),
    _binding("right", "scroll_columns(1)", "Right", "right", "Scroll right", show=False),
    _binding("pageup,b", "page(-1)", "Page up", "page_up", "Scroll up one screen", show=False),
    _binding(
        "pagedown,space",
        "page(1)",
        "Page down",
        "page_down",
        "Scroll down one screen",
        show=False,
    ),
    _binding("home", "top", "Top", "top", "Go to the start of the conversation", show=False),
    _binding("end", "bottom", "Bottom", "bottom", "Go to the end of the conversation", show=False),
    _binding("slash", "find", "Find", "find", "Find text in the conversation", key_display="/"),
    _binding("o", "outline", "Outline", "outline", "List the headings to jump to one"),
    _binding(
        "right_square_bracket",
        "heading(1)",
        "Next heading",
        "next_heading",
        "Jump to the next heading",
        key_display="]",
    ),
    _binding(
        "left_square_bracket",
        "heading(-1)",
        "Previous heading",
        "previous_heading",
        "Jump to the previous heading",
        key_display="[",
        show=False,
    ),
    _binding("f3", "match(1)", "Next match", "next_match", "Go to the next match", show=False),
    _binding(
        "shift+f3",
        "match(-1)",
        "Previous match",
        "previous_match",
        "Go to the previous match",
        show=False,
    ),
]
