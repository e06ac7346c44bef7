"""Where the config file and the local data live.

Resolved on each call (never at import time) so tests and the environment
variables they set are honoured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "traversal-tui"
CONFIG_FILE_NAME = "config.toml"
#: Environment variable that points at another config file.
CONFIG_ENV = "TRAVERSAL_TUI_CONFIG"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """The config file: ``$TRAVERSAL_TUI_CONFIG`` if set, else the platform's config folder.

    On Linux that is ``$XDG_CONFIG_HOME/traversal-tui/config.toml``. The file
    and its folder are not created here.
    """
    environ = os.environ if env is None else env
    override = environ.get(CONFIG_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE_NAME


def data_dir(*, create: bool = True) -> Path:
    """The folder for local state (``$XDG_DATA_HOME/traversal-tui`` on Linux).

    Made with mode 0700 when it does not exist yet and ``create`` is true.
    """
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if create:
        ensure_private_dir(path)
    return path


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing; the folder made last gets mode 0700.

    An existing folder is left as it is: its mode is the owner's choice.
    """
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask; make the intent exact.
        os.chmod(path, 0o700)
    return path
