"""Rendering one unit of an entry to strips, off the event loop.

An entry is planned as a header unit (the "You" or "Traversal" title line)
followed by content units cut by :mod:`.split`. Each unit renders on its own
to a :class:`RenderedUnit`: its strips, their plain text (for find) and the
headings that start on them (for the outline). Whatever the input, rendering
a unit never raises: Markdown nested beyond what the parser keeps, or any
unexpected failure, falls back to the unit's text shown as plain lines.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.api.sanitize import sanitize_text

from .blocks import Block, BlockRenderer, Line
from .entry import ConversationEntry
from .split import normalize_newlines, reference_definitions, split_markdown, split_plain
from .theme import RenderTheme

MAX_NESTING = 40
"""Deepest nesting the parser keeps; a unit that reaches it is shown as plain text."""
USER_INDENT = "  "
USER_TITLE = "\u276f You"  # heavy right-pointing angle: a prompt
ASSISTANT_TITLE = "◆ Traversal"
EMPTY_ANSWER = "(empty answer)"
FALLBACK_NOTE = "(shown as plain text: this part could not be formatted)"
OUTLINE_LABEL_LIMIT = 60

UnitKind = Literal["header", "markdown", "plain"]


@dataclass(frozen=True)
class Unit:
    """A piece of an entry that renders independently of the others."""

    kind: UnitKind
    text: str
    """Source text; for a header, the outline label."""
    user: bool
    leading_blank: bool
    """Whether a blank line separates this unit from the one before it."""


@dataclass(frozen=True)
class Heading:
    """A heading (or, at level 0, an entry header) starting on a unit's line."""

    line: int
    level: int
    title: str


@dataclass(frozen=True)
class RenderedUnit:
    """A unit's strips, their plain text and the headings among them."""

    strips: tuple[Strip, ...]
    texts: tuple[str, ...]
    headings: tuple[Heading, ...]
    width: int
    """Cells of the widest strip."""

    @property
    def height(self) -> int:
        return len(self.strips)


@dataclass(frozen=True)
class EntryPlan:
    """An entry cut into units, with the link definitions its units share."""

    units: tuple[Unit, ...]
    references: str


def _outline_label(entry: ConversationEntry) -> str:
    if not entry.is_user:
        return ASSISTANT_TITLE
    first = next((line.strip() for line in entry.markdown[:400].split("\n") if line.strip()), "")
    if len(first) > OUTLINE_LABEL_LIMIT:
        first = first[: OUTLINE_LABEL_LIMIT - 1] + "…"
    return f"{USER_TITLE}: {first}" if first else USER_TITLE


def plan_entry(entry: ConversationEntry, index: int) -> EntryPlan:
    """Cut ``entry`` (at position ``index`` in the conversation) into units."""
    text = normalize_newlines(entry.markdown).strip("\n")
    header = Unit("header", _outline_label(entry), entry.is_user, leading_blank=index > 0)
    if entry.is_user:
        pieces = split_plain(text) if text else []
        units = [Unit("plain", piece, True, leading_blank=False) for piece in pieces]
        return EntryPlan((header, *units), "")
    pieces = split_markdown(text) if text.strip() else [""]
    units = [
        Unit("markdown", piece, False, leading_blank=position > 0)
        for position, piece in enumerate(pieces)
    ]
    return EntryPlan((header, *units), reference_definitions(text))


def new_parser() -> MarkdownIt:
    """The Markdown parser: CommonMark with tables and strikethrough, raw HTML as text."""
    parser = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
    return parser.enable(["table", "strikethrough"])


class UnitRenderer:
    """Renders units at one width with one theme; one per render job (not shared)."""

    def __init__(self, width: int, theme: RenderTheme) -> None:
        self.width = max(1, width)
        self.theme = theme
        self.console = Console(
            width=self.width,
            file=io.StringIO(),
            force_terminal=True,
            color_system="truecolor",
            legacy_windows=False,
            markup=False,
            emoji=False,
            highlight=False,
        )
        self.blocks = BlockRenderer(self.console, theme)
        self.parser = new_parser()
        self._references: dict[str, dict[str, Any]] = {}

    def use_references(self, definitions: str) -> None:
        """Make the link reference ``definitions`` of an entry known to its units."""
        env: dict[str, Any] = {}
        if definitions:
            self.parser.parse(definitions, env)
        self._references = env.get("references", {})

    def render(self, unit: Unit) -> RenderedUnit:
        """Render ``unit``; never raises."""
        try:
            block = self._render(unit)
        except Exception:
            block = self._fallback(unit.text)
        if unit.leading_blank:
            shifted = Block([[]])
            shifted.add(block)
            block = shifted
        return _finish(block)

    def _render(self, unit: Unit) -> Block:
        text = sanitize_text(unit.text)
        if unit.kind == "header":
            title = USER_TITLE if unit.user else ASSISTANT_TITLE
            style = self.theme.user_header if unit.user else self.theme.assistant_header
            return Block([[Segment(title, style)]], [(0, 0, text)])
        if unit.kind == "plain":
            return self._user_lines(text)
        if not text.strip():
            return Block([[Segment(EMPTY_ANSWER, self.theme.note)]])
        env: dict[str, Any] = {"references": dict(self._references)}
        tokens = self.parser.parse(text, env)
        if any(token.level >= MAX_NESTING - 1 for token in tokens):
            return self._fallback(text)
        return self.blocks.blocks(SyntaxTreeNode(tokens).children, self.width)

    def _user_lines(self, text: str) -> Block:
        style = self.theme.user_body
        body_width = max(1, self.width - len(USER_INDENT))
        lines = self.blocks.lines(Text(text, style=style, end="", overflow="fold"), body_width)
        return Block(
            [_pad([Segment(USER_INDENT, style), *line], self.width, style) for line in lines]
        )

    def _fallback(self, text: str) -> Block:
        note = [Segment(FALLBACK_NOTE, self.theme.note)]
        body = self.blocks.lines(Text(sanitize_text(text), end="", overflow="fold"), self.width)
        return Block([note, *body])


def _pad(line: Line, width: int, style: Style) -> Line:
    missing = width - Segment.get_line_length(line)
    return [*line, Segment(" " * missing, style)] if missing > 0 else line


def _finish(block: Block) -> RenderedUnit:
    strips = tuple(Strip(line) for line in block.lines)
    texts = tuple(strip.text for strip in strips)
    headings = tuple(Heading(line, level, title) for line, level, title in block.headings)
    width = max((strip.cell_length for strip in strips), default=0)
    return RenderedUnit(strips, texts, headings, width)
