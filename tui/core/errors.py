"""Errors of the core layer, worded for the person at the terminal."""

from __future__ import annotations

import re
from pathlib import Path

_KEY_SHAPED = re.compile(r"trv_[A-Za-z0-9_\-]+")


def looks_like_key(text: str) -> bool:
    """True when ``text`` holds something shaped like a Traversal key (``trv_...``)."""
    return _KEY_SHAPED.search(text) is not None


def redact_keys(text: str) -> str:
    """``text`` with anything shaped like a Traversal key replaced by ``trv_***``."""
    return _KEY_SHAPED.sub("trv_***", text)


class ConfigError(Exception):
    """The configuration cannot be used: bad TOML, a bad value, or a key that cannot be had.

    ``path``, ``line`` and ``field`` say where, when known. The message never
    contains an API key.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        # A message listing several problems names each one's line itself.
        line = self.line if "\n" not in self.message else None
        where = ""
        if self.path is not None:
            where = f"{self.path}, line {line}: " if line else f"{self.path}: "
        return where + self.message


class StoreError(Exception):
    """The local state database cannot be used (for example, made by a newer version)."""
