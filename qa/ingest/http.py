"""Inputs from the web: ``http(s)://`` feed and article URLs, fetched with time, redirect and size limits.

One GET per URL with urllib3 (already installed with trafilatura): a deadline over the whole fetch
(connect, every redirect, every read), at most ``max_redirects`` redirects, gzip and deflate, and
the body streamed and refused at the same byte limits as a file. The format comes from the
Content-Type, else from the URL path's extension as for a file, else from the content; a charset
in the Content-Type wins over an XML declaration or detection, as HTTP says it should.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from qa import __version__
from qa.ingest.html import MAX_PAGE_BYTES
from qa.ingest.sniff import format_of, sniff
from qa.ingest.source import MAX_FILE_BYTES, Unreadable, bom_encoding

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse, PoolManager

SCHEMES = ("http://", "https://")
USER_AGENT = f"qa/{__version__} (machine-translation quality checker for news)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, "
    "application/json;q=0.8, application/x-ndjson;q=0.8, text/plain;q=0.5, */*;q=0.1"
)
CHUNK_BYTES = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)

# What a Content-Type says the body is; a type not named here (text/plain, application/octet-stream…)
# leaves the choice to the URL path's extension, else to the content.
CONTENT_TYPES = {
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "ninjs",
    "application/x-ndjson": "jsonl",
    "application/ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
}
NOT_TEXT = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip", "application/gzip")


@dataclass(frozen=True)
class HttpSettings:
    """How URLs are fetched: seconds one fetch may take in all and to connect, and how many redirects are followed."""

    timeout: float = 30.0
    connect_timeout: float = 10.0
    max_redirects: int = 5


@dataclass(frozen=True)
class Validators:
    """A response's cache validators (ETag, Last-Modified), sent back to ask only for a changed body."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers (If-None-Match, If-Modified-Since) these validators make."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Fetched:
    """A fetched body and what the response said about it.

    ``data`` is the body without its content coding (gzip), re-encoded as UTF-8 behind a byte-order
    mark when the Content-Type's charset decoded it, so every reader takes that charset first. A
    conditional fetch the server answers with 304 has ``status`` 304 and no data.
    """

    url: str  # after redirects
    data: bytes
    fmt: str | None  # None: sniff it
    content_type: str
    charset: str | None
    status: int = 200
    validators: Validators = Validators()

    @property
    def not_modified(self) -> bool:
        """True when the server said the body has not changed since the validators sent (304)."""
        return self.status == 304


def is_url(name: str) -> bool:
    """True for an ``http://`` or ``https://`` address (any case)."""
    return name[:8].lower().startswith(SCHEMES)


def parse_content_type(value: str) -> tuple[str, str | None]:
    """The media type (lower case, ``""`` when absent) and the charset parameter of a Content-Type header."""
    message = Message()
    message["Content-Type"] = value
    media = message.get_content_type() if value.strip() else ""
    charset = message.get_param("charset")
    return media, charset.strip() if isinstance(charset, str) and charset.strip() else None


def format_for(media: str, url: str) -> str | None:
    """The reader for a response: by its media type, else by the URL path's extension, else None (sniffed)."""
    named = CONTENT_TYPES.get(media)
    if named is None and media.endswith("+json"):
        named = "ninjs"
    elif named is None and media.endswith("+xml"):
        named = "feed"
    return named or format_of(PurePosixPath(urlsplit(url).path))


def recoded(data: bytes, charset: str | None) -> bytes:
    """The body as UTF-8 behind a byte-order mark when ``charset`` decodes it (the readers then take it over an XML
    declaration or detection); otherwise, or when the body has a byte-order mark of its own, unchanged."""
    if charset is None or bom_encoding(data) is not None:
        return data
    try:
        text = data.decode(charset)
        if "\x00" in text[:65536]:
            return data  # binary: left for the readers to refuse
        return codecs.BOM_UTF8 + text.encode("utf-8")
    except (LookupError, UnicodeError, ValueError):
        return data  # a charset Python does not know, or the wrong one: the encoding is detected as for a file


def fetch(url: str, settings: HttpSettings = HttpSettings(), max_bytes: int | None = None, since: Validators | None = None) -> Fetched:
    """GET ``url`` within ``settings``' limits and at most ``max_bytes`` (default: the limit for a file of its format).

    With ``since`` the GET is conditional: a 304 comes back as a Fetched with no data. Raise Unreadable, saying
    why in a few words, when it fails: no connection, time-out, HTTP error status, too many redirects or a
    loop, a body over the limit, or media that is no feed or page.
    """
    import urllib3

    deadline = time.monotonic() + settings.timeout
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate", **(since.headers() if since else {})}
    with urllib3.PoolManager(retries=False, headers=headers) as pool:
        response, final = follow(pool, url, settings, deadline, conditional=since is not None)
        validators = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
        if response.status == 304 and since is not None:  # a 304 may omit the validators: the ones sent still hold
            response.close()
            kept = Validators(validators.etag or since.etag, validators.last_modified or since.last_modified)
            return Fetched(final, b"", None, "", None, 304, kept)
        try:
            media, charset = parse_content_type(response.headers.get("Content-Type", ""))
            if media.startswith(NOT_TEXT):
                raise Unreadable(f"not a feed or page: the server sends {media}")
            fmt = format_for(media, final)
            limit = max_bytes if max_bytes is not None else MAX_PAGE_BYTES if fmt == "html" else MAX_FILE_BYTES
            data = read_body(response, limit, settings, deadline)
        finally:
            response.close()
    if not data:
        raise Unreadable(f"empty response (HTTP {response.status})")
    data = recoded(data, charset)
    if fmt == "html" and sniff(data) == "feed":
        fmt = "feed"  # a feed served as text/html
    return Fetched(final, data, fmt, media, charset, response.status, validators)


