"""Raw input: bytes from a file or stdin, decoded to text with a detected encoding, and size limits."""

from __future__ import annotations

import codecs
import json
import re
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qa.model import Article, InputError

MAX_FILE_BYTES = 256 * 1024 * 1024  # no single input file is read past this, whatever its format
MAX_JSON_DEPTH = 32  # news items nest a few levels; deeper is a broken or hostile document
MAX_INT_DIGITS = 64  # ids and metadata numbers; Python refuses past 4,300 digits with its own error
STDIN = "<stdin>"

# Code points that are not text: lone surrogates (from &#xD800; or a broken UTF-16 file), NUL and the other
# C0/C1 controls but tab and line breaks, and the noncharacters U+FFFE/U+FFFF. Each becomes U+FFFD, one code
# point for one, so offsets into the input stay the input's own.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"

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


def clean_text(text: str) -> str:
    """``text`` with every code point that is not text (lone surrogates, controls, NUL) replaced by U+FFFD."""
    return _NOT_TEXT.sub(REPLACEMENT, text)


def clean_value(value: Any) -> Any:
    """A metadata value with its strings (keys too) cleaned like ``clean_text``; JSON depth is bounded on reading."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_value(v) for v in value]
    return value


def decode(data: bytes) -> str:
    """Text of the bytes: by BOM, else UTF-8, else the encoding charset-normalizer detects; non-text code points replaced."""
    check_content(data)
    encoding = bom_encoding(data)
    if encoding is not None:
        try:
            return clean_text(data.decode(encoding))
        except UnicodeDecodeError as exc:
            raise Unreadable(f"invalid {encoding} text after its byte-order mark: {exc.reason} at byte {exc.start}") from None
    try:
        return clean_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("cannot detect the text encoding (binary file?)")
    try:
        text = str(best)
    except (LookupError, UnicodeDecodeError):
        raise Unreadable(f"cannot decode the text as the detected encoding {best.encoding}") from None
    if not text.strip():
        raise Unreadable("empty file (only whitespace)")
    return clean_text(text)


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_XML_DECLARATION = re.compile(r"""^(\s*<\?xml[^>]{0,200}?)encoding\s*=\s*["'][^"']{0,40}["']""")
# any length, and the ";" optional: feedparser's SGML parser reads "&#99999999999" too, and chr() overflows on it
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def declared_encoding(data: bytes) -> str | None:
    """The encoding an XML declaration names, if it names one Python knows and the bytes decode with it."""
    found = _DECLARED.match(data[:512])
    if found is None:
        return None
    name = found.group(1).decode("ascii")
    try:
        if codecs.lookup(name).name.startswith(("utf-16", "utf-32")):
            return None  # the declaration was readable as ASCII, so the bytes are not UTF-16 or UTF-32
        data.decode(name)
    except (LookupError, UnicodeDecodeError, ValueError):
        return None  # a nonsense or wrong declaration: detect the encoding instead
    return name


def _valid_char_ref(ref: re.Match[str]) -> str:
    digits = ref.group(1) or ref.group(2)
    if len(digits.lstrip("0")) > 8:
        return "&#xFFFD;"
    code = int(digits, 16) if ref.group(1) else int(digits)
    text_char = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0x10FFFF
    return ref.group() if text_char and not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF) else "&#xFFFD;"


def markup_text(data: bytes) -> str:
    """Text of XML or HTML bytes: BOM, else a declared encoding that works, else detection; the declaration's
    encoding dropped (the text is decoded now) and character references to non-characters made U+FFFD."""
    declared = None if bom_encoding(data) else declared_encoding(data)
    if declared is not None:
        check_content(data)
        text = clean_text(data.decode(declared))
    else:
        text = decode(data)
    # blanked, not cut, so the columns of a one-line feed stay the file's own in an error saying where it broke
    text = _XML_DECLARATION.sub(lambda m: m[1] + " " * (len(m[0]) - len(m[1])), text.lstrip("\ufeff"), count=1)  # a second BOM is no content either
    return _CHAR_REF.sub(_valid_char_ref, text)


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise Unreadable(f"a number of {len(digits):,} digits is over the limit of {MAX_INT_DIGITS} digits")
    return int(digits)


def _json_float(literal: str) -> float:
    value = float(literal)
    if value in (float("inf"), float("-inf")):
        raise Unreadable(f"the number {literal[:20]}… is too large")
    return value


def _json_constant(name: str) -> Any:
    raise Unreadable(f"{name} is not a JSON value")


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_json(text: str) -> Any:
    """Parse JSON text within qa's limits; raise Unreadable (never a Python limit error) when it is not readable.

    Invalid JSON raises ``json.JSONDecodeError`` for the caller to explain; nesting deeper than
    MAX_JSON_DEPTH, integers longer than MAX_INT_DIGITS, NaN and infinite numbers raise Unreadable.
    """
    try:
        value = json.loads(text, parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant)
    except RecursionError:
        raise Unreadable(f"JSON is nested too deeply (the limit is {MAX_JSON_DEPTH} levels)") from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise Unreadable(f"JSON is nested {json_depth(value)} levels deep, over the limit of {MAX_JSON_DEPTH}")
    return value


def read_file(path: Path) -> bytes:
    """The bytes of a file, refusing files over MAX_FILE_BYTES."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a device, pipe or socket)")
        size = info.st_size
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

