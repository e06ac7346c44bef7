"""Cutting answers into units changes nothing in what is rendered."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.bench.documents import findings_document
from tests.viewer.helpers import render_lines
from tui.widgets.conversation import split
from tui.widgets.conversation.split import split_markdown, split_plain

SNIPPETS = [
    "A paragraph with *emphasis* and `code`.",
    "# Heading one",
    "## Heading two",
    "Setext heading\n==============",
    "- item one\n- item two",
    "- loose item\n\n- second loose item",
    "- item\n\n  continued paragraph in the item",
    "- item\n  - nested\n\n    nested paragraph",
    "3. three\n4. four",
    "1) paren list",
    "```\ncode\n\nmore code after a blank line\n```",
    "```python\nunclosed fence\n\nstill code",
    "~~~\ntilde fence\n```\nnot a close\n\n~~~",
    "````\n```\ninner\n```\n````",
    "``` not `a` fence\nparagraph",
    "    indented code\n\n    more indented code",
    "> quote\n> more quote",
    "> quote\n\nafter the quote",
    "> quote with\nlazy continuation",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |",
    "---",
    "***",
    "[ref]: https://example.com/ref",
    "Uses [ref] and [missing].",
    "```\n[ref]: https://in.a.fence/\n```",
    "<div>\n\nhtml is text\n</div>",
    "  ```\n  indented fence\n\n  with blank\n  ```",
    "- item\n\n  ```\n  fenced in item\n\n  more\n  ```\nlazy",
    "*emphasis across\n\nparagraphs*",
    "Line with trailing spaces  \nhard break",
    "\tTabbed line",
    "",
]
SEPARATORS = ["\n", "\n\n", "\n\n\n", "\n \n"]

documents = st.lists(
    st.tuples(st.sampled_from(SNIPPETS), st.sampled_from(SEPARATORS)), min_size=1, max_size=14
).map(lambda parts: "".join(snippet + separator for snippet, separator in parts))


def _rendered(markdown: str, unit_size: int) -> list[str]:
    with (
        patch.object(split, "FIRST_UNIT_SIZE", unit_size),
        patch.object(split, "UNIT_SIZE", unit_size),
    ):
        return render_lines(markdown, width=50)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_units_render_exactly_like_the_whole_document(markdown: str) -> None:
    assert _rendered(markdown, 1) == _rendered(markdown, 10**9)


def test_a_findings_answer_is_cut_into_small_first_and_larger_later_units() -> None:
    units = split_markdown(findings_document(60_000))
    assert len(units) > 10
    assert split.FIRST_UNIT_SIZE <= len(units[0]) < 4 * split.FIRST_UNIT_SIZE
    assert all(len(unit) < 3 * split.UNIT_SIZE for unit in units)
    assert _rendered(findings_document(30_000), 1) == _rendered(findings_document(30_000), 10**9)


def test_no_cut_inside_a_fence_or_before_a_list_item() -> None:
    markdown = "para\n\n```\na\n\nb\n```\n\n- x\n\n- y\n\nend"
    with (
        patch.object(split, "FIRST_UNIT_SIZE", 1),
        patch.object(split, "UNIT_SIZE", 1),
    ):
        assert split_markdown(markdown) == ["para", "```\na\n\nb\n```\n\n- x\n\n- y", "end"]


def test_plain_text_is_cut_at_line_ends_only() -> None:
    text = "\n".join(f"line {index}" for index in range(3_000))
    units = split_plain(text)
    assert len(units) > 1
    assert "\n".join(units) == text
