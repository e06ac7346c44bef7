"""The dashboard: composes the panes, runs the poll, and turns API outcomes into screens."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal
from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, TextArea
from textual.worker import Worker, WorkerState

from tui.api.errors import (
    ApiError,
    Conflict,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
)
from tui.api.models import Session, SessionStatus
from tui.core.export import export_session, latest_answer
from tui.core.ordering import WallClock, utc_now
from tui.core.polling import PollBackoff
from tui.keys import APP_BINDINGS, app_bindings
from tui.resources import stylesheet_paths
from tui.screens.dialogs import ConfirmScreen, HelpScreen, TooSmallScreen, WatchSessionScreen
from tui.screens.new_investigation import (
    FormDraft,
    InvestigationForm,
    NewInvestigationScreen,
    SubmitOutcome,
)
from tui.widgets.countdown import Clock, CountdownRack, CountdownSpec
from tui.widgets.detail import DetailPane
from tui.widgets.followup import FollowUpBox, FollowUpInput
from tui.widgets.session_list import SessionListPane
from tui.widgets.topbar import TopBar
from tui.wording import HELP_INTRO, describe_problem, unsure_follow_up
from tui.workspace import NewInvestigation, Workspace

MIN_WIDTH = 80
MIN_HEIGHT = 24


@dataclass(frozen=True)
class AppOptions:
    """How the app was started: where it is connected and how it presents itself."""

    endpoint_label: str
    demo: bool = False
    poll_interval: float = 5.0
    export_dir: Path | None = None
    #: The wall clock for ages and times on screen (fixed in snapshot tests).
    wall_clock: WallClock = utc_now
    #: Freeze the start-up objects out of the garbage collector's full passes, which
    #: otherwise stall the event loop for tens of milliseconds (the real app only).
    freeze_gc: bool = False


class TraversalApp(App[None]):
    """Keyboard-first dashboard for Traversal investigations."""

    TITLE = "Traversal"
    CSS_PATH: ClassVar[list[str | PurePath]] = stylesheet_paths()
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = APP_BINDINGS

    def __init__(
        self,
        workspace: Workspace,
        options: AppOptions,
        *,
        clock: Clock = time.monotonic,
        keymap: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.options = options
        self._clock = clock
        self._keymap = keymap or {}
        self._backoff = PollBackoff(options.poll_interval)
        self._poll_timer: Timer | None = None
        self._poll_again = False
        self._form_draft: FormDraft | None = None
        #: Sessions whose typed question goes out by itself when the wait is over.
        self._held: set[str] = set()
        self._sending: set[str] = set()
        self._told_member_mode = False
        self._problem: str = ""

    # -- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Kept as attributes: App.query_one looks at the active screen, which is a
        # dialog while one is open, and timers and workers still finish then.
        self.top_bar = TopBar(demo=self.options.demo, id="top-bar")
        self.problem_bar = Static("", id="problem", markup=False)
        self.list_pane = SessionListPane(self.options.wall_clock, id="list-pane")
        self.detail = DetailPane(self.options.wall_clock, id="detail")
        self.countdowns = CountdownRack(self._clock, id="countdowns")
        yield self.top_bar
        yield self.problem_bar
        with Horizontal(id="main"):
            yield self.list_pane
            yield self.detail
        yield self.countdowns
        yield Footer()

    def on_mount(self) -> None:
        if self._keymap:
            self.set_keymap(self._keymap)
        self.top_bar.endpoint = self.options.endpoint_label
        self.problem_bar.display = False
        self._check_size()
        self.list_pane.table.focus()
        self._resume_submissions()
        self._start_poll()
        if self.options.freeze_gc:
            self.call_after_refresh(_freeze_startup_objects)
        self.set_interval(15, self._refresh_ages, name="ages")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Where ``/`` and ``f`` apply.

        They are priority bindings, run as the key arrives, so the focus has
        moved before the keys typed right behind them (a fast typist's
        "/twilio") are delivered. Being priority, they must step aside
        wherever text is typed, in dialogs, and (for ``/``) in the answer,
        whose own ``/`` finds in it.
        """
        if action in ("filter", "focus_follow_up"):
            if len(self.screen_stack) > 1:
                return False
            focused = self.focused
            if isinstance(focused, Input | TextArea):
                return False
            if (
                action == "filter"
                and focused is not None
                and (
                    focused is self.detail.conversation
                    or self.detail.conversation in focused.ancestors
                )
            ):
                return False
        return True

    def _refresh_ages(self) -> None:
        self.list_pane.refresh_ages()
        self.detail.refresh_ages()

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size | None = None) -> None:
        """Below the minimum, a notice screen takes every key but q until it grows again."""
        size = size or self.size
        too_small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        notice = self.screen if isinstance(self.screen, TooSmallScreen) else None
        if too_small and notice is None:
            self.push_screen(TooSmallScreen(size, MIN_WIDTH, MIN_HEIGHT))
        elif too_small and notice is not None:
            notice.size_now = size
        elif notice is not None:
            self.pop_screen()

    # -- polling ---------------------------------------------------------------

    def _start_poll(self) -> None:
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None
        self.top_bar.poll_state = "refreshing…"
        self._poll()

    @work(exclusive=True, group="poll", exit_on_error=False)
    async def _poll(self) -> None:
        try:
            result = await self.workspace.poll()
        finally:
            self._poll_timer = None
        if result.became_member_mode and not self._told_member_mode:
            self._told_member_mode = True
            self.notify(
                "This key may not list the organisation's sessions (member role), so the list "
                "shows the sessions started or watched from this dashboard. Press a to watch one.",
                title="Showing your sessions",
                timeout=10,
                markup=False,
            )
        self.list_pane.update_sessions(result.sessions)
        for session_id in result.vanished:
            self.list_pane.remove_session(session_id)
        self._after_poll(result.problem)
        for session in result.sessions:
            self._on_status(session)
        open_id = self.detail.session_id
        if open_id is not None:
            fresh = {s.id: s for s in result.sessions}.get(open_id)
            if self._needs_fetch(fresh):
                await self._load_detail(open_id)

    def _after_poll(self, problem: ApiError | None) -> None:
        if problem is None:
            self._backoff.record_success()
        else:
            self._backoff.record_failure()
        delay = self._backoff.next_delay()
        self.list_pane.set_empty_hint(
            "No sessions yet. Press n to start an investigation."
            if problem is None
            else "Could not load the sessions: see the message above."
        )
        if problem is None:
            self._show_problem("")
            state = f"updated {self.options.wall_clock():%H:%M:%S} UTC"
        else:
            self._show_problem(f"{describe_problem(problem)} Retrying in {delay:.0f} s.")
            state = "connection problem"
        self.top_bar.poll_state = state
        if self._poll_again:  # "refresh" was pressed during this poll: go again now
            self._poll_again = False
            self.call_later(self._start_poll)
            return
        self._poll_timer = self.set_timer(delay, self._start_poll, name="poll")

    def _needs_fetch(self, summary: Session | None) -> bool:
        current = self.detail.session
        if current is None or current.messages is None:
            return True
        if summary is None:
            return current.status not in (SessionStatus.IDLE, SessionStatus.FAILED)
        return summary.status != current.status or summary.updated_at != current.updated_at

    def _on_status(self, session: Session) -> None:
        """A held follow-up goes out once its session is idle and no wait is running."""
        if session.is_idle and not self.countdowns.remaining(f"follow-up:{session.id}"):
            self._send_held(session.id)

    def _send_held(self, session_id: str) -> None:
        if session_id not in self._held or session_id in self._sending:
            return
        text = self._draft_text(session_id)
        if text.strip():
            self._send_follow_up(session_id, text)
        else:
            self._held.discard(session_id)

    def _show_problem(self, text: str) -> None:
        if text == self._problem:
            return
        self._problem = text
        self.problem_bar.display = bool(text)
        self.problem_bar.update(text)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place background failures are reported; a poll failure also reschedules."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if event.worker.group == "poll":
            self._after_poll(error if isinstance(error, ApiError) else None)
            if not isinstance(error, ApiError):
                self.notify(f"Refresh failed: {error!r}", severity="error", markup=False)
            return
        message = describe_problem(error) if isinstance(error, ApiError) else repr(error)
        self.notify(message, title="Something went wrong", severity="error", markup=False)

    # -- opening a session -----------------------------------------------------

    @on(SessionListPane.Opened)
    def _opened(self, event: SessionListPane.Opened) -> None:
        self.open_session(event.session_id)

    def open_session(self, session_id: str) -> None:
        detail = self.detail
        if detail.session_id == session_id:
            self._load_detail_worker(session_id)
            return
        self._flush_draft()
        detail.open(session_id, self.list_pane.sessions.get(session_id))
        detail.follow_up.set_text(self._draft_text(session_id))
        self._update_follow_up_note()
        self._load_detail_worker(session_id)

    @work(exclusive=True, group="detail", exit_on_error=False)
    async def _load_detail_worker(self, session_id: str) -> None:
        await self._load_detail(session_id)

    async def _load_detail(self, session_id: str) -> None:
        try:
            session = await self.workspace.fetch(session_id)
        except NotFound:
            if self.detail.session_id == session_id:
                self.detail.show_nothing(
                    "This session no longer exists in this organisation (404)."
                )
            self.list_pane.remove_session(session_id)
            return
        if self.detail.session_id != session_id:
            return  # the person opened another session meanwhile: drop this result
        self.detail.show(session)
        self.list_pane.update_sessions([session.model_copy(update={"messages": None})])
        self._on_status(session)

    # -- follow-ups ------------------------------------------------------------

    def _draft_text(self, session_id: str) -> str:
        return self.workspace.store.draft(self.workspace.profile, session_id) or ""

    @on(FollowUpBox.DraftChanged)
    def _draft_changed(self) -> None:
        # Saved on every change (one small SQLite transaction): a kill loses nothing typed.
        self._flush_draft()

    def _flush_draft(self) -> None:
        session_id = self.detail.session_id
        if session_id is not None:
            text = self.detail.follow_up.text
            if text != self._draft_text(session_id):
                self.workspace.store.save_draft(self.workspace.profile, session_id, text)

    @on(FollowUpBox.Send)
    def _send_requested(self, event: FollowUpBox.Send) -> None:
        session = self.detail.session
        text = event.text
        if session is None:
            self.bell()
            return
        if not text.strip():
            self.notify("Type a question first.", severity="warning", markup=False)
            return
        self._flush_draft()
        purpose = f"follow-up:{session.id}"
        if self.countdowns.remaining(purpose) or session.status in (
            SessionStatus.RUNNING,
            SessionStatus.FOLLOW_UP_RUNNING,
        ):
            self._held ^= {session.id}
            self._update_follow_up_note()
            return
        if session.status == SessionStatus.FAILED:
            self.notify(
                "This investigation failed, so it cannot take follow-ups. Press x to start it "
                "again as a new investigation; your question stays in the box.",
                severity="warning",
                markup=False,
            )
            return
        self._send_follow_up(session.id, text)

    def _update_follow_up_note(self) -> None:
        session_id = self.detail.session_id
        note = ""
        if session_id and session_id in self._held:
            note = "⏳ Will send by itself when the session is free. ctrl+s again to cancel."
        elif session_id and self.countdowns.remaining(f"follow-up:{session_id}"):
            note = "Not sent yet: ctrl+s to send it by itself when the wait ends."
        self.detail.follow_up.note = note

    @work(group="follow-up", exit_on_error=False)
    async def _send_follow_up(self, session_id: str, text: str) -> None:
        box = self.detail.follow_up
        if self.detail.session_id == session_id:
            box.lock_reason = "Sending…"
        before = self.detail.session if self.detail.session_id == session_id else None
        self._sending.add(session_id)
        try:
            response = await self.workspace.send_follow_up(session_id, text, before)
        except (Conflict, RateLimited) as error:
            self._start_wait(session_id, error)  # a held question stays held
            self._restore_lock(session_id)
            return
        except ApiError as error:
            self._held.discard(session_id)
            self.notify(
                f"{describe_problem(error)} {unsure_follow_up(error)}",
                title="Follow-up not sent",
                severity="error",
                markup=False,
            )
            self._restore_lock(session_id)
            return
        finally:
            self._sending.discard(session_id)
        self._held.discard(session_id)
        self.countdowns.cancel(f"follow-up:{session_id}")
        if self.detail.session_id == session_id:
            if box.text == text:
                box.set_text("")
            self._update_follow_up_note()
        summary = Session.model_validate(response.model_dump(exclude={"messages"}))
        self.list_pane.update_sessions([summary])
        await self._load_detail(session_id)

    def _restore_lock(self, session_id: str) -> None:
        if self.detail.session_id == session_id and self.detail.session is not None:
            self.detail.show(self.detail.session)
            self._update_follow_up_note()

    def _start_wait(self, session_id: str, error: Conflict | RateLimited) -> None:
        if isinstance(error, Conflict) and error.session_failed:
            self.notify(error.message, title="Session failed", severity="error", markup=False)
            return
        title = (
            "Session busy (409): not sent"
            if isinstance(error, Conflict)
            else "At the limit of running investigations (429)"
        )
        self.countdowns.start(
            CountdownSpec(
                title=title,
                message=f"{error.message} Your question is kept in the box.",
                seconds=error.retry_after,
                purpose=f"follow-up:{session_id}",
            )
        )

    @on(CountdownRack.Expired)
    def _countdown_over(self, event: CountdownRack.Expired) -> None:
        purpose = event.spec.purpose
        if purpose.startswith("follow-up:"):
            session_id = purpose.removeprefix("follow-up:")
            self._send_held(session_id)
            self._update_follow_up_note()
        elif purpose == "create" and isinstance(self.screen, NewInvestigationScreen):
            self.screen.wait_over()

    @on(FollowUpInput.Left)
    def _leave_follow_up(self) -> None:
        self.list_pane.table.focus()

    # -- new investigations ----------------------------------------------------

    def action_new_investigation(self) -> None:
        self._open_form(self._form_draft, heading="New investigation", keep_draft=True)

    def action_rerun(self) -> None:
        session = self.detail.session or self._highlighted_session()
        if session is None or session.status != SessionStatus.FAILED:
            self.notify("Open a failed investigation to re-run it.", markup=False)
            return
        self._open_form(
            FormDraft(description=session.input, title=session.title or ""),
            heading="Re-run as a new investigation",
        )

    def _open_form(
        self, draft: FormDraft | None, *, heading: str, keep_draft: bool = False
    ) -> None:
        if any(isinstance(screen, NewInvestigationScreen) for screen in self.screen_stack):
            return  # one form at a time, however fast n is pressed

        def closed(result: FormDraft | None) -> None:
            if keep_draft or result is None:  # a re-run's draft is not the next new one
                self._form_draft = result
            self.countdowns.cancel("create")

        self.push_screen(
            NewInvestigationScreen(
                self.submit_investigation,
                draft,
                heading=heading,
                wait_left=lambda: self.countdowns.remaining("create"),
            ),
            closed,
        )

    async def submit_investigation(self, form: InvestigationForm) -> SubmitOutcome:
        """Create it (shielded: closing the form never cancels a POST half-way)."""
        investigation = NewInvestigation(
            description=form.description,
            title=form.title,
            time=form.time,
            reference=form.reference,
            thinking_mode=form.thinking_mode,
        )
        try:
            result = await asyncio.shield(self.workspace.create(investigation))
        except RateLimited as error:
            self.countdowns.start(
                CountdownSpec(
                    title="At the limit of running investigations (429)",
                    message=f"{error.message} Your form is kept as typed.",
                    seconds=error.retry_after,
                    purpose="create",
                )
            )
            return SubmitOutcome(
                False,
                f"Not started: the organisation is at its limit of running work ({error.message}).",
                retry_after=error.retry_after,
            )
        except (NetworkError, ServerError) as error:
            return SubmitOutcome(
                False,
                f"{describe_problem(error)} It may or may not have started; press ctrl+s to "
                "retry safely (the same request cannot create a second investigation).",
            )
        except ApiError as error:
            return SubmitOutcome(False, describe_problem(error))
        session = result.session
        self._form_draft = None
        self.countdowns.cancel("create")
        self.list_pane.update_sessions([session])
        self.list_pane.select(session.id)
        self.open_session(session.id)
        if not result.created:
            self.notify(
                "An investigation with the same reference already exists; opened it instead.",
                title="Already started",
                markup=False,
            )
        return SubmitOutcome(True)

    @work(group="resume", exit_on_error=False)
    async def _resume_submissions(self) -> None:
        results = await self.workspace.resume_pending()
        if results:
            self.list_pane.update_sessions([r.session for r in results])
            self.notify(
                f"Finished starting {len(results)} investigation(s) left open by the last run.",
                markup=False,
            )

    # -- other actions -----------------------------------------------------------

    def _highlighted_session(self) -> Session | None:
        session_id = self.list_pane.highlighted_id
        return self.list_pane.sessions.get(session_id) if session_id else None

    def action_filter(self) -> None:
        self.list_pane.open_filter()

    def action_cycle_sort(self) -> None:
        order = self.list_pane.cycle_sort()
        self.notify(f"Sorted: {order.label}", timeout=2, markup=False)

    def action_refresh(self) -> None:
        if self.workers and any(w.group == "poll" and w.is_running for w in self.workers):
            self._poll_again = True
        else:
            self._start_poll()
        if self.detail.session_id:
            self._load_detail_worker(self.detail.session_id)

    def action_focus_follow_up(self) -> None:
        if self.detail.session_id is None:
            highlighted = self.list_pane.highlighted_id
            if highlighted is None:
                self.notify("Open a session first (enter on the list).", markup=False)
                return
            self.open_session(highlighted)  # f on a row opens it and goes to its box
        self.screen.set_focus(self.detail.follow_up.input)

    def action_watch(self) -> None:
        def chosen(session_id: str | None) -> None:
            if session_id:
                self._watch(session_id)

        self.push_screen(WatchSessionScreen(), chosen)

    @work(group="watch", exit_on_error=False)
    async def _watch(self, session_id: str) -> None:
        try:
            session = await self.workspace.watch(session_id)
        except NotFound:
            self.notify(
                "No session with that id in this organisation.", severity="error", markup=False
            )
            return
        self.list_pane.update_sessions([session.model_copy(update={"messages": None})])
        self.list_pane.select(session.id)
        self.notify(f"Watching: {session.display_title}", markup=False)

    def action_unwatch(self) -> None:
        session = self._highlighted_session()
        if session is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self.workspace.unwatch(session.id)
            self.list_pane.remove_session(session.id)
            if self.detail.session_id == session.id:
                self.detail.show_nothing(
                    "Stopped watching that session. Press a to watch it again."
                )

        self.push_screen(
            ConfirmScreen(f"Stop watching “{session.display_title}”?\n(a brings it back by id)"),
            answered,
        )

    def action_export(self) -> None:
        session = self.detail.session
        if session is None or session.messages is None:
            self.notify("Open a session first.", markup=False)
            return
        folder = self.options.export_dir or Path.cwd()
        try:
            path = export_session(session, folder)
        except OSError as error:
            self.notify(
                f"Could not write the export: {error.strerror}.", severity="error", markup=False
            )
            return
        self.notify(f"Exported to {path}", markup=False)

    def action_copy_answer(self) -> None:
        session = self.detail.session
        answer = latest_answer(session) if session else None
        if answer is None:
            self.notify("No answer to copy yet.", markup=False)
            return
        self.copy_to_clipboard(answer)
        self.notify(f"Copied the latest answer ({len(answer):,} characters).", markup=False)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self._help_rows(), HELP_INTRO))

    def _help_rows(self) -> Iterable[tuple[str, str]]:
        rows = [
            (self.get_key_display(b), f"{b.tooltip or b.description}  [{b.id}]")
            for b in app_bindings()
        ]
        rows += [
            ("enter", "Open the selected session"),
            ("ctrl+s", "Send the follow-up / submit a form"),
            ("ctrl+j", "New line in the follow-up box"),
            ("escape", "Close a form or dialog; leave the follow-up box"),
            ("tab", "Move between the list, the answer and the follow-up box"),
            ("", "In the answer:"),
            ("↑ ↓ pgup pgdn", "Scroll (also space and b); home / end: top / bottom"),
            ("/", "Find in the answer; enter / F3 next match, shift+F3 previous"),
            ("o", "Outline: the answer's headings, to jump to one"),
            ("] [", "Next / previous heading"),
        ]
        return rows

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in app_bindings():
            if binding.id in ("command-palette", "quit", "help"):
                continue
            yield SystemCommand(binding.description, binding.tooltip, _runner(self, binding.action))
        yield SystemCommand("Help", "Show every key", self.action_help)

    async def action_quit(self) -> None:
        self._flush_draft()
        self.exit()

    async def on_unmount(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.workspace.client.aclose(), timeout=0.5)


def _freeze_startup_objects() -> None:
    gc.collect()
    gc.freeze()


def _runner(app: App[None], action: str) -> Callable[[], Awaitable[object]]:
    async def run() -> object:
        return await app.run_action(action)

    return run
