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
from collections.abc import Iterator

FIRST_UNIT_SIZE = 1024
"""Characters after which the first unit may end: small, so the first screen is quick."""
UNIT_SIZE = 4096
"""Characters after which later units may end."""

_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_LIST_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?:[^\]\\\n]|\\.){1,999}\]:.*$", re.MULTILINE)


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


def _cut_points(lines: list[str]) -> Iterator[int]:
    """Yield indexes of lines at which a new top-level block certainly starts."""
    fence: str | None = None
    previous_blank = False
    for index, line in enumerate(lines):
        if fence is not None:
            if _closes(line, fence):
                fence = None
            previous_blank = False
            continue
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank and line[0] not in " \t" and not _LIST_ITEM.match(line):
            yield index
        previous_blank = False
        opening = _FENCE_OPEN.match(line)
        if opening and (opening.group(1)[0] == "~" or "`" not in opening.group(2)):
            fence = opening.group(1)


def split_markdown(text: str) -> list[str]:
    """Cut Markdown ``text`` into units at safe top-level block boundaries."""
    lines = text.split("\n")
    units: list[str] = []
    start = 0
    size = 0
    limit = FIRST_UNIT_SIZE
    previous = 0
    for cut in _cut_points(lines):
        size += sum(len(line) + 1 for line in lines[previous:cut])
        previous = cut
        if size >= limit:
            units.append("\n".join(lines[start:cut]).strip("\n"))
            start, size, limit = cut, 0, UNIT_SIZE
    units.append("\n".join(lines[start:]).strip("\n"))
    return units


def split_plain(text: str) -> list[str]:
    """Cut plain ``text`` into units of whole lines."""
    lines = text.split("\n")
    units: list[str] = []
    start = 0
    size = 0
    for index, line in enumerate(lines):
        size += len(line) + 1
        if size >= UNIT_SIZE:
            units.append("\n".join(lines[start : index + 1]))
            start, size = index + 1, 0
    if start < len(lines):
        units.append("\n".join(lines[start:]))
    return units


def reference_definitions(text: str) -> str:
    """Lines of ``text`` that look like link reference definitions, one per paragraph.

    Each unit is parsed with the definitions of the whole entry, so a link in
    one unit can use a definition written in another.
    """
    return "\n\n".join(match.group() for match in _REFERENCE_DEFINITION.finditer(text))
