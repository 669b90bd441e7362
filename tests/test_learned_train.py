"""A tiny training run end to end: the real base model reads a small copy of the data, the head
trains, thresholds are fitted, weights and card are written, and the checker loads and uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import main
from qa.config import Config
from qa.engine import check
from qa.learned.checker import LearnedChecker
from qa.learned.model import Card
from qa.learned.settings import Settings
from qa.model import Article

TRAIN = Path(__file__).parent / "data" / "train"


@pytest.mark.slow
def test_qa_train_tagger_writes_weights_the_checker_loads(tmp_path: Path) -> None:
    out = tmp_path / "weights"
    cache = tmp_path / "cache"
    args = ["train", "tagger", "--data", str(TRAIN), "--out", str(out), "--epochs", "2", "--cache", str(cache), "--no-progress"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    card = Card.load(out / "card.json")
    assert card.examples > 100 and card.seed == 13 and 0.5 <= card.thresholds["flag"] < 1
    assert set(card.dev) >= {"et-en", "ro-en", "wmt22-news", "post-edits", "losses"}
    assert (out / "head.pt").stat().st_size < 5_000_000
    assert any(cache.rglob("train00.pt"))  # the base model's reading is kept for the next run

    again = CliRunner().invoke(main, args)  # same data and seed, read from the cache: the same weights
    assert again.exit_code == 0, again.output
    assert json.loads(result.output[: result.output.rindex("}") + 1])["losses"] == json.loads(again.output[: again.output.rindex("}") + 1])["losses"]

    checker = LearnedChecker(Settings(weights=str(out), flag=0.01))
    article = Article("a", "t", "Talks", "The minister held talks on Tuesday. Both sides agreed.")
    found = check([article], Config().switched(embeddings=False, languagetool=False), [checker]).articles[0].issues
    assert found  # with a flag threshold of 0.01 every word is damage to this barely trained head
    for issue in found:
        assert issue.rule == "learned.mt-damage" and issue.checker == "learned" and 0 < issue.confidence <= 1
        assert issue.text == article.text(issue.field)[issue.start : issue.end]
