"""The session list pane: a table updated in place by session id, with a filter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowDoesNotExist

from tui.api.models import Session
from tui.core.ordering import (
    SORT_ORDERS,
    SortOrder,
    WallClock,
    age,
    matches_filter,
    next_sort_order,
    sort_sessions,
    utc_now,
)
from tui.core.status import status_label

TITLE_WIDTH = 60


class KeyedText(Text):
    """Cell text that remembers which session it belongs to (DataTable sorts by cell values)."""

    session_id: str = ""


class SessionTable(DataTable[Text]):
    """The table; single-letter app keys still work while it has focus."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="open-session", tooltip="Open the session"),
    ]


class SessionListPane(Vertical):
    """All sessions this dashboard knows, newest first by default."""

    class Opened(Message):
        """The user chose a session to open."""

        def __init__(self, session_id: str) -> None:
            self.session_id = session_id
            super().__init__()

    BINDINGS = [
        Binding("escape", "close_filter", "Clear filter", show=False, id="close-filter"),
    ]

    list_order: reactive[SortOrder] = reactive(SORT_ORDERS[0])
    filter_text: reactive[str] = reactive("")

    def __init__(self, wall_clock: WallClock = utc_now, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._sessions: dict[str, Session] = {}
        self._now = wall_clock
        self.empty_hint = "Loading sessions…"
        # Held, not queried: poll results may arrive while the app is closing.
        self._heading = Static("", id="list-heading", markup=False)
        self._filter = Input(placeholder="Filter sessions (escape clears)", id="list-filter")
        self._filter.display = False
        self.table = SessionTable(id="session-table", cursor_type="row", zebra_stripes=True)
        self.table.add_column("Status", key="status", width=12)
        self.table.add_column("Age", key="age", width=4)
        self.table.add_column("Title", key="title")
        self._empty = Static("", id="list-empty", markup=False)

    def compose(self) -> ComposeResult:
        yield self._heading
        yield self._filter
        yield self.table
        yield self._empty

    def on_mount(self) -> None:
        self._refresh_heading()
        self._render_rows()

    @property
    def sessions(self) -> dict[str, Session]:
        return dict(self._sessions)

    @property
    def highlighted_id(self) -> str | None:
        """The id under the cursor, or None when the table is empty."""
        table = self.table
        if not table.row_count:
            return None
        try:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        except Exception:
            return None
        return row_key.value

    def update_sessions(self, sessions: Iterable[Session]) -> None:
        """Merge fresh sessions by id and update the rows in place."""
        changed = False
        for session in sessions:
            if self._sessions.get(session.id) != session:
                self._sessions[session.id] = session
                changed = True
        if changed:
            self._render_rows()

    def remove_session(self, session_id: str) -> None:
        if self._sessions.pop(session_id, None) is not None:
            self._render_rows()

    def refresh_ages(self) -> None:
        """Re-render the age column (called on a timer; cheap, in place)."""
        now = self._now()
        table = self.table
        for row_key in list(table.rows):
            session = self._sessions.get(str(row_key.value))
            if session is not None:
                table.update_cell(row_key, "age", Text(age(session.created_at, now)))

    def select(self, session_id: str) -> None:
        """Move the cursor to ``session_id`` (clearing a filter that hides it)."""
        if session_id in self._sessions and not matches_filter(
            self._sessions[session_id], self.filter_text
        ):
            self._filter.value = ""
        self._move_cursor_to(session_id)

    def cycle_sort(self) -> SortOrder:
        self.list_order = next_sort_order(self.list_order)
        return self.list_order

    def open_filter(self) -> None:
        self._filter.display = True
        self.screen.set_focus(self._filter)  # at once: keys typed right after "/" land here

    def action_close_filter(self) -> None:
        self._filter.value = ""
        self._filter.display = False
        self.table.focus()

    def watch_list_order(self) -> None:
        self._refresh_heading()
        self._render_rows()

    def watch_filter_text(self) -> None:
        self._render_rows()

    @on(Input.Changed, "#list-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#list-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    @on(DataTable.RowSelected, "#session-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(event.row_key.value))

    def _refresh_heading(self) -> None:
        self._heading.update(f"Sessions · {self.list_order.label}")

    def _render_rows(self) -> None:
        """Bring the table to the wanted rows and order without clearing it."""
        table = self.table
        keep = self.highlighted_id
        wanted = [
            s
            for s in sort_sessions(self._sessions.values(), self.list_order)
            if matches_filter(s, self.filter_text)
        ]
        wanted_ids = {s.id for s in wanted}
        for row_key in list(table.rows):
            if row_key.value not in wanted_ids:
                table.remove_row(row_key)
        now = self._now()
        for session in wanted:
            cells = _cells(session, now)
            if session.id in table.rows:
                for column, cell in zip(("status", "age", "title"), cells, strict=True):
                    if table.get_cell(session.id, column) != cell:
                        table.update_cell(session.id, column, cell)
            else:
                table.add_row(*cells, key=session.id)
        rank = {s.id: index for index, s in enumerate(wanted)}
        if row_ids(table) != [s.id for s in wanted]:
            table.sort("title", key=lambda cell: rank[cell.session_id])
        if keep is not None and keep in rank:
            self._move_cursor_to(keep)
        empty = self._empty
        empty.display = not wanted
        if not wanted:
            empty.update("No session matches the filter." if self._sessions else self.empty_hint)

    def set_empty_hint(self, hint: str) -> None:
        """What an empty list says: loading, nothing yet, or that loading failed."""
        if hint != self.empty_hint:
            self.empty_hint = hint
            self._render_rows()

    def _move_cursor_to(self, session_id: str) -> None:
        table = self.table
        try:
            index = table.get_row_index(session_id)
        except RowDoesNotExist:
            return
        if table.cursor_row != index:
            table.move_cursor(row=index, animate=False)


def row_ids(table: DataTable[Text]) -> list[str]:
    """The session ids of the rows, top to bottom."""
    return [
        str(table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value)
        for row in range(table.row_count)
    ]


def _cells(session: Session, now: datetime) -> tuple[Text, Text, KeyedText]:
    label = status_label(session.status)
    status = Text(label.text, style=f"status-{label.style_class}")
    title = KeyedText(_shorten(session.display_title, TITLE_WIDTH), no_wrap=True)
    title.session_id = session.id
    return status, Text(age(session.created_at, now)), title


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
