"""Start the dashboard: resolve where to connect, start the embedded emulator for a demo."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

from tui.api.client import TraversalClient
from tui.core.connection import Connection, resolve_connection
from tui.core.errors import ConfigError
from tui.core.paths import config_path
from tui.core.store import Store
from tui.workspace import Workspace

#: Sessions the embedded demo starts with.
DEMO_PRELOAD = 12
DEMO_ADMIN_KEY = "trv_ak_demo_admin"


def run_dashboard(*, demo: bool, profile: str | None, base_url: str | None) -> int:
    """Open the dashboard until the person quits; returns the process exit code."""
    try:
        connection = resolve_connection(
            demo=demo,
            profile=profile,
            base_url=base_url,
            env=os.environ,
            config_path=config_path(),
        )
    except ConfigError as error:
        print(f"traversal-tui: {error}", file=sys.stderr)
        return 2
    if connection.mode == "demo":
        return _run_demo(connection)
    return _run_live(connection)


def _run_live(connection: Connection) -> int:
    assert connection.api_key is not None and connection.base_url is not None
    store = Store.open_default()
    try:
        client = TraversalClient(connection.base_url, connection.api_key.get_secret_value())
        return _run_app(client, store, connection.store_key, connection, demo=False)
    finally:
        store.close()


def _run_demo(connection: Connection) -> int:
    # Imported here: a live connection never loads the emulator's server stack.
    from tui.emulator.server import EmbeddedEmulator, EmulatorOptions

    emulator = EmbeddedEmulator(EmulatorOptions(port=0, preload=DEMO_PRELOAD))
    try:
        emulator.start()
    except OSError as error:
        print(f"traversal-tui: could not start the demo emulator: {error}", file=sys.stderr)
        return 1
    # The demo's tracked sessions and drafts live and die with its emulator.
    store = Store.in_memory()
    try:
        client = TraversalClient(emulator.base_url, DEMO_ADMIN_KEY)
        return _run_app(client, store, "demo", connection, demo=True, base_url=emulator.base_url)
    finally:
        store.close()
        emulator.stop()


def _run_app(
    client: TraversalClient,
    store: Store,
    profile_key: str,
    connection: Connection,
    *,
    demo: bool,
    base_url: str | None = None,
) -> int:
    from tui.app import AppOptions, TraversalApp

    endpoint = urlsplit(base_url or connection.base_url or "").netloc
    label = (
        f"demo · embedded emulator on {endpoint}"
        if demo
        else f"{connection.profile_name} · {endpoint}"
    )
    app = TraversalApp(
        Workspace(client, store, profile_key),
        AppOptions(endpoint_label=label, demo=demo, poll_interval=connection.poll_interval),
        keymap=dict(connection.keymap),
    )
    if connection.theme:
        app.theme = connection.theme
    app.run()
    return app.return_code or 0
