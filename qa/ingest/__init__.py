"""Reading articles from files, folders, feeds and stdin.

``read_inputs`` yields an Article for every article it could read and an InputError for every
file or item it could not, so one bad item never stops a run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from qa.model import Article, InputError

DEFAULT_MAX_CHARS = 200_000


def split_txt(text: str, source: str) -> Article:
    """A plain-text article: the first line is the headline when a blank line follows it."""
    first, sep, rest = text.partition("\n")
    if sep and rest.lstrip(" \t").startswith("\n"):
        body_start = len(first) + 1
        while body_start < len(text) and text[body_start] in " \t\n":
            body_start += 1
        title, body = first.strip(), text[body_start:]
        lines = {"title": 0, "body": text.count("\n", 0, body_start)}
        return Article(source, source, title, body, field_offsets={"title": 0, "body": body_start}, field_lines=lines)
    return Article(source, source, "", text, field_offsets={"body": 0}, field_lines={"body": 0})


def read_txt(path: Path) -> Iterator[Article | InputError]:
    """Read one .txt article."""
    try:
        yield split_txt(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(str(path), f"cannot read: {exc}")


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """Read JSON Lines: one ``{"id", "title", "body"}`` object per line."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            item = json.loads(line)
            meta = {k: v for k, v in item.items() if k not in ("id", "title", "body")}
            yield Article(str(item["id"]), str(path), item.get("title") or "", item["body"], metadata=meta)
        except (ValueError, KeyError, TypeError) as exc:
            yield InputError(source, f"not a valid article line: {exc}")


def read_inputs(paths: Sequence[str], max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Article | InputError]:
    """Every article in the given paths (``-`` is stdin)."""
    for name in paths:
        path = Path(name)
        if path.suffix == ".jsonl":
            yield from read_jsonl(path)
        else:
            yield from read_txt(path)
