"""Helpers for the core tests. They take every path and environment explicitly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SECRET = "trv_ak_s3cr3t_do_not_print_9f8e7d"
"""A key that must never appear in any repr, str or error message."""

WriteConfig = Callable[[str], Path]


@pytest.fixture
def write_config(tmp_path: Path) -> WriteConfig:
    """Write TOML text to a fresh ``config.toml`` and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "conf" / "config.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
