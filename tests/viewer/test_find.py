"""Find: matching, case, limits and stepping, without an app."""

from __future__ import annotations

from unittest.mock import patch

from tui.widgets.conversation import find
from tui.widgets.conversation.find import FindState, Match, find_matches

LINES = [(0, "Pool pool"), (1, "no match"), (2, "POOL and pool")]


def test_matches_are_case_insensitive_unless_the_query_has_capitals() -> None:
    assert find_matches(LINES, "pool")[0] == [
        Match(0, 0, 4),
        Match(0, 5, 9),
        Match(2, 0, 4),
        Match(2, 9, 13),
    ]
    assert find_matches(LINES, "POOL")[0] == [Match(2, 0, 4)]
    assert find_matches(LINES, "") == ([], False)


def test_match_count_is_capped() -> None:
    with patch.object(find, "MATCH_LIMIT", 3):
        matches, truncated = find_matches(LINES, "pool")
    assert len(matches) == 3 and truncated


def test_first_match_at_or_below_the_top_and_stepping_wraps() -> None:
    state = FindState()
    state.query = "pool"
    assert state.search(LINES, 1, from_top=True)
    assert state.current == Match(2, 0, 4)
    assert state.counter() == "3/4"
    assert state.step(1) and state.counter() == "4/4"
    assert state.step(1) and state.counter() == "1/4"
    assert state.step(-1) and state.counter() == "4/4"


def test_stepping_back_without_a_current_match_goes_to_the_last() -> None:
    state = FindState()
    state.query = "pool"
    state.matches, _ = find_matches(LINES, "pool")
    assert state.step(-1) and state.current == Match(2, 9, 13)


def test_a_document_change_keeps_the_current_match() -> None:
    state = FindState()
    state.query = "pool"
    state.search(LINES, 2, from_top=True)
    assert state.current == Match(2, 0, 4)
    assert state.step(1) and state.current == Match(2, 9, 13)
    moved = [(y + 10, text) for y, text in LINES]
    assert not state.search([(0, "pool first"), *moved], 12, from_top=False)
    assert state.current == Match(12, 9, 13)


def test_no_matches() -> None:
    state = FindState()
    state.query = "absent"
    assert not state.search(LINES, 0, from_top=True)
    assert state.current is None and state.counter() == "no matches" and not state.step(1)
