from __future__ import annotations

import os
import sqlite3
import stat
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.errors import StoreError
from tui.core.store import SCHEMA_VERSION, Store

P = "live:work@https://api.traversal.com"
HOSTILE = [
    "",
    "\x00",
    "a\x00b\x00",
    "\ud800 lone surrogate \udfff",
    "\u202eevil\u202c \x1b[2J\x1b]52;c;aGk=\x07",
    "emoji 🧯🔥 and 中文 and \r\n\t",
    "'; DROP TABLE tracked; --",
    "x" * 3_000_000,
]
# Any code point, surrogates included.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=200)


class Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "state.sqlite3", clock=Clock()) as opened:
        yield opened


def test_track_untrack_and_list_in_order(store: Store) -> None:
    assert store.track(P, "s1", title="first", origin="created")
    assert store.track(P, "s2")
    assert store.track("demo", "s1")
    assert [t.session_id for t in store.tracked(P)] == ["s1", "s2"]
    first = store.tracked(P)[0]
    assert (first.title, first.origin, first.last_status, first.last_seen_at) == (
        "first",
        "created",
        None,
        None,
    )
    assert first.added_at == datetime(2026, 7, 1, 12, 0, 1, tzinfo=UTC)
    assert store.untrack(P, "s1")
    assert not store.untrack(P, "s1")
    assert [t.session_id for t in store.tracked(P)] == ["s2"]
    assert [t.session_id for t in store.tracked("demo")] == ["s1"]


def test_tracking_again_keeps_date_and_upgrades_origin(store: Store) -> None:
    store.track(P, "s", title="listed title", origin="listed")
    added = store.tracked(P)[0].added_at
    assert not store.track(P, "s", origin="watched")
    assert store.tracked(P)[0].origin == "watched"
    store.track(P, "s", origin="listed")
    assert store.tracked(P)[0].origin == "watched"
    store.track(P, "s", title="new title", origin="created")
    session = store.tracked(P)[0]
    assert (session.origin, session.title, session.added_at) == ("created", "new title", added)
    with pytest.raises(ValueError):
        store.track(P, "s", origin="stolen")  # type: ignore[arg-type]


def test_remember_status_updates_only_tracked_sessions(store: Store) -> None:
    store.track(P, "s", title="t")
    assert store.remember_status(P, "s", "running", None)
    assert store.remember_status(P, "s", "idle", "server title")
    session = store.tracked(P)[0]
    assert (session.last_status, session.title) == ("idle", "server title")
    assert session.last_seen_at is not None and session.last_seen_at > session.added_at
    store.untrack(P, "s")
    assert not store.remember_status(P, "s", "idle", "late poll")
    assert store.tracked(P) == []


def test_drafts(store: Store) -> None:
    assert store.draft(P, "s") is None
    store.save_draft(P, "s", "first words")
    store.save_draft(P, "s", "first words, more")
    store.save_draft(P, "t", " ")
    assert store.draft(P, "s") == "first words, more"
    assert store.drafts(P) == {"s": "first words, more", "t": " "}
    assert store.drafts("demo") == {}
    store.save_draft(P, "s", "")
    assert store.draft(P, "s") is None


def test_untrack_drops_the_draft(store: Store) -> None:
    store.track(P, "s")
    store.save_draft(P, "s", "unsent")
    store.untrack(P, "s")
    assert store.draft(P, "s") is None


def test_submission_journal(store: Store) -> None:
    body = {"input": "5xx on checkout", "idempotency_key": "k1", "thinking_mode": "auto"}
    store.record_submission(P, "k1", body)
    store.record_submission(P, "k2", {"input": "other", "idempotency_key": "k2"})
    pending = store.pending_submissions(P)
    assert (pending[0].idempotency_key, pending[0].body) == ("k1", body)
    assert [p.idempotency_key for p in pending] == ["k1", "k2"]
    assert store.pending_submissions("demo") == []

    store.complete_submission(P, "k1", "sess-1", title="checkout")
    assert [p.idempotency_key for p in store.pending_submissions(P)] == ["k2"]
    created = store.tracked(P)[0]
    assert (created.session_id, created.origin, created.title) == ("sess-1", "created", "checkout")

    assert store.forget_submission(P, "k2")
    assert not store.forget_submission(P, "k2")
    assert store.pending_submissions(P) == []


