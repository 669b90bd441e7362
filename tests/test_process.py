"""The process qa runs in: CPU facts, scoped torch threads, and settings only the program applies.

The child scripts record what a host process would notice (os.environ, the umask, torch's thread
counts, glibc's mmap threshold as a proxy for the allocator options qa sets together) before and
after ``import qa`` and ``qa.check``, and after the CLI's entry point.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from qa import process
from qa.process import bfloat16_from_flags, configure, cpu_flags, free_threads

ROOT = Path(__file__).resolve().parent.parent
GLIBC = sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION") is not None

EPYC_AVX512 = (
    "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n"
    "flags\t\t: fpu sse2 avx avx2 avx512f avx512dq avx512bw avx512vl avx512_vnni\n\n"
    "processor\t: 1\nflags\t\t: fpu sse2 avx avx2 avx512f avx512_bf16\n"
)
SAPPHIRE_RAPIDS = "flags\t\t: avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8\n"
GRAVITON3 = "processor\t: 0\nBogoMIPS\t: 2100.00\nFeatures\t: fp asimd sve bf16 i8mm\n"

# What a host notices. The mmap probe: after malloc_trim, is a 24 MB block mapped although a block
# that size was freed before? glibc's default raises its threshold on that free, so no; after qa's
# mallopt(M_MMAP_THRESHOLD, 4 MB) the threshold is fixed, so yes.
PROBES = r'''
import ctypes, json, os, sys, threading

libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes, libc.free.argtypes = ctypes.c_void_p, [ctypes.c_size_t], [ctypes.c_void_p]


def mapped_24mb():
    libc.malloc_trim(0)
    block = libc.malloc(24 << 20)
    mapped = bool(ctypes.c_size_t.from_address(block - 8).value & 2)  # glibc's IS_MMAPPED bit
    libc.free(block)
    return mapped


def umask():
    with open("/proc/self/status") as status:  # read without setting it
        return next(line.split()[1] for line in status if line.startswith("Umask:"))


def state():
    seen = {"environ": dict(os.environ), "umask": umask(), "mapped_24mb": mapped_24mb()}
    torch = sys.modules.get("torch")
    if torch is not None:
        fresh = []
        thread = threading.Thread(target=lambda: fresh.append(torch.get_num_threads()))
        thread.start()
        thread.join()
        seen["threads"], seen["new_thread_threads"] = torch.get_num_threads(), fresh[0]
    return seen


mapped_24mb(), mapped_24mb()  # glibc's dynamic threshold settles at the probe's size
'''

LIBRARY = PROBES + r'''
mode = sys.argv[1]
if mode == "models":
    import torch
    torch.set_num_threads(1)  # the host's choice; qa is asked for 2 below, so it must set and put back
before = state()
import qa
from qa.config import Config
from qa.model import Article

config = Config().switched(languagetool=False)
if mode == "models":
    config = config.with_section("embeddings", threads=2)
else:
    config = config.switched(embeddings=False, learned=False)
body = "The minister said talks would resume on Friday. Both sides agreed to meet again. " * 3
report = qa.check([Article("a", "test", "Talks to resume on Friday", body)], config)
print(json.dumps({"before": before, "after": state(), "notes": list(report.notes), "torch": "torch" in sys.modules}))
'''

PROGRAM = PROBES + r'''
from qa import cli
before = state()
sys.argv = ["qa", "--version"]
try:
    cli.run()
except SystemExit:
    pass
print(json.dumps({"before": before, "after": state()}))
'''


def _child(script: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False, env=env
    )
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _clean_environ() -> dict[str, str]:
    """This environment less what ``configure`` sets and glibc's malloc variables, which fix its thresholds
    as mallopt does (a Dask LocalCluster started in this process, as test_cluster's, exports MALLOC_TRIM_THRESHOLD_)."""
    return {k: v for k, v in os.environ.items() if k not in process.ENVIRONMENT and not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}


@pytest.mark.skipif(not GLIBC, reason="reads /proc/self/status and glibc's malloc")
def test_import_and_check_leave_the_process_as_found() -> None:
    seen = _child(LIBRARY, "rules", env=_clean_environ())
    assert seen["after"] == seen["before"] and not seen["torch"]
    assert not seen["before"]["mapped_24mb"]  # the probe sees glibc's own dynamic threshold


@pytest.mark.slow
@pytest.mark.skipif(not GLIBC, reason="reads /proc/self/status and glibc's malloc")
def test_checking_with_models_leaves_the_process_as_found() -> None:
    seen = _child(LIBRARY, "models", env=_clean_environ())
    assert any("embeddings:" in note and "2 threads" in note for note in seen["notes"]), seen["notes"]
    assert any(note.startswith("learned:") for note in seen["notes"]), seen["notes"]
    assert seen["before"]["threads"] == seen["before"]["new_thread_threads"] == 1
    assert seen["after"] == seen["before"]


@pytest.mark.skipif(not GLIBC, reason="reads /proc/self/status and glibc's malloc")
def test_the_cli_entry_applies_the_program_settings() -> None:
    env = {**_clean_environ(), "HF_HUB_DISABLE_TELEMETRY": "0"}  # a value the user set is kept
    seen = _child(PROGRAM, env=env)
    before, after = seen["before"], seen["after"]
    assert not before["mapped_24mb"] and after["mapped_24mb"]  # glibc's mmap threshold fixed at 4 MB
    assert after["environ"] == {**before["environ"], **process.ENVIRONMENT, "HF_HUB_DISABLE_TELEMETRY": "0"}
    assert "HF_HUB_OFFLINE" not in after["environ"]  # loaders are told by argument, not by the environment
    assert after["umask"] == before["umask"]


def test_configure_keeps_values_already_set() -> None:
    environ = {"TOKENIZERS_PARALLELISM": "true"}
    configure(environ)
    assert environ == {**process.ENVIRONMENT, "TOKENIZERS_PARALLELISM": "true"}


def test_workers_the_cli_starts_apply_the_program_settings() -> None:
    from qa.commands.check import make_pool
    from qa.parallel import ProcessPool

    pool = make_pool(2, None)
    assert isinstance(pool, ProcessPool) and pool.setup is configure


def _counts(torch: Any) -> tuple[int, int]:
    """torch's thread count on this thread and on a thread that has not computed yet."""
    fresh: list[int] = []
    thread = threading.Thread(target=lambda: fresh.append(torch.get_num_threads()))
    thread.start()
    thread.join()
    return torch.get_num_threads(), fresh[0]


def test_torch_threads_are_set_for_the_block_and_put_back() -> None:
    torch = pytest.importorskip("torch")
    before = _counts(torch)
    other = 1 if before[0] != 1 else 2
    with process.torch_threads(other):
        assert torch.get_num_threads() == other
    assert _counts(torch) == before
    with process.torch_threads(0):  # 0: as torch is
        assert torch.get_num_threads() == before[0]


def test_side_by_side_keeps_the_order_runs_one_torch_thread_each_and_puts_the_counts_back() -> None:
    torch = pytest.importorskip("torch")
    before = _counts(torch)
    seen: list[int] = []
    assert process.side_by_side(lambda n: seen.append(torch.get_num_threads()) or n * n, list(range(9)), 2) == [n * n for n in range(9)]
    assert seen == [1] * 9 and _counts(torch) == before
    with pytest.raises(ZeroDivisionError):
        process.side_by_side(lambda n: 1 // n, [3, 0, 1], 2)


def test_avx512_without_bf16_is_not_native_bfloat16() -> None:
    # the first CPU's flags count; mkldnn calls any AVX-512 CPU bf16-capable, but it only emulates it
    flags = cpu_flags(EPYC_AVX512)
    assert flags is not None and "avx512f" in flags
    assert not bfloat16_from_flags(flags)


def test_avx512_bf16_amx_and_arm_bf16_are_native() -> None:
    for text in (SAPPHIRE_RAPIDS, GRAVITON3):
        flags = cpu_flags(text)
        assert flags is not None and bfloat16_from_flags(flags)


def test_cpuinfo_without_flags_gives_none() -> None:
    assert cpu_flags("processor\t: 0\nmodel name\t: something\n") is None


def test_threads_follow_the_cpus_left_free() -> None:
    assert free_threads(2, 0.1) == 2
    assert free_threads(2, 1.0) == 1  # another job on one of two cores: one thread
    assert free_threads(2, 3.6) == 1  # never fewer than one
    assert free_threads(8, 2.0) == 6
    assert free_threads(4, 0.0) == 4
    assert process.threads_for(3, None) == 3  # asked for: taken as it is


def test_busy_cpus_are_measured_without_this_process() -> None:
    since = process.cpu_sample()
    assert since is not None  # Linux: /proc/stat
    ends = time.monotonic() + 0.6
    while time.monotonic() < ends:  # this process busy: not counted as other work
        sum(range(1000))
    others, now = process.others_busy(since), process.cpu_sample()
    assert now is not None
    seconds = now[0] - since[0]
    machine, own = (now[1] - since[1]) / seconds, (now[2] - since[2]) / seconds  # CPUs busy: all, and this process
    assert own >= 0.25  # the loop ran (on a shared machine it may get well under a whole CPU)
    assert others <= machine - own + 0.1  # this process's own time is not counted as other work
