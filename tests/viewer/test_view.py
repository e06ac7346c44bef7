"""The view in an app: showing, caching, following, cancelling, keys."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from textual import events
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.selection import Selection

from tests.bench.documents import findings_document
from tests.viewer.helpers import DEADLINE, Host, rendered, screen_text, until
from tui.widgets.conversation import ConversationEntry, ConversationView
from tui.widgets.conversation.outline import Outline
from tui.widgets.conversation.render import USER_TITLE, RenderedUnit, Unit, UnitRenderer

SIZE = (100, 30)


def prompt(id_: str, text: str) -> ConversationEntry:
    return ConversationEntry(id_, "user", text)


def answer(id_: str, text: str) -> ConversationEntry:
    return ConversationEntry(id_, "assistant", text)


def short_conversation() -> list[ConversationEntry]:
    return [
        prompt("p1", "What broke checkout?"),
        answer("a1", "# Findings\n\nThe **database** pool is exhausted."),
    ]


@pytest.fixture
def render_count() -> Iterator[list[Unit]]:
    """Every unit rendered by any job while the test runs."""
    units: list[Unit] = []
    lock = threading.Lock()
    original = UnitRenderer.render

    def counting(self: UnitRenderer, unit: Unit) -> RenderedUnit:
        with lock:
            units.append(unit)
        return original(self, unit)

    UnitRenderer.render = counting  # type: ignore[method-assign]
    yield units
    UnitRenderer.render = original  # type: ignore[method-assign]


async def test_show_renders_and_reports_completion() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        view.show("s1", short_conversation())
        assert view.render_job is not None
        assert not app.rendered
        await rendered(view)
        await until(lambda: app.rendered == ["s1"])
        assert view.rendered_key == "s1" and not view.is_rendering
        assert screen_text(view)[:7] == [
            USER_TITLE,
            "  What broke checkout?",
            "",
            "◆ Traversal",
            "Findings",
            "━" * view.pane.content_width,
            "",
        ]


async def read_a_page(app: Host, pilot: Pilot[None]) -> list[ConversationEntry]:
    """Show a long answer, wait for its render, page down once; return its entries."""
    entries = [prompt("p1", "Why?"), answer("a1", findings_document(20_000))]
    app.view.show("s1", entries)
    await rendered(app.view)
    await pilot.press("pagedown")
    return entries


async def test_identical_poll_does_nothing(render_count: list[Unit]) -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        entries = await read_a_page(app, pilot)
        position = view.pane.scroll_y
        rendered_before = len(render_count)
        document = view.pane.document
        copies = [ConversationEntry(e.id, e.role, (e.markdown + ".")[:-1]) for e in entries]
        assert copies == entries and copies[1].markdown is not entries[1].markdown
        view.show("s1", copies)
        assert view.render_job is None and not view.is_rendering
        assert view.pane.document is document
        await pilot.pause()
        assert len(render_count) == rendered_before
        assert view.pane.scroll_y == position
        assert app.rendered == ["s1"]


async def test_pending_line_changes_without_rendering(render_count: list[Unit]) -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        view.show("s1", short_conversation(), pending="Traversal is investigating…")
        await rendered(view)
        count = len(render_count)
        assert "Traversal is investigating…" in screen_text(view)
        view.show("s1", short_conversation(), pending="Still investigating (2 min)")
        assert view.render_job is None
        assert "Still investigating (2 min)" in screen_text(view)
        view.show("s1", short_conversation())
        assert not any("investigating" in line for line in screen_text(view))
        assert len(render_count) == count


async def test_appended_answer_renders_only_the_new_entry(render_count: list[Unit]) -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        first = await read_a_page(app, pilot)
        position = view.pane.scroll_y
        render_count.clear()
        follow_up = [*first, prompt("p2", "And the cache?"), answer("a2", "Cache is **fine**.")]
        view.show("s1", follow_up)
        await rendered(view)
        assert {unit.text for unit in render_count} >= {"And the cache?", "Cache is **fine**."}
        assert all("Finding" not in unit.text for unit in render_count)
        assert view.pane.scroll_y == position


async def test_following_when_at_the_bottom() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        first = [prompt("p1", "Why?"), answer("a1", findings_document(8_000))]
        view.show("s1", first)
        await rendered(view)
        await pilot.press("end")
        long_answer = answer("a2", findings_document(8_000, seed=2))
        view.show("s1", [*first, prompt("p2", "More?"), long_answer])
        await rendered(view)
        await pilot.pause()
        assert screen_text(view)[:2] == ["", USER_TITLE]
        assert screen_text(view)[2] == "  More?"


async def test_switching_sessions_mid_render_drops_the_old_work() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        view.show("big", [answer("huge", findings_document(600_000))])
        await view.wait_first_screen()
        old_job = view.render_job
        assert old_job is not None
        view.show("small", short_conversation())
        assert old_job.cancelled.is_set()
        await rendered(view)
        assert old_job.finished.wait(DEADLINE)
        total_units = len(findings_document(600_000)) // 4096
        assert old_job.units_rendered < total_units // 2
        assert view.rendered_key == "small"
        await until(lambda: app.rendered == ["small"])
        assert screen_text(view)[1] == "  What broke checkout?"
        assert all(entry.entry.id != "huge" for entry in view.pane.document.entries)


async def test_going_back_to_a_session_uses_the_cache(render_count: list[Unit]) -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        view.show("s1", short_conversation())
        await rendered(view)
        view.show("s2", [answer("a9", "Other answer")])
        await rendered(view)
        render_count.clear()
        view.show("s1", short_conversation())
        assert view.render_job is None and view.rendered_key == "s1"
        assert render_count == []
        assert screen_text(view)[1] == "  What broke checkout?"


async def test_resize_rerenders_in_the_background() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        view.show("s1", [answer("a1", "word " * 400)])
        await rendered(view)
        narrow_lines = view.pane.document.height
        await pilot.resize_terminal(60, 30)
        await until(lambda: view.is_rendering or view.pane.document.height != narrow_lines)
        await rendered(view)
        assert view.pane.document.height > narrow_lines
        assert max(len(line) for line in screen_text(view)) <= view.pane.content_width


def two_exchanges(second_answer: str) -> list[ConversationEntry]:
    return [
        prompt("p1", "First question"),
        answer("a1", findings_document(10_000)),
        prompt("p2", "Second question"),
        answer("a2", second_answer),
    ]


async def test_new_session_opens_at_the_prompt_of_the_newest_answer() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        view.show("s1", two_exchanges(findings_document(10_000, seed=3)))
        await rendered(view)
        assert screen_text(view)[1:3] == [USER_TITLE, "  Second question"]


async def test_a_short_last_exchange_is_shown_at_the_bottom() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        view.show("s1", two_exchanges("# Second answer\n\nBody."))
        await rendered(view)
        text = screen_text(view)
        assert view.pane.scroll_y == view.pane.max_scroll_y > 0
        assert text.index("  Second question") + 3 == text.index("Second answer")


async def test_long_prompt_opens_at_the_answer() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        long_prompt = "\n".join(f"log line {index}" for index in range(100))
        view.show("s1", [prompt("p1", long_prompt), answer("a1", findings_document(5_000))])
        await rendered(view)
        assert screen_text(view)[:3] == [
            "",
            "◆ Traversal",
            "Investigation: elevated 5xx on checkout",
        ]


async def test_clear_shows_a_plain_message() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        view.show("s1", short_conversation())
        view.clear("Select a [b]session[/b]")
        assert view.render_job is None and view.key is None
        assert screen_text(view)[0] == "Select a [b]session[/b]"
        assert view.pane.document.height == 0


async def test_scroll_keys() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        view.show("s1", [answer("a1", findings_document(20_000))])
        await rendered(view)
        pane = view.pane
        page = pane.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert pane.scroll_y == page
        await pilot.press("space", "b", "down", "down", "up")
        assert pane.scroll_y == page + 1
        await pilot.press("end")
        assert pane.scroll_y == pane.max_scroll_y > 0
        await pilot.press("home")
        assert pane.scroll_y == 0
        await pilot.press("pageup")
        assert pane.scroll_y == 0


async def test_keys_work_while_a_large_answer_renders() -> None:
    # Keys are posted directly: the pilot's press waits for the process to go
    # idle, which it does not while a render runs.
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        pane = view.pane
        view.show("s1", [answer("a1", findings_document(400_000))])
        await until(lambda: pane.document.height > 200)
        page = pane.scrollable_content_region.height - 1
        app.post_message(events.Key("pagedown", None))
        app.post_message(events.Key("pagedown", None))
        await until(lambda: pane.scroll_y == 2 * page)
        assert view.is_rendering
        app.post_message(events.Key("end", None))
        await until(lambda: pane.scroll_y > 2 * page and pane.scroll_y == pane.max_scroll_y)
        assert view.is_rendering
        assert pane.document.height < 10_000


async def test_wide_table_scrolls_sideways() -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.view
        header = " | ".join(f"column-{index:02d}" for index in range(10))
        row = " | ".join(f"value-{index:02d}" for index in range(10))
        view.show("s1", [answer("a1", f"| {header} |\n|{'---|' * 10}\n| {row} |")])
        await rendered(view)
        assert view.pane.virtual_size.width > view.pane.content_width
        assert "column-09" not in "".join(screen_text(view))
        for _ in range(20):
            await pilot.press("right")
        assert "column-09" in "".join(screen_text(view))


async def test_find_counts_highlights_and_steps_through_matches() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        body = "\n\n".join(f"Paragraph {index} mentions Pool." for index in range(40))
        view.show("s1", [answer("a1", body)])
        await rendered(view)
        await pilot.press("slash")
        await pilot.press(*"pool")
        counter = view.query_one("#find-counter")
        assert str(counter.render()) == "1/40"
        assert view.pane.highlights
        await pilot.press("enter", "enter")
        assert str(counter.render()) == "3/40"
        await pilot.press("up")
        assert str(counter.render()) == "2/40"
        await pilot.press("up", "up")
        assert str(counter.render()) == "40/40"
        await pilot.press("escape")
        assert view.pane.highlights == {}
        assert app.focused is view


async def test_find_is_case_sensitive_only_with_capitals() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        view.show("s1", [answer("a1", "Pool pool POOL")])
        await rendered(view)
        await pilot.press("slash", *"Pool")
        assert str(view.query_one("#find-counter").render()) == "1/1"
        await pilot.press("ctrl+a", "ctrl+k", *"zzz")
        assert str(view.query_one("#find-counter").render()) == "no matches"


async def test_outline_lists_headings_and_jumps() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        view.show("s1", [prompt("p1", "Why?"), answer("a1", findings_document(20_000))])
        await rendered(view)
        outline = view.pane.document.outline()
        titles = [item.title for item in outline]
        assert titles[:4] == [
            f"{USER_TITLE}: Why?",
            "◆ Traversal",
            "Investigation: elevated 5xx on checkout",
            "Summary",
        ]
        await pilot.press("o")
        widget = view.query_one(Outline)
        assert widget.has_class("-open") and widget.has_focus
        target = next(item for item in outline if item.title.startswith("Finding 2"))
        widget.highlighted = outline.index(target)
        await pilot.press("enter")
        assert not widget.is_open and app.focused is view
        assert view.pane.scroll_y == target.y
        await pilot.press("right_square_bracket")
        assert view.pane.scroll_y == outline[outline.index(target) + 1].y
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert view.pane.scroll_y == outline[outline.index(target) - 1].y


async def test_theme_change_rerenders() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        view.show("s1", [answer("a1", "```python\nx = 1\n```")])
        await rendered(view)
        before = view.pane.document.entries[0].units[1]
        app.theme = "textual-light"
        await until(lambda: view.pane.document.entries[0].units[1] is not before)
        await rendered(view)
        await pilot.pause()
        after = view.pane.document.entries[0].units[1]
        assert after is not None and before is not None
        assert after.strips[1].text == before.strips[1].text
        assert list(after.strips[1]) != list(before.strips[1])


async def test_bindings_leave_the_app_letters_alone() -> None:
    reserved = set("nsadfrecxq?") | {"question_mark", "ctrl+s", "ctrl+p"}
    keys = {
        key.strip()
        for binding in ConversationView.BINDINGS
        if not isinstance(binding, tuple)
        for key in binding.key.split(",")
    }
    assert not keys & reserved
    for binding in ConversationView.BINDINGS:
        assert not isinstance(binding, tuple)
        assert binding.id and binding.id.startswith("conversation.") and binding.tooltip


async def test_scroll_area_follows_the_document_while_it_grows() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        pane = view.pane
        view.show("s1", [answer("a1", findings_document(200_000))])
        await until(lambda: pane.virtual_size.height > 3 * pane.size.height)
        assert view.is_rendering
        await rendered(view)
        height = pane.document.height
        assert pane.virtual_size.height == height
        assert pane.vertical_scrollbar.window_virtual_size == height
        assert pane.max_scroll_y == height - pane.scrollable_content_region.height


async def test_a_poll_mid_render_does_not_render_units_twice(render_count: list[Unit]) -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        view = app.view
        long_answer = answer("a1", findings_document(300_000))
        view.show("s1", [prompt("p1", "Why?"), long_answer])
        await until(lambda: view.pane.document.entries[1].fresh.count(True) > 5)
        view.show("s1", [prompt("p1", "Why?"), long_answer, prompt("p2", "And then?")])
        await rendered(view)
        sources = [unit.text for unit in render_count if unit.kind == "markdown"]
        # Only what the first job had in hand when it was dropped is done again.
        assert len(sources) - len(set(sources)) <= 3 < len(sources) // 10
        assert view.pane.document.entries[1].complete


async def test_show_before_layout_renders_once_laid_out() -> None:
    class Early(Host):
        def on_mount(self) -> None:
            super().on_mount()
            self.view.show("s1", short_conversation())

    app = Early()
    async with app.run_test(size=SIZE):
        await rendered(app.view)
        assert app.view.rendered_key == "s1"
        assert screen_text(app.view)[1] == "  What broke checkout?"


async def test_a_failing_render_stops_instead_of_retrying(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(entry: ConversationEntry, index: int) -> None:
        raise ValueError("cannot plan")

    monkeypatch.setattr("tui.widgets.conversation.job.plan_entry", broken)
    app = Host()
    async with app.run_test(size=SIZE):
        app.view.show("s1", short_conversation())
        await rendered(app.view)
        assert app.view.render_job is None and not app.view.is_rendering


async def test_selected_text_can_be_copied() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        view.show("s1", short_conversation())
        await rendered(view)
        pane = view.pane
        app.screen.selections = {pane: Selection.from_offsets(Offset(2, 1), Offset(6, 4))}
        await pilot.pause()
        assert app.screen.get_selected_text() == "What broke checkout?\n\n◆ Traversal\nFindin"
        strip = pane.render_line(1)
        selected = [segment for segment in strip if "What" in segment.text]
        assert selected and selected[0].style is not None and selected[0].style.bgcolor
