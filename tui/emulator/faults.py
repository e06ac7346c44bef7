"""Fault injection for resilience tests: ``--faults SPEC``.

A spec is a comma-separated list of terms, each ``name=value``; each name at
most once::

    latency=SECONDS | latency=MIN-MAX    delay every request, fixed or uniformly random; the
                                         request has arrived, so a client that stops waiting
                                         does not stop it being processed (a slow server)
    error=RATE[:CODE[|CODE...]]          answer RATE of requests with a 5xx JSON error
                                         (CODE 500, 502 or 503; default 500; several:
                                         one picked at random); the request is not processed
    html502=RATE                         answer RATE of requests with a 502 HTML page,
                                         as a proxy in front of the API would; not processed
    drop=RATE[:before|:after]            close the connection without an answer; ``before``
                                         (default): the request is not processed; ``after``:
                                         it is processed and its answer is lost
    garbage=RATE                         process the request but cut its JSON body short
                                         (same status and headers): malformed JSON
    only=SELECTOR[|SELECTOR...]          apply faults only to matching requests; SELECTOR is
                                         a method (GET, POST), an operation (create, list,
                                         get, follow_up) or a path glob starting with ``/``

RATE is a number from 0 to 1. Example::

    latency=0.2-1.5,error=0.1:503,html502=0.05,drop=0.02,garbage=0.05,only=GET

Faults never touch ``/_emulator/`` routes. Which requests get a fault is drawn
from a random source seeded by the emulator's seed, in the order requests
arrive; latency comes first, then at most one of drop (before), error and
html502, in that order; then drop (after) or garbage on the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.emulator.responses import error_response

#: Operations (as ``only=`` selectors) and the routes they name.
OPERATIONS = {
    "create": "POST /v1/sessions",
    "list": "GET /v1/sessions",
    "get": "GET /v1/sessions/{session_id}",
    "follow_up": "POST /v1/sessions/{session_id}/messages",
}
ERROR_MESSAGES = {
    500: "An unexpected error occurred on the server.",
    502: "Bad gateway: the investigation backend did not answer.",
    503: "Investigation infrastructure is not available.",
}
PROXY_502_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_TERMS = ("latency", "error", "html502", "drop", "garbage", "only")
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class FaultSpec:
    """A parsed ``--faults`` spec."""

    latency: tuple[float, float] = (0.0, 0.0)
    error_rate: float = 0.0
    error_codes: tuple[int, ...] = (500,)
    html502_rate: float = 0.0
    drop_rate: float = 0.0
    drop_after: bool = False
    garbage_rate: float = 0.0
    only: tuple[str, ...] = ()

    def applies_to(self, method: str, path: str, route: str) -> bool:
        """Whether a request is subject to faults (``route`` is ``"GET /v1/sessions"``)."""
        if path.startswith("/_emulator/"):
            return False
        if not self.only:
            return True
        for selector in self.only:
            if selector.startswith("/"):
                matched = fnmatch.fnmatchcase(path, selector)
            elif selector in OPERATIONS:
                matched = OPERATIONS[selector] == route
            else:
                matched = selector == method
            if matched:
                return True
        return False


def _problem(term: str, expected: str) -> ValueError:
    return ValueError(f"invalid fault term {term!r}: expected {expected}")


def _number(text: str, term: str, expected: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _problem(term, expected) from None
    if not math.isfinite(value) or value < 0:
        raise _problem(term, expected)
    return value


def _rate(text: str, term: str) -> float:
    value = _number(text, term, "a rate from 0 to 1")
    if value > 1:
        raise _problem(term, "a rate from 0 to 1")
    return value


def _latency(value: str, term: str) -> tuple[float, float]:
    expected = "seconds (e.g. 0.5) or a range MIN-MAX (e.g. 0.2-1.5)"
    low_text, dash, high_text = value.partition("-")
    low = _number(low_text, term, expected)
    high = _number(high_text, term, expected) if dash else low
    if high < low or high > 600:
        raise _problem(term, expected + ", at most 600 seconds")
    return low, high


def _error(value: str, term: str) -> tuple[float, tuple[int, ...]]:
    rate_text, colon, codes_text = value.partition(":")
    if not colon:
        return _rate(rate_text, term), (500,)
    codes: list[int] = []
    for code in codes_text.split("|"):
        if code.strip() not in ("500", "502", "503"):
            raise _problem(term, "RATE[:CODE] with CODE 500, 502 or 503 (several with |)")
        codes.append(int(code))
    return _rate(rate_text, term), tuple(codes)


def _drop(value: str, term: str) -> tuple[float, bool]:
    rate_text, colon, when = value.partition(":")
    if colon and when not in ("before", "after"):
        raise _problem(term, "RATE, RATE:before or RATE:after")
    return _rate(rate_text, term), when == "after"


def _only(value: str, term: str) -> tuple[str, ...]:
    selectors = tuple(s.strip() for s in value.split("|"))
    for selector in selectors:
        known = selector in _METHODS or selector in OPERATIONS or selector.startswith("/")
        if not known:
            raise _problem(
                term,
                "selectors separated by |: a method (GET, POST), an operation "
                f"({', '.join(OPERATIONS)}) or a path glob starting with /",
            )
    return selectors


def parse_faults(spec: str | None) -> FaultSpec | None:
    """Parse a ``--faults`` spec; None or blank means no faults. Raises ValueError."""
    if spec is None or not spec.strip():
        return None
    fields: dict[str, Any] = {}
    seen: set[str] = set()
    for raw_term in spec.split(","):
        term = raw_term.strip()
        name, equals, value = term.partition("=")
        name, value = name.strip(), value.strip()
        if name not in _TERMS:
            raise ValueError(
                f"unknown fault term {term!r} in --faults (known: {', '.join(_TERMS)})"
            )
        if not equals or not value:
            raise _problem(term, f"{name}=VALUE")
        if name in seen:
            raise ValueError(f"fault term {name!r} given twice in --faults")
        seen.add(name)
        if name == "latency":
            fields["latency"] = _latency(value, term)
        elif name == "error":
            fields["error_rate"], fields["error_codes"] = _error(value, term)
        elif name == "html502":
            fields["html502_rate"] = _rate(value, term)
        elif name == "drop":
            fields["drop_rate"], fields["drop_after"] = _drop(value, term)
        elif name == "garbage":
            fields["garbage_rate"] = _rate(value, term)
        else:
            fields["only"] = _only(value, term)
    return FaultSpec(**fields)


class FaultInjector:
    """ASGI middleware applying a :class:`FaultSpec`."""

    def __init__(
        self, app: ASGIApp, spec: FaultSpec, *, seed: str, route_of: Callable[[Scope], str]
    ) -> None:
        self.app = app
        self.spec = spec
        self.route_of = route_of
        self.rng = random.Random(f"{seed}/faults")

    def _chance(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        spec = self.spec
        if scope["type"] != "http" or not spec.applies_to(
            scope["method"], scope["path"], self.route_of(scope)
        ):
            await self.app(scope, receive, send)
            return
        low, high = spec.latency
        if high > 0:
            receive = await _received(receive)
            await asyncio.sleep(self.rng.uniform(low, high))
        if not spec.drop_after and self._chance(spec.drop_rate):
            await _drop_connection(receive, send)
            return
        if self._chance(spec.error_rate):
            code = self.rng.choice(spec.error_codes)
            await error_response(code, ERROR_MESSAGES[code])(scope, receive, send)
            return
        if self._chance(spec.html502_rate):
            await HTMLResponse(PROXY_502_PAGE, status_code=502)(scope, receive, send)
            return
        drop = spec.drop_after and self._chance(spec.drop_rate)
        garbage = not drop and self._chance(spec.garbage_rate)
        if not (drop or garbage):
            await self.app(scope, receive, send)
            return
        start, body = await _capture(self.app, scope, receive)
        if drop:
            await _drop_connection(receive, send)
            return
        cut = body[: self.rng.randint(1, len(body) - 1)] if len(body) > 1 else b"{"
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(cut)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": cut})


async def _received(receive: Receive) -> Receive:
    """Read the whole request body now; the returned ``receive`` hands it over later.

    A server that is slow to answer has the request already: when the client
    gives up waiting, the request is still processed (its answer goes nowhere).
    """
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        body.extend(message.get("body", b""))
        if not message.get("more_body", False):
            break
    pending = [{"type": "http.request", "body": bytes(body), "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """Run the app and keep its answer instead of sending it."""
    start: Message = {"status": 500}
    body = bytearray()

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, keep)
    return start, bytes(body)


async def _drop_connection(receive: Receive, send: Send) -> None:
    """Close the client's connection without a word.

    ASGI has no message for this, so it reaches the server's transport through
    ``send`` (uvicorn's request cycle), then waits until the server has seen
    the disconnect so it does not answer on our behalf.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if not isinstance(transport, asyncio.BaseTransport):
        raise RuntimeError("dropping a connection needs uvicorn's h11 or httptools server")
    transport.close()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(2):
            while (await receive())["type"] != "http.disconnect":
                pass
