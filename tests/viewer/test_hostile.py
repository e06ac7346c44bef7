"""Hostile Markdown renders without raising and without losing text."""

from __future__ import annotations

import re

import pytest

from tests.viewer.helpers import render_lines, render_units
from tui.widgets.conversation.render import FALLBACK_NOTE


def _words(lines: list[str]) -> str:
    return "".join("".join(lines).split())


def test_unclosed_fence_runs_to_the_end_as_code() -> None:
    lines = render_lines("before\n\n```python\ndef f(:\n    unfinished\n\n# still code")
    assert lines[0] == "before"
    assert [line.strip() for line in lines[2:]] == [
        "python",
        "def f(:",
        "unfinished",
        "",
        "# still code",
    ]


def test_truncated_tables() -> None:
    header_only = render_lines("| a | b |\n|---|---|")
    assert "a" in header_only[1] and "b" in header_only[1]
    ragged = render_lines("| a | b | c |\n|---|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 |\n| x")
    assert any("1" in line for line in ragged)
    no_delimiter = render_lines("| a | b |\n| 1 | 2")
    assert no_delimiter == ["| a | b | | 1 | 2"]


def test_enormous_line_wraps_completely() -> None:
    line = "".join(f"w{index} " for index in range(40_000))
    lines = render_lines(line, width=80)
    assert max(len(text) for text in lines) <= 80
    assert _words(lines) == _words([line])


def test_enormous_word_folds_completely() -> None:
    word = "x" * 50_000
    lines = render_lines(word, width=70)
    assert "".join(lines) == word


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param(">" * 300 + " deep quote", id="quotes"),
        pytest.param(
            "\n".join("  " * depth + f"- level {depth}" for depth in range(120)), id="lists"
        ),
        pytest.param(
            "\n".join("   " * depth + f"{depth}. item {depth}" for depth in range(60)), id="ordered"
        ),
        pytest.param("> - " * 80 + "mixed", id="mixed"),
    ],
)
def test_deep_block_nesting_keeps_all_text(markdown: str) -> None:
    rendered = " ".join(" ".join(render_lines(markdown, width=80)).split())
    labels = re.findall(r"(?:level \d+|item \d+|deep quote|mixed)", markdown)
    assert labels
    assert [label for label in labels if label not in rendered] == []


def test_nesting_beyond_the_parser_limit_falls_back_to_plain_text() -> None:
    lines = render_lines(">" * 300 + " deep quote")
    assert lines == [FALLBACK_NOTE, ">" * 60, ">" * 60, ">" * 60, ">" * 60, ">" * 60, " deep quote"]


def test_moderate_nesting_is_formatted_and_may_overflow_sideways() -> None:
    markdown = "\n".join("  " * depth + f"- level{depth}" for depth in range(15))
    units = render_units(markdown, width=30)
    lines = [text.strip() for unit in units[1:] for text in unit.texts]
    assert lines[-1].endswith("level14")
    assert all(text for text in lines)


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("*" * 20_000, id="stars"),
        pytest.param("**a " * 5_000, id="open-strong"),
        pytest.param("[" * 5_000 + "x" + "]" * 5_000 + "(y)", id="brackets"),
        pytest.param("`" * 3_000 + "code", id="backticks"),
        pytest.param("<" * 3_000 + "a" + ">" * 3_000, id="angles"),
        pytest.param("_" + "a_b_" * 5_000, id="underscores"),
    ],
)
def test_pathological_inline_syntax(markdown: str) -> None:
    lines = render_lines(markdown, width=100)
    assert _words(lines)


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("", id="empty"),
        pytest.param("\n\n\n   \t\n", id="blank"),
        pytest.param("\x00\x01\x02 nul and friends", id="controls"),
        pytest.param("\r\n".join(["crlf line"] * 3), id="crlf"),
        pytest.param("\t\tcode\twith\ttabs", id="tabs"),
        pytest.param("| " * 400 + "|\n" + "|---" * 400 + "|", id="many-columns"),
        pytest.param("```\n" + "x" * 300_000 + "\n```", id="huge-code-line"),
        pytest.param("# " + "h" * 10_000, id="huge-heading"),
        pytest.param("[a]: <>\n[a]\n\n[b]: x 'unterminated", id="bad-references"),
        pytest.param("\u202e reversed \u2066 isolate", id="bidi"),
        pytest.param("e\u0301" * 1000 + "🧑‍🚀" * 500, id="combining-and-emoji"),
    ],
)
def test_odd_inputs_render(markdown: str) -> None:
    units = render_units(markdown, width=60)
    assert units[0].texts[0] == "◆ Traversal"
    for unit in units:
        assert all("\x1b" not in text and "\x00" not in text for text in unit.texts)


def test_user_prompt_of_any_size_is_plain() -> None:
    prompt = "\n".join(f"log line {index} **x** ```" for index in range(5_000))
    units = render_units(prompt, role="user")
    assert len(units) > 2
    body = [text.strip() for unit in units[1:] for text in unit.texts]
    assert body == prompt.split("\n")
