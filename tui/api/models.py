"""pydantic models mirroring the V1 Sessions API spec.

Response models ignore fields they do not know and accept status and role
values the spec does not list yet, so a newer server never breaks the client.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class SessionStatus(StrEnum):
    """The statuses the spec lists. ``Session.status`` may hold others."""

    RUNNING = "running"
    FOLLOW_UP_RUNNING = "follow_up_running"
    IDLE = "idle"
    FAILED = "failed"


class ThinkingMode(StrEnum):
    """How much depth Traversal applies to an investigation."""

    AUTO = "auto"
    DEEP = "deep"
    FAST = "fast"


TERMINAL_STATUSES = frozenset({SessionStatus.IDLE, SessionStatus.FAILED})
ACTIVE_STATUSES = frozenset({SessionStatus.RUNNING, SessionStatus.FOLLOW_UP_RUNNING})


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Message(_Response):
    """One turn of a session's conversation."""

    id: str
    role: str
    markdown_content: str
    created_at: datetime


class Session(_Response):
    """A session; ``messages`` is filled only by ``GET /v1/sessions/{id}``."""

    id: str
    status: str
    input: str
    created_at: datetime
    title: str | None = None
    updated_at: datetime | None = None
    messages: list[Message] | None = None

    @property
    def is_terminal(self) -> bool:
        """True when polling can stop: ``idle`` or ``failed``."""
        return self.status in TERMINAL_STATUSES

    @property
    def is_idle(self) -> bool:
        return self.status == SessionStatus.IDLE

    @property
    def display_title(self) -> str:
        """The title, or the first line of the input when the server gave none."""
        if self.title and self.title.strip():
            return self.title.strip()
        first_line = self.input.strip().splitlines()[0] if self.input.strip() else ""
        return first_line[:80] or self.id


class SessionList(_Response):
    """One page of ``GET /v1/sessions``."""

    sessions: list[Session]
    count: int
    total: int
    prev: int | None = None
    next: int | None = None


class FollowUpResponse(Session):
    """The 202 reply to a follow-up: the session plus the two new message ids."""

    user_message_id: str
    assistant_message_id: str


class CreateSessionRequest(BaseModel):
    """Body of ``POST /v1/sessions``."""

    model_config = ConfigDict(extra="forbid")

    input: Annotated[str, Field(min_length=1)]
    idempotency_key: Annotated[str, Field(min_length=1, max_length=128)]
    title: Annotated[str | None, Field(max_length=256)] = None
    #: With a UTC offset: the spec's date-time requires one, and a bare time is ambiguous.
    time: AwareDatetime | None = None
    thinking_mode: ThinkingMode = ThinkingMode.AUTO

    def to_json(self) -> dict[str, object]:
        """The wire body: optional fields left out when unset."""
        return self.model_dump(mode="json", exclude_none=True)


class FollowUpRequest(BaseModel):
    """Body of ``POST /v1/sessions/{id}/messages``."""

    model_config = ConfigDict(extra="forbid")

    input: Annotated[str, Field(min_length=1)]
    thinking_mode: ThinkingMode = ThinkingMode.AUTO

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude_none=True)


class ErrorDetail(_Response):
    message: str = ""
    retry_after: int | float | None = None


class ErrorBody(_Response):
    """The API's error envelope: ``{"error": {"message": ..., "retry_after": ...}}``."""

    error: ErrorDetail
