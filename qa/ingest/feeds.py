"""RSS 2.0 and Atom feeds (feedparser), after a defusedxml check for entity tricks."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from qa.ingest.html import html_to_text
from qa.ingest.source import Unreadable, check_content, markup_text, within_limit
from qa.model import Article, InputError

FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_METADATA = ("link", "published", "updated", "author")
_DATES = ("published", "updated")


def iso_date(entry: dict[str, Any], key: str) -> str | None:
    """An item's ``published`` or ``updated`` date as ISO 8601 UTC, when feedparser could read it."""
    parsed = dict.get(entry, f"{key}_parsed")  # not FeedParserDict.get, which maps updated to published
    if not isinstance(parsed, time.struct_time):
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)


# expat's errors that mean the data ended inside the document: the feed was cut short
_CUT_SHORT = frozenset(
    expat.errors.codes[message]
    for message in (
        expat.errors.XML_ERROR_NO_ELEMENTS,
        expat.errors.XML_ERROR_UNCLOSED_TOKEN,
        expat.errors.XML_ERROR_PARTIAL_CHAR,
        expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    )
)
# not well-formed only in the namespaces sense: a lenient reader loses nothing (``<dc:creator>`` with no xmlns:dc)
_HARMLESS = frozenset({expat.errors.codes[expat.errors.XML_ERROR_UNBOUND_PREFIX]})


@dataclass(frozen=True)
class XmlCheck:
    """What the strict XML parse found: the root element's name, or where and why the document broke."""

    root: str | None = None
    broken: str | None = None  # "cut short at line 28, column 2 (unclosed token)"; None when well-formed


def check_xml_safe(data: bytes) -> XmlCheck:
    """Refuse XML that declares entities or reaches outside the document; say where it breaks if not well-formed.

    Entity declarations are what billion-laughs bombs and external-entity (XXE) reads are made of, and news
    feeds do not need them, so any is refused before feedparser sees the data.
    """
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Unreadable(f"unsafe XML refused: {_explain(exc)}") from None
    except (ParseError, ValueError, LookupError) as exc:  # ValueError: expat refuses a declared multi-byte encoding
        # Not well-formed: feedparser's lenient parser may still read it, but it must not meet entity declarations.
        if b"<!entity" in data.lower() or b"<\x00!\x00e\x00n\x00t\x00i\x00t\x00y" in data.lower():
            raise Unreadable("unsafe XML refused: it declares entities (and is not well-formed)") from None
        return XmlCheck(broken=_where_broken(exc) if isinstance(exc, ParseError) else None)
    return XmlCheck(root=str(root.tag).rpartition("}")[2])


def _where_broken(exc: Exception) -> str | None:
    """Where and why expat stopped, for the error on the feed (None for a break a lenient reader fully repairs)."""
    code = getattr(exc, "code", None)
    position = getattr(exc, "position", None)
    if not isinstance(code, int) or not isinstance(position, tuple) or code in _HARMLESS:
        return None
    line, column = position
    how = "cut short" if code in _CUT_SHORT else "not well-formed XML"
    return f"{how} at line {line}, column {column + 1} ({expat.ErrorString(code)})"


def _explain(exc: Exception) -> str:
    name = getattr(exc, "name", None)
    system_id = getattr(exc, "sysid", None) or getattr(exc, "system_id", None)
    kind = type(exc).__name__
    if kind == "EntitiesForbidden" and system_id:
        return f"external entity {name!r} ({system_id}) is not allowed"
    if kind == "EntitiesForbidden":
        return f"entity declaration {name!r} is not allowed (entity expansion)"
    if kind == "ExternalReferenceForbidden":
        return f"external reference ({system_id}) is not allowed"
    return f"{kind}: {exc}"


def detail_text(value: str, content_type: str | None) -> str:
    """Plain text of a feed text construct: HTML converted to paragraphs, plain text tidied into paragraphs."""
    if (content_type or "text/html").lower() in _HTML_TYPES:
        return html_to_text(value)
    blocks = "\n".join(line.strip() for line in value.strip().splitlines()).split("\n\n")
    return "\n\n".join(b.strip() for b in blocks if b.strip())


def entry_body(entry: Mapping[str, Any]) -> str:
    """Text of an item's content, else of its description/summary."""
    candidates = [*entry.get("content", ()), entry.get("summary_detail") or {}]
    for detail in candidates:
        value = detail.get("value") or ""
        if value.strip():
            text = detail_text(value, detail.get("type"))
            if text:
                return text
    return ""


def entry_title(entry: Mapping[str, Any]) -> str:
    """The item's headline on one line."""
    detail = entry.get("title_detail") or {}
    title = entry.get("title") or ""
    if detail.get("type") in _HTML_TYPES:
        title = html_to_text(title)
    return " ".join(title.split())


def read_feed(name: str, data: bytes, max_chars: int) -> Iterator[Article | InputError]:
    """Every item of an RSS 2.0 or Atom feed as an article; an item with no text is an InputError."""
    import feedparser

    check_content(data)
    # Decoded here (declared encoding checked, else detected) and handed on as UTF-8: neither expat nor
    # feedparser then meets an unknown encoding name or a reference to a lone surrogate.
    data = markup_text(data).encode("utf-8")
    xml = check_xml_safe(data)
    if xml.root is not None and xml.root not in FEED_ROOTS:
        raise Unreadable(f"not an RSS or Atom feed (root element <{xml.root}>)")
    # A stream, never bytes or str: feedparser would treat a string as a URL or file name to open.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        if parsed.get("bozo") and not parsed.get("version"):
            raise Unreadable(f"not a readable RSS or Atom feed: {parsed.get('bozo_exception')}")
        if not parsed.get("version"):
            raise Unreadable("not an RSS or Atom feed")
        raise Unreadable(f"feed has no items: it is {xml.broken}" if xml.broken else "feed has no items")
    feed_title = " ".join((parsed.feed.get("title") or "").split())
    for number, entry in enumerate(parsed.entries, 1):
        where = f"{name}[item {number}]"
        try:
            article_id = entry.get("id") or entry.get("link") or f"{name}#item-{number}"
            body = entry_body(entry)
            if not body:
                yield InputError(where, f"feed item {article_id!r} has no text (no content or description)")
                continue
            # dict.get: FeedParserDict.get maps a missing "updated" to "published" with a DeprecationWarning
            metadata = {key: dict.get(entry, key) for key in _METADATA if dict.get(entry, key)}
            metadata.update({key: iso for key in _DATES if (iso := iso_date(entry, key))})
            if feed_title:
                metadata["feed"] = feed_title
            article = Article(str(article_id), name, entry_title(entry), body, metadata=metadata)
        except Unreadable as exc:
            yield InputError(where, str(exc))
            continue
        yield within_limit(article, where, max_chars)
    if xml.broken:  # after its items, which are still checked: the break is the file's error (exit code 3)
        yield InputError(name, f"feed is {xml.broken}: {broken_items(xml.broken, len(parsed.entries))}")


def broken_items(broken: str, items: int) -> str:
    """What was read of a feed that broke (its items are checked all the same)."""
    if broken.startswith("cut short"):
        return f"{items} item(s) read before the break, the last perhaps incomplete"
    return f"{items} item(s) read by a lenient parser"
