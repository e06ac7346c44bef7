"""Async client for the four operations of the V1 Sessions API.

Every string in every reply goes through :func:`tui.api.sanitize.sanitize_tree`
before a model sees it. Reads retry with backoff on 5xx and network errors
(``RetryPolicy``: 3 attempts, exponential backoff with jitter from 0.5 s up to
4 s); a create retries the same way, only ever with the same idempotency key
and body, so a retry can never duplicate an investigation (a retry that finds
the first attempt's session reports ``created=False``); a follow-up is never
re-sent blindly: when its POST gets no clear answer the client compares the
conversation before and after to learn whether the server took it.

Failures are typed (:mod:`tui.api.errors`), including error pages that are not
JSON, such as a proxy's HTML 502 or an empty body; 409 and 429 carry a
``retry_after`` in seconds, clamped to 1..900 (defaults: 5 s for a 409, 30 s
for a 429), read from the body or the ``Retry-After`` header (seconds or an
HTTP date).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from tui import __version__
from tui.api.errors import (
    DEFAULT_CONFLICT_WAIT,
    DEFAULT_RATE_LIMIT_WAIT,
    ApiError,
    BadRequest,
    Conflict,
    Forbidden,
    NetworkError,
    NotFound,
    ProtocolError,
    RateLimited,
    ServerError,
    Unauthorized,
    parse_retry_after,
)
from tui.api.models import (
    CreateSessionRequest,
    FollowUpRequest,
    FollowUpResponse,
    Message,
    Session,
    SessionList,
    ThinkingMode,
)
from tui.api.sanitize import sanitize_text, sanitize_tree

DEFAULT_BASE_URL = "https://api.traversal.com"
DEFAULT_TIMEOUT = 20.0

ModelT = TypeVar("ModelT", bound=BaseModel)
Sleep = Callable[[float], Awaitable[None]]


class BearerKey(httpx.Auth):
    """Adds the bearer header; its repr never shows the key."""

    def __init__(self, api_key: str) -> None:
        self._api_key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._api_key}"
        yield request

    def __repr__(self) -> str:
        return "BearerKey(***)"


@dataclass(frozen=True)
class RetryPolicy:
    """How reads and creates are retried on 5xx and network errors."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 4.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter for retry number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return random.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True)
class CreateResult:
    """A created or replayed session; ``created`` is False on an idempotent replay (200)."""

    session: Session
    created: bool


