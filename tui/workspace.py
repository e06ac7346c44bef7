"""What one dashboard does with one endpoint: poll, open, watch, create, follow up.

It joins the API client and the local store, so the UI only presents. The
list comes from ``GET /v1/sessions`` when the key may list (admin); a member
key gets 403 there, and then the sessions this dashboard created or was told
to watch are polled one by one. Sessions a person stopped watching stay
hidden even when the list still returns them.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from tui.api.client import CreateResult, TraversalClient
from tui.api.errors import (
    ApiError,
    BadRequest,
    Forbidden,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
)
from tui.api.models import (
    TERMINAL_STATUSES,
    CreateSessionRequest,
    FollowUpResponse,
    Session,
    ThinkingMode,
)
from tui.core.idempotency import key_for_reference, key_for_submission
from tui.core.store import Store, TrackedSession

#: How many single-session GETs a member-mode poll runs at once.
POLL_CONCURRENCY = 4


@dataclass
class PollResult:
    """One poll's outcome: the sessions to show and any problem to explain."""

    sessions: list[Session] = field(default_factory=list)
    #: Ids that turned out not to exist (404): no longer tracked.
    vanished: list[str] = field(default_factory=list)
    #: The error that stopped this poll, if any (the list shown is then partial or stale).
    problem: ApiError | None = None
    #: True on the poll that found the key cannot list (member role).
    became_member_mode: bool = False


@dataclass(frozen=True)
class NewInvestigation:
    """The fields of a new investigation, before it has an idempotency key."""

    description: str
    title: str | None = None
    time: datetime | None = None
    reference: str | None = None
    thinking_mode: ThinkingMode = ThinkingMode.AUTO

    def fingerprint(self) -> str:
        """Same fields, same fingerprint: an unchanged form re-submitted reuses its key."""
        raw = json.dumps(
            [
                self.description,
                self.title,
                self.time.isoformat() if self.time else None,
                self.reference,
                self.thinking_mode.value,
            ],
        )
        return hashlib.sha256(raw.encode()).hexdigest()


