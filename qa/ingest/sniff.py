"""Which reader an input needs: by file extension, else by looking at its content."""

from __future__ import annotations

import json
from pathlib import PurePath
from xml.parsers import expat

from qa.ingest.feeds import FEED_ROOTS
from qa.ingest.ninjs import NINJS_KEYS
from qa.ingest.source import Unreadable, bom_encoding, decode, markup_text, parse_json

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".json": "ninjs",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def format_of(path: PurePath) -> str | None:
    """The format an extension names (case-insensitive), or None."""
    return EXTENSIONS.get(path.suffix.lower())


class _Root(Exception):
    """Raised from expat callbacks to stop at the first element (or entity declaration)."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def _first_element(data: bytes) -> str | None:
    """Local name of the first XML element, ``"!ENTITY"`` if an entity is declared first, None if unparsable."""

    def start(name: str, attrs: object) -> None:
        raise _Root(name.rpartition(":")[2])

    def entity(*args: object) -> None:
        raise _Root("!ENTITY")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data[:65536], False)
    except _Root as found:
        return found.name
    except (expat.ExpatError, LookupError, ValueError):
        return None
    return None


def sniff(data: bytes) -> str:
    """Guess the format of unnamed input (stdin or an unknown extension) from its content."""
    encoding = bom_encoding(data)
    head = data[:4096].decode(encoding or "utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        try:
            root = _first_element(markup_text(data).encode("utf-8"))
        except Unreadable:
            return "html"  # the reader reports why
        if root == "!ENTITY" or root in FEED_ROOTS:
            return "feed"  # the feed reader refuses entity declarations with a clear message
        return "html"
    if head.startswith(("{", "[")):
        try:
            text = decode(data)
        except Unreadable:
            return "txt"  # the reader reports why
        try:
            document = parse_json(text)
        except Unreadable:
            return "ninjs"  # the reader reports why
        except json.JSONDecodeError:
            first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
            try:
                return "jsonl" if isinstance(parse_json(first), dict) else "ninjs"
            except (json.JSONDecodeError, Unreadable):
                return "ninjs"  # reported as invalid JSON
        if isinstance(document, dict) and "body" in document and not NINJS_KEYS & document.keys():
            return "jsonl"
        return "ninjs"
    return "txt"
