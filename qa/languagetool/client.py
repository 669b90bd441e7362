"""A small client for LanguageTool's HTTP API (``/v2/check``, ``/v2/languages``) with hard time limits.

The standard library is enough: one POST per article, form-encoded as the API documents. Every
request has a deadline that bounds the whole exchange (connect, send, every read), so a server
that stops answering costs at most one time-out per article, never a hang.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

MAX_RESPONSE_BYTES = 32 * 1024 * 1024


class LanguageToolError(Exception):
    """A request to LanguageTool failed; the message says why in a few words."""


class ServerUnavailable(LanguageToolError):
    """The server cannot be reached or dropped the connection: later requests would fail too."""


class RequestFailed(LanguageToolError):
    """This one request failed (time-out, HTTP error, bad JSON); the server may still answer others."""


class ArticleRejected(RequestFailed):
    """The server refused this text (HTTP 4xx, e.g. longer than its limit): nothing wrong with the server."""


@dataclass(frozen=True)
class Endpoint:
    """Where a LanguageTool server listens: scheme, host, port and the path that leads to ``v2/``."""

    scheme: str
    host: str
    port: int
    prefix: str

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """Read ``http://host:8081``, ``…/v2`` or ``…/v2/check``; ValueError when it is not an http(s) URL."""
        parts = urllib.parse.urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        path = parts.path.rstrip("/")
        for tail in ("/check", "/v2"):
            path = path.removesuffix(tail)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return cls(parts.scheme, parts.hostname, port, path)

    @property
    def url(self) -> str:
        """The server's base URL, as reports print it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.prefix}"

    def path(self, name: str) -> str:
        """The request path of an API call such as ``check``."""
        return f"{self.prefix}/v2/{name}"


class Client:
    """Talks to one LanguageTool server; safe to use from several threads (one connection per request)."""

    def __init__(self, url: str, connect_timeout: float = 2.0, timeout: float = 20.0):
        self.endpoint = Endpoint.parse(url)
        self.connect_timeout = connect_timeout
        self.timeout = timeout

    def languages(self) -> list[Any]:
        """``GET /v2/languages``: the cheap call used to see whether the server is there."""
        data = self._request("GET", self.endpoint.path("languages"), None, min(self.timeout, self.connect_timeout * 2))
        if not isinstance(data, list):
            raise RequestFailed("unexpected answer to /v2/languages")
        return data

    def check(self, text: str, params: dict[str, str]) -> dict[str, Any]:
        """``POST /v2/check`` with ``text`` and the other form fields; the parsed JSON answer."""
        # a lone surrogate (possible from JSON input) becomes "?": one UTF-16 unit either way
        body = urllib.parse.urlencode({"text": text, **params}, encoding="utf-8", errors="replace").encode("ascii")
        data = self._request("POST", self.endpoint.path("check"), body, self.timeout)
        if not isinstance(data, dict):
            raise RequestFailed("unexpected answer to /v2/check")
        return data

    def _connect(self, deadline: float) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.endpoint.scheme == "https" else http.client.HTTPConnection
        conn = cls(self.endpoint.host, self.endpoint.port, timeout=min(self.connect_timeout, _left(deadline)))
        try:
            conn.connect()
        except TimeoutError:
            conn.close()
            raise ServerUnavailable(f"no answer from {self.endpoint.url} within {self.connect_timeout:g}s") from None
        except OSError as exc:
            conn.close()
            raise ServerUnavailable(f"cannot connect to {self.endpoint.url}: {exc.strerror or exc}") from None
        return conn

    def _request(self, method: str, path: str, body: bytes | None, limit: float) -> Any:
        deadline = time.monotonic() + limit
        conn = self._connect(deadline)
        sock = conn.sock
        assert sock is not None
        try:
            sock.settimeout(_left(deadline))
            headers = {"Accept": "application/json"}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
            conn.request(method, path, body=body, headers=headers)
            sock.settimeout(_left(deadline))
            response = conn.getresponse()
            chunks: list[bytes] = []
            size = 0
            while not response.isclosed():  # a finished response has released the socket
                sock.settimeout(_left(deadline))
                chunk = response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise RequestFailed("answer too large")
                chunks.append(chunk)
            payload = b"".join(chunks)
        except TimeoutError:
            raise RequestFailed(f"no answer within {limit:g}s") from None
        except (http.client.RemoteDisconnected, ConnectionError) as exc:
            raise ServerUnavailable(f"{self.endpoint.url} dropped the connection ({type(exc).__name__})") from None
        except (http.client.HTTPException, OSError) as exc:
            raise RequestFailed(f"request failed: {type(exc).__name__}: {exc}") from None
        finally:
            conn.close()
        if response.status != 200:
            snippet = " ".join(payload[:200].decode("utf-8", "replace").split())
            message = f"HTTP {response.status}: {snippet}" if snippet else f"HTTP {response.status}"
            raise ArticleRejected(message) if 400 <= response.status < 500 else RequestFailed(message)
        try:
            return json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RequestFailed("answer is not JSON") from None


def _left(deadline: float) -> float:
    """Seconds until ``deadline``; raises the time-out when it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left
