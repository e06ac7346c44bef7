"""The styles the renderer paints with, read from the widget's component classes.

Rendering runs off the event loop, where CSS cannot be read, so the view
collects every style once into a frozen, hashable :class:`RenderTheme` and
hands that to the renderer. The theme is part of every cache key: a change of
app theme re-renders in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from rich.style import Style

DARK_SYNTAX_THEME = "monokai"
LIGHT_SYNTAX_THEME = "default"

# Defaults for a theme made without a widget (as in tests): attributes only, no colours.
_PLAIN = Style()
_BOLD = Style(bold=True)
_DIM = Style(dim=True)
_NOTE = Style(dim=True, italic=True)
_H2 = Style(bold=True, underline=True)
_H4 = Style(bold=True, italic=True)
_CODE = Style(reverse=True)
_LINK = Style(underline=True)


@dataclass(frozen=True)
class RenderTheme:
    """Rich styles for each kind of element, plus the Pygments theme for code."""

    h1: Style = _BOLD
    h2: Style = _H2
    h3: Style = _BOLD
    h4: Style = _H4
    user_header: Style = _BOLD
    user_body: Style = _PLAIN
    assistant_header: Style = _BOLD
    code: Style = _PLAIN
    code_label: Style = _DIM
    inline_code: Style = _CODE
    link: Style = _LINK
    link_target: Style = _DIM
    quote: Style = _DIM
    table_border: Style = _DIM
    table_header: Style = _BOLD
    rule: Style = _DIM
    bullet: Style = _BOLD
    note: Style = _NOTE
    syntax_theme: str = DARK_SYNTAX_THEME

    def heading(self, level: int) -> Style:
        """The style of a heading of ``level`` (1 to 6)."""
        return (self.h1, self.h2, self.h3)[level - 1] if level <= 3 else self.h4


STYLE_FIELDS = tuple(field.name for field in fields(RenderTheme) if field.name != "syntax_theme")
"""The theme's style fields; each is read from component class ``conversation--<name>``."""


def component_class(field_name: str) -> str:
    """The component class that styles the theme field ``field_name``."""
    return "conversation--" + field_name.replace("_", "-")


def read_theme(get_style: Callable[[str], Style], *, dark: bool) -> RenderTheme:
    """Build a theme by reading each field's component class through ``get_style``."""
    styles = {name: get_style(component_class(name)) for name in STYLE_FIELDS}
    syntax_theme = DARK_SYNTAX_THEME if dark else LIGHT_SYNTAX_THEME
    return RenderTheme(**styles, syntax_theme=syntax_theme)
