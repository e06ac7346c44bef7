"""Complete renders of entries, per content, width and theme."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from .entry import ConversationEntry
from .render import RenderedUnit
from .theme import RenderTheme

CacheKey = tuple[str, str, str, bool, int, RenderTheme]

LINE_BUDGET = 250_000
"""Lines kept across cached renders; the least recently used go first."""


def cache_key(entry: ConversationEntry, index: int, width: int, theme: RenderTheme) -> CacheKey:
    """What an entry's render depends on (an entry after the first starts with a blank line)."""
    return (entry.id, entry.role, entry.markdown, index > 0, width, theme)


class RenderCache:
    """Least-recently-used renders of whole entries, bounded by their total lines."""

    def __init__(self, line_budget: int = LINE_BUDGET) -> None:
        self._renders: OrderedDict[CacheKey, tuple[RenderedUnit, ...]] = OrderedDict()
        self._lines = 0
        self.line_budget = line_budget

    def __len__(self) -> int:
        return len(self._renders)

    def get(self, key: CacheKey) -> tuple[RenderedUnit, ...] | None:
        units = self._renders.get(key)
        if units is not None:
            self._renders.move_to_end(key)
        return units

    def put(self, key: CacheKey, units: Sequence[RenderedUnit]) -> None:
        if key in self._renders:
            self._renders.move_to_end(key)
            return
        stored = tuple(units)
        self._renders[key] = stored
        self._lines += sum(unit.height for unit in stored)
        while self._lines > self.line_budget and len(self._renders) > 1:
            _, dropped = self._renders.popitem(last=False)
            self._lines -= sum(unit.height for unit in dropped)
