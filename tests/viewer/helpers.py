"""A host app for the conversation view and helpers to render without one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.style import Style
from textual.app import App, ComposeResult
from textual.widgets import Footer

from tui.widgets.conversation import ConversationEntry, ConversationView
from tui.widgets.conversation.render import RenderedUnit, UnitRenderer, plan_entry
from tui.widgets.conversation.theme import RenderTheme

DEADLINE = 20.0
"""Seconds a test waits for a condition before failing."""

# A theme whose every element is recognisable by its colour.
MARKED_THEME = RenderTheme(
    h1=Style(color="red", bold=True),
    h2=Style(color="green", bold=True),
    h3=Style(color="blue", bold=True),
    h4=Style(color="magenta", bold=True),
    inline_code=Style(color="yellow"),
    link=Style(color="cyan", underline=True),
    link_target=Style(color="bright_black"),
    quote=Style(color="bright_blue"),
    bullet=Style(color="bright_red"),
    table_header=Style(color="bright_green", bold=True),
    code=Style(bgcolor="#101010"),
)


class Host(App[None]):
    """Just the conversation view and a footer.

    The view renders in threads unless ``render_process``: tests choose the
    path rather than depend on when the render process becomes ready.
    """

    def __init__(self, *, render_process: bool = False) -> None:
        super().__init__()
        self.rendered: list[str] = []
        self.render_process = render_process

    def compose(self) -> ComposeResult:
        yield ConversationView(render_process=self.render_process)
        yield Footer()

    def on_mount(self) -> None:
        self.view.focus()

    @property
    def view(self) -> ConversationView:
        return self.query_one(ConversationView)

    def on_conversation_view_rendered(self, message: ConversationView.Rendered) -> None:
        self.rendered.append(message.key)


async def rendered(view: ConversationView) -> None:
    """Wait (with a deadline) until the view has nothing left to render."""
    await asyncio.wait_for(view.wait_rendered(), DEADLINE)


async def process_ready(view: ConversationView) -> None:
    """Wait (with a deadline) until the view's render process is ready."""
    process = view.render_process
    assert process is not None
    assert await asyncio.to_thread(process.ready.wait, DEADLINE)


async def until(condition: Callable[[], bool], *, deadline: float = DEADLINE) -> None:
    """Wait until ``condition()`` holds, checking after each turn of the event loop."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while not condition():
        if loop.time() > end:
            raise AssertionError("condition not met before the deadline")
        await asyncio.sleep(0.005)


def screen_text(view: ConversationView) -> list[str]:
    """The lines the view paints now, as plain text."""
    pane = view.pane
    return [pane.render_line(y).text.rstrip() for y in range(pane.size.height)]


def render_units(
    markdown: str, *, width: int = 60, theme: RenderTheme = MARKED_THEME, role: str = "assistant"
) -> list[RenderedUnit]:
    """Render one entry the way a render job does, without an app."""
    plan = plan_entry(ConversationEntry("e", role, markdown), 0)
    renderer = UnitRenderer(width, theme)
    renderer.use_references(plan.references)
    return [renderer.render(unit) for unit in plan.units]


def render_lines(markdown: str, *, width: int = 60, role: str = "assistant") -> list[str]:
    """Rendered plain-text lines of an entry, without the title line."""
    units = render_units(markdown, width=width, role=role)
    return [text.rstrip() for unit in units[1:] for text in unit.texts]


def styled(markdown: str, fragment: str, *, width: int = 60) -> list[Style]:
    """Styles of the segments whose text contains ``fragment``."""
    units = render_units(markdown, width=width)
    return [
        segment.style
        for unit in units
        for strip in unit.strips
        for segment in strip
        if fragment in segment.text and segment.style is not None
    ]
