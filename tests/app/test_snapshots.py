"""Snapshots of the screens people see, against the emulator with fixed clocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests import scenes
from tui.emulator.server import EmbeddedEmulator

Compare = Callable[..., bool]


@pytest.fixture
def scene_emulator() -> Iterator[EmbeddedEmulator]:
    emulator = scenes.scene_emulator()
    yield emulator
    emulator.stop()


def _check(snap_compare: Compare, emulator: EmbeddedEmulator, scene: Any) -> None:
    app = scenes.scene_app(emulator)
    assert snap_compare(app, terminal_size=scenes.SIZE, run_before=scene)


def test_main_screen_with_findings(snap_compare: Compare, scene_emulator: EmbeddedEmulator) -> None:
    _check(snap_compare, scene_emulator, scenes.open_findings)


def test_new_investigation_form(snap_compare: Compare, scene_emulator: EmbeddedEmulator) -> None:
    _check(snap_compare, scene_emulator, scenes.new_investigation_form)


def test_countdown_toasts(snap_compare: Compare, scene_emulator: EmbeddedEmulator) -> None:
    _check(snap_compare, scene_emulator, scenes.countdowns)
