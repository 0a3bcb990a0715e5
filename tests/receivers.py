"""Real receivers for the alert tests, on 127.0.0.1 only: an HTTP server (Apprise json://
webhooks and the heartbeat) and an SMTP server (aiosmtpd, for Apprise mailto://)."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _QuietServer(ThreadingHTTPServer):
    """Never prints a handler's error to stderr: another test may be capturing it."""

    def handle_error(self, request, client_address):
        pass


class Http:
    """Records every request; answers `status` (500 makes the channel "down")."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.delay = 0.0  # seconds every answer waits (a slow receiver)
        self.delays: dict[str, float] = {}  # ... or per path prefix
        self.on_request = None  # called with the path before answering (tests hook in)
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else b""
                with outer.lock:
                    outer.requests.append(
                        dict(method=self.command, path=self.path, body=body.decode("utf-8"))
                    )
                    status = outer.status
                if outer.on_request is not None:
                    outer.on_request(self.path)
                wait = next(
                    (d for p, d in outer.delays.items() if self.path.startswith(p)), outer.delay
                )
                if wait:
                    time.sleep(wait)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    # The client gave up (a test's short timeout). Say nothing: a traceback
                    # from this thread lands in whichever test is capturing stderr then.
                    pass

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, scheme: str = "http", path: str = "/hook") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def posts(self, path: str = "/hook") -> list[dict]:
        """The JSON bodies Apprise posted to `path` (title, message, type)."""
        return [
            json.loads(r["body"])
            for r in self.requests
            if r["method"] == "POST" and r["path"].startswith(path)
        ]

    def gets(self) -> list[str]:
        return [r["path"] for r in self.requests if r["method"] == "GET"]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Smtp:
    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                outer.messages.append(envelope)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def url(self, to: str = "team@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=corridor@example.org&to={to}"

    def close(self):
        self.controller.stop()
