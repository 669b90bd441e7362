"""HTML: article text from a news page (trafilatura), and plain text from HTML fragments (lxml)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from qa.ingest.source import Unreadable, markup_text, within_limit
from qa.model import Article, InputError

# A news page's markup, scripts and all, is rarely over 2 MB. Past this, extraction alone takes seconds per
# megabyte (a page flooded with attributes: about 2 s/MB), so a larger page is refused by name, not parsed.
MAX_PAGE_BYTES = 3_000_000

# Elements that end a paragraph; their text becomes its own blank-line-separated paragraph.
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td",
    "th", "tr", "ul",
})
# Elements whose text is never article text.
_DROPPED = frozenset({
    "button", "embed", "form", "head", "iframe", "math", "nav", "noscript", "object", "script", "select", "style",
    "svg", "template",
})


def paragraphs(lines: Iterator[str] | list[str]) -> str:
    """Join non-empty lines (inner whitespace collapsed) as blank-line-separated paragraphs."""
    return "\n\n".join(p for p in (" ".join(line.split()) for line in lines) if p)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment or page: one paragraph per block, scripts and styles dropped."""
    import lxml.html
    from lxml import etree

    if not markup.strip():
        return ""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")
    try:
        # As UTF-8 bytes: lxml refuses a str that carries its own <?xml encoding=…?> declaration.
        root = lxml.html.fromstring(markup.encode("utf-8", errors="surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise Unreadable(f"cannot parse HTML: {exc}") from None
    blocks: list[str] = []
    current: list[str] = []

    def add(text: str | None) -> None:
        if text:
            current.append(text)

    def end_block() -> None:
        if current:
            blocks.append("".join(current))
            current.clear()

    def walk(element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if tag is not None and tag not in _DROPPED:
            block = tag in _BLOCKS
            if block:
                end_block()
            add(element.text)
            for child in element:
                walk(child)
            if block:
                end_block()
        add(element.tail)

    try:
        walk(root)
    except RecursionError:
        raise Unreadable("HTML is nested too deeply to read") from None
    end_block()
    return paragraphs(blocks)


@lru_cache(maxsize=1)
def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # Short news items are still articles: do not fall back to whole-page text (menus and all) below 250 chars.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "0")
    return config


def extract_page(page: str) -> tuple[str, str]:
    """Headline and body text of a news page; navigation, scripts and boilerplate dropped."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            page, with_metadata=True, include_comments=False, include_tables=False, config=_trafilatura_config()
        )
    except Exception as exc:  # noqa: BLE001 - untrusted markup must not stop the run
        raise Unreadable(f"cannot parse HTML: {type(exc).__name__}: {exc}") from None
    fields: dict[str, Any] = {} if doc is None else doc if isinstance(doc, dict) else {"title": doc.title, "text": doc.text}
    text: str = fields.get("text") or ""
    if not text.strip():
        raise Unreadable("no article text found in the HTML page")
    title = " ".join((fields.get("title") or "").split())
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and title and " ".join(lines[0].split()) == title:
        lines = lines[1:]  # the headline is repeated as the first line of the text
    return title, paragraphs(lines)


def read_html(name: str, data: bytes, max_chars: int) -> Iterator[Article | InputError]:
    """Read one HTML news page as an article (text extracted, so no file offsets)."""
    if len(data) > MAX_PAGE_BYTES:
        raise Unreadable(f"HTML page is {len(data):,} bytes, over the limit of {MAX_PAGE_BYTES:,} bytes for one news page")
    title, body = extract_page(markup_text(data))
    if not body:
        raise Unreadable("no article text found in the HTML page")
    yield within_limit(Article(name, name, title, body), name, max_chars)
