"""The session engine: sessions, their state machine, limits and idempotency.

State moves on the emulator's clock, lazily: every call first settles the
work whose time has come, so what a request sees depends only on the clock
and on the requests before it, never on background timers.

``running`` -> ``idle`` (or ``failed``); ``idle`` -> ``follow_up_running`` ->
``idle`` (or ``failed``). Every random choice of a session (its id, message
ids, how long its work takes, whether it fails or hangs, the story its answers
tell) comes from a random source seeded by the emulator's seed and the
session's sequence number, drawn when the work starts. The same seed and the
same requests therefore give the same sessions.

A failure never writes an assistant message: a failed investigation keeps
only the user's input; a failed follow-up keeps its user message, and the
assistant message id announced in its 202 never appears. Work still running
one hour (of emulator time) after it started fails; a small share of work
hangs so that the timeout really happens.
"""

from __future__ import annotations

import math
import random
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tui.api.models import SessionStatus, ThinkingMode
from tui.emulator.clock import EmulatorClock, iso
from tui.emulator.findings import answer_follow_up, render_investigation
from tui.emulator.incident import suggest_title
from tui.emulator.story import Story, build_story

#: Work still running this long after it started fails (emulator seconds).
TIMEOUT_SECONDS = 3600.0
#: How long work takes, in emulator seconds, by thinking mode.
INVESTIGATION_SECONDS = {
    ThinkingMode.FAST: (20.0, 75.0),
    ThinkingMode.AUTO: (45.0, 180.0),
    ThinkingMode.DEEP: (120.0, 300.0),
}
FOLLOW_UP_SECONDS = {
    ThinkingMode.FAST: (6.0, 25.0),
    ThinkingMode.AUTO: (15.0, 60.0),
    ThinkingMode.DEEP: (45.0, 150.0),
}
#: Shares of work that fail when done, or hang until the timeout.
INVESTIGATION_FAILS, INVESTIGATION_HANGS = 0.06, 0.03
FOLLOW_UP_FAILS, FOLLOW_UP_HANGS = 0.04, 0.01
#: ``retry_after`` for a 429 when no running work will end soon (the API's default).
DEFAULT_RETRY_AFTER = 30
MAX_RETRY_AFTER = 60
#: ``retry_after`` while work is overdue (hanging): poll again at the vendor's pace.
OVERDUE_RETRY_AFTER = 5

ACTIVE = frozenset({SessionStatus.RUNNING, SessionStatus.FOLLOW_UP_RUNNING})


class Outcome(StrEnum):
    SUCCEED = "succeed"
    FAIL = "fail"
    HANG = "hang"


class EngineError(Exception):
    """A refusal the API reports with its error envelope."""

    status = 400

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class SessionNotFound(EngineError):
    status = 404

    def __init__(self) -> None:
        super().__init__("Session not found.")


class SessionBusy(EngineError):
    status = 409


class LimitReached(EngineError):
    status = 429


@dataclass(frozen=True)
class NewSession:
    """A validated ``POST /v1/sessions`` body."""

    input: str
    idempotency_key: str
    title: str | None = None
    time: datetime | None = None
    thinking_mode: ThinkingMode = ThinkingMode.AUTO


@dataclass
class MessageRecord:
    id: str
    role: str
    content: str
    created: float


@dataclass
class Work:
    """An investigation or follow-up in flight; everything about it drawn at its start."""

    follow_up: bool
    started: float
    duration: float
    outcome: Outcome
    assistant_message_id: str
    answer: str

    @property
    def expected_end(self) -> float:
        return self.started + self.duration

    @property
    def end(self) -> float:
        """When it settles: done, failed, or timed out."""
        if self.outcome is Outcome.HANG or self.duration >= TIMEOUT_SECONDS:
            return self.started + TIMEOUT_SECONDS
        return self.expected_end

    @property
    def succeeds(self) -> bool:
        return self.outcome is Outcome.SUCCEED and self.duration < TIMEOUT_SECONDS


@dataclass
class SessionRecord:
    id: str
    org: str
    seq: int
    title: str
    input: str
    idempotency_key: str
    thinking_mode: ThinkingMode
    incident_time: datetime | None
    created: float
    updated: float
    rng: random.Random
    status: SessionStatus = SessionStatus.RUNNING
    messages: list[MessageRecord] = field(default_factory=list)
    work: Work | None = None
    story: Story | None = None

    def next_message_id(self, offset: int = 0) -> str:
        number = len(self.messages) + 1 + offset
        return f"msg-{number:03d}-{uuid.UUID(int=self.rng.getrandbits(128), version=4)}"


