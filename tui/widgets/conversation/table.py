"""Markdown tables as Rich tables that wrap cells and never cut text.

Column widths are computed here, not by Rich: a table is laid out at the
view's width when every column can keep at least its longest word (up to
:data:`WORD_LIMIT` cells); otherwise it is laid out wider than the view and
the view scrolls sideways. Cell text wraps at word
boundaries and folds words longer than a column, so nothing is truncated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from .inline import inline_text
from .tree import Node

if TYPE_CHECKING:
    from .blocks import BlockRenderer, Line

WORD_LIMIT = 24
"""A column is never made narrower than its longest word, up to this many cells."""

Justify = Literal["left", "center", "right"]


def _justify(cell: Node) -> Justify:
    style = str(cell.attrs.get("style", ""))
    if "right" in style:
        return "right"
    if "center" in style:
        return "center"
    return "left"


def _rows(node: Node, section: str) -> list[Node]:
    return [row for part in node.children if part.type == section for row in part.children]


def _longest_word(text: Text) -> int:
    return max((cell_len(word) for word in text.plain.split()), default=0)


def _longest_line(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def column_widths(naturals: list[int], minimums: list[int], available: int) -> list[int]:
    """Widths for columns that want ``naturals`` cells and need ``minimums``.

    Everything fits: natural widths. Minimums fit: each column gets its
    minimum plus a share of the rest in proportion to what it still wants.
    Otherwise: the minimums, and the table is wider than ``available``.
    """
    if sum(naturals) <= available:
        return naturals
    spare = available - sum(minimums)
    if spare <= 0:
        return minimums
    wants = [natural - minimum for natural, minimum in zip(naturals, minimums, strict=True)]
    total_want = sum(wants)
    widths = [
        minimum + want * spare // total_want for minimum, want in zip(minimums, wants, strict=True)
    ]
    leftover = available - sum(widths)
    for index in sorted(range(len(widths)), key=lambda i: widths[i] - naturals[i]):
        if leftover <= 0:
            break
        if widths[index] < naturals[index]:
            widths[index] += 1
            leftover -= 1
    return widths


def render_table(renderer: BlockRenderer, node: Node, width: int) -> list[Line]:
    """Render a ``table`` node at ``width``, or wider when its words need it."""
    theme = renderer.theme
    header_rows = _rows(node, "thead")
    body_rows = _rows(node, "tbody")
    header_cells = header_rows[0].children if header_rows else []

    def cells(row: Node) -> list[Text]:
        return [
            inline_text(cell.children[0], theme) if cell.children else Text()
            for cell in row.children
        ]

    header = cells(header_rows[0]) if header_rows else []
    body = [cells(row) for row in body_rows]
    columns = max([len(header), *(len(row) for row in body)])
    if columns == 0:
        return []
    minimums = [1] * columns
    naturals = [1] * columns
    for row in (header, *body):
        for index, text in enumerate(row):
            minimums[index] = max(minimums[index], min(_longest_word(text), WORD_LIMIT))
            naturals[index] = max(naturals[index], _longest_line(text))
    frame = 3 * columns + 1
    widths = column_widths(naturals, minimums, width - frame)
    table = Table(
        box=box.ROUNDED,
        border_style=theme.table_border,
        header_style=theme.table_header,
        expand=False,
        show_header=bool(header_rows),
    )
    for index, column_width in enumerate(widths):
        title = header[index] if index < len(header) else Text()
        justify = _justify(header_cells[index]) if index < len(header_cells) else "left"
        table.add_column(title, justify=justify, width=column_width, overflow="fold")
    for row in body:
        table.add_row(*row)
    return renderer.lines(table, sum(widths) + frame)
