from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tui.core.paths import config_path, data_dir, ensure_private_dir

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are Linux's")


@linux_only
def test_config_path_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAVERSAL_TUI_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert config_path() == tmp_path / "cfg" / "traversal-tui" / "config.toml"
    assert not (tmp_path / "cfg").exists()


def test_config_path_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAVERSAL_TUI_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert config_path() == tmp_path / "elsewhere.toml"
    assert config_path({"TRAVERSAL_TUI_CONFIG": "~/t.toml"}) == Path.home() / "t.toml"
    assert config_path({"TRAVERSAL_TUI_CONFIG": " "}).name == "config.toml"


@linux_only
def test_data_dir_is_made_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert data_dir(create=False) == tmp_path / "data" / "traversal-tui"
    assert not (tmp_path / "data").exists()
    path = data_dir()
    assert path == tmp_path / "data" / "traversal-tui"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700


def test_private_dir_ignores_a_permissive_umask_and_keeps_existing_modes(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        made = ensure_private_dir(tmp_path / "a" / "b")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(made).st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    ensure_private_dir(shared)
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o755