def test_recording_a_key_again_keeps_one_entry_with_the_latest_body(store: Store) -> None:
    store.record_submission(P, "k", {"input": "a"})
    store.record_submission(P, "k", {"input": "b"})
    assert [p.body for p in store.pending_submissions(P)] == [{"input": "b"}]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings_round_trip_exactly(store: Store, text: str) -> None:
    profile, session = "p" + text, "s" + text
    store.track(profile, session, title=text)
    store.remember_status(profile, session, text, None)
    store.save_draft(profile, session, text or "x")
    store.record_submission(profile, "k" + text, {text: [text, {"input": text}]})
    tracked = store.tracked(profile)
    assert [(t.session_id, t.title, t.last_status) for t in tracked] == [(session, text, text)]
    assert store.draft(profile, session) == (text or "x")
    assert store.drafts(profile) == {session: text or "x"}
    [pending] = store.pending_submissions(profile)
    assert (pending.idempotency_key, pending.body) == ("k" + text, {text: [text, {"input": text}]})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=ANY_TEXT, session=ANY_TEXT, text=ANY_TEXT.filter(bool), key=ANY_TEXT)
def test_any_text_round_trips(profile: str, session: str, text: str, key: str) -> None:
    with Store.in_memory() as store:
        store.track(profile, session, title=text)
        store.save_draft(profile, session, text)
        store.record_submission(profile, key, {"input": text})
        assert store.tracked(profile)[0].title == text
        assert store.drafts(profile) == {session: text}
        assert store.pending_submissions(profile)[0].idempotency_key == key
        assert store.pending_submissions(profile)[0].body == {"input": text}


def test_data_survives_reopening_and_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "state.sqlite3"
    with Store(path) as store:
        store.track(P, "s")
        store.save_draft(P, "s", "d")
        files = [p for p in path.parent.iterdir() if p.name.startswith("state.sqlite3")]
        assert {p.name for p in files} >= {"state.sqlite3", "state.sqlite3-wal"}
        for file in files:
            assert stat.S_IMODE(os.stat(file).st_mode) == 0o600, file.name
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    with Store(path) as store:
        assert [t.session_id for t in store.tracked(P)] == ["s"]
        assert store.draft(P, "s") == "d"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer traversal-tui"):
        Store(path)


def test_an_older_schema_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    sqlite3.connect(path).close()  # an empty database is schema version 0
    with Store(path) as store:
        store.track(P, "s")
        assert len(store.tracked(P)) == 1


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match=r"state\.sqlite3"):
        Store(path)


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are Linux's")
def test_the_default_store_lives_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    with Store.open_default() as store:
        assert store.path == tmp_path / "xdg-data" / "traversal-tui" / "state.sqlite3"
        assert store.path.exists()


def test_dismissed_sessions_stay_hidden_until_watched_again(store: Store) -> None:
    store.track(P, "s1", title="one", origin="created")
    store.save_draft(P, "s1", "unsent question")
    store.dismiss(P, "s1")
    store.dismiss(P, "s1")  # twice is harmless
    assert store.dismissed(P) == {"s1"}
    assert store.tracked(P) == []
    assert store.draft(P, "s1") is None
    assert store.dismissed("another profile") == set()
    store.track(P, "s1", origin="watched")
    assert store.dismissed(P) == set()
    assert [t.session_id for t in store.tracked(P)] == ["s1"]


def test_a_first_version_file_gains_the_dismissed_table(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE tracked (profile BLOB NOT NULL, session_id BLOB NOT NULL, "
            "title BLOB, origin TEXT NOT NULL, added_at TEXT NOT NULL, last_status BLOB, "
            "last_seen_at TEXT, PRIMARY KEY (profile, session_id))"
        )
        db.execute(
            "CREATE TABLE drafts (profile BLOB NOT NULL, session_id BLOB NOT NULL, "
            "text BLOB NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (profile, session_id))"
        )
        db.execute(
            "CREATE TABLE submissions (profile BLOB NOT NULL, idempotency_key BLOB NOT NULL,"
            " body TEXT NOT NULL, recorded_at TEXT NOT NULL, "
            "PRIMARY KEY (profile, idempotency_key))"
        )
        db.execute("PRAGMA user_version = 1")
    db.close()
    with Store(path) as upgraded:
        upgraded.dismiss(P, "s9")
        assert upgraded.dismissed(P) == {"s9"}
