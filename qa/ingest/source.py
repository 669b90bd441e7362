"""Raw input: bytes from a file or stdin, decoded to text with a detected encoding, and size limits."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from qa.model import Article, InputError

MAX_FILE_BYTES = 256 * 1024 * 1024  # no single input file is read past this, whatever its format
STDIN = "<stdin>"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Unreadable(Exception):
    """An input or one item of it cannot be read; the message says why (the caller adds where)."""


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, if the data starts with one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def check_content(data: bytes) -> None:
    """Raise Unreadable for an empty or binary input."""
    if not data:
        raise Unreadable("empty file")
    if bom_encoding(data) is None:
        if b"\x00" in data[:65536]:
            raise Unreadable("binary file (contains NUL bytes), not text")
        if not data.strip():
            raise Unreadable("empty file (only whitespace)")


def decode(data: bytes) -> str:
    """Text of the bytes: by BOM, else UTF-8, else the encoding charset-normalizer detects."""
    check_content(data)
    encoding = bom_encoding(data)
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise Unreadable(f"invalid {encoding} text after its byte-order mark: {exc.reason} at byte {exc.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("cannot detect the text encoding (binary file?)")
    text = str(best)
    if not text.strip():
        raise Unreadable("empty file (only whitespace)")
    return text


def read_file(path: Path) -> bytes:
    """The bytes of a file, refusing files over MAX_FILE_BYTES."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise Unreadable(f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes per input file")
        return path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None


def read_stdin() -> bytes:
    """All of standard input as bytes, refusing more than MAX_FILE_BYTES."""
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(MAX_FILE_BYTES + 1) if stream is not None else sys.stdin.read(MAX_FILE_BYTES + 1).encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise Unreadable(f"standard input is over the limit of {MAX_FILE_BYTES:,} bytes")
    return data


def within_limit(article: Article, where: str, max_chars: int) -> Article | InputError:
    """The article, or an InputError when its headline and body together exceed ``max_chars``."""
    size = len(article.title) + len(article.body)
    if size > max_chars:
        return InputError(
            where,
            f"article is {size:,} characters long, over the limit of {max_chars:,} "
            "(raise max_article_chars in qa.yml to check it)",
        )
    return article

