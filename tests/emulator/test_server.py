"""EmbeddedEmulator and EmulatorOptions: binding, threads, stopping, validation."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.emulator.support import bearer
from tui.emulator.keys import DEMO_ADMIN_KEY
from tui.emulator.server import EmbeddedEmulator, EmulatorOptions

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"host": ""}, "host"),
        ({"port": -1}, "port"),
        ({"port": 70000}, "port"),
        ({"port": True}, "port"),
        ({"max_running": 0}, "max_running"),
        ({"time_scale": 0}, "time_scale"),
        ({"time_scale": -2.0}, "time_scale"),
        ({"time_scale": float("nan")}, "time_scale"),
        ({"time_scale": float("inf")}, "time_scale"),
        ({"preload": -1}, "preload"),
        ({"random_seed": 5}, "random_seed"),
        ({"faults": "explode=1"}, "unknown fault term"),
    ],
)
def test_invalid_options_are_a_value_error(options: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        EmulatorOptions(**options)


def test_the_defaults() -> None:
    options = EmulatorOptions()
    assert (options.host, options.port, options.max_running, options.time_scale) == (
        "127.0.0.1",
        8077,
        5,
        1.0,
    )
    assert (options.preload, options.random_seed, options.faults) == (0, None, None)


def test_port_zero_picks_a_free_port_and_stop_is_quick() -> None:
    emulator = EmbeddedEmulator(EmulatorOptions(port=0))
    with pytest.raises(RuntimeError):
        emulator.base_url  # noqa: B018 - not started yet
    emulator.start()
    try:
        assert emulator.base_url == f"http://127.0.0.1:{emulator.port}"
        assert emulator.port > 0
        response = httpx.get(f"{emulator.base_url}/v1/sessions", headers=bearer(DEMO_ADMIN_KEY))
        assert response.status_code == 200
        [thread] = [t for t in threading.enumerate() if t.name.endswith(str(emulator.port))]
        assert thread.daemon
    finally:
        started = time.monotonic()
        emulator.stop()
        assert time.monotonic() - started < 1.0
    emulator.stop()  # twice is harmless
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{emulator.base_url}/v1/sessions", timeout=1)


def test_a_busy_port_is_an_os_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError):
            EmbeddedEmulator(EmulatorOptions(port=port)).start()


def test_as_a_context_manager_and_side_by_side() -> None:
    with (
        EmbeddedEmulator(EmulatorOptions(port=0)) as one,
        EmbeddedEmulator(EmulatorOptions(port=0)) as two,
    ):
        assert one.port != two.port
        for emulator in (one, two):
            assert httpx.get(f"{emulator.base_url}/_emulator/stats").json() == {}


async def test_it_starts_and_serves_from_inside_a_running_event_loop() -> None:
    emulator = EmbeddedEmulator(EmulatorOptions(port=0, preload=3))
    emulator.start()
    try:
        async with httpx.AsyncClient(
            base_url=emulator.base_url, headers=bearer(DEMO_ADMIN_KEY)
        ) as client:
            responses = await asyncio.gather(*(client.get("/v1/sessions") for _ in range(5)))
        assert {r.json()["total"] for r in responses} == {3}
    finally:
        emulator.stop()


def test_the_embedded_server_dies_with_its_process() -> None:
    script = (
        "import time\n"
        "from tui.emulator.server import EmbeddedEmulator, EmulatorOptions\n"
        "emulator = EmbeddedEmulator(EmulatorOptions(port=0)).start()\n"
        "print(emulator.base_url, flush=True)\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert httpx.get(f"{base_url}/_emulator/stats").status_code == 200
        process.kill()
        process.wait(timeout=5)
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{base_url}/_emulator/stats", timeout=1)
    finally:
        process.kill()
        process.wait(timeout=5)
