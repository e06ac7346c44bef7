"""What the README promises: its commands match .ci/run and its config example loads."""

from __future__ import annotations

import re
from pathlib import Path

from tui.core.config import load_config

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_ci_runs_the_readme_test_command_exactly() -> None:
    commands = [line for block in _blocks("sh") for line in block.splitlines()]
    test_command = next(line for line in commands if "pytest" in line)
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_the_config_example_is_valid(tmp_path: Path) -> None:
    (example,) = _blocks("toml")
    path = tmp_path / "config.toml"
    path.write_text(example)
    config = load_config(path).config
    assert set(config.profiles) == {"work", "byoc"}
    assert config.default_profile == "work"
    assert config.keymap == {"new-investigation": "N"}
