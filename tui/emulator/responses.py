"""The API's error envelope: ``{"error": {"message": ..., "retry_after": N|null}}``."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse


def error_response(
    status: int,
    message: str,
    *,
    retry_after: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An error in the API's envelope; ``retry_after`` is also sent as ``Retry-After``."""
    all_headers = dict(headers or {})
    if retry_after is not None:
        all_headers["Retry-After"] = str(retry_after)
    return JSONResponse(
        {"error": {"message": message, "retry_after": retry_after}},
        status_code=status,
        headers=all_headers,
    )
