"""Two dashboards on one state file, and a dashboard killed while writing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from tui.core.store import Store

P = "live:work@https://api.traversal.com"
ROOT = Path(__file__).resolve().parents[2]
COUNT = 150

# Opens the store, says "ready", waits for a line on stdin, then writes
# entries named after argv[3], printing each index once it is committed.
WRITER = textwrap.dedent(
    """
    import sys
    from tui.core.store import Store

    path, profile, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
    count, pad = int(sys.argv[4]), int(sys.argv[5])
    store = Store(path)
    print("ready", flush=True)
    sys.stdin.readline()
    i = 0
    while count < 0 or i < count:
        store.track(profile, f"{prefix}-{i}", title="t" * pad)
        store.save_draft(profile, f"{prefix}-{i}", f"draft {i} " + "d" * pad)
        store.record_submission(profile, f"{prefix}-k{i}", {"input": str(i)})
        print(i, flush=True)
        i += 1
    """
)


def write_entries(store: Store, prefix: str, count: int) -> None:
    for i in range(count):
        store.track(P, f"{prefix}-{i}")
        store.save_draft(P, f"{prefix}-{i}", f"draft {i}")
        store.record_submission(P, f"{prefix}-k{i}", {"input": str(i)})
        store.remember_status(P, f"{prefix}-{i}", "running", None)


def assert_complete(path: Path, prefixes: list[str], count: int) -> None:
    with Store(path) as store:
        ids = {t.session_id for t in store.tracked(P)}
        drafts = store.drafts(P)
        keys = {p.idempotency_key for p in store.pending_submissions(P)}
    for prefix in prefixes:
        for i in range(count):
            assert f"{prefix}-{i}" in ids
            assert drafts[f"{prefix}-{i}"].startswith(f"draft {i}")
            assert f"{prefix}-k{i}" in keys


def start_writer(path: Path, prefix: str, count: int, pad: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), P, prefix, str(count), str(pad)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_two_stores_in_two_threads_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    stores = [Store(path), Store(path)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(store: Store, prefix: str) -> None:
        try:
            barrier.wait(timeout=30)
            write_entries(store, prefix, COUNT)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(s, n)) for s, n in zip(stores, "ab", strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for store in stores:
        store.close()
    assert errors == []
    assert_complete(path, ["a", "b"], COUNT)


def test_one_store_shared_by_threads_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with Store(path) as store:
        threads = [
            threading.Thread(target=write_entries, args=(store, prefix, 50)) for prefix in "abcd"
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert_complete(path, list("abcd"), 50)


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "state.sqlite3"  # both processes create it together
    writers = [start_writer(path, prefix, COUNT) for prefix in ("a", "b")]
    try:
        for writer in writers:
            assert writer.stdout is not None
            assert writer.stdout.readline() == "ready\n"
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            output, _ = writer.communicate(timeout=120)
            assert writer.returncode == 0
            assert output.split() == [str(i) for i in range(COUNT)]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    assert_complete(path, ["a", "b"], COUNT)


def test_a_writer_killed_mid_write_leaves_every_committed_entry(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    writer = start_writer(path, "k", -1, pad=200_000)  # large rows: kills land mid-transaction
    assert writer.stdin is not None and writer.stdout is not None
    try:
        assert writer.stdout.readline() == "ready\n"
        writer.stdin.write("go\n")
        writer.stdin.flush()
        committed = [writer.stdout.readline() for _ in range(40)]
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == -signal.SIGKILL
    done = [int(line) for line in committed + rest.splitlines()]
    assert done == list(range(len(done)))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert_complete(path, ["k"], len(done))
    with Store(path) as store:  # still writable after the crash
        store.track(P, "after")
        assert "after" in {t.session_id for t in store.tracked(P)}
