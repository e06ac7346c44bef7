"""Rendering one unit of an entry to lines of styled text, off the event loop.

An entry is planned as a header unit (the "You" or "Traversal" title line)
followed by content units cut by :mod:`.split`. Each unit renders on its own
to a :class:`RenderedUnit`: its lines, their plain text (for find) and the
headings that start on them (for the outline). Whatever the input, rendering
a unit never raises: Markdown nested beyond what the parser keeps, or any
unexpected failure, falls back to the unit's text shown as plain lines.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from markdown_it import MarkdownIt
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.api.sanitize import sanitize_text

from .blocks import Block, BlockRenderer
from .blocks import Line as BlockLine
from .entry import ConversationEntry
from .split import normalize_newlines, reference_definitions, split_markdown, split_plain
from .theme import RenderTheme
from .tree import build_tree

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
    """A unit's lines, their plain text and the headings among them.

    Lines are kept in flat tuples of strings and integers rather than as
    strips: such tuples hold nothing the garbage collector must follow, so a
    megabyte of rendered answer neither makes full collections (which stop
    the event loop) slower nor triggers them more often. The view builds a
    strip for a line only when it paints it.
    """

    pieces: tuple[str, ...]
    """The text of every line, in pieces of one style."""
    piece_styles: tuple[int, ...]
    """The index in ``styles`` of each piece's style."""
    starts: tuple[int, ...]
    """Where each line's pieces start, and where the last one ends."""
    cells: tuple[int, ...]
    """Each line's width in cells."""
    styles: tuple[Style | None, ...]
    texts: tuple[str, ...]
    """Each line's plain text."""
    headings: tuple[Heading, ...]
    width: int
    """Cells of the widest line."""

    @property
    def height(self) -> int:
        return len(self.cells)

    def segments(self, index: int) -> list[Segment]:
        """Line ``index`` as segments."""
        start, end = self.starts[index], self.starts[index + 1]
        styles = self.styles
        return [
            Segment(text, styles[style])
            for text, style in zip(
                self.pieces[start:end], self.piece_styles[start:end], strict=True
            )
        ]

    def strip(self, index: int) -> Strip:
        """Line ``index`` as a strip."""
        return Strip(self.segments(index), self.cells[index])

    @property
    def strips(self) -> tuple[Strip, ...]:
        """Every line as a strip (builds them all: for tests and tools)."""
        return tuple(self.strip(index) for index in range(self.height))

    def __reduce__(self) -> tuple[object, ...]:
        # Styles travel as their text and come back through Rich's cached parser,
        # so the units of a long answer share their style objects instead of each
        # bringing thousands of new ones for the garbage collector to follow.
        styles = tuple(None if style is None else str(style) for style in self.styles)
        fields = (self.pieces, self.piece_styles, self.starts, self.cells, styles)
        return (_unpickle_unit, (*fields, self.texts, self.headings, self.width))


def _unpickle_unit(
    pieces: tuple[str, ...],
    piece_styles: tuple[int, ...],
    starts: tuple[int, ...],
    cells: tuple[int, ...],
    styles: tuple[str | None, ...],
    texts: tuple[str, ...],
    headings: tuple[Heading, ...],
    width: int,
) -> RenderedUnit:
    parsed = tuple(None if style is None else Style.parse(style) for style in styles)
    return RenderedUnit(pieces, piece_styles, starts, cells, parsed, texts, headings, width)


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
        builder = _Builder(unit.leading_blank)
        try:
            for block in self._blocks(unit):
                builder.add(block)
                # Let the event loop's thread have the GIL now if it is waiting,
                # rather than after the interpreter's switch interval (5 ms).
                time.sleep(0)
        except Exception:
            builder = _Builder(unit.leading_blank)
            builder.add(self._fallback(unit.text))
        return builder.finish()

    def _blocks(self, unit: Unit) -> Iterator[Block]:
        """The unit's top-level blocks, rendered one at a time.

        Each block is handed on (and compacted) as soon as it is rendered, and
        the parse is let go block by block, so little is alive at any moment:
        what stays alive across collections is what the garbage collector
        promotes, and promotions are what trigger full collections.
        """
        text = sanitize_text(unit.text)
        if unit.kind == "header":
            title = USER_TITLE if unit.user else ASSISTANT_TITLE
            style = self.theme.user_header if unit.user else self.theme.assistant_header
            yield Block([[Segment(title, style)]], [(0, 0, text)])
            return
        if unit.kind == "plain":
            yield self._user_lines(text)
            return
        if not text.strip():
            yield Block([[Segment(EMPTY_ANSWER, self.theme.note)]])
            return
        env: dict[str, Any] = {"references": dict(self._references)}
        tokens = self.parser.parse(text, env)
        if any(token.level >= MAX_NESTING - 1 for token in tokens):
            yield self._fallback(text)
            return
        nodes = build_tree(tokens)
        del tokens
        nodes.reverse()
        first = True
        while nodes:
            if not first:
                yield Block([[]])
            first = False
            yield self.blocks.block(nodes.pop(), self.width)

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


def _pad(line: BlockLine, width: int, style: Style) -> BlockLine:
    missing = width - Segment.get_line_length(line)
    return [*line, Segment(" " * missing, style)] if missing > 0 else line


class _Builder:
    """Collects rendered blocks straight into the flat tuples of a :class:`RenderedUnit`."""

    def __init__(self, leading_blank: bool) -> None:
        self.styles: dict[Style | None, int] = {}
        self.pieces: list[str] = []
        self.piece_styles: list[int] = []
        self.starts: list[int] = []
        self.cells: list[int] = []
        self.texts: list[str] = []
        self.headings: list[Heading] = []
        if leading_blank:
            self.add(Block([[]]))

    def add(self, block: Block) -> None:
        """Append ``block``'s lines, joining adjacent pieces of one style."""
        offset = len(self.cells)
        self.headings.extend(
            Heading(offset + line, level, title) for line, level, title in block.headings
        )
        pieces, piece_styles, styles = self.pieces, self.piece_styles, self.styles
        for line in block.lines:
            first = len(pieces)
            self.starts.append(first)
            for text, style, control in line:
                if control or not text:
                    continue
                index = styles.setdefault(style, len(styles))
                if len(pieces) > first and piece_styles[-1] == index:
                    pieces[-1] += text
                else:
                    pieces.append(text)
                    piece_styles.append(index)
            self.cells.append(Segment.get_line_length(line))
            self.texts.append("".join(pieces[first:]).rstrip(" "))

    def finish(self) -> RenderedUnit:
        return RenderedUnit(
            pieces=tuple(self.pieces),
            piece_styles=tuple(self.piece_styles),
            starts=(*self.starts, len(self.pieces)),
            cells=tuple(self.cells),
            styles=tuple(self.styles),
            texts=tuple(self.texts),
            headings=tuple(self.headings),
            width=max(self.cells, default=0),
        )
