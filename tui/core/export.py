"""Export a session's conversation as a Markdown file a person can attach to a postmortem."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from tui.api.models import Session
from tui.core.atomic import write_private
from tui.core.status import status_label


def session_markdown(session: Session) -> str:
    """The whole conversation as one Markdown document (text from the server, never the key)."""
    lines = [
        f"# {session.display_title}",
        "",
        f"- Session: `{session.id}`",
        f"- Status: {status_label(session.status).text}",
        f"- Created: {_utc(session.created_at)}",
    ]
    if session.updated_at:
        lines.append(f"- Updated: {_utc(session.updated_at)}")
    lines.append(f"- Exported: {_utc(datetime.now(UTC))}")
    lines.append("")
    messages = session.messages or []
    if not messages:
        lines += ["## Incident", "", session.input, ""]
    for message in messages:
        if message.role == "user":
            lines += [f"## Question ({_utc(message.created_at)})", ""]
            lines += [
                f"> {line}" if line else ">" for line in message.markdown_content.splitlines()
            ]
            lines.append("")
        else:
            lines += [
                f"## Traversal ({_utc(message.created_at)})",
                "",
                message.markdown_content,
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def latest_answer(session: Session) -> str | None:
    """The newest assistant message's Markdown, if there is one."""
    for message in reversed(session.messages or []):
        if message.role == "assistant" and message.markdown_content.strip():
            return message.markdown_content
    return None


def export_filename(session: Session) -> str:
    """A safe file name: ``traversal-<title-slug>-<first 8 of id>.md``."""
    slug = re.sub(r"[^a-z0-9]+", "-", session.display_title.lower()).strip("-")[:48] or "session"
    short_id = re.sub(r"[^A-Za-z0-9]", "", session.id)[:8] or "unknown"
    return f"traversal-{slug}-{short_id}.md"


def export_session(session: Session, folder: Path) -> Path:
    """Write the session's Markdown into ``folder`` and return the file's path."""
    path = folder / export_filename(session)
    write_private(path, session_markdown(session).encode("utf-8"))
    return path


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
