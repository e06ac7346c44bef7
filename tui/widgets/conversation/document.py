"""The rendered conversation as the view holds it: entries of units of lines.

Lives on the event loop and is only ever changed there, by whole units: a
unit not rendered yet has no lines, a unit rendered for another width or
theme keeps showing until its replacement arrives. Positions are kept as
(entry, unit, line) so the view can hold what is on screen in place while
units above it appear or change height.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from rich.segment import Segment
from textual.strip import Strip

from .entry import ConversationEntry
from .render import RenderedUnit


@dataclass(frozen=True)
class Position:
    """A line of the document named by entry, unit and line within the unit."""

    entry: int = 0
    unit: int = 0
    line: int = 0


@dataclass(frozen=True)
class OutlineItem:
    """An entry header (level 0) or a heading, at document line ``y``."""

    y: int
    level: int
    title: str


class EntryLines:
    """One entry's units; ``None`` for a unit that has not been rendered yet."""

    def __init__(self, entry: ConversationEntry) -> None:
        self.entry = entry
        self.units: list[RenderedUnit | None] = []
        self.fresh: list[bool] = []
        self.planned = False
        """Whether ``units`` has its final length (the entry has been cut into units)."""
        self.offsets: list[int] = [0]

    @property
    def height(self) -> int:
        return self.offsets[-1]

    @property
    def complete(self) -> bool:
        """Every unit rendered for the current width and theme."""
        return self.planned and all(self.fresh)

    def mark_stale(self) -> None:
        """Keep showing the units, but as needing a new render."""
        self.fresh = [False] * len(self.units)

    def plan(self, count: int) -> None:
        """Set the number of units, keeping what is rendered of the first ones."""
        del self.units[count:], self.fresh[count:]
        missing = count - len(self.units)
        self.units.extend([None] * missing)
        self.fresh.extend([False] * missing)
        self.planned = True
        self.reindex()

    def fill(self, units: Sequence[RenderedUnit]) -> None:
        """Show complete, current ``units`` (from the cache)."""
        self.units = list(units)
        self.fresh = [True] * len(units)
        self.planned = True
        self.reindex()

    def put(self, index: int, unit: RenderedUnit) -> None:
        if index >= len(self.units):
            self.plan(index + 1)
        self.units[index] = unit
        self.fresh[index] = True

    def rendered(self) -> tuple[RenderedUnit, ...]:
        return tuple(unit for unit in self.units if unit is not None)

    def reindex(self) -> None:
        heights = (unit.height if unit is not None else 0 for unit in self.units)
        self.offsets = [0, *accumulate(heights)]

    def unit_height(self, index: int) -> int:
        unit = self.units[index] if index < len(self.units) else None
        return unit.height if unit is not None else 0

    def locate(self, line: int) -> tuple[int, int]:
        """The (unit, line within it) of ``line`` of this entry."""
        if not self.units:
            return 0, 0
        index = min(bisect_right(self.offsets, line) - 1, len(self.units) - 1)
        while index > 0 and self.unit_height(index) == 0 and self.offsets[index] >= line:
            index -= 1
        return index, line - self.offsets[index]


class Document:
    """The entries of the conversation on display, in order."""

    def __init__(self) -> None:
        self.entries: list[EntryLines] = []
        self.offsets: list[int] = [0]
        self.width = 0
        self._outline: list[OutlineItem] | None = None

    @property
    def height(self) -> int:
        return self.offsets[-1]

    def reset(self, entries: list[EntryLines]) -> None:
        self.entries = entries
        self.reindex()

    def reindex(self) -> None:
        """Recompute offsets and width after units changed."""
        for entry in self.entries:
            entry.reindex()
        self.offsets = [0, *accumulate(entry.height for entry in self.entries)]
        self.width = max(
            (unit.width for entry in self.entries for unit in entry.units if unit is not None),
            default=0,
        )
        self._outline = None

    def _find(self, y: int) -> tuple[EntryLines, RenderedUnit, int] | None:
        if y < 0 or y >= self.height:
            return None
        index = bisect_right(self.offsets, y) - 1
        entry = self.entries[index]
        unit_index, line = entry.locate(y - self.offsets[index])
        unit = entry.units[unit_index]
        if unit is None or line >= unit.height:
            return None
        return entry, unit, line

    def strip(self, y: int) -> Strip | None:
        """The strip at document line ``y``, if there is one."""
        found = self._find(y)
        return found[1].strip(found[2]) if found else None

    def segments(self, y: int) -> list[Segment] | None:
        """The segments of document line ``y``, if there is one."""
        found = self._find(y)
        return found[1].segments(found[2]) if found else None

    def identity(self, y: int) -> tuple[int, int] | None:
        """What document line ``y`` shows: its unit's identity and its line in the unit."""
        found = self._find(y)
        return (id(found[1]), found[2]) if found else None

    def text(self, y: int) -> str:
        """The plain text of document line ``y`` ("" past the end)."""
        found = self._find(y)
        return found[1].texts[found[2]] if found else ""

    def locate(self, y: int) -> Position:
        """The position of document line ``y`` (clamped to the document)."""
        if not self.entries:
            return Position()
        y = max(0, min(y, self.height))
        index = min(bisect_right(self.offsets, y) - 1, len(self.entries) - 1)
        while index > 0 and self.entries[index].height == 0 and self.offsets[index] >= y:
            index -= 1
        unit, line = self.entries[index].locate(y - self.offsets[index])
        return Position(index, unit, line)

    def y_of(self, position: Position) -> int:
        """The document line of ``position``, clamped to what is rendered."""
        if position.entry >= len(self.entries):
            return self.height
        entry = self.entries[position.entry]
        base = self.offsets[position.entry]
        if position.unit >= len(entry.units):
            return base + entry.height
        line = min(position.line, max(0, entry.unit_height(position.unit) - 1))
        return base + entry.offsets[position.unit] + line

    def lines(self) -> Iterator[tuple[int, str]]:
        """Every (document line, plain text), in order."""
        y = 0
        for entry in self.entries:
            for unit in entry.units:
                if unit is None:
                    continue
                for text in unit.texts:
                    yield y, text
                    y += 1

    def outline(self) -> list[OutlineItem]:
        """Entry headers and headings with their document lines, in order."""
        if self._outline is None:
            items: list[OutlineItem] = []
            for entry_index, entry in enumerate(self.entries):
                base = self.offsets[entry_index]
                for unit_index, unit in enumerate(entry.units):
                    if unit is None:
                        continue
                    start = base + entry.offsets[unit_index]
                    items.extend(
                        OutlineItem(start + heading.line, heading.level, heading.title)
                        for heading in unit.headings
                    )
            self._outline = items
        return self._outline
