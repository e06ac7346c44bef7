"""A loopback HTTP server that answers with scripted responses, for client edge cases
the emulator never produces (HTTP-date Retry-After, empty bodies, odd statuses)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: Close the connection without answering at all.
    drop: bool = False


@dataclass
class Script:
    replies: list[Reply]
    seen: list[tuple[str, str, bytes, dict[str, str]]] = field(default_factory=list)

    def next_reply(self) -> Reply:
        if len(self.replies) > 1:
            return self.replies.pop(0)
        return self.replies[0]


@contextmanager
def scripted_server(*replies: Reply) -> Iterator[tuple[str, Script]]:
    """Serve ``replies`` in order (the last one repeats); yields the base URL and the log."""
    script = Script(list(replies))

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            script.seen.append((self.command, self.path, body, dict(self.headers)))
            reply = script.next_reply()
            if reply.drop:
                self.close_connection = True
                self.connection.close()
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # A short poll interval lets shutdown() return at once rather than after half a second.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()
