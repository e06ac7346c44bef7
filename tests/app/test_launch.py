"""How the dashboard starts: demo on the embedded emulator, or live with a key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.app import TraversalApp
from tui.core.errors import ConfigError
from tui.emulator.server import EmbeddedEmulator
from tui.launch import prepare

from .conftest import wait_until

ROOT = Path(__file__).resolve().parents[2]


def _env(**values: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k.startswith("XDG_")}
    return {**keep, **values}


async def test_no_key_and_no_config_runs_the_demo_with_a_marker() -> None:
    launch = prepare(demo=False, profile=None, base_url=None, env=_env())
    try:
        app = launch.app
        assert isinstance(app, TraversalApp)
        assert app.options.demo
        assert app.workspace.client.base_url.startswith("http://127.0.0.1:")
        async with app.run_test(size=(120, 40)) as pilot:
            marker = app.query_one("#demo-marker")
            assert marker.display and "DEMO" in str(marker.render())
            await wait_until(pilot, lambda: app.list_pane.table.row_count >= 10, what="preload")
    finally:
        launch.close()


async def test_a_key_in_the_environment_connects_to_that_endpoint(
    emulator: EmbeddedEmulator,
) -> None:
    env = _env(TRAVERSAL_API_KEY="trv_ak_demo_admin", TRAVERSAL_BASE_URL=emulator.base_url)
    launch = prepare(demo=False, profile=None, base_url=None, env=env)
    try:
        app = launch.app
        assert not app.options.demo
        assert app.workspace.client.base_url == emulator.base_url
        async with app.run_test(size=(120, 40)):
            assert not app.query_one("#demo-marker").display
            assert "trv_ak_demo_admin" not in str(app.query_one("#top-bar").render())
    finally:
        launch.close()


def test_a_profile_whose_key_is_missing_is_an_error_not_a_demo(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[profiles.work]\nbase_url = "https://traversal.example.com"\n'
        'api_key_env = "WORK_TRAVERSAL_KEY"\n'
    )
    with pytest.raises(ConfigError, match="WORK_TRAVERSAL_KEY"):
        prepare(
            demo=False, profile="work", base_url=None, env=_env(TRAVERSAL_TUI_CONFIG=str(config))
        )


def test_live_start_never_imports_the_emulator_stack(emulator: EmbeddedEmulator) -> None:
    script = (
        "import os, sys\n"
        "from tui.launch import prepare\n"
        "launch = prepare(demo=False, profile=None, base_url=None, env=os.environ)\n"
        "launch.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('uvicorn', 'starlette', 'tui') and (m.startswith('tui.emulator') or "
        "not m.startswith('tui'))))\n"
    )
    env = {
        **os.environ,
        "TRAVERSAL_API_KEY": "trv_ak_demo_admin",
        "TRAVERSAL_BASE_URL": emulator.base_url,
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_version_and_help() -> None:
    for flag, needle in (("--version", "traversal-tui 0.1.0"), ("--help", "emulator")):
        result = subprocess.run(
            [sys.executable, "-m", "tui", flag],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0
        assert needle in result.stdout


def test_config_error_exits_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("this is = = not toml")
    env = {**os.environ, "TRAVERSAL_TUI_CONFIG": str(config)}
    result = subprocess.run(
        [sys.executable, "-m", "tui"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.startswith("traversal-tui: ")
    assert "Traceback" not in result.stderr
