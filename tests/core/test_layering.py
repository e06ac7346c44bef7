"""The core layer never brings in Textual or Rich (import-linter checks the source too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = """
import pkgutil, importlib, sys
import tui.core
for module in pkgutil.iter_modules(tui.core.__path__, "tui.core."):
    importlib.import_module(module.name)
print(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich")))
"""


def test_importing_every_core_module_loads_no_ui_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_default_base_url_matches_the_clients() -> None:
    from tui.api.client import DEFAULT_BASE_URL as CLIENT_DEFAULT
    from tui.core.config import DEFAULT_BASE_URL

    assert DEFAULT_BASE_URL == CLIENT_DEFAULT
