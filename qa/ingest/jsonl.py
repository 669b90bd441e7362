"""JSON Lines: one ``{"id", "title", "body"}`` object per line; other keys are kept as metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator

from qa.ingest.source import Unreadable, decode, parse_json, within_limit
from qa.model import Article, InputError

_FIELDS = ("id", "title", "body")


def parse_line(line: str, name: str, number: int) -> Article:
    """One line as an article; raise Unreadable with a readable reason when it is not one."""
    try:
        item = parse_json(line)
    except json.JSONDecodeError as exc:
        raise Unreadable(f"not valid JSON: {exc}") from None
    if not isinstance(item, dict):
        raise Unreadable(f"expected a JSON object, got a JSON {type(item).__name__}")
    body, title, article_id = item.get("body"), item.get("title"), item.get("id")
    if not isinstance(body, str):
        raise Unreadable("missing \"body\"" if body is None else f"\"body\" must be a string, not {type(body).__name__}")
    if title is not None and not isinstance(title, str):
        raise Unreadable(f"\"title\" must be a string, not {type(title).__name__}")
    if article_id is not None and not isinstance(article_id, (str, int)):
        raise Unreadable(f"\"id\" must be a string or number, not {type(article_id).__name__}")
    metadata = {k: v for k, v in item.items() if k not in _FIELDS}
    article_id = f"{name}:{number}" if article_id is None else str(article_id)
    return Article(article_id, name, title or "", body, metadata=metadata)


def read_jsonl(name: str, data: bytes, max_chars: int) -> Iterator[Article | InputError]:
    """Every line an article; a bad line is an InputError naming ``file:line`` and the rest are still read."""
    # Split on "\n" only: str.splitlines would also break at U+2028 and friends, which JSON strings may hold raw.
    longest = 6 * max_chars + 65_536  # every character of a maximal article \u-escaped, plus room for metadata
    for number, line in enumerate(decode(data).split("\n"), 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        if len(line) > longest:
            yield InputError(where, f"line is {len(line):,} characters long, over the limit of {longest:,}")
            continue
        try:
            article = parse_line(line, name, number)
        except Unreadable as exc:
            yield InputError(where, str(exc))
            continue
        yield within_limit(article, where, max_chars)
