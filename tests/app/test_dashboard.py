"""The dashboard end to end against the emulator over real HTTP."""

from __future__ import annotations

import time
from typing import Any

import pytest
from textual import events
from textual.message import Message

from tests.conftest import MEMBER_KEY, EmulatorFactory
from tui.emulator.server import EmbeddedEmulator
from tui.screens.dialogs import TooSmallScreen
from tui.widgets.conversation import ConversationView
from tui.widgets.followup import FollowUpBox

from .conftest import AppFactory, wait_until
from .helpers import advance, api, create, create_finished, row_text, rows, stats


async def test_list_shows_every_session_with_status_words(
    demo_emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 8, what="8 rows")
        words = {row_text(app, sid).split()[1] for sid in rows(app)}
        assert words <= {"running", "follow-up", "idle", "failed"}
        assert {"running", "idle", "failed"} <= words


async def test_highlight_survives_new_rows_and_reordering(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    first = create(emulator, "checkout-service 500s after deploy")
    second = create(emulator, "payments-db connection pool exhausted")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 2, what="2 rows")
        app.list_pane.select(first["id"])
        await pilot.pause()
        assert app.list_pane.highlighted_id == first["id"]
        for n in range(3):
            create(emulator, f"new incident {n} on search-api")
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 5, what="5 rows")
        assert app.list_pane.highlighted_id == first["id"]
        await pilot.press("s")  # running first
        await pilot.press("s")  # recently updated
        await pilot.press("s")  # title A-Z
        await pilot.pause()
        titles = [app.list_pane.sessions[sid].display_title.casefold() for sid in rows(app)]
        assert titles == sorted(titles)
        assert app.list_pane.highlighted_id == first["id"]
        assert second["id"] in rows(app)


async def test_polls_never_overlap_on_a_slow_server(
    emulator_factory: EmulatorFactory, make_app: AppFactory
) -> None:
    slow = emulator_factory(faults="latency=0.6,only=list")
    app = make_app(slow, poll_interval=0.1)
    in_flight = 0
    most = 0
    real_list = app.workspace.client.list_sessions

    async def counting_list(**kwargs: Any) -> Any:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            return await real_list(**kwargs)
        finally:
            in_flight -= 1

    app.workspace.client.list_sessions = counting_list  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: _list_calls(slow) >= 4, seconds=30, what="4 polls")
        await pilot.press("r", "r", "r")  # refreshing during a slow poll queues one, no more
        await wait_until(pilot, lambda: _list_calls(slow) >= 6, seconds=30, what="6 polls")
    # Polls every 0.1 s against 0.6 s answers: overlapping polls would stack up here.
    assert most == 1


def _list_calls(emulator: EmbeddedEmulator) -> int:
    return stats(emulator).get("GET /v1/sessions", 0)


async def test_open_session_renders_findings_and_identical_poll_changes_nothing(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    created = create(emulator, "checkout-service returning 500 since 14:30 after deploy v2.3.1")
    advance(emulator, 3600 * 0.9)
    app = make_app(emulator, poll_interval=0.2)
    rendered: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, ConversationView.Rendered):
            rendered.append(message.key)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 1)
        app.list_pane.select(created["id"])
        await pilot.press("enter")
        view = app.query_one(ConversationView)
        await wait_until(
            pilot,
            lambda: (
                app.detail.session is not None
                and app.detail.session.messages is not None
                and len(app.detail.session.messages) >= 2
            ),
            what="the findings",
        )
        session = app.detail.session
        assert session is not None and session.status in ("idle", "failed")
        await wait_until(pilot, lambda: view.rendered_key == created["id"], what="the render")
        renders = len(rendered)
        await pilot.press("pagedown")
        scroll = view.pane.scroll_offset
        polls_before = _list_calls(emulator)
        await wait_until(pilot, lambda: _list_calls(emulator) >= polls_before + 3, what="3 polls")
        assert len(rendered) == renders
        assert view.render_job is None
        assert view.pane.scroll_offset == scroll


