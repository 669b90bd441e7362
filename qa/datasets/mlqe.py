"""MLQE-PE (``mlqe-pe/<pair>/<split>.tsv``): tokenised MT English, an OK/BAD tag per word, HTER and the post-edit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.datasets.example import Example
from qa.datasets.tsv import tsv_records

PAIRS = ("et-en", "ne-en", "ro-en", "ru-en", "si-en")

# tokens printed without a space before them, and after which no space is printed
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%…") | {"'s", "'t", "'re", "'ve", "'ll", "'d", "'m", "n't", "''", "'"}
_NO_SPACE_AFTER = frozenset("([{$") | {"``"}


@dataclass(frozen=True)
class MlqeRow:
    """One MT sentence and its post-edit, as tokens, with the MT word tags (``OK``/``BAD``) and HTER."""

    pair: str
    mt: tuple[str, ...]
    pe: tuple[str, ...]
    tags: tuple[str, ...] = ()
    hter: float = 0.0


def mlqe_rows(root: Path, pair: str, split: str) -> Iterator[MlqeRow]:
    """The rows of one language pair and split (``train``, ``dev``) under ``root/mlqe-pe``."""
    for record in tsv_records(root / "mlqe-pe" / pair / f"{split}.tsv"):
        yield MlqeRow(
            pair, tuple(record["mt"].split()), tuple(record["pe"].split()), tuple(record["mt_word_tags"].split()),
            float(record["hter"]),
        )


def mlqe_split(root: Path, split: str) -> Iterator[MlqeRow]:
    """The rows of one split of every language pair present under ``root/mlqe-pe``, pairs in name order."""
    for folder in sorted((root / "mlqe-pe").iterdir()):
        if (folder / f"{split}.tsv").is_file():
            yield from mlqe_rows(root, folder.name, split)


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


def mlqe_examples(root: Path, pair: str, split: str, post_edits: bool = True) -> Iterator[Example]:
    """MLQE-PE sentences of one language pair and split: each MT sentence, then its post-edit when it differs."""
    for row in mlqe_rows(root, pair, split):
        if not row.mt or len(row.tags) != len(row.mt):
            continue
        text, spans = detokenize(list(row.mt))
        yield Example(text, spans, tuple(int(t == "BAD") for t in row.tags), row.hter, f"mlqe/{pair}/mt")
        if post_edits and row.pe and row.pe != row.mt:
            pe_text, pe_spans = detokenize(list(row.pe))
            yield Example(pe_text, pe_spans, (0,) * len(pe_spans), 0.0, f"mlqe/{pair}/pe")
