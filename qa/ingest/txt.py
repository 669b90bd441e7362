"""Plain-text articles: the first line is the headline when a blank line follows it."""

from __future__ import annotations

from collections.abc import Iterator

from qa.ingest.source import decode, within_limit
from qa.model import Article, InputError

_SPACE = " \t\r\n"


def split_txt(text: str, source: str) -> Article:
    """A plain-text article: the first line is the headline when a blank line follows it.

    Title and body are verbatim slices of ``text``; ``field_offsets`` and ``field_positions`` say where.
    """
    first, sep, rest = text.partition("\n")
    if sep and rest.lstrip(" \t\r").startswith("\n"):
        body_start = len(first) + 1
        while body_start < len(text) and text[body_start] in _SPACE:
            body_start += 1
        title_start = len(first) - len(first.lstrip())
        title = first.strip()
        body_line = text.count("\n", 0, body_start)
        positions = {"title": (0, title_start), "body": (body_line, body_start - (text.rfind("\n", 0, body_start) + 1))}
        offsets = {"title": title_start, "body": body_start}
        return Article(source, source, title, text[body_start:], field_offsets=offsets, field_positions=positions)
    return Article(source, source, "", text, field_offsets={"body": 0}, field_positions={"body": (0, 0)})


def read_txt(name: str, data: bytes, max_chars: int) -> Iterator[Article | InputError]:
    """Read one plain-text article (newlines kept as in the file, so offsets are the file's own)."""
    yield within_limit(split_txt(decode(data), name), name, max_chars)