async def test_follow_up_box_locks_keeps_focus_and_text_and_never_leaks_keys(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    created = create(emulator, "search-api latency spike")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.detail.session is not None)
        box = app.query_one(FollowUpBox)
        assert box.lock_reason is not None and "investigating" in box.lock_reason
        await pilot.press("f")
        assert box.input.has_focus
        await pilot.press(*"quick question")
        await pilot.pause()
        assert app.is_running  # 'q' did not quit
        assert box.text == ""  # typing was ignored while locked
        assert box.input.has_focus
        advance(emulator, 3600)
        await wait_until(
            pilot,
            lambda: box.lock_reason is None or "failed" in box.lock_reason,
            what="the session to finish",
        )
        assert created["id"] == app.detail.session_id


async def test_typed_text_survives_lock_mid_typing(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    created = create(emulator, "orders-api memory leak, OOMKilled pods", thinking_mode="fast")
    advance(emulator, 3600 * 0.9)
    app = make_app(emulator, poll_interval=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 1)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                app.detail.session is not None and app.detail.session.status in ("idle", "failed")
            ),
        )
        if app.detail.session is None or app.detail.session.status == "failed":
            pytest.skip("seeded run failed this investigation")
        box = app.query_one(FollowUpBox)
        await pilot.press("f", *"why did")
        # Someone else asks a follow-up meanwhile: the session becomes busy.
        with api(emulator) as http:
            assert (
                http.post(
                    f"/v1/sessions/{created['id']}/messages", json={"input": "other responder"}
                ).status_code
                == 202
            )
        await wait_until(pilot, lambda: box.lock_reason is not None, what="the lock")
        await pilot.press(*" it leak? q")
        await pilot.pause()
        assert app.is_running
        assert box.text == "why did"
        assert box.input.has_focus


async def test_member_key_still_shows_sessions_created_here(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    create(emulator, "someone else's incident")
    app = make_app(emulator, key=MEMBER_KEY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.workspace.can_list is False, what="the 403")
        assert app.list_pane.table.row_count == 0
        await pilot.press("n")
        await pilot.press(*"billing-api 502s")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 1, what="the new row")
        assert app.detail.session_id == app.list_pane.highlighted_id


async def test_quit_is_prompt_with_requests_in_flight(
    emulator_factory: EmulatorFactory, make_app: AppFactory
) -> None:
    slow = emulator_factory(faults="latency=5")
    app = make_app(slow)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        started = time.monotonic()
        assert any(w.group == "poll" and w.is_running for w in app.workers)
        await pilot.press("q")
    assert time.monotonic() - started < 1.0
    assert not app.is_running


@pytest.mark.parametrize("size", [(79, 24), (80, 23), (40, 10), (1, 1)])
async def test_too_small_terminal_shows_a_notice_and_takes_no_keys(
    emulator: EmbeddedEmulator, make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        notice = str(app.screen.query_one("#too-small").render())
        assert f"{size[0]}×{size[1]}" in notice
        await pilot.press("n", "x", "d", "slash", "s", "question_mark")
        assert isinstance(app.screen, TooSmallScreen)  # nothing opened behind the notice
        assert app.list_pane.filter_text == ""
        await pilot.resize_terminal(120, 40)
        await wait_until(pilot, lambda: not isinstance(app.screen, TooSmallScreen))
        assert len(app.screen_stack) == 1
        await pilot.resize_terminal(*size)
        await wait_until(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        await pilot.press("q")
    assert not app.is_running


async def test_notice_follows_each_resize_at_once(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        for width, height in ((79, 23), (40, 10), (1, 1), (120, 40), (80, 24), (79, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            too_small = width < 80 or height < 24
            assert isinstance(app.screen, TooSmallScreen) is too_small, (width, height)
            if too_small:
                assert f"{width}×{height}" in str(app.screen.query_one("#too-small").render())


async def test_minimum_size_has_every_pane(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        for selector in ("#list-pane", "#detail", "#follow-up", "Footer"):
            widget = app.query_one(selector)
            assert widget.region.width > 0 and widget.region.height > 0, selector


async def test_line_breaks_keep_their_place_in_a_burst(
    emulator: EmbeddedEmulator, make_app: AppFactory
) -> None:
    create_finished(emulator, "billing 500s")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.list_pane.table.row_count == 1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.detail.follow_up.lock_reason is None)
        await pilot.press("f")
        for key in ("a", "a", "ctrl+j", "b", "b", "ctrl+j", "c"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        box = app.detail.follow_up
        await wait_until(pilot, lambda: box.text.endswith("c"), what="the typing")
        assert box.text == "aa\nbb\nc"
