"""Rendering fidelity, element by element, without an app."""

from __future__ import annotations

from rich.segment import Segment

from tests.viewer.helpers import MARKED_THEME, render_lines, render_units, styled
from tui.widgets.conversation.render import USER_TITLE


def test_headings_are_styled_by_level_and_listed_for_the_outline() -> None:
    units = render_units("# Top\n\ntext\n\n## Second\n\n### Third\n\n#### Fourth")
    lines = [text.rstrip() for unit in units for text in unit.texts]
    assert lines[1] == "Top"
    assert set(lines[2]) == {"━"}
    assert "Second" in lines and "─" * len("Second") in lines
    headings = [(h.level, h.title) for unit in units for h in unit.headings]
    assert headings == [(0, "◆ Traversal"), (1, "Top"), (2, "Second"), (3, "Third"), (4, "Fourth")]
    assert styled("## Second", "Second")[0].color == MARKED_THEME.h2.color
    assert styled("#### Fourth", "Fourth")[0].color == MARKED_THEME.h4.color


def test_emphasis_strong_strike_and_inline_code() -> None:
    markdown = "plain *slanted* **heavy** ~~gone~~ `code()`"
    assert render_lines(markdown) == ["plain slanted heavy gone code()"]
    assert styled(markdown, "slanted")[0].italic
    assert styled(markdown, "heavy")[0].bold
    assert styled(markdown, "gone")[0].strike
    assert styled(markdown, "code()")[0].color == MARKED_THEME.inline_code.color
    assert not styled(markdown, "plain")[0].bold


def test_links_show_their_target_and_carry_no_action() -> None:
    markdown = "See [the runbook](https://runbooks.example/db) and <https://status.example>."
    text = " ".join(render_lines(markdown, width=200))
    assert "the runbook (https://runbooks.example/db)" in text
    assert text.count("https://status.example") == 1
    for style in styled(markdown, "runbook", width=200):
        assert style.link is None and not style.meta
    assert styled(markdown, "the runbook", width=200)[0].color == MARKED_THEME.link.color


def test_images_show_alt_text_and_source() -> None:
    assert render_lines("![latency graph](https://img.example/p99.png)", width=200) == [
        "[image: latency graph] (https://img.example/p99.png)"
    ]


def test_fenced_code_is_highlighted_on_the_code_background() -> None:
    markdown = "```python\ndef handler(event):\n    return 42\n```"
    lines = render_lines(markdown)
    assert lines[0].strip() == "python"
    assert lines[1].strip() == "def handler(event):"
    assert lines[2].strip() == "return 42"
    code_segments = [
        segment
        for unit in render_units(markdown)
        for strip in unit.strips[1:]
        for segment in strip
        if segment.text.strip()
    ]
    assert len({segment.style.color for segment in code_segments if segment.style}) > 1
    assert all(
        segment.style and segment.style.bgcolor == MARKED_THEME.code.bgcolor
        for segment in code_segments
    )


def test_unknown_language_and_long_code_lines_keep_every_character() -> None:
    long_line = "x" * 150
    lines = render_lines(f"```klingon-script\n{long_line}\n```", width=50)
    assert lines[0].strip() == "klingon-script"
    assert "".join(line.strip() for line in lines[1:]) == long_line


def test_indented_code_block_keeps_its_text() -> None:
    lines = render_lines("para\n\n    indented code\n    more")
    assert [line.strip() for line in lines[2:]] == ["indented code", "more"]


def test_table_with_alignment() -> None:
    markdown = "| Name | Count |\n|:-----|------:|\n| api | 7 |\n| db | 1234 |"
    lines = render_lines(markdown)
    assert lines[0].startswith("╭")
    assert lines[1].split("│")[1:3] == [" Name ", " Count "]
    assert lines[3].split("│")[1:3] == [" api  ", "     7 "]
    assert lines[4].split("│")[1:3] == [" db   ", "  1234 "]
    assert styled(markdown, "Name")[0].color == MARKED_THEME.table_header.color