def follow(pool: PoolManager, url: str, settings: HttpSettings, deadline: float, conditional: bool = False) -> tuple[BaseHTTPResponse, str]:
    """The response at the end of ``url``'s redirects, and its address; Unreadable for an error status or a bad redirect
    (a 304 passes when the request was ``conditional``)."""
    chain = [url]
    while True:
        response = request(pool, chain[-1], settings, deadline)
        location = response.headers.get("Location")
        if response.status not in REDIRECTS or not location:
            break
        response.close()
        target = urljoin(chain[-1], location.strip())
        if not is_url(target):
            raise Unreadable(f"redirected to {target[:200]!r}, not an http(s) address")
        if target in chain:
            raise Unreadable("redirect loop: " + " → ".join([*chain[chain.index(target) :], target]))
        if len(chain) > settings.max_redirects:
            raise Unreadable(f"more than {settings.max_redirects} redirects (the last to {target})")
        chain.append(target)
    if (response.status >= 300 or response.status < 200) and not (conditional and response.status == 304):
        response.close()
        raise Unreadable(f"HTTP {response.status} {response.reason or ''}".rstrip())
    return response, chain[-1]


def request(pool: PoolManager, url: str, settings: HttpSettings, deadline: float) -> BaseHTTPResponse:
    """One GET, redirects not followed and the body not yet read; connection failures as Unreadable."""
    import urllib3

    remaining = remaining_time(settings, deadline)
    timeout = urllib3.Timeout(connect=min(settings.connect_timeout, remaining), read=remaining)
    try:
        return pool.request("GET", url, preload_content=False, redirect=False, timeout=timeout)
    except (urllib3.exceptions.HTTPError, ValueError) as exc:
        raise Unreadable(failure(exc, settings)) from None


def read_body(response: BaseHTTPResponse, limit: int, settings: HttpSettings, deadline: float) -> bytes:
    """The body without its content coding, read chunk by chunk and refused past ``limit`` bytes or the deadline."""
    import urllib3

    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > limit and not response.headers.get("Content-Encoding"):
        raise Unreadable(f"response is {int(length):,} bytes, over the limit of {limit:,} bytes for one input")
    sock = getattr(response.connection, "sock", None)
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = remaining_time(settings, deadline)
        if sock is not None:
            sock.settimeout(remaining)  # each read waits at most until the deadline, however slowly bytes trickle in
        try:
            chunk = response.read1(CHUNK_BYTES)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise Unreadable(failure(exc, settings)) from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise Unreadable(f"response is over the limit of {limit:,} bytes for one input (stopped reading there)")
        chunks.append(chunk)


def remaining_time(settings: HttpSettings, deadline: float) -> float:
    """Seconds left before the deadline; Unreadable once it has passed."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise Unreadable(timed_out(settings))
    return remaining


def timed_out(settings: HttpSettings) -> str:
    """The message for a fetch that ran out of time."""
    return f"timed out: no complete answer within {settings.timeout:g} s (--http-timeout)"


def failure(exc: Exception, settings: HttpSettings) -> str:
    """A few words on why a request failed, from urllib3's exception."""
    from urllib3 import exceptions as e

    if isinstance(exc, e.NameResolutionError):
        return "cannot connect: host not found"
    if isinstance(exc, e.NewConnectionError):  # before ConnectTimeoutError, which urllib3 makes its base class
        return "cannot connect: " + re.sub(r"^\[Errno -?\d+\] ", "", str(exc).rpartition("new connection: ")[2])
    if isinstance(exc, e.ConnectTimeoutError):
        return f"cannot connect: no answer within {min(settings.connect_timeout, settings.timeout):g} s"
    if isinstance(exc, (e.ReadTimeoutError, TimeoutError)):
        return timed_out(settings)
    if isinstance(exc, e.SSLError):
        return f"TLS error: {short(exc)}"
    if isinstance(exc, e.DecodeError):
        return f"cannot decode the response's content coding: {short(exc)}"
    if isinstance(exc, ValueError):  # urllib3's LocationValueError too
        return f"not a usable URL: {short(exc)}"
    if isinstance(exc, e.ProtocolError):
        return f"connection broken: {short(exc)}"
    return f"cannot fetch: {type(exc).__name__}: {short(exc)}"


def short(exc: Any) -> str:
    """An exception's message on one line, at most 200 characters."""
    return " ".join(str(exc).split())[:200]
