"""The process qa runs in: CPU facts read on demand, torch thread counts set only inside a scope, and
the settings the program (the CLI and its workers) applies at start-up with ``configure``.

Importing this module, or any of qa, changes nothing in the process: only ``configure`` does, and the
CLI calls it explicitly, as do the worker processes it starts (STYLE 15).
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

NATIVE_BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16", "bf16"})  # x86 AVX512-BF16 / AMX; Arm's BF16 feature

# What the program exports before any model library is imported. Loaders are told to stay offline by
# their arguments (``local_files_only``), not by HF_HUB_OFFLINE; tokenizers' own threads stay off, as
# the encoder runs batches side by side itself (and a forked worker would otherwise warn).
ENVIRONMENT = {
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}
MMAP_THRESHOLD = 4 << 20


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


CpuSample = tuple[float, float, float]  # monotonic seconds, CPU-seconds the machine was busy, CPU-seconds of this process


def cpu_sample() -> CpuSample | None:
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


def others_busy(since: CpuSample | None) -> float:
    """CPUs kept busy by other processes since ``since``: the machine's busy time less this process's own.

    Measured over the model's load (a second or two), it sees what runs now, where the 1-minute load
    average still counts a job that ended a minute ago; over a shorter window it falls back to the load average.
    """
    now = cpu_sample()
    if since is not None and now is not None and now[0] - since[0] >= 0.5:
        return max(0.0, (now[1] - since[1]) - (now[2] - since[2])) / (now[0] - since[0])
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def threads_for(requested: int, since: CpuSample | None) -> int:
    """``requested`` when set, else one thread per CPU the other work on the machine left free since ``since``."""
    return requested if requested > 0 else free_threads(usable_cpus(), others_busy(since))


@contextlib.contextmanager
def torch_threads(count: int) -> Iterator[None]:
    """Run the block with ``count`` torch threads on the calling thread, then put the old count back.

    OpenMP keeps the count per thread, so this reaches only the calling thread; torch also keeps the
    last count set as the default for threads that have not yet computed, and the restore sets that
    default to the number it had. ``count`` 0 leaves torch as it is.
    """
    import torch

    before = torch.get_num_threads()
    if count <= 0 or count == before:
        yield
        return
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def side_by_side(work: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``work`` over ``items`` on ``workers`` threads of one torch thread each (they fill the CPUs side by side); results in order."""
    found: dict[int, R] = {}
    todo = iter(enumerate(items))
    taking = threading.Lock()
    failed: list[BaseException] = []

    def run() -> None:
        with torch_threads(1):  # set once per thread, not per item: a count change clears oneDNN's cache
            while not failed:
                with taking:
                    item = next(todo, None)
                if item is None:
                    return
                try:
                    found[item[0]] = work(item[1])
                except BaseException as exc:  # handed to the caller below
                    failed.append(exc)

    threads = [threading.Thread(target=run, name=f"qa-encode-{n}", daemon=True) for n in range(min(workers, len(items)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise failed[0]
    return [found[i] for i in range(len(items))]


def steady_memory() -> bool:
    """Ask glibc to give large blocks straight back to the system; False where that is not glibc.

    Tensors of a new shape every batch otherwise fragment the heap: a long run's resident memory
    grew by half (440 -> 660 MB over 3,000 paragraphs) where with this it stays flat. Blocks over
    4 MB (a batch's larger activations) are mapped and unmapped; smaller ones stay on the heap, for a
    threshold of 64 KB made every batch fault its pages in afresh: a quarter of the encoding time.
    These options hold for the whole process, so only the program sets them (``configure``).
    """
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on, without a search for it
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_mmap_threshold, m_arena_max = -1, -3, -8
    return all(mallopt(option, value) == 1 for option, value in ((m_mmap_threshold, MMAP_THRESHOLD), (m_trim_threshold, 65536), (m_arena_max, 2)))


def configure(environ: MutableMapping[str, str] | None = None) -> None:
    """Apply the program's process settings (environment defaults, where unset, and glibc's allocator): the CLI and its workers call this at start-up."""
    environ = os.environ if environ is None else environ
    for name, value in ENVIRONMENT.items():
        environ.setdefault(name, value)
    steady_memory()


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """Errors only and no progress bars from ``transformers`` inside the block; its own settings are put back after."""
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]
