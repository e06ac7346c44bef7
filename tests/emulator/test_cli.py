"""`traversal-tui emulator` (as `python -m tui emulator`) in a real subprocess."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.emulator.support import bearer
from tui.emulator.keys import DEMO_ADMIN_KEY, DEMO_KEYS

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def emulator_process(*args: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "emulator", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=5)


def read_banner(process: subprocess.Popen[str]) -> tuple[str, str]:
    """The base URL and the banner, read up to its last line."""
    assert process.stdout is not None
    lines: list[str] = []
    while not lines or "Ctrl+C" not in lines[-1]:
        line = process.stdout.readline()
        assert line, "the emulator exited before printing its banner"
        lines.append(line)
    banner = "".join(lines)
    match = re.search(r"http://127\.0\.0\.1:\d+", banner)
    assert match, banner
    return match.group(), banner


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_it_serves_until_a_signal_and_exits_cleanly(stop_signal: signal.Signals) -> None:
    with emulator_process("--port", "0", "--preload", "4", "--random-seed", "cli") as process:
        base_url, banner = read_banner(process)
        for entry in DEMO_KEYS:
            assert entry.key in banner
        response = httpx.get(f"{base_url}/v1/sessions", headers=bearer(DEMO_ADMIN_KEY))
        assert response.json()["total"] == 4
        process.send_signal(stop_signal)
        assert process.wait(timeout=5) == 0
        _, stderr = process.communicate(timeout=5)
        assert "Traceback" not in stderr


def test_a_port_in_use_is_a_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        with emulator_process("--port", port) as process:
            assert process.wait(timeout=10) != 0
            stdout, stderr = process.communicate(timeout=5)
    assert "Traceback" not in stderr
    assert stderr.strip().count("\n") == 0
    assert "already in use" in stderr and port in stderr
    assert "listening" not in stdout


def test_a_bad_faults_spec_is_refused_before_starting() -> None:
    with emulator_process("--port", "0", "--faults", "meteor=1") as process:
        assert process.wait(timeout=10) == 2
        _, stderr = process.communicate(timeout=5)
    assert "unknown fault term" in stderr and "Traceback" not in stderr
