"""traversal-tui: a keyboard-first terminal dashboard for Traversal investigations."""

__version__ = "0.1.0"
