"""Reading TOML source text for what a parser does not report: comments and lines.

``tomllib`` gives values only. The settings screen must tell the user when a
save drops their comments (tomli-w cannot write them back), and a config
error is more useful with the line of the offending key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_QUOTES = ('"""', "'''", '"', "'")


@dataclass(frozen=True)
class _Line:
    number: int
    code: str
    """The line with any comment cut off; empty when it lies inside a multi-line string."""


def has_comments(text: str) -> bool:
    """True when ``text`` holds a ``#`` comment outside every string."""
    return any(comment for _, comment in _scan(text))


def line_of(text: str, location: Sequence[str | int]) -> int | None:
    """The 1-based line that defines ``location`` (a pydantic error location).

    The line of the key itself when it is found, else that of the nearest
    enclosing table or key (a header like ``[profiles.work]`` or an inline
    table). ``None`` when nothing matches. Best effort: it expects text that
    ``tomllib`` accepted.
    """
    wanted = tuple(part for part in location if isinstance(part, str))
    best: tuple[int, int] | None = None  # (matched length, line number)
    table: tuple[str, ...] = ()
    for line in _lines(text):
        stripped = line.code.strip()
        if stripped.startswith("["):
            table = _header_path(stripped) or table
            path = table
        else:
            match = _KEY.match(line.code)
            if match is None:
                continue
            path = table + _key_path(match.group(1))
        matched = _common_prefix(path, wanted)
        if matched == len(path) and matched > 0 and (best is None or matched > best[0]):
            best = (matched, line.number)
    return None if best is None else best[1]


def _common_prefix(path: tuple[str, ...], wanted: tuple[str, ...]) -> int:
    count = 0
    for a, b in zip(path, wanted, strict=False):
        if a != b:
            break
        count += 1
    return count


def _header_path(header: str) -> tuple[str, ...] | None:
    try:
        return _walk(tomllib.loads(header))
    except tomllib.TOMLDecodeError:
        return None


def _key_path(key: str) -> tuple[str, ...]:
    try:
        return _walk(tomllib.loads(f"{key} = 0"))
    except tomllib.TOMLDecodeError:
        return ()


def _walk(document: Any) -> tuple[str, ...]:
    """The single chain of keys of a document like ``{"a": {"b": {}}}``."""
    path: list[str] = []
    while isinstance(document, dict | list) and document:
        if isinstance(document, list):
            document = document[-1]
            continue
        key = next(iter(document))
        path.append(key)
        document = document[key]
    return tuple(path)


def _lines(text: str) -> list[_Line]:
    return [_Line(number, code) for number, (code, _) in enumerate(_scan(text), start=1)]


def _scan(text: str) -> list[tuple[str, bool]]:
    """Each line as (code outside comments, whether it had a comment).

    Lines that start inside a multi-line string give empty code, so their
    content is never taken for a key or a header.
    """
    result: list[tuple[str, bool]] = []
    state: str | None = None
    for raw in text.split("\n"):
        starts_inside = state in ('"""', "'''")
        code_end = len(raw)
        comment = False
        i = 0
        while i < len(raw):
            if state is None:
                if raw[i] == "#":
                    code_end, comment = i, True
                    break
                opener = next((q for q in _QUOTES if raw.startswith(q, i)), None)
                if opener is not None:
                    state = opener
                    i += len(opener)
                    continue
                i += 1
            elif raw[i] == "\\" and state in ('"', '"""'):
                i += 2
            elif raw.startswith(state, i):
                # A closing run may carry up to two extra quote characters.
                end = i + len(state)
                while len(state) == 3 and end < len(raw) and raw[end] == state[0]:
                    end += 1
                state, i = None, end
            else:
                i += 1
        if state in ('"', "'"):
            state = None  # single-line strings end with their line
        result.append(("" if starts_inside else raw[:code_end], comment))
    return result
