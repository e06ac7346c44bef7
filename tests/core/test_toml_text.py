from __future__ import annotations

import pytest

from tui.core.toml_text import has_comments, line_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = 1\n", False),
        ("# top\na = 1\n", True),
        ("a = 1  # trailing\n", True),
        ('a = "x # not a comment"\n', False),
        ("a = 'x # literal'\n", False),
        ('a = "esc \\" # still string"\n', False),
        ('a = """\nline # inside\n"""\n', False),
        ("a = '''\n# inside\n'''\n", False),
        ('a = """x""""  # after a closing run\n', True),
        ("a = [\n  1, # in an array\n]\n", True),
        ("", False),
    ],
)
def test_has_comments(text: str, expected: bool) -> None:
    assert has_comments(text) is expected


TEXT = """\
default_profile = "work"
[profiles.work]
base_url = "https://a.example"
poll_interval = 0
[profiles."two words"]
note = '''
poll_interval = 99
'''
api_key_env = "K"
[profiles]
inline = { api_key = 1, poll_interval = 0 }
dotted.poll_interval = 0
"""


@pytest.mark.parametrize(
    ("location", "line"),
    [
        (("default_profile",), 1),
        (("profiles", "work"), 2),
        (("profiles", "work", "poll_interval"), 4),
        (("profiles", "work", "theme"), 2),
        (("profiles", "two words", "api_key_env"), 9),
        (("profiles", "two words", "poll_interval"), 5),
        (("profiles", "inline", "poll_interval"), 11),
        (("profiles", "dotted", "poll_interval"), 12),
        (("keymap", "x"), None),
        ((), None),
    ],
)
def test_line_of(location: tuple[str, ...], line: int | None) -> None:
    assert line_of(TEXT, location) == line
