"""The embedding model's set-up: precision from the CPU, threads from the load, the plain-torch BERT."""

from __future__ import annotations

import time

import subprocess
import sys
from pathlib import Path

import pytest

from qa.embeddings.model import bfloat16_from_flags, cpu_flags, effective_precision, free_threads
from qa.embeddings.settings import Settings
from qa.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

EPYC_AVX512 = (
    "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n"
    "flags\t\t: fpu sse2 avx avx2 avx512f avx512dq avx512bw avx512vl avx512_vnni\n\n"
    "processor\t: 1\nflags\t\t: fpu sse2 avx avx2 avx512f avx512_bf16\n"
)
SAPPHIRE_RAPIDS = "flags\t\t: avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8\n"
GRAVITON3 = "processor\t: 0\nBogoMIPS\t: 2100.00\nFeatures\t: fp asimd sve bf16 i8mm\n"


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


def test_explicit_precision_is_kept() -> None:
    assert effective_precision("float32") == "float32"
    assert effective_precision("bfloat16") == "bfloat16"
    assert effective_precision("auto") in ("float32", "bfloat16")


def test_threads_follow_the_cpus_left_free() -> None:
    assert free_threads(2, 0.1) == 2
    assert free_threads(2, 1.0) == 1  # another job on one of two cores: one thread
    assert free_threads(2, 3.6) == 1  # never fewer than one
    assert free_threads(8, 2.0) == 6
    assert free_threads(4, 0.0) == 4


def test_busy_cpus_are_measured_without_this_process_and_the_thread_count_reaches_the_thread_that_computes() -> None:
    import threading

    import torch

    from qa.embeddings import model

    since = model._cpu_sample()
    assert since is not None  # Linux: /proc/stat
    ends = time.monotonic() + 0.6
    while time.monotonic() < ends:  # this process busy: not counted as other work
        sum(range(1000))
    others, now = model.others_busy(since), model._cpu_sample()
    assert now is not None
    machine = (now[1] - since[1]) / (now[0] - since[0])  # CPUs busy, this process included
    assert others <= machine - 0.5  # this process kept about one CPU busy: not counted as other work
    saved = dict(model._THREADS)
    try:
        model._THREADS.clear()
        seen: list[int] = []
        worker = threading.Thread(target=lambda: seen.append(model.use_threads(1) and torch.get_num_threads()))
        worker.start()
        worker.join()
        assert seen == [1] and model.torch_threads() == 1  # settled once: the tagger asks and gets the same
    finally:
        model._THREADS.clear()
        model._THREADS.update(saved)


def test_threads_setting_is_zero_or_a_whole_number() -> None:
    assert Settings.from_section({"threads": 0}).threads == 0
    assert Settings.from_section({"threads": 2}).threads == 2
    for bad in (-1, 1.5, True):
        with pytest.raises(ConfigError, match="embeddings.threads"):
            Settings.from_section({"threads": bad})


@pytest.mark.slow
def test_loading_the_bundled_model_needs_no_transformers() -> None:
    code = (
        "import sys\n"
        "from qa.embeddings.model import Encoder\n"
        "vectors = Encoder(precision='float32').encode(['The talks ended.', 'Rain is expected today.'])\n"
        "print('SHAPE', vectors.shape)\n"
        "heavy = [m for m in ('transformers', 'sentence_transformers', 'scipy', 'sklearn', 'sympy') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert "SHAPE (2, 384)" in out.stdout and "HEAVY []" in out.stdout, out.stdout + out.stderr


@pytest.mark.slow
def test_plain_bert_matches_sentence_transformers() -> None:
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    from qa.embeddings.bert import BertEncoder, plain_bert
    from qa.embeddings.model import resolve

    folder = Path(resolve(None)[0])
    assert plain_bert(folder)
    texts = [
        "The minister said talks would resume on Friday.",
        "Hi.",
        "A virtual billet between the two leaders was held on Tuesday, officials said in a statement. " * 8,
        "",
        "“Quotes”, ünïcödé and 中文 characters.",
    ]
    ours = BertEncoder(folder, torch.float32).encode(texts)
    reference = SentenceTransformer(str(folder), device="cpu").encode(texts, convert_to_numpy=True)
    assert ours.shape == reference.shape == (len(texts), 384)
    assert float(np.abs(ours - reference).max()) < 1e-5


@pytest.mark.slow
def test_sorted_small_batches_give_the_vectors_of_one_batch() -> None:
    import numpy as np

    from qa.embeddings.model import Encoder

    texts = [f"Sentence number {i} says {'more ' * (i % 7)}about the storm." for i in range(40)]
    small = Encoder(batch_size=4, precision="float32").encode(texts)
    whole = Encoder(batch_size=64, precision="float32").encode(texts)
    assert float(np.abs(small - whole).max()) < 1e-5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_steady_memory_is_set_on_glibc() -> None:
    from qa.embeddings.model import steady_memory

    assert steady_memory() is True
