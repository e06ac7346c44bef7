"""One sanitiser for every string the Sessions API returns.

Terminal escape sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte ESC
sequences) are removed whole: they are invisible formatting at best and
clipboard writes, window-title changes or screen clears at worst. Any other
C0 or C1 control character except newline and tab is made visible as its
Unicode control picture (``\\x07`` becomes ``␇``) or ``�`` for C1, and
bidirectional overrides and isolates are made visible as ``⟪U+202E⟫`` so a
reader sees that something tried to reorder the text. Carriage returns are
folded into newlines.
"""

from __future__ import annotations

import re
from typing import Any

# ESC followed by a string-introducer: the payload runs to BEL or ST (ESC \).
# An unterminated one runs to the end of the text.
_STRING_SEQUENCE = r"(?:\x1b[\]P_^X]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)"
# CSI: ESC [ or 8-bit CSI, parameters, intermediates, one final byte.
_CSI_SEQUENCE = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
# Any other ESC sequence: intermediates then one final byte (e.g. ESC c, ESC ( B).
_OTHER_ESCAPE = r"\x1b[\x20-\x2f]*[\x30-\x7e]?"
_ESCAPES = re.compile("|".join((_STRING_SEQUENCE, _CSI_SEQUENCE, _OTHER_ESCAPE)))

_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
    "\u061c"  # Arabic letter mark
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u061c]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _BIDI_CONTROLS:
        return f"⟪U+{code:04X}⟫"
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def sanitize_text(text: str) -> str:
    """Return ``text`` with escape sequences removed and other controls made visible."""
    if text.isprintable() and "\x1b" not in text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPES.sub("", text)
    return _CONTROL.sub(_visible, text)


def sanitize_tree(value: Any) -> Any:
    """Sanitise every string (keys included) in a decoded JSON value."""
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, dict):
        return {sanitize_text(str(k)): sanitize_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [sanitize_tree(item) for item in value]
    return value
