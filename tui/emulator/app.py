"""The emulator's ASGI application: routes, authentication, errors and statistics.

Request order: the route (unknown: 404; wrong method: 405), then the key
(401 unknown or missing, 403 organisation without V1 access or member listing
sessions), then the body or query (400 naming the field), then the session
(404 unknown, malformed or another organisation's), then its state (409) and
the organisation's limit (429). Every error uses the API's envelope.

Outside the API, under ``/_emulator/`` and without a key:

- ``POST /_emulator/advance`` with ``{"seconds": N}`` moves the clock forward;
- ``GET /_emulator/stats`` returns how many requests were received per method
  and route template, e.g. ``{"GET /v1/sessions/{session_id}": 42}``; requests
  to no known route count as ``"<METHOD> (unmatched)"``; ``/_emulator/``
  requests themselves are not counted.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from tui.emulator.clock import iso
from tui.emulator.engine import EngineError, SessionEngine
from tui.emulator.faults import FaultInjector, FaultSpec
from tui.emulator.keys import ApiKey, Role, lookup
from tui.emulator.responses import error_response
from tui.emulator.validation import advance_seconds, follow_up, new_session, page_parameter

CONTROL_PREFIX = "/_emulator/"
UNMATCHED = "(unmatched)"


class Unauthorized(EngineError):
    status = 401


class Forbidden(EngineError):
    status = 403


def authenticate(request: Request, *, admin: bool = False) -> ApiKey:
    """The caller's key; raises 401 or 403."""
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Missing API key: send 'Authorization: Bearer trv_ak_...'.")
    caller = lookup(token.strip())
    if caller is None:
        raise Unauthorized("Invalid or revoked API key.")
    if not caller.v1_enabled:
        raise Forbidden("The V1 API is not enabled for this organization.")
    if admin and caller.role is not Role.ADMIN:
        raise Forbidden("Listing sessions requires the admin role; this key has the member role.")
    return caller


class RequestStats:
    """Requests received per ``"METHOD /route/template"``; thread-safe."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, label: str) -> None:
        with self._lock:
            self._counts[label] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counts.items()))


class _Endpoints:
    def __init__(self, engine: SessionEngine, stats: RequestStats) -> None:
        self.engine = engine
        self.stats = stats

    async def sessions(self, request: Request) -> Response:
        if request.method == "POST":
            org = authenticate(request).org
            body, created = self.engine.create(org, new_session(await request.body()))
            return JSONResponse(body, status_code=201 if created else 200)
        org = authenticate(request, admin=True).org
        page = page_parameter(request.query_params, "page")
        limit = page_parameter(request.query_params, "limit")
        return JSONResponse(self.engine.list_sessions(org, page=page, limit=limit))

    async def session(self, request: Request) -> Response:
        org = authenticate(request).org
        return JSONResponse(self.engine.get(org, request.path_params["session_id"]))

    async def messages(self, request: Request) -> Response:
        org = authenticate(request).org
        text, mode = follow_up(await request.body())
        body = self.engine.follow_up(org, request.path_params["session_id"], text, mode)
        return JSONResponse(body, status_code=202)

    async def advance(self, request: Request) -> Response:
        seconds = advance_seconds(await request.body())
        try:
            now = self.engine.advance(seconds)
        except ValueError as error:
            raise EngineError(f"Field 'seconds': {error}.") from None
        return JSONResponse({"advanced": seconds, "now": iso(self.engine.clock.to_datetime(now))})

    async def stats_view(self, request: Request) -> Response:
        return JSONResponse(self.stats.snapshot())


async def _engine_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, EngineError)
    return error_response(error.status, error.message, retry_after=error.retry_after)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    path = request.url.path[:200]
    if error.status_code == 404:
        message = f"Not found: no route for {request.method} {path}."
    elif error.status_code == 405:
        allowed = ", ".join(sorted((error.headers or {}).get("Allow", "").split(", ")))
        message = f"Method {request.method} is not allowed on {path} (allowed: {allowed})."
        return error_response(405, message, headers={"Allow": allowed})
    else:
        message = str(error.detail)
    return error_response(error.status_code, message, headers=error.headers)


async def _client_gone(request: Request, error: Exception) -> Response:
    # Nobody will read this: the client closed the connection before its body arrived.
    return error_response(400, "The connection closed before the whole request arrived.")


async def _internal_error(request: Request, error: Exception) -> Response:
    return error_response(500, "Internal error in the emulator.")


class _StatsRecorder:
    """Outermost middleware: counts every API request as it arrives."""

    def __init__(self, app: ASGIApp, stats: RequestStats, routes: list[BaseRoute]) -> None:
        self.app = app
        self.stats = stats
        self.routes = routes

    def route_of(self, scope: Scope) -> str:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is not Match.NONE and isinstance(route, Route):
                return f"{scope['method']} {route.path}"
        return f"{scope['method']} {UNMATCHED}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(CONTROL_PREFIX):
            self.stats.add(self.route_of(scope))
        await self.app(scope, receive, send)


def build_app(
    engine: SessionEngine, *, faults: FaultSpec | None = None, stats: RequestStats | None = None
) -> ASGIApp:
    """The whole emulator as one ASGI application."""
    stats = stats or RequestStats()
    endpoints = _Endpoints(engine, stats)
    routes: list[BaseRoute] = [
        Route("/v1/sessions", endpoints.sessions, methods=["GET", "POST"]),
        Route("/v1/sessions/{session_id}", endpoints.session, methods=["GET"]),
        Route("/v1/sessions/{session_id}/messages", endpoints.messages, methods=["POST"]),
        Route(CONTROL_PREFIX + "advance", endpoints.advance, methods=["POST"]),
        Route(CONTROL_PREFIX + "stats", endpoints.stats_view, methods=["GET"]),
    ]
    handlers: dict[Any, Any] = {
        EngineError: _engine_error,
        HTTPException: _http_error,
        ClientDisconnect: _client_gone,
        Exception: _internal_error,
    }
    api = Starlette(routes=routes, exception_handlers=handlers)
    api.router.redirect_slashes = False
    recorder = _StatsRecorder(api, stats, routes)
    if faults is not None:
        recorder.app = FaultInjector(api, faults, seed=engine.seed, route_of=recorder.route_of)
    return recorder
