"""The new-investigation form (``n``), also used prefilled to re-run a failed one (``x``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, Select, Static, TextArea

from tui.api.models import ThinkingMode
from tui.core.incident_time import IncidentTimeError, describe_utc, parse_incident_time


@dataclass(frozen=True)
class InvestigationForm:
    """What the person typed, validated."""

    description: str
    title: str | None
    time: datetime | None
    reference: str | None
    thinking_mode: ThinkingMode


@dataclass(frozen=True)
class FormDraft:
    """The raw field texts, kept when the form is closed without submitting."""

    description: str = ""
    title: str = ""
    time: str = ""
    reference: str = ""
    thinking_mode: ThinkingMode = ThinkingMode.AUTO


@dataclass(frozen=True)
class SubmitOutcome:
    """What the app answers to a submission: done, or a message to show and keep the form."""

    done: bool
    message: str = ""
    #: Seconds the server asked to wait (429); ctrl+s during the wait submits at its end.
    retry_after: int | None = None


Submitter = Callable[[InvestigationForm], Awaitable[SubmitOutcome]]


class NewInvestigationScreen(ModalScreen[FormDraft | None]):
    """Dismisses with None on success, or with the draft when closed with escape."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            "Submit",
            id="submit-form",
            tooltip="Start the investigation",
        ),
        # Priority, so focus moves as the key arrives and the keys typed after it
        # land in the next field even when they come in one burst (a paste, a fast typist).
        Binding(
            "tab",
            "app.focus_next",
            "Next field",
            show=False,
            priority=True,
            id="form-next-field",
            tooltip="Next field",
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous field",
            show=False,
            priority=True,
            id="form-previous-field",
            tooltip="Previous field",
        ),
        Binding(
            "escape",
            "close",
            "Close",
            id="close-form",
            tooltip="Close the form; what you typed is kept for next time",
        ),
    ]

    def __init__(
        self,
        submit: Submitter,
        draft: FormDraft | None = None,
        *,
        heading: str = "",
        wait_left: Callable[[], int | None] = lambda: None,
    ) -> None:
        super().__init__()
        self._submit = submit
        self._wait_left = wait_left
        self._draft = draft or FormDraft()
        self._heading = heading or "New investigation"
        self._busy = False
        self._waiting = False
        self._submit_when_wait_ends = False
        self._wait_reason = ""
        self._wait_ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-body", can_focus=False):
            yield Static(self._heading, id="form-heading", markup=False)
            yield Label("What is happening? Service names, endpoints, alerts, error messages.")
            yield TextArea(
                self._draft.description, id="form-description", soft_wrap=True, tab_behavior="focus"
            )
            yield Label("Title (optional; generated when blank)")
            yield Input(
                self._draft.title,
                id="form-title",
                max_length=256,
                placeholder="e.g. Checkout 500s after deploy",
                select_on_focus=False,
            )
            yield Label(
                "When did the symptoms start? (now, 15m ago, 14:30 local, 2024-03-15T14:30Z)"
            )
            yield Input(
                self._draft.time,
                id="form-time",
                select_on_focus=False,
                placeholder="the single most important input",
            )
            yield Static("", id="form-time-echo", markup=False)
            with Horizontal(id="form-row"):
                with Vertical(id="form-reference-box"):
                    yield Label("Incident reference (optional, e.g. PagerDuty id)")
                    yield Input(
                        self._draft.reference,
                        id="form-reference",
                        max_length=120,
                        placeholder="same reference, same session",
                        select_on_focus=False,
                    )
                with Vertical(id="form-mode-box"):
                    yield Label("Thinking mode")
                    yield Select(
                        [
                            ("auto", ThinkingMode.AUTO),
                            ("deep: thorough root cause", ThinkingMode.DEEP),
                            ("fast: quick exploratory pass", ThinkingMode.FAST),
                        ],
                        value=self._draft.thinking_mode,
                        allow_blank=False,
                        id="form-mode",
                    )
            yield Static("", id="form-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        try:
            self.query_one("#form-description", TextArea).focus()
        except NoMatches:
            return  # the app is closing under us: nothing to show
        self._echo_time(self._draft.time)

    @property
    def draft(self) -> FormDraft:
        mode = self.query_one("#form-mode", Select).value
        return FormDraft(
            description=self.query_one("#form-description", TextArea).text,
            title=self.query_one("#form-title", Input).value,
            time=self.query_one("#form-time", Input).value,
            reference=self.query_one("#form-reference", Input).value,
            thinking_mode=mode if isinstance(mode, ThinkingMode) else ThinkingMode.AUTO,
        )

    def show_status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#form-status", Static)
        status.update(message)
        status.set_class(error, "-error")

    @on(Input.Changed, "#form-time")
    def _time_changed(self, event: Input.Changed) -> None:
        self._echo_time(event.value)

    def _echo_time(self, text: str) -> None:
        echo = self.query_one("#form-time-echo", Static)
        try:
            moment = parse_incident_time(text)
        except IncidentTimeError as error:
            echo.update(f"✖ {error}")
            echo.set_class(True, "-error")
            return
        echo.set_class(False, "-error")
        echo.update(
            f"= {describe_utc(moment)}" if moment else "No time given: results may be vaguer."
        )

    def validated(self) -> InvestigationForm | str:
        """The form's content, or a message saying what to fix."""
        draft = self.draft
        if not draft.description.strip():
            return "Describe the incident first: what is failing, where, since when."
        try:
            moment = parse_incident_time(draft.time)
        except IncidentTimeError as error:
            return str(error)
        return InvestigationForm(
            description=draft.description.strip(),
            title=draft.title.strip() or None,
            time=moment,
            reference=draft.reference.strip() or None,
            thinking_mode=draft.thinking_mode,
        )

    def action_submit(self) -> None:
        if self._busy:
            return
        if self._waiting:
            self._submit_when_wait_ends = not self._submit_when_wait_ends
            self._show_wait()
            return
        form = self.validated()
        if isinstance(form, str):
            self.show_status(form, error=True)
            self.app.bell()
            return
        self._busy = True
        self.show_status("Starting the investigation…")
        self._run_submit(form)

    @work(exclusive=True, group="submit-investigation", exit_on_error=False)
    async def _run_submit(self, form: InvestigationForm) -> None:
        try:
            outcome = await self._submit(form)
        finally:
            self._busy = False
        if outcome.done:
            self.dismiss(None)
            return
        self._waiting = outcome.retry_after is not None
        self._submit_when_wait_ends = False
        self._wait_reason = outcome.message
        if self._waiting:
            self._show_wait()
            if self._wait_ticker is None:
                self._wait_ticker = self.set_interval(1.0, self._show_wait, name="form-wait")
        else:
            self.show_status(outcome.message, error=True)

    def _show_wait(self) -> None:
        """The 429 wait, counting down in the form itself (the toast may be behind it)."""
        if not self._waiting:
            return
        left = self._wait_left()
        seconds = f"{left} s" if left is not None else "a moment"
        then = (
            "It will start by itself when the wait ends (ctrl+s to cancel that)."
            if self._submit_when_wait_ends
            else "Press ctrl+s to have it start by itself when the wait ends."
        )
        self.show_status(f"{self._wait_reason} Retry in {seconds}. {then}", error=True)

    def wait_over(self) -> None:
        """The 429 wait has ended: submit now if the person asked for that."""
        self._waiting = False
        if self._wait_ticker is not None:
            self._wait_ticker.stop()
            self._wait_ticker = None
        if self._submit_when_wait_ends:
            self._submit_when_wait_ends = False
            self.action_submit()
        else:
            self.show_status("The wait is over: press ctrl+s to start the investigation.")

    def action_close(self) -> None:
        self.dismiss(self.draft)
