"""Cutting an entry into units that can be rendered independently and in any order.

A long answer is cut where Markdown itself guarantees a new top-level block
starts: after a blank line, at a line that is not indented, is not a list
item (which could continue a list) and is not inside a fenced code block.
Rendering each unit separately then gives the same result as rendering the
whole document, while letting the first screen appear after rendering only
the first unit. Cuts depend only on the text, never on the width, so a
resize re-renders the same units and can start with the one on screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

FIRST_UNIT_SIZE = 1024
"""Characters after which the first unit may end: small, so the first screen is quick."""
UNIT_SIZE = 4096
"""Characters after which later units may end."""

_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_LIST_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_REFERENCE_DEFINITION = re.compile(r" {0,3}\[(?:[^\]\\\n]|\\.){1,999}\]:.*", re.MULTILINE)


def normalize_newlines(text: str) -> str:
    """Fold CR LF and lone CR into LF, as Markdown does."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _closes(line: str, marker: str) -> bool:
    stripped = line.strip()
    return (
        len(line) - len(line.lstrip(" ")) <= 3
        and stripped.startswith(marker)
        and stripped.strip(marker[0]) == ""
    )


def _outside_fences(lines: list[str]) -> Iterator[tuple[int, str, bool]]:
    """Yield (index, line, follows a blank line) for each line not inside a fenced block."""
    fence: str | None = None
    previous_blank = False
    for index, line in enumerate(lines):
        if fence is not None:
            if _closes(line, fence):
                fence = None
            previous_blank = False
            continue
        yield index, line, previous_blank
        previous_blank = not line.strip()
        opening = _FENCE_OPEN.match(line)
        if opening and (opening.group(1)[0] == "~" or "`" not in opening.group(2)):
            fence = opening.group(1)


def _cut_points(lines: list[str]) -> Iterator[int]:
    """Yield indexes of lines at which a new top-level block certainly starts."""
    for index, line, after_blank in _outside_fences(lines):
        if after_blank and line.strip() and line[0] not in " \t" and not _LIST_ITEM.match(line):
            yield index


def _join(lines: list[str], cuts: Iterable[int], first_size: int) -> list[str]:
    """Join ``lines`` into units, each ending at the first cut after it has reached its size."""
    units: list[str] = []
    start = previous = size = 0
    limit = first_size
    for cut in cuts:
        size += sum(len(line) + 1 for line in lines[previous:cut])
        previous = cut
        if size >= limit:
            units.append("\n".join(lines[start:cut]))
            start, size, limit = cut, 0, UNIT_SIZE
    units.append("\n".join(lines[start:]))
    return units


def split_markdown(text: str) -> list[str]:
    """Cut Markdown ``text`` into units at safe top-level block boundaries."""
    lines = text.split("\n")
    units = _join(lines, _cut_points(lines), FIRST_UNIT_SIZE)
    return _merge_invisible([unit.strip("\n") for unit in units])


def _invisible(unit: str) -> bool:
    """Whether ``unit`` holds only link reference definitions, which render as nothing."""
    return all(
        _REFERENCE_DEFINITION.fullmatch(line) or not line.strip() for line in unit.split("\n")
    )


def _merge_invisible(units: list[str]) -> list[str]:
    """Join units that would render empty to a neighbour, so every unit shows something.

    A unit after the first starts with a blank line; one that renders nothing
    would leave a blank line the whole document does not have.
    """
    merged: list[str] = []
    carried = ""
    for unit in units:
        if _invisible(unit):
            carried += unit + "\n\n"
        else:
            merged.append(carried + unit)
            carried = ""
    if carried:
        if merged:
            merged[-1] += "\n\n" + carried.rstrip("\n")
        else:
            merged.append(carried.rstrip("\n"))
    return merged


def split_plain(text: str) -> list[str]:
    """Cut plain ``text`` into units of whole lines."""
    lines = text.split("\n")
    return _join(lines, range(1, len(lines)), UNIT_SIZE)


def reference_definitions(text: str) -> str:
    """Lines of ``text`` that look like link reference definitions, one per paragraph.

    Each unit is parsed with the definitions of the whole entry, so a link in
    one unit can use a definition written in another.
    """
    if not _REFERENCE_DEFINITION.search(text):
        return ""
    lines = text.split("\n")
    return "\n\n".join(
        line for _, line, _ in _outside_fences(lines) if _REFERENCE_DEFINITION.match(line)
    )
