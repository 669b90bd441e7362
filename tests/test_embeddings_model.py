"""The embedding model's set-up: precision from the CPU, the threads setting, the plain-torch BERT."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qa.embeddings.model import BaseModel, SentenceEncoder, effective_precision
from qa.embeddings.settings import Settings
from qa.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_explicit_precision_is_kept() -> None:
    assert effective_precision("float32") == "float32"
    assert effective_precision("bfloat16") == "bfloat16"
    assert effective_precision("auto") in ("float32", "bfloat16")


def test_auto_precision_is_float32_where_the_tagger_reads_the_same_forward_pass() -> None:
    base = BaseModel()
    assert SentenceEncoder(precision="auto", base=base).precision == effective_precision("auto")  # nobody asked yet
    base.kept.want((3, 6), 128)
    assert SentenceEncoder(precision="auto", base=base).precision == "float32"
    assert SentenceEncoder(precision="bfloat16", base=base).precision == "bfloat16"  # an explicit choice stands
    assert SentenceEncoder("/some/other/model", precision="auto", base=base).precision == effective_precision("auto")


def test_threads_setting_is_zero_or_a_whole_number() -> None:
    assert Settings.from_section({"threads": 0}, "qa.yml", "embeddings").threads == 0
    assert Settings.from_section({"threads": 2}, "qa.yml", "embeddings").threads == 2
    for bad in (-1, 1.5, True):
        with pytest.raises(ConfigError, match="embeddings.threads"):
            Settings.from_section({"threads": bad}, "qa.yml", "embeddings")


@pytest.mark.slow
def test_loading_the_bundled_model_needs_no_transformers() -> None:
    code = (
        "import sys\n"
        "from qa.embeddings.model import SentenceEncoder\n"
        "vectors = SentenceEncoder(precision='float32').encode(['The talks ended.', 'Rain is expected today.'])\n"
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

    from qa.embeddings.model import SentenceEncoder

    texts = [f"Sentence number {i} says {'more ' * (i % 7)}about the storm." for i in range(40)]
    small = SentenceEncoder(batch_size=4, precision="float32").encode(texts)
    whole = SentenceEncoder(batch_size=64, precision="float32").encode(texts)
    assert float(np.abs(small - whole).max()) < 1e-5


@pytest.mark.slow
def test_loading_never_reaches_for_the_network(tmp_path: Path) -> None:
    import json
    import shutil

    from tests.offline import NO_NETWORK, environ_online

    from qa.embeddings.model import resolve

    # a copy of the bundled model with CLS pooling beside the mean (768 wide): not a plain BERT, so sentence-transformers loads it
    other = tmp_path / "model"
    shutil.copytree(resolve(None)[0], other)
    pooling = json.loads((other / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    (other / "1_Pooling" / "config.json").write_text(json.dumps({**pooling, "pooling_mode_cls_token": True}), encoding="utf-8")
    cached = tmp_path / "hf" / "hub" / "models--example--mini"  # a hub id already in the local cache
    shutil.copytree(other, cached / "snapshots" / "0123abc")
    (cached / "refs").mkdir()
    (cached / "refs" / "main").write_text("0123abc", encoding="utf-8")
    code = NO_NETWORK + (
        "from qa.embeddings.model import SentenceEncoder, SentenceTransformerBackend, load_model\n"
        "from qa.errors import ConfigError\n"
        "names = (None, sys.argv[1], 'example/mini')\n"
        "shapes = [SentenceEncoder(name, precision='float32').encode(['The talks ended.']).shape for name in names]\n"
        "backend = type(load_model(sys.argv[1], 'float32')[0]).__name__\n"
        "try:\n"
        "    load_model('sentence-transformers/all-MiniLM-L6-v2')\n"
        "    hub = 'loaded'\n"
        "except ConfigError as exc:\n"
        "    hub = str(exc)\n"
        "print(json.dumps({'shapes': [list(s) for s in shapes], 'backend': backend, 'hub': hub, 'tried': tried}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(other)], cwd=ROOT, env={**environ_online(), "HF_HOME": str(tmp_path / "hf")},
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["shapes"] == [[1, 384], [1, 768], [1, 768]] and seen["backend"] == "SentenceTransformerBackend"
    assert "offline" in seen["hub"] and seen["tried"] == []
