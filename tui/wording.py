"""What the dashboard says about failures and in its help: plain words, one place."""

from __future__ import annotations

from tui.api.errors import (
    ApiError,
    Forbidden,
    NetworkError,
    ProtocolError,
    ServerError,
    Unauthorized,
)

HELP_INTRO = (
    "Single-letter keys work wherever no text is being typed. Statuses read as a symbol and a "
    "word: ◐ running, ◑ follow-up, ● idle, ✖ failed. A 409 or 429 shows a countdown; your "
    "text stays, and ctrl+s during the wait sends it by itself when the wait ends."
)


def unsure_follow_up(error: ApiError) -> str:
    """What the person should know about a follow-up whose fate is unclear."""
    if isinstance(error, NetworkError | ServerError | ProtocolError):
        return (
            "The server may still have taken it: watch the conversation before sending again. "
            "Your question is still in the box."
        )
    return "Your question is still in the box."


def describe_problem(error: BaseException) -> str:
    """A plain-words sentence for an API failure, with what to do about it."""
    if isinstance(error, Unauthorized):
        return (
            "The API key was not accepted (401): it is missing, invalid or revoked. "
            "Check TRAVERSAL_API_KEY or the profile's key."
        )
    if isinstance(error, Forbidden):
        return f"Not allowed (403): {error.message}"
    if isinstance(error, NetworkError):
        return f"Cannot reach the server: {error.message}"
    if isinstance(error, ServerError):
        return f"The server failed ({error.status}): {error.message}"
    if isinstance(error, ApiError):
        return error.message
    return f"Unexpected error: {error!r}"
