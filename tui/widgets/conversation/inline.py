"""Inline Markdown (emphasis, code, links, images) to Rich ``Text``.

Every piece of source text is appended to the ``Text`` as plain characters
with a style object: nothing is ever parsed as Rich or Textual markup, and
links carry no action or hyperlink, their target is shown after the text.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from .theme import RenderTheme
from .tree import Node

_EMPHASIS = {
    "em": Style(italic=True),
    "strong": Style(bold=True),
    "s": Style(strike=True),
}


def _shown_target(label: str, href: str) -> str | None:
    """The link target to show after ``label``, or None when the label already says it."""
    if not href or href in (label, "mailto:" + label):
        return None
    return href


def _plain(node: Node) -> str:
    """The text of an inline node's descendants, without styles."""
    parts: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("text", "code_inline"):
            parts.append(current.content)
        elif current.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        stack.extend(reversed(current.children))
    return "".join(parts)


def inline_text(node: Node, theme: RenderTheme, style: Style | None = None) -> Text:
    """Render the children of an ``inline`` node to ``Text`` with base ``style``."""
    text = Text(style=style or "", overflow="fold", end="")
    _append_children(text, node, theme, style or Style())
    return text


def _append_children(text: Text, node: Node, theme: RenderTheme, style: Style) -> None:
    for child in node.children:
        kind = child.type
        if kind == "text":
            text.append(child.content, style)
        elif kind == "softbreak":
            text.append(" ", style)
        elif kind == "hardbreak":
            text.append("\n", style)
        elif kind == "code_inline":
            text.append(child.content, style + theme.inline_code)
        elif kind in _EMPHASIS:
            _append_children(text, child, theme, style + _EMPHASIS[kind])
        elif kind == "link":
            _append_children(text, child, theme, style + theme.link)
            target = _shown_target(_plain(child), str(child.attrs.get("href", "")))
            if target is not None:
                text.append(f" ({target})", style + theme.link_target)
        elif kind == "image":
            alt = _plain(child)
            text.append(f"[image: {alt}]" if alt else "[image]", style + theme.link)
            text.append(f" ({child.attrs.get('src', '')})", style + theme.link_target)
        elif child.children:
            _append_children(text, child, theme, style)
        else:
            text.append(child.content, style)