class Workspace:
    """The sessions of one profile on one endpoint."""

    def __init__(self, client: TraversalClient, store: Store, profile: str) -> None:
        self.client = client
        self.store = store
        self.profile = profile
        #: None until the first list call tells whether this key may list.
        self.can_list: bool | None = None
        self._keys_by_fingerprint: dict[str, str] = {}

    # -- polling ---------------------------------------------------------------

    async def poll(self, *, open_id: str | None = None) -> PollResult:
        """Refresh every known session's status (summaries; messages only via :meth:`fetch`)."""
        result = PollResult()
        found: dict[str, Session] = {}
        if self.can_list is not False:
            try:
                for session in await self.client.list_all_sessions():
                    found[session.id] = session
                self.can_list = True
            except Forbidden as error:
                if self._org_blocked(error):
                    # No V1 access at all: say so every poll; it is not a member key.
                    result.problem = error
                    return self._with_cached(result)
                if self.can_list is None:
                    result.became_member_mode = True
                self.can_list = False
            except ApiError as error:
                result.problem = error
                return self._with_cached(result)
        hidden = self.store.dismissed(self.profile)
        tracked = {t.session_id: t for t in self.store.tracked(self.profile)}
        # Absent from a list that worked means gone or moved: check it. Without
        # a list, re-read what may still change; finished ones keep their last state.
        to_fetch = [
            sid
            for sid, entry in tracked.items()
            if sid not in found and (self.can_list or entry.last_status not in TERMINAL_STATUSES)
        ]
        fetched, vanished, problem = await self._fetch_many(to_fetch)
        found.update(fetched)
        result.vanished = vanished
        result.problem = result.problem or problem
        for sid in vanished:
            self.store.untrack(self.profile, sid)
        for sid, entry in tracked.items():
            if sid not in found and sid not in vanished:
                cached = self._cached_summary(entry)
                if cached is not None:
                    found[sid] = cached
        for session in found.values():
            known = tracked.get(session.id)
            # Written only when it changed: a quiet poll costs the store nothing.
            if known is not None and (known.last_status, known.title) != (
                session.status,
                session.title or known.title,
            ):
                self.store.remember_status(self.profile, session.id, session.status, session.title)
        result.sessions = [s for s in found.values() if s.id not in hidden]
        return result

    async def _fetch_many(
        self, session_ids: Iterable[str]
    ) -> tuple[dict[str, Session], list[str], ApiError | None]:
        gate = asyncio.Semaphore(POLL_CONCURRENCY)
        fetched: dict[str, Session] = {}
        vanished: list[str] = []
        problems: list[ApiError] = []

        async def one(session_id: str) -> None:
            async with gate:
                try:
                    fetched[session_id] = await self.client.get_session(session_id)
                except NotFound:
                    vanished.append(session_id)
                except ApiError as error:
                    problems.append(error)

        await asyncio.gather(*(one(sid) for sid in session_ids))
        return fetched, vanished, problems[0] if problems else None

    def _with_cached(self, result: PollResult) -> PollResult:
        hidden = self.store.dismissed(self.profile)
        for entry in self.store.tracked(self.profile):
            cached = self._cached_summary(entry)
            if cached is not None and entry.session_id not in hidden:
                result.sessions.append(cached)
        return result

    @staticmethod
    def _cached_summary(entry: TrackedSession) -> Session | None:
        """What the store remembers of a session, for when the server cannot be asked."""
        if entry.last_status is None:
            return None
        return Session(
            id=entry.session_id,
            status=entry.last_status,
            title=entry.title,
            input=entry.title or entry.session_id,
            created_at=entry.added_at,
        )

    @staticmethod
    def _org_blocked(error: Forbidden) -> bool:
        """A 403 that is about the organisation's access, not the key's role."""
        text = error.message.lower()
        return "role" not in text and "admin" not in text

    # -- one session -----------------------------------------------------------

    async def fetch(self, session_id: str) -> Session:
        """The session with its conversation."""
        session = await self.client.get_session(session_id)
        # A session this profile does not track is left alone by the store.
        self.store.remember_status(self.profile, session.id, session.status, session.title)
        return session

    async def watch(self, session_id: str) -> Session:
        """Check the id exists here, then track it (and show it again if it was hidden)."""
        session = await self.client.get_session(session_id)
        self.store.track(self.profile, session.id, title=session.title, origin="watched")
        self.store.remember_status(self.profile, session.id, session.status, session.title)
        return session

    def unwatch(self, session_id: str) -> None:
        """Stop tracking and hide it from this dashboard's list."""
        self.store.untrack(self.profile, session_id)
        self.store.dismiss(self.profile, session_id)

    async def send_follow_up(
        self, session_id: str, text: str, before: Session | None
    ) -> FollowUpResponse:
        response = await self.client.send_follow_up(session_id, text, before=before)
        self.store.save_draft(self.profile, session_id, "")
        return response

    # -- creating --------------------------------------------------------------

    def idempotency_key(self, investigation: NewInvestigation) -> str:
        """The key for this submission: from the reference, else stable for an unchanged form."""
        if investigation.reference:
            return key_for_reference(investigation.reference)
        fingerprint = investigation.fingerprint()
        key = self._keys_by_fingerprint.get(fingerprint)
        if key is None:
            key = key_for_submission()
            self._keys_by_fingerprint[fingerprint] = key
        return key

    async def create(self, investigation: NewInvestigation) -> CreateResult:
        """Start it, recording key and body first so no retry can duplicate it."""
        request = CreateSessionRequest(
            input=investigation.description,
            idempotency_key=self.idempotency_key(investigation),
            title=investigation.title,
            time=investigation.time,
            thinking_mode=investigation.thinking_mode,
        )
        body = request.to_json()
        self.store.record_submission(self.profile, request.idempotency_key, body)
        return await self._complete(request)

    async def resume_pending(self) -> list[CreateResult]:
        """Finish submissions a crash or timeout left open, with their original key and body."""
        results = []
        for pending in self.store.pending_submissions(self.profile):
            request = CreateSessionRequest.model_validate(pending.body)
            try:
                results.append(await self._complete(request))
            except (NetworkError, ServerError):
                continue
            except ApiError:
                continue
        return results

    async def _complete(self, request: CreateSessionRequest) -> CreateResult:
        try:
            result = await self.client.create_session(request)
        except (BadRequest, Unauthorized, Forbidden, RateLimited):
            # The server said no: nothing was created, nothing to resume later.
            self.store.forget_submission(self.profile, request.idempotency_key)
            raise
        session = result.session
        self.store.track(self.profile, session.id, title=session.title, origin="created")
        self.store.remember_status(self.profile, session.id, session.status, session.title)
        self.store.complete_submission(self.profile, request.idempotency_key, session.id)
        return result
