"""A light tree of Markdown nodes built from markdown-it tokens.

markdown-it's own ``SyntaxTreeNode`` links every node to its parent; those
cycles can only be freed by the garbage collector, and a large answer then
feeds it enough garbage to trigger full collections, each of which stops the
event loop. These nodes link downwards only, so they are freed as soon as a
unit has been rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token


@dataclass(slots=True)
class Node:
    """A block or inline element: ``paragraph``, ``em``, ``table``, ``text``..."""

    type: str
    tag: str = ""
    attrs: dict[str, str | int | float] = field(default_factory=dict)
    info: str = ""
    content: str = ""
    hidden: bool = False
    children: list[Node] = field(default_factory=list)


def build_tree(tokens: Sequence[Token]) -> list[Node]:
    """The top-level nodes of a token stream (inline tokens' children included)."""
    top: list[Node] = []
    open_children = [top]
    for token in tokens:
        if token.nesting == -1:
            if len(open_children) > 1:
                open_children.pop()
            continue
        kind = token.type.removesuffix("_open") if token.nesting == 1 else token.type
        node = Node(kind, token.tag, token.attrs, token.info, token.content, token.hidden)
        open_children[-1].append(node)
        if token.nesting == 1:
            open_children.append(node.children)
        elif token.children:
            node.children = build_tree(token.children)
    return top
