"""Fixtures shared by the whole suite.

Every test runs with its own config and data folders and without any
Traversal key from the environment, so nothing here can reach a real
service or read a developer's files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.emulator.server import EmbeddedEmulator, EmulatorOptions

ADMIN_KEY = "trv_ak_demo_admin"
MEMBER_KEY = "trv_ak_demo_member"
OTHER_ADMIN_KEY = "trv_ak_other_admin"
DISABLED_KEY = "trv_ak_disabled"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point config and data at a fresh folder and remove any ambient key."""
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "data").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    for name in ("TRAVERSAL_API_KEY", "TRAVERSAL_BASE_URL", "TRAVERSAL_TUI_CONFIG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return home


EmulatorFactory = Callable[..., EmbeddedEmulator]


@pytest.fixture
def emulator_factory() -> Iterator[EmulatorFactory]:
    """Start emulators on free loopback ports; all are stopped after the test."""
    started: list[EmbeddedEmulator] = []

    def start(**options: Any) -> EmbeddedEmulator:
        options.setdefault("port", 0)
        options.setdefault("random_seed", "tests")
        emulator = EmbeddedEmulator(EmulatorOptions(**options))
        emulator.start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def emulator(emulator_factory: EmulatorFactory) -> EmbeddedEmulator:
    """A default emulator: limit 5, real-time clock (tests move it with ``advance``)."""
    return emulator_factory()
