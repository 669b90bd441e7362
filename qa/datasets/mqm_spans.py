"""WMT21/22 zh-en MQM span files of the training data (``wmt-mqm-zhen/*.tsv``): raw MT output with the
character spans raters marked as errors; a word is BAD when it overlaps a span."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from qa.datasets.example import Example
from qa.datasets.tsv import tsv_records
from qa.text import tokenize

MQM_FILES = {"train": ("wmt21-news.train.tsv", "wmt21-ted.train.tsv"), "dev": ("wmt22-news.dev.tsv",)}


def _unquote(text: str) -> str:
    """Targets with inner quotes were written CSV-quoted; their offsets count the unquoted text."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return text


def mqm_examples(root: Path, name: str) -> Iterator[Example]:
    """WMT MQM segments of one file, a word BAD when it overlaps a rater's error span."""
    for row in tsv_records(root / "wmt-mqm-zhen" / name):
        text = _unquote(row["target"])
        words = [(t.start, t.end) for t in tokenize(text)]
        if not words:
            continue
        marked: list[tuple[int, int]] = []
        if row["severities"] != "no-error":
            for start, end in zip(row["error_starts"].split(), row["error_ends"].split()):
                s, e = int(start), int(end)
                if 0 <= s < e <= len(text):
                    marked.append((s, e))
        labels = tuple(int(any(s < we and ws < e for s, e in marked)) for ws, we in words)
        source = f"mqm/{name.rsplit('.', 2)[0]}"
        document = f"{row['system']}|{row['doc']}"
        yield Example(text, tuple(words), labels, sum(labels) / len(labels), source, tuple(marked), document)