class TraversalClient:
    """One connection pool to one Sessions API endpoint, with one key."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            auth=BearerKey(api_key),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"Accept": "application/json", "User-Agent": f"traversal-tui/{__version__}"},
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"TraversalClient(base_url={self.base_url!r})"

    async def __aenter__(self) -> TraversalClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the four operations -------------------------------------------------

    async def create_session(self, request: CreateSessionRequest) -> CreateResult:
        """Start an investigation. Retries reuse the same idempotency key and body."""
        response = await self._send("POST", "/v1/sessions", json_body=request.to_json(), retry=True)
        session = self._parse(response, Session)
        return CreateResult(session=session, created=response.status_code == 201)

    async def list_sessions(
        self, *, page: int | None = None, limit: int | None = None
    ) -> SessionList:
        """One page of the organisation's sessions (admin keys only: members get 403)."""
        params = {k: v for k, v in (("page", page), ("limit", limit)) if v is not None}
        response = await self._send("GET", "/v1/sessions", params=params, retry=True)
        return self._parse(response, SessionList)

    async def list_all_sessions(
        self, *, page_size: int = 100, max_pages: int = 1000
    ) -> list[Session]:
        """Every session, following ``next`` page by page; each id appears once."""
        seen: dict[str, Session] = {}
        page: int | None = 1
        for _ in range(max_pages):
            if page is None:
                break
            batch = await self.list_sessions(page=page, limit=page_size)
            for session in batch.sessions:
                seen.setdefault(session.id, session)
            if batch.next is not None and batch.next <= page:
                raise ProtocolError("The server's session list pointed back to an earlier page.")
            page = batch.next
        return list(seen.values())

    async def get_session(self, session_id: str) -> Session:
        """A session with its full conversation."""
        response = await self._send("GET", f"/v1/sessions/{_path_id(session_id)}", retry=True)
        return self._parse(response, Session)

    async def send_follow_up(
        self,
        session_id: str,
        text: str,
        *,
        thinking_mode: ThinkingMode = ThinkingMode.AUTO,
        before: Session | None = None,
    ) -> FollowUpResponse:
        """Ask a follow-up question. Never re-sent blindly.

        A follow-up has no idempotency key, so the POST is sent once. When it
        gets no clear answer (a timeout, a dropped connection, a 5xx) the
        conversation is read again and compared with ``before``, the
        conversation as last seen (fetched first when not given): when it
        has more messages and the newest user message among the new ones is
        this question, the server took it, and a reply built from the
        conversation is returned (its ``assistant_message_id`` is "" until
        the answer appears). Comparing the text alone would be wrong, as the
        same question may be asked twice. A POST that timed out, or that a
        gateway answered 502 or 504, may still be in the server's hands, so
        the conversation is read up to ``RetryPolicy.attempts`` times, with
        the retry backoff between reads, before concluding. When the question
        is not there, the original error is raised and nothing was sent
        twice; a re-send while the first one is still being answered would
        get a 409.
        """
        body = FollowUpRequest(input=text, thinking_mode=thinking_mode).to_json()
        if before is None or before.messages is None:
            before = await self.get_session(session_id)
        path = f"/v1/sessions/{_path_id(session_id)}/messages"
        try:
            response = await self._send("POST", path, json_body=body, retry=False)
        except (NetworkError, ServerError) as error:
            reads = self._retry.attempts if _may_still_be_working(error) else 1
            taken = await self._find_taken_follow_up(session_id, text, before, reads=reads)
            if taken is None:
                raise
            return taken
        try:
            return self._parse(response, FollowUpResponse)
        except ProtocolError:
            # Accepted (2xx) but the reply is unreadable: find it in the conversation.
            taken = await self._find_taken_follow_up(
                session_id, text, before, reads=self._retry.attempts
            )
            if taken is None:
                raise
            return taken

    # -- internals -----------------------------------------------------------

    async def _find_taken_follow_up(
        self, session_id: str, text: str, before: Session, *, reads: int
    ) -> FollowUpResponse | None:
        """The follow-up as the server took it, or None when the conversation does not show it."""
        for read in range(1, reads + 1):
            if read > 1:
                await self._sleep(self._retry.delay(read - 1))
            try:
                after = await self.get_session(session_id)
            except ApiError:
                continue
            taken = _taken_follow_up(before, after, text)
            if taken is not None:
                return taken
        return None

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        params: dict[str, int] | None = None,
        retry: bool,
    ) -> httpx.Response:
        attempts = self._retry.attempts if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                return await self._send_once(method, path, json_body, params)
            except (NetworkError, ServerError):
                if attempt == attempts:
                    raise
                await self._sleep(self._retry.delay(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_once(
        self,
        method: str,
        path: str,
        json_body: dict[str, Any] | None,
        params: dict[str, int] | None,
    ) -> httpx.Response:
        try:
            response = await self._http.request(method, path, json=json_body, params=params)
        except httpx.TimeoutException:
            raise NetworkError(f"{self._host()} did not answer in time.", timed_out=True) from None
        except httpx.TransportError as error:
            raise NetworkError(f"Could not reach {self._host()}: {_describe(error)}.") from None
        if response.status_code >= 400:
            raise self._error_for(response)
        if response.status_code >= 300:
            raise ProtocolError(
                f"{self._host()} answered with a redirect ({response.status_code}); "
                "check the base URL."
            )
        return response

    def _parse(self, response: httpx.Response, model: type[ModelT]) -> ModelT:
        data = _decode_json(response)
        if data is None:
            raise ProtocolError(
                f"{self._host()} answered {response.status_code} with a body that is not JSON."
            )
        try:
            return model.model_validate(sanitize_tree(data))
        except ValidationError as error:
            fields = ", ".join(".".join(str(p) for p in e["loc"]) or "body" for e in error.errors())
            raise ProtocolError(
                f"{self._host()} sent a reply this client does not understand "
                f"(problem with: {sanitize_text(fields)[:200]})."
            ) from None

    def _error_for(self, response: httpx.Response) -> ApiError:
        status = response.status_code
        detail = _error_detail(response)
        message = detail.get("message")
        retry_value = detail.get("retry_after")
        header = response.headers.get("Retry-After")
        if status == 400:
            return BadRequest(message or "The server rejected the request as invalid.")
        if status == 401:
            return Unauthorized(
                message or "The API key was not accepted (missing, invalid or revoked)."
            )
        if status == 403:
            return Forbidden(message or "This key is not allowed to do that.")
        if status == 404:
            return NotFound(message or "No such session in this organisation.")
        if status == 409:
            wait = parse_retry_after(retry_value, header, default=DEFAULT_CONFLICT_WAIT)
            return Conflict(message or "The session is busy.", retry_after=wait)
        if status == 429:
            wait = parse_retry_after(retry_value, header, default=DEFAULT_RATE_LIMIT_WAIT)
            return RateLimited(
                message or "The organisation is at its limit of running investigations.",
                retry_after=wait,
            )
        if status >= 500:
            return ServerError(message or _bodyless_message(self._host(), response), status=status)
        return ApiError(message or _bodyless_message(self._host(), response), status=status)

    def _host(self) -> str:
        return httpx.URL(self.base_url).host or self.base_url


def _path_id(session_id: str) -> str:
    """Quote a session id for use in a path so it can never change the route."""
    from urllib.parse import quote

    return quote(session_id, safe="")


def _decode_json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None


def _error_detail(response: httpx.Response) -> dict[str, Any]:
    data = _decode_json(response)
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        detail = sanitize_tree(data["error"])
        message = detail.get("message")
        return {
            "message": message.strip()[:500] if isinstance(message, str) else None,
            "retry_after": detail.get("retry_after"),
        }
    return {}


def _bodyless_message(host: str, response: httpx.Response) -> str:
    kind = response.headers.get("Content-Type", "").split(";")[0].strip()
    reason = response.reason_phrase or "error"
    if "html" in kind:
        return (
            f"{host} answered {response.status_code} {reason} with an HTML page "
            "(a proxy or gateway error)."
        )
    if not response.content:
        return f"{host} answered {response.status_code} {reason} with an empty body."
    return f"{host} answered {response.status_code} {reason}."


def _describe(error: httpx.TransportError) -> str:
    text = str(error).strip()
    if not text:
        return type(error).__name__
    return sanitize_text(text)[:200]


def _may_still_be_working(error: ApiError) -> bool:
    """Whether a request that got this error may still be processed after it."""
    if isinstance(error, NetworkError):
        return error.timed_out
    return error.status in (502, 504)


def _taken_follow_up(before: Session, after: Session, text: str) -> FollowUpResponse | None:
    """The reply to a follow-up of ``text``, if ``after`` shows it taken since ``before``."""
    old = before.messages or []
    new = after.messages or []
    if len(new) <= len(old):
        return None
    added = new[len(old) :]
    users = [m for m in added if m.role == "user"]
    if not users or users[-1].markdown_content.strip() != sanitize_text(text).strip():
        return None
    assistant = _first_after(added, users[-1])
    return FollowUpResponse(
        **after.model_dump(exclude={"messages"}),
        messages=None,
        user_message_id=users[-1].id,
        assistant_message_id=assistant.id if assistant else "",
    )


def _first_after(messages: list[Message], anchor: Message) -> Message | None:
    index = messages.index(anchor)
    for message in messages[index + 1 :]:
        if message.role == "assistant":
            return message
    return None
