"""Reading articles from files, folders, feeds, URLs and stdin.

``read_inputs`` yields an Article for every article it could read and an InputError for every
file or item it could not, so one bad item never stops a run. Formats: plain text, HTML pages,
RSS 2.0 and Atom feeds, IPTC ninjs JSON and JSON Lines (see ``qa.ingest.sniff.EXTENSIONS``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from qa.ingest.feeds import read_feed
from qa.ingest.html import read_html
from qa.ingest.http import HttpSettings, fetch, is_url
from qa.ingest.jsonl import read_jsonl
from qa.ingest.ninjs import read_ninjs
from qa.ingest.sniff import EXTENSIONS, format_of, sniff
from qa.ingest.source import (
    STDIN,
    Unreadable,
    check_content,
    clean_text,
    clean_value,
    read_file,
    read_stdin,
)
from qa.ingest.txt import read_txt, split_txt
from qa.model import Article, InputError

__all__ = ["DEFAULT_MAX_CHARS", "HttpSettings", "read_data", "read_inputs", "split_txt", "walk"]

DEFAULT_MAX_CHARS = 200_000

Reader = Callable[[str, bytes, int], Iterator[Article | InputError]]
READERS: dict[str, Reader] = {
    "txt": read_txt,
    "html": read_html,
    "feed": read_feed,
    "ninjs": read_ninjs,
    "jsonl": read_jsonl,
}


def read_data(name: str, data: bytes, fmt: str | None, max_chars: int) -> Iterator[Article | InputError]:
    """Articles in one input's bytes, in format ``fmt`` (None: sniff it); what cannot be read is an InputError.

    Whatever a reader raises ends only this input: what it yielded before stands, and the rest of the run
    goes on. An exception other than Unreadable is a bug in qa, so its InputError is marked ``internal``.
    """
    try:
        check_content(data)
        reader = READERS[fmt or sniff(data)]
        for item in reader(name, data, max_chars):
            yield cleaned(item)
    except Unreadable as exc:
        yield InputError(name, str(exc))
    except RecursionError:
        yield InputError(name, "input is nested too deeply to read")
    except MemoryError:
        yield InputError(name, "input is too large to read into memory")
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the run
        yield unexpected(name, exc)


def unexpected(name: str, exc: BaseException) -> InputError:
    """The InputError for an exception qa did not expect while reading ``name`` (a bug: exit code 4)."""
    reason = " ".join(str(exc).split())[:200]
    return InputError(name, f"cannot read: unexpected {type(exc).__name__}: {reason} (a bug in qa: please report it)", internal=True)


def cleaned(item: Article | InputError) -> Article | InputError:
    """The item with every string that is not text (lone surrogates, controls) repaired, so it can always be printed."""
    if isinstance(item, InputError):
        return dataclasses.replace(item, source=clean_text(item.source), message=clean_text(item.message))
    return dataclasses.replace(
        item,
        id=clean_text(item.id),
        source=clean_text(item.source),
        title=clean_text(item.title),
        body=clean_text(item.body),
        metadata=clean_value(item.metadata),
        errors=tuple(clean_text(e) for e in item.errors),
    )


def walk(folder: Path) -> list[Path]:
    """Files under ``folder`` with a known extension, recursively, sorted by path; hidden entries skipped."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root, f) for f in files if not f.startswith(".") and format_of(Path(f)))
    return sorted(found, key=lambda path: path.parts)


def read_path(name: str, max_chars: int, http: HttpSettings) -> Iterator[Article | InputError]:
    """Articles in one command-line argument: a file, a folder, an http(s) URL, or ``-`` for stdin."""
    if is_url(name):
        yield from read_url(name, max_chars, http)
        return
    if name == "-":
        try:
            data = read_stdin()
        except Unreadable as exc:
            yield InputError(STDIN, str(exc))
            return
        yield from read_data(STDIN, data, None, max_chars)
        return
    path = Path(name)
    if path.is_dir():
        files = walk(path)
        if not files:
            kinds = ", ".join(sorted(EXTENSIONS))
            yield InputError(name, f"folder has no files to check (looked for {kinds})")
        for file in files:
            yield from read_one(file, format_of(file), max_chars)
    elif path.exists():
        yield from read_one(path, format_of(path), max_chars)
    else:
        yield InputError(name, "no such file or folder")


def read_one(path: Path, fmt: str | None, max_chars: int) -> Iterator[Article | InputError]:
    """Articles in one file."""
    try:
        data = read_file(path)
    except Unreadable as exc:
        yield InputError(str(path), str(exc))
        return
    yield from read_data(str(path), data, fmt, max_chars)


def read_url(url: str, max_chars: int, http: HttpSettings) -> Iterator[Article | InputError]:
    """Articles at one URL: a feed, a page or any other format a file may have; a failed fetch is an InputError."""
    try:
        fetched = fetch(url, http)
    except Unreadable as exc:
        yield InputError(url, str(exc))
        return
    yield from read_data(url, fetched.data, fetched.fmt, max_chars)


class UniqueIds:
    """Keeps article ids unique across a run: a repeated id gets a stable ``~2``, ``~3``… suffix."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def claim(self, article: Article) -> Article:
        """The article, renamed if its id was already used (the original id kept in metadata)."""
        new_id, n = article.id, 1
        while new_id in self.seen:
            n += 1
            new_id = f"{article.id}~{n}"
        self.seen.add(new_id)
        if new_id == article.id:
            return article
        return dataclasses.replace(article, id=new_id, metadata={**article.metadata, "original_id": article.id})


def read_inputs(
    paths: Sequence[str], max_chars: int = DEFAULT_MAX_CHARS, http: HttpSettings = HttpSettings()
) -> Iterator[Article | InputError]:
    """Every article in the given paths (``-`` is stdin, http(s) addresses are fetched), in order; unreadable
    files, URLs and items as InputError."""
    ids = UniqueIds()
    for name in paths:
        try:
            for item in read_path(name, max_chars, http):
                item = cleaned(item)
                yield ids.claim(item) if isinstance(item, Article) else item
        except ValueError as exc:  # a path Python cannot even look up (e.g. one with a NUL byte)
            yield cleaned(InputError(name, f"not a usable path: {exc}"))
        except Exception as exc:  # noqa: BLE001 - one bad argument must not stop the run
            yield cleaned(unexpected(name, exc))
