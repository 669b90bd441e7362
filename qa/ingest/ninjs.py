"""IPTC ninjs JSON: one news item or a list of them (``headline``, ``body_text`` or ``body_html``)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from qa.ingest.html import html_to_text
from qa.ingest.source import Unreadable, decode, parse_json, within_limit
from qa.model import Article, InputError

# Keys read into the article itself; every other key is kept in its metadata.
_TEXT_KEYS = frozenset({"headline", "headlines", "body_text", "body_html", "bodies"})
NINJS_KEYS = frozenset({"uri", "guid", *_TEXT_KEYS})


def _first_value(items: Any, prefer: str) -> tuple[str, str] | None:
    """(value, contenttype) from a ninjs 2.x list such as ``bodies``, preferring one content type."""
    if not isinstance(items, list):
        return None
    found = [(i["value"], str(i.get("contenttype") or "text/plain")) for i in items if isinstance(i, dict) and isinstance(i.get("value"), str)]
    found.sort(key=lambda v: v[1] != prefer)
    return found[0] if found else None


def item_text(item: Mapping[str, Any]) -> tuple[str, str]:
    """Headline and body of a ninjs item; body_text is kept verbatim, body_html converted to text."""
    headline = item.get("headline")
    if not isinstance(headline, str):
        first = _first_value(item.get("headlines"), "text/plain")
        headline = first[0] if first else ""
    body = item.get("body_text")
    if isinstance(body, str) and body.strip():
        return " ".join(headline.split()), body
    html = item.get("body_html")
    if isinstance(html, str) and html.strip():
        return " ".join(headline.split()), html_to_text(html)
    first = _first_value(item.get("bodies"), "text/plain")
    if first and first[0].strip():
        value, kind = first
        return " ".join(headline.split()), html_to_text(value) if "html" in kind else value
    raise Unreadable("ninjs item has no body_text or body_html")


def read_ninjs(name: str, data: bytes, max_chars: int) -> Iterator[Article | InputError]:
    """Read a ninjs item or a list of items."""
    try:
        document = parse_json(decode(data))
    except json.JSONDecodeError as exc:
        hint = " (one JSON object per line? name the file .jsonl)" if exc.msg == "Extra data" else ""
        raise Unreadable(f"not valid JSON: {exc}{hint}") from None
    single = isinstance(document, dict)
    items = [document] if single else document
    if not isinstance(items, list):
        raise Unreadable("not a ninjs item or list of items (expected a JSON object or array)")
    if not items:
        raise Unreadable("empty list of ninjs items")
    for number, item in enumerate(items, 1):
        where = name if single else f"{name}[item {number}]"
        if not isinstance(item, dict):
            yield InputError(where, f"ninjs item is a JSON {type(item).__name__}, not an object")
            continue
        try:
            title, body = item_text(item)
        except Unreadable as exc:
            yield InputError(where, str(exc))
            continue
        article_id = item.get("uri") or item.get("guid") or (name if single else f"{name}#item-{number}")
        metadata = {k: v for k, v in item.items() if k not in _TEXT_KEYS}
        yield within_limit(Article(str(article_id), name, title, body, metadata=metadata), where, max_chars)
