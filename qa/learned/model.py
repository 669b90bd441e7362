"""The damage tagger: the bundled MiniLM (frozen) reads a sentence, a small head scores each word.

The base model's hidden states of a few layers, plus word-shape features the uncased model cannot
see (capitals, digits, how many pieces a word was cut into), go through a small bidirectional GRU
and a linear layer to one logit per word piece; a word's probability of being MT damage is the
mean over its pieces. Only the head is trained and shipped (about a megabyte); the base model is
the one the embeddings checker already uses.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.resources import offline_models

if TYPE_CHECKING:
    import torch

Spans = Sequence[tuple[int, int]]
SHAPE_FEATURES = 8


@dataclass(frozen=True)
class HeadConfig:
    """The head's shape and the base model's layers it reads; saved next to the weights."""

    layers: tuple[int, ...] = (3, 6)
    hidden: int = 256
    rnn: int = 128
    dropout: float = 0.2
    max_pieces: int = 128

    @classmethod
    def from_card(cls, values: dict[str, Any]) -> HeadConfig:
        """The config a card recorded (JSON lists back to tuples)."""
        known = {f.name for f in fields(cls)}
        kept: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in known}
        return cls(**kept)

    @property
    def inputs(self) -> int:
        """Width of one word piece's input vector (hidden states of each layer plus shape features)."""
        return 384 * len(self.layers) + SHAPE_FEATURES


@dataclass
class Encoded:
    """One sentence read by the base model: a vector per word piece and the word each piece belongs to."""

    features: torch.Tensor  # (pieces, inputs)
    word_of: list[int]  # word index per piece
    words: int


def shape_features(text: str, spans: Spans, word_of: Sequence[int], first: Sequence[bool]) -> list[list[float]]:
    """Per word piece: first piece of its word, pieces in the word, capitalised, all capitals, digits,
    punctuation, sentence start, relative position."""
    pieces_in: dict[int, int] = {}
    for w in word_of:
        pieces_in[w] = pieces_in.get(w, 0) + 1
    rows = []
    n = max(len(spans), 1)
    for w, is_first in zip(word_of, first):
        word = text[spans[w][0] : spans[w][1]]
        rows.append(
            [
                float(is_first),
                min(pieces_in[w], 6) / 6.0,
                float(word[:1].isupper()),
                float(len(word) > 1 and word.isupper()),
                float(any(c.isdigit() for c in word)),
                float(not any(c.isalnum() for c in word)),
                float(w == 0),
                w / n,
            ]
        )
    return rows


class Encoder:
    """The frozen base model and its tokenizer: word pieces with hidden states, batched by length."""

    def __init__(self, path: str, layers: Sequence[int], max_pieces: int = 128, batch_size: int = 32):
        offline_models()
        started = time.perf_counter()
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path, output_hidden_states=True).eval()
        self.layers = tuple(layers)
        self.max_pieces = max_pieces
        self.batch_size = batch_size
        self.torch = torch
        self.load_seconds = time.perf_counter() - started

    def encode(self, items: Sequence[tuple[str, Spans]]) -> list[Encoded]:
        """Each (text, word spans) as word-piece vectors; pieces past ``max_pieces`` are not read."""
        torch = self.torch
        out: list[Encoded | None] = [None] * len(items)
        order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
        for at in range(0, len(order), self.batch_size):
            chunk = order[at : at + self.batch_size]
            texts = [items[i][0] for i in chunk]
            batch = self.tokenizer(
                texts, return_offsets_mapping=True, truncation=True, max_length=self.max_pieces,
                padding=True, return_tensors="pt",
            )
            offsets = batch.pop("offset_mapping").tolist()
            with torch.inference_mode():
                states = self.model(**batch).hidden_states
            stacked = torch.cat([states[k] for k in self.layers], dim=-1)
            for row, i in enumerate(chunk):
                text, spans = items[i]
                keep, word_of, first = _align(offsets[row], spans)
                vectors = stacked[row, keep] if keep else stacked[row, :0]
                shapes = torch.tensor(shape_features(text, spans, word_of, first), dtype=vectors.dtype)
                features = torch.cat([vectors, shapes.reshape(len(keep), -1)], dim=-1)
                out[i] = Encoded(features.clone(), word_of, len(spans))
        return [e for e in out if e is not None]


def _align(offsets: list[list[int]], spans: Spans) -> tuple[list[int], list[int], list[bool]]:
    """Which word pieces fall in a word (index into the pieces), the word of each, and whether it starts it."""
    keep: list[int] = []
    word_of: list[int] = []
    first: list[bool] = []
    w = 0
    previous = -1
    for k, (start, end) in enumerate(offsets):
        if end <= start:
            continue  # special or padding piece
        while w < len(spans) and spans[w][1] <= start:
            w += 1
        if w >= len(spans):
            break
        if spans[w][0] < end:
            keep.append(k)
            word_of.append(w)
            first.append(w != previous)
            previous = w
    return keep, word_of, first


def build_head(config: HeadConfig) -> Any:
    """The trainable head: projection, a bidirectional GRU over the pieces, one logit per piece."""
    import torch
    from torch import nn

    class Head(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.project = nn.Sequential(nn.Linear(config.inputs, config.hidden), nn.GELU(), nn.Dropout(config.dropout))
            self.rnn = nn.GRU(config.hidden, config.rnn, batch_first=True, bidirectional=True)
            self.out = nn.Sequential(nn.Dropout(config.dropout), nn.Linear(2 * config.rnn, 1))

        def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
            h = self.project(x)
            packed = nn.utils.rnn.pack_padded_sequence(h, lengths.cpu(), batch_first=True, enforce_sorted=False)
            seq, _ = self.rnn(packed)
            padded, _ = nn.utils.rnn.pad_packed_sequence(seq, batch_first=True, total_length=x.shape[1])
            return self.out(padded).squeeze(-1)  # type: ignore[no-any-return]

    return Head()


def pad(batch: Sequence[Encoded], dtype: Any = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack sentences of word-piece vectors into one zero-padded tensor (float32 unless ``dtype``), with their lengths."""
    import torch

    lengths = torch.tensor([max(len(e.word_of), 1) for e in batch])
    width = batch[0].features.shape[-1]
    x = torch.zeros(len(batch), int(lengths.max()), width, dtype=dtype or torch.float32)
    for i, e in enumerate(batch):
        x[i, : len(e.word_of)] = e.features.to(x.dtype)
    return x, lengths


def word_probabilities(head: Any, batch: Sequence[Encoded]) -> list[list[float]]:
    """P(damage) per word of each sentence: the mean over the word's pieces (0 for unread words)."""
    import torch

    x, lengths = pad(batch)
    with torch.inference_mode():
        probs = torch.sigmoid(head(x, lengths)).tolist()
    result = []
    for e, row in zip(batch, probs):
        sums = [0.0] * e.words
        counts = [0] * e.words
        for w, p in zip(e.word_of, row):
            sums[w] += p
            counts[w] += 1
        result.append([s / c if c else 0.0 for s, c in zip(sums, counts)])
    return result


@dataclass
class Card:
    """What the shipped weights are: data, date, seed, settings and the dev scores they reached."""

    trained: str
    data: str
    seed: int
    examples: int
    epochs: int
    head: dict[str, Any]
    thresholds: dict[str, float]
    dev: dict[str, Any] = field(default_factory=dict)
    command: str = "qa train tagger"

    def save(self, path: Path) -> None:
        """Write the card as JSON."""
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Card:
        """Read a card written by ``save``."""
        return cls(**json.loads(path.read_text(encoding="utf-8")))
