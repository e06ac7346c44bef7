"""Fixtures for the emulator's tests: HTTP clients bound to a started emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import EmulatorFactory
from tests.emulator.support import Api
from tui.emulator.server import EmbeddedEmulator

ApiFactory = Callable[..., Api]


@pytest.fixture
def api_factory(emulator_factory: EmulatorFactory) -> Iterator[ApiFactory]:
    """``api_factory(**options)``: an admin client on a new emulator with those options."""
    clients: list[Api] = []

    def make(**options: Any) -> Api:
        client = Api(emulator_factory(**options))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api(emulator: EmbeddedEmulator) -> Iterator[Api]:
    """An admin client on the default emulator (limit 5, real-time clock)."""
    client = Api(emulator)
    yield client
    client.close()
