"""The embedding model's set-up: precision from the CPU, the threads setting, the plain-torch BERT."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qa.embeddings.model import effective_precision
from qa.embeddings.settings import Settings
from qa.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_explicit_precision_is_kept() -> None:
    assert effective_precision("float32") == "float32"
    assert effective_precision("bfloat16") == "bfloat16"
    assert effective_precision("auto") in ("float32", "bfloat16")


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
