"""The dashboard's local state: tracked sessions, unsent follow-ups, pending creates.

One SQLite file (standard library) in WAL mode. Every change is one short
``BEGIN IMMEDIATE`` transaction, so two dashboards on the same profile never
lose each other's entries (each waits for the other's write, up to a busy
timeout) and a kill at any moment leaves every committed entry in place.

Entries are grouped by a *profile key* chosen by the caller (for example
``live:work@https://api.traversal.com``; the demo uses its own). Text is
stored as UTF-8 bytes with surrogates passed through, so any Python string
(NULs, lone surrogates, megabytes) comes back exactly. No API key is ever
stored here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, get_args

from tui.core.errors import StoreError
from tui.core.paths import data_dir, ensure_private_dir

STATE_FILE_NAME = "state.sqlite3"
#: Seconds to wait for another process's write before giving up.
BUSY_TIMEOUT = 10.0

Origin = Literal["created", "watched", "listed"]
"""How a session came to be tracked: made here, added by id, or seen in the admin list."""
ORIGINS: tuple[Origin, ...] = get_args(Origin)

# Each step takes the schema from version N to N+1; PRAGMA user_version holds N.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE tracked (
            profile BLOB NOT NULL,
            session_id BLOB NOT NULL,
            title BLOB,
            origin TEXT NOT NULL,
            added_at TEXT NOT NULL,
            last_status BLOB,
            last_seen_at TEXT,
            PRIMARY KEY (profile, session_id)
        )""",
        """CREATE TABLE drafts (
            profile BLOB NOT NULL,
            session_id BLOB NOT NULL,
            text BLOB NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (profile, session_id)
        )""",
        """CREATE TABLE submissions (
            profile BLOB NOT NULL,
            idempotency_key BLOB NOT NULL,
            body TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (profile, idempotency_key)
        )""",
    ),
    (
        """CREATE TABLE dismissed (
            profile BLOB NOT NULL,
            session_id BLOB NOT NULL,
            dismissed_at TEXT NOT NULL,
            PRIMARY KEY (profile, session_id)
        )""",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)


@dataclass(frozen=True)
class TrackedSession:
    """A session this profile's dashboard follows."""

    session_id: str
    title: str | None
    origin: Origin
    added_at: datetime
    last_status: str | None
    """The status last seen by a poll; None before the first."""
    last_seen_at: datetime | None


