"""Serving the emulator: embedded in a process (a daemon thread) or in the foreground.

The socket is bound here and handed to uvicorn, so a free port (``port=0``)
is known before the server starts and no other process can take it in
between. The embedded server runs in a daemon thread of the calling process:
it can never outlive that process, even when the process is killed.
"""

from __future__ import annotations

import errno
import logging
import math
import secrets
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from types import FrameType, TracebackType

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from tui.emulator.app import RequestStats, build_app
from tui.emulator.clock import EmulatorClock
from tui.emulator.engine import SessionEngine
from tui.emulator.faults import FaultSpec, parse_faults
from tui.emulator.keys import DEMO_KEYS
from tui.emulator.preload import preload

START_TIMEOUT = 10.0
STOP_TIMEOUT = 2.0
MAX_PRELOAD = 10_000


@dataclass
class EmulatorOptions:
    """How to run the emulator; invalid values raise ValueError."""

    host: str = "127.0.0.1"
    port: int = 8077
    max_running: int = 5
    time_scale: float = 1.0
    preload: int = 0
    random_seed: str | None = None
    faults: str | None = None
    #: Where the emulator's clock starts (default: now). Fixed in screenshots and snapshots.
    origin: datetime | None = None
    fault_spec: FaultSpec | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.host, str) or not self.host.strip():
            raise ValueError("host must be a non-empty address such as 127.0.0.1")
        if not _is_int(self.port) or not 0 <= self.port <= 65535:
            raise ValueError("port must be an integer from 0 to 65535 (0 picks a free port)")
        if not _is_int(self.max_running) or self.max_running < 1:
            raise ValueError("max_running must be an integer of at least 1")
        scale = self.time_scale
        if isinstance(scale, bool) or not isinstance(scale, int | float):
            raise ValueError("time_scale must be a number greater than 0")
        if not (math.isfinite(scale) and scale > 0):
            raise ValueError("time_scale must be a number greater than 0")
        if not _is_int(self.preload) or not 0 <= self.preload <= MAX_PRELOAD:
            raise ValueError(f"preload must be an integer from 0 to {MAX_PRELOAD}")
        if self.random_seed is not None and not isinstance(self.random_seed, str):
            raise ValueError("random_seed must be a string")
        self.fault_spec = parse_faults(self.faults)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one). Raises OSError."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


class EmbeddedEmulator:
    """The emulator served by uvicorn in a daemon thread of this process."""

    def __init__(self, options: EmulatorOptions | None = None, *, log: bool = False) -> None:
        self.options = options or EmulatorOptions()
        self.seed = self.options.random_seed or secrets.token_hex(8)
        self.clock = EmulatorClock(self.options.time_scale, origin=self.options.origin)
        self.engine = SessionEngine(
            self.clock, max_running=self.options.max_running, seed=self.seed
        )
        if self.options.preload:
            preload(self.engine, self.options.preload)
        self.stats = RequestStats()
        self.app = build_app(self.engine, faults=self.options.fault_spec, stats=self.stats)
        self._log = log
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the emulator has not been started")
        return self._port

    @property
    def base_url(self) -> str:
        host = self.options.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def start(self) -> EmbeddedEmulator:
        """Bind, serve, and return once connections are accepted. Raises OSError."""
        if self._thread is not None:
            raise RuntimeError("the emulator is already started")
        sock = bind_socket(self.options.host, self.options.port)
        self._port = sock.getsockname()[1]
        server = uvicorn.Server(self._config())
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"traversal-emulator-{self._port}",
            daemon=True,
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                sock.close()
                raise RuntimeError("the emulator's server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop serving; returns within about a second. Safe to call twice."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(STOP_TIMEOUT / 2)
        if thread.is_alive():
            server.force_exit = True
            thread.join(STOP_TIMEOUT / 2)
        self._server = self._thread = None

    def __enter__(self) -> EmbeddedEmulator:
        if self._thread is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _config(self) -> uvicorn.Config:
        if not self._log:
            uvicorn_logger = logging.getLogger("uvicorn")
            if not any(isinstance(h, logging.NullHandler) for h in uvicorn_logger.handlers):
                # Keep uvicorn's messages off the terminal of whoever embeds us.
                uvicorn_logger.addHandler(logging.NullHandler())
        return uvicorn.Config(
            self.app,
            loop="asyncio",
            http="h11",
            lifespan="off",
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=1,
            log_config=LOGGING_CONFIG if self._log else None,
            log_level="info" if self._log else "warning",
            access_log=self._log,
        )


def _describe_bind_error(options: EmulatorOptions, error: OSError) -> str:
    where = f"{options.host}:{options.port}"
    if error.errno == errno.EADDRINUSE:
        return f"port {options.port} on {options.host} is already in use (try --port 0)"
    return f"cannot listen on {where}: {error.strerror or error}"


def banner(emulator: EmbeddedEmulator) -> str:
    """What the foreground emulator prints at start."""
    options = emulator.options
    width = max(len(entry.key) for entry in DEMO_KEYS)
    keys = "\n".join(f"  {entry.key:<{width}}  {entry.description}" for entry in DEMO_KEYS)
    scale = f"{options.time_scale:g}x"
    return (
        f"Traversal Sessions API emulator listening on {emulator.base_url}\n"
        f"Demo keys (send as 'Authorization: Bearer KEY'):\n{keys}\n"
        f"Limit {options.max_running} running per organisation, time scale {scale}, "
        f"seed {emulator.seed!r}, faults: {options.faults or 'none'}, "
        f"preloaded sessions: {options.preload}\n"
        "Press Ctrl+C to stop."
    )


def run_foreground(options: EmulatorOptions) -> int:
    """Serve until Ctrl+C or SIGTERM; 0 on a clean stop, 1 when it cannot listen."""
    emulator = EmbeddedEmulator(options, log=True)
    try:
        emulator.start()
    except OSError as error:
        print(f"traversal-tui emulator: {_describe_bind_error(options, error)}", file=sys.stderr)
        return 1
    print(banner(emulator), flush=True)
    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stopping.wait(0.2):
            pass
    finally:
        emulator.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Emulator stopped.", flush=True)
    return 0