def test_table_cells_wrap_and_keep_every_word() -> None:
    words = [f"word{index}" for index in range(40)]
    markdown = f"| Note | X |\n|---|---|\n| {' '.join(words)} | y |"
    units = render_units(markdown, width=40)
    assert max(unit.width for unit in units) <= 40
    cell_words = [
        word
        for line in render_lines(markdown, width=40)
        if line.startswith("│")
        for word in line.split("│")[1].split()
    ]
    assert cell_words[:1] == ["Note"]
    assert cell_words[1:] == words


def test_wide_table_is_rendered_wider_than_the_view_not_cut() -> None:
    header = " | ".join(f"column-{index:02d}" for index in range(12))
    row = " | ".join(f"value-{index:02d}" for index in range(12))
    markdown = f"| {header} |\n|{'---|' * 12}\n| {row} |"
    units = render_units(markdown, width=60)
    assert max(unit.width for unit in units) > 60
    text = "".join(render_lines(markdown, width=60))
    for index in range(12):
        assert f"column-{index:02d}" in text
        assert f"value-{index:02d}" in text


def test_nested_lists_are_indented_with_their_own_markers() -> None:
    markdown = "- one\n  - inner\n    1. first\n    2. second\n- two\n\n3. three\n4. four"
    assert render_lines(markdown) == [
        "• one",
        "  ◦ inner",
        "    1. first",
        "    2. second",
        "• two",
        "",
        "3. three",
        "4. four",
    ]
    assert styled(markdown, "•")[0].color == MARKED_THEME.bullet.color


def test_loose_list_items_are_separated_and_wrap_under_their_text() -> None:
    markdown = "- first item that is long enough to wrap onto another line\n\n- second"
    assert render_lines(markdown, width=30) == [
        "• first item that is long",
        "  enough to wrap onto another",
        "  line",
        "",
        "• second",
    ]


def test_block_quotes_nest_with_a_bar() -> None:
    markdown = "> **Note:** quoted\n>\n> > inner"
    assert render_lines(markdown) == ["▌ Note: quoted", "▌", "▌ ▌ inner"]
    assert styled(markdown, "quoted")[0].color == MARKED_THEME.quote.color


def test_rule_and_hard_break() -> None:
    lines = render_lines("above  \nbelow\n\n---\n\nafter", width=20)
    assert lines == ["above", "below", "", "─" * 20, "", "after"]


def test_server_text_is_never_markup() -> None:
    markdown = "[bold red]not markup[/] $accent @click=app.quit() :smile: <b>html</b>"
    text = " ".join(render_lines(markdown, width=200))
    assert text == markdown
    for unit in render_units(markdown, width=200):
        for strip in unit.strips:
            for segment in strip:
                assert segment.style is None or (
                    segment.style.link is None and not segment.style.meta
                )


def test_terminal_escapes_are_removed_and_controls_made_visible() -> None:
    text = " ".join(render_lines("title\x1b]0;pwned\x07 bell\x07 \x1b[31mred"))
    assert "\x1b" not in text and "\x07" not in text
    assert "pwned" not in text
    assert "␇" in text and "red" in text


def test_user_prompts_are_plain_text_with_a_title() -> None:
    prompt = "Why is **checkout** slow?\n# not a heading\n[x](y)"
    units = render_units(prompt, role="user")
    assert units[0].texts[0] == USER_TITLE
    body = [text.rstrip() for unit in units[1:] for text in unit.texts]
    assert body == ["  Why is **checkout** slow?", "  # not a heading", "  [x](y)"]
    assert units[0].headings[0].title == f"{USER_TITLE}: Why is **checkout** slow?"


def test_link_reference_definitions_resolve_across_units() -> None:
    filler = "\n\n".join(f"Paragraph {index} " + "text " * 60 for index in range(12))
    markdown = f"See [the docs][docs].\n\n{filler}\n\n[docs]: https://docs.example/x"
    units = render_units(markdown, width=200)
    assert len(units) > 2
    assert "the docs (https://docs.example/x)" in units[1].texts[0]


def test_empty_answer_says_so() -> None:
    assert render_lines("   \n") == ["(empty answer)"]


def test_every_strip_measures_its_cells() -> None:
    units = render_units("# Title 日本語\n\n| a | 表 |\n|---|---|\n| 1 | 2 |\n\n- 🚀 launch")
    for unit in units:
        for strip in unit.strips:
            assert strip.cell_length == Segment.get_line_length(list(strip))