@dataclass(frozen=True)
class PendingSubmission:
    """A create that was recorded but not known to have reached the server.

    Retry it with the same ``idempotency_key`` and ``body``: the server then
    returns the session it already made instead of making a second one.
    """

    idempotency_key: str
    body: dict[str, Any]
    recorded_at: datetime


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _b(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _s(blob: bytes) -> str:
    return blob.decode("utf-8", "surrogatepass")


def _opt_s(blob: bytes | None) -> str | None:
    return None if blob is None else _s(blob)


def _opt_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


class Store:
    """The local state database. Safe to share between threads; one per process is enough."""

    def __init__(
        self,
        path: Path | str,
        *,
        timeout: float = BUSY_TIMEOUT,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """Open (creating if needed, mode 0600) the database at ``path``, or ``":memory:"``."""
        self._clock = clock
        self._lock = threading.RLock()
        self.path = None if str(path) == ":memory:" else Path(path)
        try:
            if self.path is not None:
                ensure_private_dir(self.path.parent)
                # Created here so that it, and the -wal/-shm files SQLite makes
                # with the same mode, are private from the start.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._db = sqlite3.connect(
                str(path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open the local state {path}: {error}") from error
        try:
            with self._guard():
                self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
                if self.path is not None:
                    self._enable_wal(timeout)
                self._db.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    @classmethod
    def in_memory(cls, **options: Any) -> Store:
        """A private store that disappears when closed."""
        return cls(":memory:", **options)

    @classmethod
    def open_default(cls, **options: Any) -> Store:
        """The store in the user's data folder."""
        return cls(data_dir() / STATE_FILE_NAME, **options)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- tracked sessions ------------------------------------------------

    def track(
        self,
        profile: str,
        session_id: str,
        *,
        title: str | None = None,
        origin: Origin = "watched",
    ) -> bool:
        """Follow ``session_id``; True when it was not tracked before.

        Tracking again keeps the first ``added_at``, takes a new title when
        one is given, and upgrades the origin (``created`` over ``watched``
        over ``listed``), never downgrades it.
        """
        if origin not in ORIGINS:
            raise ValueError(f"origin must be one of {', '.join(ORIGINS)}")
        with self._write() as db:
            return self._track(db, profile, session_id, title, origin)

    def _track(
        self,
        db: sqlite3.Connection,
        profile: str,
        session_id: str,
        title: str | None,
        origin: Origin,
    ) -> bool:
        key = (_b(profile), _b(session_id))
        db.execute("DELETE FROM dismissed WHERE profile = ? AND session_id = ?", key)
        existed = db.execute(
            "SELECT 1 FROM tracked WHERE profile = ? AND session_id = ?", key
        ).fetchone()
        db.execute(
            """INSERT INTO tracked (profile, session_id, title, origin, added_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (profile, session_id) DO UPDATE SET
                title = COALESCE(excluded.title, tracked.title),
                origin = CASE
                    WHEN excluded.origin = 'created' THEN 'created'
                    WHEN excluded.origin = 'watched' AND tracked.origin = 'listed' THEN 'watched'
                    ELSE tracked.origin
                END""",
            (*key, None if title is None else _b(title), origin, self._now()),
        )
        return existed is None

    def untrack(self, profile: str, session_id: str) -> bool:
        """Stop following ``session_id`` and drop its draft; True when it was tracked."""
        key = (_b(profile), _b(session_id))
        with self._write() as db:
            db.execute("DELETE FROM drafts WHERE profile = ? AND session_id = ?", key)
            cursor = db.execute("DELETE FROM tracked WHERE profile = ? AND session_id = ?", key)
            return cursor.rowcount > 0

    def dismiss(self, profile: str, session_id: str) -> None:
        """Stop following ``session_id`` and hide it from the list; tracking it again undoes it."""
        key = (_b(profile), _b(session_id))
        with self._write() as db:
            db.execute("DELETE FROM drafts WHERE profile = ? AND session_id = ?", key)
            db.execute("DELETE FROM tracked WHERE profile = ? AND session_id = ?", key)
            db.execute(
                """INSERT INTO dismissed (profile, session_id, dismissed_at) VALUES (?, ?, ?)
                ON CONFLICT (profile, session_id) DO NOTHING""",
                (*key, self._now()),
            )

    def dismissed(self, profile: str) -> set[str]:
        """Ids a person chose to stop watching on this profile."""
        rows = self._read("SELECT session_id FROM dismissed WHERE profile = ?", (_b(profile),))
        return {_s(session_id) for (session_id,) in rows}

    def tracked(self, profile: str) -> list[TrackedSession]:
        """The sessions ``profile`` follows, oldest first."""
        rows = self._read(
            """SELECT session_id, title, origin, added_at, last_status, last_seen_at
            FROM tracked WHERE profile = ? ORDER BY added_at, rowid""",
            (_b(profile),),
        )
        return [
            TrackedSession(
                session_id=_s(session_id),
                title=_opt_s(title),
                origin=origin,
                added_at=datetime.fromisoformat(added_at),
                last_status=_opt_s(status),
                last_seen_at=_opt_time(seen_at),
            )
            for session_id, title, origin, added_at, status, seen_at in rows
        ]

    def remember_status(
        self, profile: str, session_id: str, status: str, title: str | None = None
    ) -> bool:
        """Record what a poll saw. A session no longer tracked is not brought back: False."""
        with self._write() as db:
            cursor = db.execute(
                """UPDATE tracked SET last_status = ?, last_seen_at = ?,
                    title = COALESCE(?, title)
                WHERE profile = ? AND session_id = ?""",
                (
                    _b(status),
                    self._now(),
                    None if title is None else _b(title),
                    _b(profile),
                    _b(session_id),
                ),
            )
            return cursor.rowcount > 0

    # -- drafts ------------------------------------------------------------

    def save_draft(self, profile: str, session_id: str, text: str) -> None:
        """Keep the unsent follow-up for ``session_id``; empty text deletes it."""
        key = (_b(profile), _b(session_id))
        with self._write() as db:
            if text == "":
                db.execute("DELETE FROM drafts WHERE profile = ? AND session_id = ?", key)
                return
            db.execute(
                """INSERT INTO drafts (profile, session_id, text, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (profile, session_id) DO UPDATE SET
                    text = excluded.text, updated_at = excluded.updated_at""",
                (*key, _b(text), self._now()),
            )

    def draft(self, profile: str, session_id: str) -> str | None:
        """The unsent follow-up for ``session_id``, if any."""
        rows = self._read(
            "SELECT text FROM drafts WHERE profile = ? AND session_id = ?",
            (_b(profile), _b(session_id)),
        )
        return _s(rows[0][0]) if rows else None

    def drafts(self, profile: str) -> dict[str, str]:
        """Every unsent follow-up of ``profile``, by session id."""
        rows = self._read(
            "SELECT session_id, text FROM drafts WHERE profile = ? ORDER BY rowid", (_b(profile),)
        )
        return {_s(session_id): _s(text) for session_id, text in rows}

    # -- the idempotency journal -------------------------------------------

    def record_submission(
        self, profile: str, idempotency_key: str, body: Mapping[str, Any]
    ) -> None:
        """Note a create BEFORE its POST, so it can be retried after a crash or timeout.

        Recording the same key again replaces the body: the key stands for
        one submission, and an edited form must come with a new key.
        """
        text = json.dumps(dict(body), ensure_ascii=True, allow_nan=False)
        with self._write() as db:
            db.execute(
                """INSERT INTO submissions (profile, idempotency_key, body, recorded_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (profile, idempotency_key) DO UPDATE SET body = excluded.body""",
                (_b(profile), _b(idempotency_key), text, self._now()),
            )

    def complete_submission(
        self, profile: str, idempotency_key: str, session_id: str, *, title: str | None = None
    ) -> None:
        """The server answered a create with ``session_id``: track it and close the entry.

        Both happen in one transaction, so a kill in between can neither lose
        the new session nor leave the create pending.
        """
        with self._write() as db:
            self._track(db, profile, session_id, title, "created")
            db.execute(
                "DELETE FROM submissions WHERE profile = ? AND idempotency_key = ?",
                (_b(profile), _b(idempotency_key)),
            )

    def forget_submission(self, profile: str, idempotency_key: str) -> bool:
        """Drop a pending create that will not be retried (the server refused it, or the user)."""
        with self._write() as db:
            cursor = db.execute(
                "DELETE FROM submissions WHERE profile = ? AND idempotency_key = ?",
                (_b(profile), _b(idempotency_key)),
            )
            return cursor.rowcount > 0

    def pending_submissions(self, profile: str) -> list[PendingSubmission]:
        """Creates recorded but not completed nor forgotten, oldest first."""
        rows = self._read(
            """SELECT idempotency_key, body, recorded_at FROM submissions
            WHERE profile = ? ORDER BY recorded_at, rowid""",
            (_b(profile),),
        )
        return [
            PendingSubmission(
                idempotency_key=_s(key),
                body=json.loads(body),
                recorded_at=datetime.fromisoformat(recorded_at),
            )
            for key, body, recorded_at in rows
        ]

    # -- plumbing ------------------------------------------------------------

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat(timespec="microseconds")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite's errors into :class:`StoreError` naming the file."""
        try:
            yield
        except sqlite3.Error as error:
            raise StoreError(f"local state {self.path or ':memory:'}: {error}") from error

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at once (no deadlock on upgrade)."""
        with self._lock, self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _read(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        with self._lock, self._guard():
            return self._db.execute(sql, parameters).fetchall()

    def _enable_wal(self, timeout: float) -> None:
        """Switch to WAL (kept in the file), retrying while another process does the same.

        SQLite does not wait on its busy timeout for this change, so two
        dashboards creating the file at the same moment would otherwise fail.
        """
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() + delay > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def _migrate(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the local state {self.path} was written by a newer traversal-tui "
                    f"(schema {version}; this version knows up to {SCHEMA_VERSION})"
                )
            for step in _MIGRATIONS[version:]:
                for statement in step:
                    db.execute(statement)
            if version != SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
