"""Sort orders and the filter of the session list, as pure functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from tui.api.models import Session, SessionStatus

WallClock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


_STATUS_RANK = {
    SessionStatus.RUNNING: 0,
    SessionStatus.FOLLOW_UP_RUNNING: 0,
    SessionStatus.FAILED: 1,
    SessionStatus.IDLE: 2,
}


def _status_rank(status: str) -> int:
    return _STATUS_RANK[SessionStatus(status)] if status in _STATUS_RANK else 3


@dataclass(frozen=True)
class SortOrder:
    name: str
    label: str


SORT_ORDERS = (
    SortOrder("newest", "newest first"),
    SortOrder("active", "running first"),
    SortOrder("updated", "recently updated"),
    SortOrder("title", "title A-Z"),
)


def next_sort_order(current: SortOrder) -> SortOrder:
    index = SORT_ORDERS.index(current)
    return SORT_ORDERS[(index + 1) % len(SORT_ORDERS)]


def _timestamp(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def sort_sessions(sessions: Iterable[Session], order: SortOrder) -> list[Session]:
    """The sessions in ``order``; ties broken by newest first, then id, so it is stable."""
    by_newest = sorted(sessions, key=lambda s: (-_timestamp(s.created_at), s.id))
    if order.name == "active":
        return sorted(by_newest, key=lambda s: _status_rank(s.status))
    if order.name == "updated":
        return sorted(by_newest, key=lambda s: -_timestamp(s.updated_at or s.created_at))
    if order.name == "title":
        return sorted(by_newest, key=lambda s: s.display_title.casefold())
    return by_newest


def matches_filter(session: Session, text: str) -> bool:
    """True when every word of ``text`` appears in the title, input, status or id."""
    words = text.casefold().split()
    if not words:
        return True
    haystack = " ".join(
        (session.display_title, session.input, session.status, session.id)
    ).casefold()
    return all(word in haystack for word in words)


def age(moment: datetime, now: datetime) -> str:
    """``45s``, ``12m``, ``3h``, ``2d``: how long ago, compactly."""
    seconds = max(0, int(now.timestamp() - _timestamp(moment)))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"
