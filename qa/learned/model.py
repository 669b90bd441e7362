"""The damage tagger: the bundled MiniLM (frozen) reads a sentence, a small head scores each word.

The base model's hidden states of a few layers, plus word-shape features the uncased model cannot
see (capitals, digits, how many pieces a word was cut into), go through a small bidirectional GRU
and a linear layer to one logit per word piece; a word's probability of being MT damage is the
mean over its pieces. Only the head is trained and shipped (about a megabyte); the base model is
the one the embeddings checker already uses, run by the same plain-torch code: in a check the tagger
takes the hidden states of the sentences the embeddings' forward pass already read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    import torch

    from qa.embeddings.bert import BertEncoder, KeptStates, TokenStates
    from qa.embeddings.model import BaseModel

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


class WordStateEncoder:
    """The frozen base model (``qa.embeddings.bert``, plain torch, float32): word pieces with hidden
    states, sentences of similar length batched together."""

    def __init__(
        self, bert: BertEncoder, layers: Sequence[int], max_pieces: int = 128, batch_size: int = 32,
        kept: KeptStates | None = None, load_seconds: float = 0.0,
    ):
        self.bert = bert
        self.layers = tuple(layers)
        self.max_pieces = max_pieces
        self.batch_size = batch_size
        self.kept = kept
        self.load_seconds = load_seconds
        self.shared = 0  # sentences whose states came from the embeddings' forward pass

    @classmethod
    def load(cls, path: str, layers: Sequence[int], max_pieces: int = 128, batch_size: int = 32) -> WordStateEncoder:
        """This process's own copy of the model in ``path`` (as training reads it)."""
        started = time.perf_counter()
        import torch

        from qa.embeddings.bert import BertEncoder

        bert = BertEncoder(Path(path), torch.float32)
        return cls(bert, layers, max_pieces, batch_size, load_seconds=time.perf_counter() - started)

    @classmethod
    def shared_model(cls, base: BaseModel, layers: Sequence[int], max_pieces: int = 128, batch_size: int = 32) -> WordStateEncoder:
        """The run's shared bundled model (the embeddings' copy of the weights), reading the token states
        its forward passes kept for these layers."""
        base.kept.want(layers, max_pieces)
        bert, seconds = base.load()
        return cls(bert, layers, max_pieces, batch_size, base.kept, seconds)

    def states(self, texts: Sequence[str]) -> dict[str, TokenStates]:
        """Each distinct text's word pieces (at most ``max_pieces``) with the hidden states of the layers read:
        taken from what the embeddings kept where they read the text, computed here for the rest."""
        found = self.kept.take(set(texts), self.layers, self.max_pieces) if self.kept is not None else {}
        self.shared += sum(t in found for t in texts)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        found.update(zip(missing, self.bert.token_states(missing, self.layers, self.max_pieces, self.batch_size)))
        return found

    def encode(self, items: Sequence[tuple[str, Spans]], states: Mapping[str, TokenStates] | None = None) -> list[Encoded]:
        """Each (text, word spans) as word-piece vectors (from ``states`` when given); pieces past ``max_pieces`` are not read."""
        import torch

        states = states if states is not None else self.states([text for text, _ in items])
        out: list[Encoded] = []
        for text, spans in items:
            read = states[text]
            keep, word_of, first = _align(read.offsets, spans)
            vectors = read.vectors[keep] if keep else read.vectors[:0]
            shapes = torch.tensor(shape_features(text, spans, word_of, first), dtype=vectors.dtype)
            out.append(Encoded(torch.cat([vectors, shapes.reshape(len(keep), -1)], dim=-1), word_of, len(spans)))
        return out


def _align(offsets: Sequence[tuple[int, int]], spans: Spans) -> tuple[list[int], list[int], list[bool]]:
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
    newsroom: dict[str, Any] = field(default_factory=dict)  # `qa learn`: the review database, the base head, counts

    def save(self, path: Path) -> None:
        """Write the card as JSON (no ``newsroom`` key on a card of ``qa train tagger``)."""
        data = {k: v for k, v in asdict(self).items() if k != "newsroom" or v}
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Card:
        """Read a card written by ``save``."""
        return cls(**json.loads(path.read_text(encoding="utf-8")))
