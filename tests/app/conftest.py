"""Build the real app against a loopback emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import ADMIN_KEY, EmulatorFactory
from tests.waiting import wait_until
from tui.api.client import TraversalClient
from tui.app import AppOptions, TraversalApp
from tui.core.store import Store
from tui.emulator.server import EmbeddedEmulator

__all__ = ["wait_until"]
from tui.workspace import Workspace

AppFactory = Callable[..., TraversalApp]


class FakeClock:
    """A clock the countdown toasts read; tests move it instead of sleeping."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_app(clock: FakeClock) -> Iterator[AppFactory]:
    """``make_app(emulator, key=..., poll_interval=...)``: the app wired to that emulator."""
    stores: list[Store] = []

    def build(
        emulator: EmbeddedEmulator,
        *,
        key: str = ADMIN_KEY,
        poll_interval: float = 0.5,
        store: Store | None = None,
        profile: str = "test",
        **options: Any,
    ) -> TraversalApp:
        store = store or Store.in_memory()
        stores.append(store)
        client = TraversalClient(emulator.base_url, key, timeout=10)
        return TraversalApp(
            Workspace(client, store, profile),
            AppOptions(endpoint_label="test · emulator", poll_interval=poll_interval, **options),
            clock=clock,
        )

    yield build
    for store in stores:
        store.close()


@pytest.fixture
def demo_emulator(emulator_factory: EmulatorFactory) -> EmbeddedEmulator:
    """An emulator preloaded with a realistic mix, fast enough for tests."""
    return emulator_factory(preload=8, random_seed="app-tests")
