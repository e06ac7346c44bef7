"""The sanitiser over a corpus of hostile strings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.api.sanitize import sanitize_text, sanitize_tree

HOSTILE = [
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\",
    "\x1b]0;pwned title\x07",  # OSC 0: window title
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # hyperlink
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[31mred\x1b[0m",
    "\x9b31mC1 CSI",
    "\x1bPq#0;2;0;0;0#1~~~\x1b\\",  # DCS sixel
    "\x1b_APC payload\x1b\\",
    "\x1b^PM payload\x1b\\",
    "\x1bX SOS payload\x1b\\",
    "\x1b]52;c;unterminated",
    "\x1b[",
    "\x1bc",  # full reset
    "\x1b(0",  # line-drawing charset
    "a\x00b\x07c\x08d\x7fe",
    "\u202eevil\u202c",
    "\u2066isolate\u2069",
    "\u061cmark",
    "[bold red]markup[/]",
    "[@click=app.quit]click me[/]",
    "\r\n\r",
]

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u061c]")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_lose_every_control(text: str) -> None:
    cleaned = sanitize_text(text)
    assert not _FORBIDDEN.search(cleaned), repr(cleaned)
    assert "\x1b" not in cleaned


def test_escape_sequences_are_removed_whole() -> None:
    assert sanitize_text("a\x1b[31mred\x1b[0mb") == "aredb"
    assert sanitize_text("x\x1b]52;c;ZZZ=\x07y") == "xy"
    assert sanitize_text("x\x1b]0;title\x1b\\y") == "xy"


def test_lone_controls_become_visible() -> None:
    assert sanitize_text("bell\x07") == "bell\u2407"
    assert sanitize_text("nul\x00") == "nul\u2400"
    assert sanitize_text("del\x7f") == "del\u2421"
    assert sanitize_text("rlo\u202eabc") == "rlo⟪U+202E⟫abc"


def test_ordinary_text_is_unchanged() -> None:
    text = "## Summary\n\n| a | b |\n|---|---|\n\tcode ✓ 日本語 émoji 🚀 [not markup]"
    assert sanitize_text(text) == text


def test_carriage_returns_fold_into_newlines() -> None:
    assert sanitize_text("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_tree_sanitises_keys_values_and_nesting() -> None:
    tree = {"ti\x1b[1mtle": ["\x07", {"deep": "\u202e"}], "n": 3, "none": None}
    assert sanitize_tree(tree) == {"title": ["\u2407", {"deep": "⟪U+202E⟫"}], "n": 3, "none": None}


@given(st.text())
def test_any_text_comes_out_clean(text: str) -> None:
    cleaned = sanitize_text(text)
    assert not _FORBIDDEN.search(cleaned)
    assert sanitize_text(cleaned) == cleaned
