"""Where the Textual stylesheets are: inside the installed package, or beside it in a checkout."""

from __future__ import annotations

from pathlib import Path, PurePath

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """``tui/styles`` in an installed wheel, else the checkout's top-level ``styles/``."""
    for candidate in (_PACKAGE / "styles", _PACKAGE.parent / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("The dashboard's stylesheets are missing from this installation.")


def stylesheet_paths() -> list[str | PurePath]:
    """Every ``.tcss`` file, in name order (so ``app.tcss`` comes first)."""
    return [str(path) for path in sorted(styles_dir().glob("*.tcss"))]
