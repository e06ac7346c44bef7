"""One end-to-end run of the real program in a real terminal (tmux), driven by keys."""

from __future__ import annotations

import os
import shutil
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

    def __init__(self, name: str, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.name = name
        environment = " ".join(f"{key}={_quote(value)}" for key, value in env.items())
        shell = f"cd {_quote(str(cwd))} && env {environment} {' '.join(map(_quote, command))}"
        shell += "; echo EXITED-$?; sleep 30"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "40", shell],
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

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, check=False)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


@pytest.fixture
def terminal(isolated_environment: Path, tmp_path: Path) -> Iterator[Terminal]:
    env = {
        "XDG_CONFIG_HOME": str(isolated_environment / "config"),
        "XDG_DATA_HOME": str(isolated_environment / "data"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "PATH": os.environ.get("PATH", ""),
    }
    session = Terminal(
        f"traversal-e2e-{uuid.uuid4().hex[:8]}", [sys.executable, "-m", "tui"], env, tmp_path
    )
    yield session
    session.close()


def test_newcomer_journey_under_tmux(terminal: Terminal) -> None:
    screen = terminal.wait_text("DEMO")
    assert "embedded emulator" in screen
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
