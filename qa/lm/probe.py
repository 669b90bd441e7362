"""A linear probe of the language model's reading: how likely a word is garbled, from one layer's hidden state.

The probe is a logistic regression over the hidden state of one layer of the model at the word's tokens
(their mean), trained on the annotated garbled-news train split (``qa train lm-probe``). Its weights ship
in ``qa/lm/weights/probe.json`` with the standardisation folded in, so a word's logit is one dot product,
computed inside the forward pass the surprisal check runs anyway (``qa.lm.model.Projection``).

It reads sentences too: the mean probability of a sentence's judged words, weighed with the article's mean
(``sentence_weight``; damage clusters in the articles that read as translated as a whole), against a
``sentence_threshold`` that edited copy's sentences pass about once in a hundred.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qa.errors import ConfigError
from qa.lm.model import Projection
from qa.lm.surprisal import Word


@dataclass(frozen=True)
class Probe:
    """Weights of one layer's probe, for one model, and the logit a finding needs."""

    model: str  # the model it reads (``Scorer.model_id``); another model's layers mean nothing to it
    layer: int  # 0 is the embeddings
    weights: tuple[float, ...]
    bias: float
    threshold: float  # a word whose logit exceeds this is reported
    trained: str = ""  # how it was made: data, settings, and the numbers its threshold was chosen by
    sentence_threshold: float | None = None  # a sentence whose weighed probability exceeds this is reported; None: no sentence reading
    sentence_weight: float = 0.25  # the weight of the sentence's own mean probability against the article's

    @property
    def digest(self) -> str:
        """The first 12 hex digits of the SHA-256 of its weights, bias and thresholds (for the report signature)."""
        numbers = [self.model, self.layer, [f"{w:.7g}" for w in self.weights], f"{self.bias:.7g}", f"{self.threshold:.7g}"]
        if self.sentence_threshold is not None:
            numbers += [f"{self.sentence_threshold:.7g}", f"{self.sentence_weight:.7g}"]
        return hashlib.sha256(json.dumps(numbers).encode()).hexdigest()[:12]

    @property
    def projection(self) -> Projection:
        """What the scorer computes for it at every token."""
        return Projection(self.layer, (self.weights,))

    def logit(self, word: Word) -> float | None:
        """The word's log-odds of being garbled, or None when the scorer computed no projection for it."""
        return word.probe[0] + self.bias if word.probe else None

    def sentences(self, words: Sequence[Word], sentences: Iterable[int]) -> dict[int, float]:
        """Each of ``sentences`` (indices into the document's) with the mean probability of its judged words,
        weighed with the mean over all of ``words``' judged words (a sentence without one is left out)."""
        chances: dict[int, list[float]] = {}
        for word in words:
            logit = self.logit(word) if word.judged else None
            if logit is not None:
                chances.setdefault(word.sentence, []).append(probability(logit))
        every = [p for found in chances.values() for p in found]
        if not every:
            return {}
        article = sum(every) / len(every)
        w = self.sentence_weight
        return {i: w * sum(chances[i]) / len(chances[i]) + (1 - w) * article for i in sentences if i in chances}


def probability(logit: float) -> float:
    """The logistic function."""
    return 1.0 / (1.0 + math.exp(-logit))


def default_probe() -> Path:
    """The probe that ships inside the package."""
    return Path(__file__).parent / "weights" / "probe.json"


def read_probe(path: Path) -> Probe:
    """A probe file, or a ConfigError naming it."""
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        sentence = raw.get("sentence_threshold")
        return Probe(str(raw["model"]), int(raw["layer"]), tuple(float(w) for w in raw["weights"]), float(raw["bias"]),
                     float(raw["threshold"]), str(raw.get("trained", "")), None if sentence is None else float(sentence),
                     float(raw.get("sentence_weight", 0.25)))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(str(path), f"cannot read the language-model probe: {exc}") from None


def write_probe(probe: Probe, path: Path) -> Path:
    """Write ``probe`` as JSON (weights rounded to 7 significant digits) and return the path."""
    raw = asdict(probe)
    raw["weights"] = [float(f"{w:.7g}") for w in probe.weights]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    return path