class SessionEngine:
    """Every organisation's sessions, on one clock. Thread-safe."""

    def __init__(self, clock: EmulatorClock, *, max_running: int = 5, seed: str = "") -> None:
        if max_running < 1:
            raise ValueError("max_running must be at least 1")
        self.clock = clock
        self.max_running = max_running
        self.seed = seed
        self._lock = threading.RLock()
        self._sessions: dict[str, SessionRecord] = {}
        self._by_key: dict[tuple[str, str], SessionRecord] = {}
        self._active: set[str] = set()
        self._seq = 0

    # -- the API's operations ----------------------------------------------

    def create(self, org: str, request: NewSession) -> tuple[dict[str, Any], bool]:
        """``POST /v1/sessions``: (session, created). An idempotent replay is never limited."""
        with self._lock:
            now = self.settle()
            existing = self._by_key.get((org, request.idempotency_key))
            if existing is not None:
                return self._json(existing), False
            self._check_limit(org, now)
            record = self.open_session(org, request, now)
            self.start_investigation(record, now)
            return self._json(record), True

    def list_sessions(self, org: str, *, page: int | None, limit: int | None) -> dict[str, Any]:
        """``GET /v1/sessions``: newest first; both omitted means every session."""
        with self._lock:
            self.settle()
            mine = sorted(
                (r for r in self._sessions.values() if r.org == org),
                key=lambda r: (r.created, r.seq),
                reverse=True,
            )
            total = len(mine)
            if page is None and limit is None:
                chosen, prev, nxt = mine, None, None
            else:
                page = page or 1
                limit = limit or 20
                first = (page - 1) * limit
                chosen = mine[first : first + limit]
                prev = page - 1 if page > 1 else None
                nxt = page + 1 if first + limit < total else None
            return {
                "sessions": [self._json(r) for r in chosen],
                "count": len(chosen),
                "total": total,
                "prev": prev,
                "next": nxt,
            }

    def get(self, org: str, session_id: str) -> dict[str, Any]:
        """``GET /v1/sessions/{id}``: the only answer with ``messages``."""
        with self._lock:
            self.settle()
            return self._json(self._find(org, session_id), with_messages=True)

    def follow_up(self, org: str, session_id: str, text: str, mode: ThinkingMode) -> dict[str, Any]:
        """``POST /v1/sessions/{id}/messages``: the session plus the two new message ids."""
        with self._lock:
            now = self.settle()
            record = self._find(org, session_id)
            if record.status is SessionStatus.FAILED:
                raise SessionBusy(
                    "This session failed and cannot take follow-ups: start a new investigation "
                    "(with a new idempotency_key) instead.",
                    retry_after=DEFAULT_RETRY_AFTER,
                )
            if record.status is not SessionStatus.IDLE:
                raise SessionBusy(
                    f"The session is {record.status.value}; follow-ups are accepted only when "
                    "it is idle. Poll the session until its status is idle, then send again.",
                    retry_after=self._busy_wait(record, now),
                )
            self._check_limit(org, now)
            user_id, assistant_id = self.start_follow_up(record, text, mode, now)
            body = self._json(record)
            body.update(user_message_id=user_id, assistant_message_id=assistant_id)
            return body

    # -- building blocks (also used to preload sessions) ---------------------

    def open_session(self, org: str, request: NewSession, at: float) -> SessionRecord:
        """A new session holding the user's input, not yet investigating."""
        with self._lock:
            self._seq += 1
            rng = random.Random(f"{self.seed}/session/{self._seq}")
            record = SessionRecord(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                org=org,
                seq=self._seq,
                title=request.title if request.title and request.title.strip() else "",
                input=request.input,
                idempotency_key=request.idempotency_key,
                thinking_mode=request.thinking_mode,
                incident_time=request.time,
                created=at,
                updated=at,
                rng=rng,
            )
            record.title = record.title or suggest_title(request.input)
            record.messages.append(
                MessageRecord(record.next_message_id(), "user", request.input, at)
            )
            self._sessions[record.id] = record
            self._by_key[(org, request.idempotency_key)] = record
            return record

    def start_investigation(
        self,
        record: SessionRecord,
        at: float,
        *,
        duration: float | None = None,
        outcome: Outcome | None = None,
    ) -> None:
        with self._lock:
            rng, mode = record.rng, record.thinking_mode
            # Timing and outcome first, so they never depend on the text.
            timing = _timing(
                rng, INVESTIGATION_SECONDS[mode], INVESTIGATION_FAILS, INVESTIGATION_HANGS
            )
            assistant_id = record.next_message_id()
            record.story = build_story(
                record.input,
                incident_time=record.incident_time,
                created=self.clock.to_datetime(record.created),
                mode=mode,
                rng=rng,
            )
            answer = render_investigation(record.story)
            self._begin(record, at, timing, assistant_id, answer, duration, outcome)

    def start_follow_up(
        self,
        record: SessionRecord,
        text: str,
        mode: ThinkingMode,
        at: float,
        *,
        duration: float | None = None,
        outcome: Outcome | None = None,
    ) -> tuple[str, str]:
        """Record the question and start answering it: (user message id, assistant id)."""
        with self._lock:
            rng = record.rng
            assert record.story is not None
            timing = _timing(rng, FOLLOW_UP_SECONDS[mode], FOLLOW_UP_FAILS, FOLLOW_UP_HANGS)
            user_id = record.next_message_id()
            assistant_id = record.next_message_id(offset=1)
            record.messages.append(MessageRecord(user_id, "user", text, at))
            answer = answer_follow_up(text, record.story, mode, rng)
            self._begin(record, at, timing, assistant_id, answer, duration, outcome, follow_up=True)
            return user_id, assistant_id

    def _begin(
        self,
        record: SessionRecord,
        at: float,
        timing: tuple[float, Outcome],
        assistant_id: str,
        answer: str,
        duration: float | None,
        outcome: Outcome | None,
        *,
        follow_up: bool = False,
    ) -> None:
        """Put work in flight; ``duration`` and ``outcome``, when given, override the draw."""
        record.work = Work(
            follow_up=follow_up,
            started=at,
            duration=timing[0] if duration is None else duration,
            outcome=timing[1] if outcome is None else outcome,
            assistant_message_id=assistant_id,
            answer=answer,
        )
        record.status = SessionStatus.FOLLOW_UP_RUNNING if follow_up else SessionStatus.RUNNING
        record.updated = at
        self._active.add(record.id)

    def settle(self, now: float | None = None) -> float:
        """Finish (or fail) all work whose end has come; returns the time used."""
        with self._lock:
            now = self.clock.now() if now is None else now
            for session_id in sorted(self._active):
                record = self._sessions[session_id]
                work = record.work
                assert work is not None
                if work.end > now:
                    continue
                if work.succeeds:
                    record.messages.append(
                        MessageRecord(work.assistant_message_id, "assistant", work.answer, work.end)
                    )
                    record.status = SessionStatus.IDLE
                else:
                    record.status = SessionStatus.FAILED
                record.updated = work.end
                record.work = None
                self._active.discard(session_id)
            return now

    # -- for tests and the control routes -----------------------------------

    def advance(self, seconds: float) -> float:
        """Move the clock forward and settle what that finished."""
        with self._lock:
            return self.settle(self.clock.advance(seconds))

    def record(self, session_id: str) -> SessionRecord:
        """The engine's own record of a session (any organisation)."""
        with self._lock:
            return self._sessions[session_id]

    def running_count(self, org: str) -> int:
        with self._lock:
            self.settle()
            return sum(1 for r in self._sessions.values() if r.org == org and r.status in ACTIVE)

    # -- internals -----------------------------------------------------------

    def _find(self, org: str, session_id: str) -> SessionRecord:
        record = self._sessions.get(_canonical_id(session_id))
        if record is None or record.org != org:
            raise SessionNotFound()
        return record

    def _check_limit(self, org: str, now: float) -> None:
        running = [r.work for r in self._sessions.values() if r.org == org and r.work is not None]
        if len(running) < self.max_running:
            return
        waits = [w.expected_end - now for w in running if w.expected_end > now]
        retry_after = self._retry_after(min(waits)) if waits else DEFAULT_RETRY_AFTER
        raise LimitReached(
            f"The organization already has {len(running)} investigations or follow-ups "
            f"running (its limit is {self.max_running}). Retry after {retry_after} seconds.",
            retry_after=retry_after,
        )

    def _busy_wait(self, record: SessionRecord, now: float) -> int:
        work = record.work
        if work is None or work.expected_end <= now:
            return OVERDUE_RETRY_AFTER
        return self._retry_after(work.expected_end - now)

    def _retry_after(self, emulator_seconds: float) -> int:
        real = self.clock.real_seconds(emulator_seconds)
        return max(1, min(MAX_RETRY_AFTER, math.ceil(real)))

    def _json(self, record: SessionRecord, *, with_messages: bool = False) -> dict[str, Any]:
        to_iso = self.clock.to_datetime
        messages = None
        if with_messages:
            messages = [
                {
                    "id": m.id,
                    "role": m.role,
                    "markdown_content": m.content,
                    "created_at": iso(to_iso(m.created)),
                }
                for m in record.messages
            ]
        return {
            "id": record.id,
            "status": record.status.value,
            "title": record.title,
            "input": record.input,
            "created_at": iso(to_iso(record.created)),
            "updated_at": iso(to_iso(record.updated)),
            "messages": messages,
        }


def _timing(
    rng: random.Random, span: tuple[float, float], fails: float, hangs: float
) -> tuple[float, Outcome]:
    """How long a piece of work takes and how it ends."""
    duration = rng.uniform(*span)
    draw = rng.random()
    if draw < hangs:
        return duration, Outcome.HANG
    if draw < hangs + fails:
        return duration, Outcome.FAIL
    return duration, Outcome.SUCCEED


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def _canonical_id(session_id: str) -> str:
    """The lower-case form of a UUID, or "" when it is not one (a 404, like an unknown id)."""
    return session_id.lower() if _UUID.fullmatch(session_id) else ""
