"""Run the review app on a real socket: loopback by default, a token whenever bound elsewhere."""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable
from urllib.parse import quote

from qa.review.store import Store

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
MIN_TOKEN = 16


class ServeError(ValueError):
    """The server cannot start (address in use, not an address of this machine, …)."""


class TokenRequired(ServeError):
    """Binding off loopback (or with --require-token) without a usable token."""


def needs_token(host: str, require: bool) -> bool:
    """True unless bound to 127.0.0.1, ::1 or localhost (and no token was asked for)."""
    return require or host not in LOOPBACK


def check_token(host: str, token: str | None, require: bool) -> str | None:
    """The token to enforce (None on plain loopback); raises TokenRequired when one is missing or short."""
    if token is not None and token == "":
        token = None
    if needs_token(host, require) and token is None:
        raise TokenRequired(
            f"binding to {host} needs an access token: --token or QA_SERVE_TOKEN "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe())')"
        )
    if token is not None and len(token) < MIN_TOKEN:
        raise TokenRequired(f"the access token must be at least {MIN_TOKEN} characters")
    return token


def url_host(host: str) -> str:
    """The host as written in a URL (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host else host


def serve(store: Store, host: str, port: int, token: str | None, editor: str,
          announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted; ``announce`` receives the URL (with the token) once the port is bound."""
    from werkzeug.serving import make_server

    from qa.review.app import Settings, create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # request lines would leak ?token= into logs
    # bind here: werkzeug reports a busy port itself and exits with status 1 (our "findings" code)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        listener = socket.create_server((host, port), family=family)
    except OSError as exc:
        raise ServeError(f"cannot listen on {url_host(host)}:{port}: {exc.strerror or exc}") from None
    bound = int(listener.getsockname()[1])
    if token is None:  # no token: refuse Host headers other than ours (DNS rebinding)
        hosts: set[str] | None = {f"{h}:{bound}" for h in ("127.0.0.1", "localhost", "[::1]")}
    else:
        hosts = None
    settings = Settings(token=token, editor=editor, allowed_hosts=hosts, token_cookie=f"qa_token_{bound}",
                        secret=store.secret())
    with listener:
        server = make_server(host, bound, create_app(store, settings), threaded=True, fd=listener.fileno())
    url = f"http://{url_host(host)}:{bound}/" + (f"?token={quote(token)}" if token else "")
    announce(url)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
