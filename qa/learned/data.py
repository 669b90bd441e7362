"""Training data for the damage tagger: real MT English with human marks, as labelled examples.

Two sources (``../shared/train``, see its README):

- MLQE-PE: tokenised MT output with an OK/BAD tag per word and the translator's post-edit. The MT
  side is detokenised (as news copy is printed) and keeps its tags; the post-edit is an example of
  the same sentence repaired, every word OK.
- WMT21/22 zh-en MQM: raw MT output with character spans raters marked as errors; a word is BAD
  when it overlaps a span.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.text import tokenize

PAIRS = ("et-en", "ne-en", "ro-en", "ru-en", "si-en")
MQM_FILES = {"train": ("wmt21-news.train.tsv", "wmt21-ted.train.tsv"), "dev": ("wmt22-news.dev.tsv",)}

# tokens printed without a space before them, and after which no space is printed
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%…") | {"'s", "'t", "'re", "'ve", "'ll", "'d", "'m", "n't", "''", "'"}
_NO_SPACE_AFTER = frozenset("([{$") | {"``"}


@dataclass(frozen=True)
class Example:
    """A sentence, its words (character spans), a 0/1 damage label per word and a sentence score."""

    text: str
    words: tuple[tuple[int, int], ...]
    labels: tuple[int, ...]
    score: float  # HTER for MLQE-PE, share of damaged words for MQM, 0 for a post-edit
    source: str  # e.g. "mlqe/ro-en/mt", "mlqe/ro-en/pe", "mqm/wmt21-news"
    marked: tuple[tuple[int, int], ...] = ()  # MQM: the raters' error spans (character offsets)
    document: str = ""  # MQM: "system|doc", the translated article the segment belongs to


def detokenize(tokens: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Join MT tokens as printed copy (no space before commas, after opening brackets, …); spans per token."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    quote_open = False
    previous = ""
    for token in tokens:
        glue = not parts or token in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER
        if token == '"':
            glue = not parts or quote_open or previous in _NO_SPACE_AFTER
        if previous == '"' and quote_open:
            glue = True  # just after an opening quote
        if not glue:
            parts.append(" ")
            length += 1
        spans.append((length, length + len(token)))
        parts.append(token)
        length += len(token)
        if token == '"':
            quote_open = not quote_open
        previous = token
    return "".join(parts), tuple(spans)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def mlqe_examples(root: Path, pair: str, split: str, post_edits: bool = True) -> Iterator[Example]:
    """MLQE-PE sentences of one language pair and split: each MT sentence, then its post-edit when it differs."""
    for row in _rows(root / "mlqe-pe" / pair / f"{split}.tsv"):
        tokens = row["mt"].split()
        tags = row["mt_word_tags"].split()
        if not tokens or len(tags) != len(tokens):
            continue
        text, spans = detokenize(tokens)
        yield Example(text, spans, tuple(int(t == "BAD") for t in tags), float(row["hter"]), f"mlqe/{pair}/mt")
        pe_tokens = row["pe"].split()
        if post_edits and pe_tokens and pe_tokens != tokens:
            pe_text, pe_spans = detokenize(pe_tokens)
            yield Example(pe_text, pe_spans, (0,) * len(pe_spans), 0.0, f"mlqe/{pair}/pe")


def _unquote(text: str) -> str:
    """Targets with inner quotes were written CSV-quoted; their offsets count the unquoted text."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return text


def mqm_examples(root: Path, name: str) -> Iterator[Example]:
    """WMT MQM segments of one file, a word BAD when it overlaps a rater's error span."""
    for row in _rows(root / "wmt-mqm-zhen" / name):
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


def examples(root: Path, split: str, post_edits: bool = True) -> Iterator[Example]:
    """Every example of a split (``train`` or ``dev``) from both sources."""
    for pair in PAIRS:
        yield from mlqe_examples(root, pair, split, post_edits)
    for name in MQM_FILES[split]:
        yield from mqm_examples(root, name)


def default_data_dir() -> Path:
    """The training data: ``$QA_TRAIN_DIR``, else ``shared/train`` in the working directory or a parent."""
    import os

    from qa.errors import InputReadError

    folders = [Path(os.environ["QA_TRAIN_DIR"])] if os.environ.get("QA_TRAIN_DIR") else []
    folders += [p / "shared" / "train" for p in (Path.cwd(), *Path.cwd().parents)]
    for folder in folders:
        if (folder / "mlqe-pe").is_dir():
            return folder
    raise InputReadError("no training data found (set QA_TRAIN_DIR or pass --data)")
