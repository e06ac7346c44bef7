"""Start the dashboard: resolve where to connect, start the embedded emulator for a demo."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tui.api.client import TraversalClient
from tui.app import AppOptions, TraversalApp
from tui.core.connection import Connection, resolve_connection
from tui.core.errors import ConfigError, StoreError
from tui.core.paths import config_path
from tui.core.store import Store
from tui.workspace import Workspace

#: Sessions the embedded demo starts with.
DEMO_PRELOAD = 12
DEMO_ADMIN_KEY = "trv_ak_demo_admin"


@dataclass
class Launch:
    """A dashboard ready to run, and what to close after it."""

    app: TraversalApp
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            cleanup()


def run_dashboard(*, demo: bool, profile: str | None, base_url: str | None) -> int:
    """Open the dashboard until the person quits; returns the process exit code."""
    try:
        launch = prepare(demo=demo, profile=profile, base_url=base_url, env=os.environ)
    except (ConfigError, StoreError, OSError) as error:
        print(f"traversal-tui: {error}", file=sys.stderr)
        return 2
    try:
        launch.app.run()
        return launch.app.return_code or 0
    finally:
        launch.close()


def prepare(
    *, demo: bool, profile: str | None, base_url: str | None, env: Mapping[str, str]
) -> Launch:
    """Resolve the connection and build the app (starting the emulator for a demo)."""
    connection = resolve_connection(
        demo=demo, profile=profile, base_url=base_url, env=env, config_path=config_path(env)
    )
    if connection.is_demo:
        return _prepare_demo(connection)
    return _prepare_live(connection)


def _prepare_live(connection: Connection) -> Launch:
    assert connection.api_key is not None and connection.base_url is not None
    store = Store.open_default()
    client = TraversalClient(connection.base_url, connection.api_key.get_secret_value())
    endpoint = urlsplit(connection.base_url).netloc
    app = _build_app(client, store, connection, label=f"{connection.profile_name} · {endpoint}")
    return Launch(app, [store.close])


def _prepare_demo(connection: Connection) -> Launch:
    # Imported here: a live connection never loads the emulator's server stack.
    from tui.emulator.server import EmbeddedEmulator, EmulatorOptions

    # The emulator runs in a daemon thread of this process, so it ends with the
    # dashboard however the dashboard ends (SIGKILL included).
    emulator = EmbeddedEmulator(EmulatorOptions(port=0, preload=DEMO_PRELOAD)).start()
    # The demo's tracked sessions and drafts live and die with its emulator.
    store = Store.in_memory()
    client = TraversalClient(emulator.base_url, DEMO_ADMIN_KEY)
    endpoint = urlsplit(emulator.base_url).netloc
    app = _build_app(
        client, store, connection, label=f"demo · embedded emulator on {endpoint}", demo=True
    )
    return Launch(app, [emulator.stop, store.close])


def _build_app(
    client: TraversalClient,
    store: Store,
    connection: Connection,
    *,
    label: str,
    demo: bool = False,
) -> TraversalApp:
    app = TraversalApp(
        Workspace(client, store, connection.store_key),
        AppOptions(
            endpoint_label=label,
            demo=demo,
            poll_interval=connection.poll_interval,
            freeze_gc=True,
        ),
        keymap=dict(connection.keymap),
    )
    if connection.theme:
        app.theme = connection.theme
    return app
