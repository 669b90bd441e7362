"""A real HTTP server on 127.0.0.1 for the tests that fetch URLs: each path answered by a small function."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """A ThreadingHTTPServer on a free port of 127.0.0.1, serving ``routes`` (path → handler) from a thread.

    ``requests`` records each request's path and headers, ``sent`` what a route notes it sent (bytes, by
    path); ``stop`` is set when the site closes, so a route that waits or trickles ends with it.
    """

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.sent: dict[str, int] = {}
        self.stop = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                site.requests.append((self.path, dict(self.headers.items())))
                route = site.routes.get(self.path.split("?")[0])
                if route is None:
                    send(self, b"not here", "text/plain", status=404)
                else:
                    route(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hung up mid-body (as qa does past a limit) is expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        """The port the site listens on."""
        return self.server.server_port

    def url(self, path: str) -> str:
        """The address of ``path`` on this site."""
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        """Stop serving, let waiting routes end, and close the socket."""
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def serving(routes: Mapping[str, Route] | None = None) -> Iterator[Site]:
    """A running Site with ``routes``, closed on exit."""
    site = Site()
    site.routes.update(routes or {})
    site.thread.start()
    try:
        yield site
    finally:
        site.close()


def send(handler: BaseHTTPRequestHandler, body: bytes, content_type: str, status: int = 200, headers: Mapping[str, str] | None = None) -> None:
    """Answer with ``body`` whole, its length declared."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def redirect(target: str, status: int = 302) -> Route:
    """A route that redirects to ``target``."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        send(handler, b"", "text/plain", status=status, headers={"Location": target})

    return route


def serve(body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> Route:
    """A route that answers with ``body``."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        send(handler, body, content_type, headers=headers)

    return route
