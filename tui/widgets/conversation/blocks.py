"""Markdown block elements to lines of Rich segments, at a given width.

Runs off the event loop: it uses only Rich and a private ``Console``, never
the app. Each element renders at the width it is given and never loses
text: long words fold, code wraps, and a table too wide for the width is
rendered wider (the view then scrolls sideways) rather than cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.syntax import PygmentsSyntaxTheme, Syntax
from rich.text import Text

from .inline import inline_text
from .table import render_table
from .theme import RenderTheme
from .tree import Node

Line = list[Segment]

MIN_CONTENT_WIDTH = 16
"""Narrowest width nested content is given; deeper nesting overflows sideways instead."""
HIGHLIGHT_LIMIT = 200_000
"""Code blocks longer than this many characters are shown without highlighting."""
HIGHLIGHT_LINE_LIMIT = 4_000
"""Code blocks with a line longer than this are shown without highlighting."""
BULLETS = ("•", "◦", "▪")
QUOTE_BAR = "▌ "


@dataclass
class Block:
    """Rendered lines, with the headings that start on some of them."""

    lines: list[Line] = field(default_factory=list)
    headings: list[tuple[int, int, str]] = field(default_factory=list)
    """(line, level, title) of each heading in ``lines``."""

    def add(self, other: Block, first: Line | None = None, rest: Line | None = None) -> None:
        """Append ``other``, putting ``first`` before its first line and ``rest`` before others."""
        offset = len(self.lines)
        for index, line in enumerate(other.lines):
            prefix = first if index == 0 else rest
            self.lines.append(prefix + line if prefix else line)
        self.headings.extend((offset + line, level, title) for line, level, title in other.headings)


def _language(info: str) -> str:
    return info.split(maxsplit=1)[0][:40] if info.strip() else ""


def _is_tight(node: Node) -> bool:
    return all(
        child.hidden
        for item in node.children
        for child in item.children
        if child.type == "paragraph"
    )


class BlockRenderer:
    """Renders a tree of Markdown block nodes with one theme."""

    def __init__(self, console: Console, theme: RenderTheme) -> None:
        self.console = console
        self.theme = theme
        self.syntax_theme = PygmentsSyntaxTheme(theme.syntax_theme)
        code_background = theme.code.bgcolor
        self.code_background = code_background.name if code_background else "default"

    def lines(self, renderable: RenderableType, width: int) -> list[Line]:
        """Render any Rich renderable to lines at ``width``."""
        options = self.console.options.update(width=max(1, width), height=None)
        return self.console.render_lines(renderable, options, pad=False, new_lines=False)

    def blocks(self, nodes: Sequence[Node], width: int, *, tight: bool = False) -> Block:
        """Render sibling blocks, separated by a blank line unless ``tight``."""
        result = Block()
        for index, node in enumerate(nodes):
            if index and not tight:
                result.lines.append([])
            result.add(self.block(node, width))
        return result

    def block(self, node: Node, width: int) -> Block:
        """Render one block node."""
        kind = node.type
        if kind == "paragraph":
            return Block(self.inline_lines(node, width))
        if kind == "heading":
            return self.heading(node, width)
        if kind in ("fence", "code_block"):
            return Block(self.code(node.content, _language(node.info), width))
        if kind in ("bullet_list", "ordered_list"):
            return self.list_block(node, width)
        if kind == "blockquote":
            return self.quote(node, width)
        if kind == "table":
            return Block(render_table(self, node, width))
        if kind == "hr":
            return Block([[Segment("─" * width, self.theme.rule)]])
        if node.children:
            return self.blocks(node.children, width)
        return Block(self.lines(Text(node.content, end="", overflow="fold"), width))

    def inline_lines(self, node: Node, width: int, style: Style | None = None) -> list[Line]:
        """Render a paragraph-like node (whose child is an ``inline``) to lines."""
        text = Text(end="", overflow="fold")
        for child in node.children:
            text.append_text(inline_text(child, self.theme, style))
        return self.lines(text, width)

    def heading(self, node: Node, width: int) -> Block:
        level = int(node.tag[1:]) if node.tag[1:].isdigit() else 1
        style = self.theme.heading(level)
        lines = self.inline_lines(node, width, style)
        title = "".join(segment.text for line in lines for segment in line).strip()
        if level == 1:
            lines.append([Segment("━" * width, style)])
        elif level == 2:
            longest = max((Segment.get_line_length(line) for line in lines), default=1)
            lines.append([Segment("─" * max(1, min(width, longest)), style)])
        return Block(lines, [(0, level, title)])

    def code(self, code: str, language: str, width: int) -> list[Line]:
        """Render a code block with highlighting, wrapped to ``width``, on the code background."""
        code = code.rstrip("\n")
        plain = len(code) > HIGHLIGHT_LIMIT or any(
            len(line) > HIGHLIGHT_LINE_LIMIT for line in code.split("\n")
        )
        syntax = Syntax(
            code,
            "text" if plain or not language else language,
            theme=self.syntax_theme,
            background_color=self.code_background,
            word_wrap=True,
            padding=(0, 1),
            tab_size=4,
        )
        lines = self.lines(syntax, width)
        if language:
            label = f"{language} "
            background = Style(bgcolor=self.theme.code.bgcolor)
            filler = max(0, width - cell_len(label))
            lines.insert(
                0,
                [
                    Segment(" " * filler, background),
                    Segment(label, background + self.theme.code_label),
                ],
            )
        return lines

    def list_block(self, node: Node, width: int, depth: int = 0) -> Block:
        ordered = node.type == "ordered_list"
        start = int(str(node.attrs.get("start", 1))) if ordered else 1
        count = len(node.children)
        if ordered:
            markers = [f"{number}." for number in range(start, start + count)]
            marker_width = max(len(marker) for marker in markers) + 1 if markers else 3
        else:
            markers = [BULLETS[depth % len(BULLETS)]] * count
            marker_width = 2
        child_width = max(width - marker_width, MIN_CONTENT_WIDTH)
        tight = _is_tight(node)
        result = Block()
        for index, (item, marker) in enumerate(zip(node.children, markers, strict=True)):
            if index and not tight:
                result.lines.append([])
            body = self.item(item, child_width, depth, tight=tight)
            if not body.lines:
                body.lines.append([])
            first = [Segment(marker.rjust(marker_width - 1) + " ", self.theme.bullet)]
            result.add(body, first, [Segment(" " * marker_width)])
        return result

    def item(self, item: Node, width: int, depth: int, *, tight: bool) -> Block:
        """Render a list item's blocks; nested lists get the next bullet."""
        result = Block()
        for index, child in enumerate(item.children):
            if index and not tight:
                result.lines.append([])
            if child.type in ("bullet_list", "ordered_list"):
                result.add(self.list_block(child, width, depth + 1))
            else:
                result.add(self.block(child, width))
        return result

    def quote(self, node: Node, width: int) -> Block:
        body = self.blocks(node.children, max(width - len(QUOTE_BAR), MIN_CONTENT_WIDTH))
        quote = self.theme.quote
        body.lines = [list(Segment.apply_style(line, quote)) for line in body.lines]
        result = Block()
        bar = [Segment(QUOTE_BAR, quote)]
        result.add(body, bar, bar)
        return result
