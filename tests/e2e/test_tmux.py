"""One end-to-end run of the real program in a real terminal (tmux), driven by keys."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    """A detached tmux session running one command, read with capture-pane."""

    def __init__(
        self, name: str, command: list[str], env: dict[str, str], cwd: Path, *, exec_: bool
    ) -> None:
        self.name = name
        environment = " ".join(f"{key}={_quote(value)}" for key, value in env.items())
        # COLUMNS and LINES (pytest may export them) would pin the program's size.
        program = f"env -u COLUMNS -u LINES {environment} {' '.join(map(_quote, command))}"
        if exec_:  # the program replaces the shell: the pane's pid is the program's
            shell = f"cd {_quote(str(cwd))} && exec {program}"
        else:
            shell = f"cd {_quote(str(cwd))} && {program}; echo EXITED-$?; sleep 30"
        # A tmux server that is just starting may give a detached window its default
        # size whatever -x and -y say: set that default in the same command.
        subprocess.run(
            [
                "tmux",
                "start-server",
                ";",
                "set-option",
                "-g",
                "default-size",
                "120x40",
                ";",
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                "120",
                "-y",
                "40",
                shell,
            ],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        flags = ["-l"] if literal else []
        subprocess.run(["tmux", "send-keys", "-t", self.name, *flags, *keys], check=True)

    def wait_for(self, predicate: Callable[[str], bool], what: str, seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        while True:
            text = self.screen()
            if predicate(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen was:\n{text}")
            time.sleep(0.1)

    def wait_text(self, needle: str, seconds: float = 30) -> str:
        return self.wait_for(lambda text: needle in text, repr(needle), seconds)

    def pid(self) -> int:
        out = subprocess.run(
            ["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(out.strip())

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, check=False)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


@pytest.fixture
def terminal_env(isolated_environment: Path) -> dict[str, str]:
    return {
        "XDG_CONFIG_HOME": str(isolated_environment / "config"),
        "XDG_DATA_HOME": str(isolated_environment / "data"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "PATH": os.environ.get("PATH", ""),
    }


def _start(env: dict[str, str], cwd: Path, *, exec_: bool = False) -> Terminal:
    name = f"traversal-e2e-{uuid.uuid4().hex[:8]}"
    return Terminal(name, [sys.executable, "-m", "tui"], env, cwd, exec_=exec_)


@pytest.fixture
def terminal(terminal_env: dict[str, str], tmp_path: Path) -> Iterator[Terminal]:
    session = _start(terminal_env, tmp_path)
    yield session
    session.close()


def test_newcomer_journey_under_tmux(terminal: Terminal) -> None:
    terminal.wait_text("DEMO")
    terminal.wait_text("embedded emulator on 127.0.0.1:")
    terminal.wait_for(lambda text: "idle" in text and "running" in text, "idle and running rows")
    # Open the highlighted session and read its findings.
    terminal.keys("Enter")
    terminal.wait_for(lambda text: "You" in text, "the conversation")
    # Start a new investigation from the keyboard.
    terminal.keys("n")
    terminal.wait_text("New investigation")
    terminal.keys("inventory-api 503s since the 14:05 deploy", literal=True)
    terminal.keys("C-s")
    terminal.wait_text("inventory-api 503s")
    # Quit, and the process ends.
    terminal.keys("q")
    terminal.wait_text("EXITED-0", seconds=5)


def test_the_embedded_emulator_dies_with_a_killed_dashboard(
    terminal_env: dict[str, str], tmp_path: Path
) -> None:
    session = _start(terminal_env, tmp_path, exec_=True)
    try:
        session.wait_text("DEMO")
        screen = session.wait_text("embedded emulator on 127.0.0.1:")
        found = re.search(r"embedded emulator on 127\.0\.0\.1:(\d+)", screen)
        assert found, screen
        port = int(found.group(1))
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # the emulator answers while the dashboard runs
        os.kill(session.pid(), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    pass
            except OSError:
                break  # refused: nothing outlived the dashboard
            assert time.monotonic() < deadline, "the emulator outlived the killed dashboard"
            time.sleep(0.1)
    finally:
        session.close()
