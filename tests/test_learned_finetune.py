"""`qa learn` fine-tunes the tagger on a newsroom's review decisions: the real base model, a real review
database built through the Store API, the small copy of the usual data; the guard rails around the model."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from qa.config import load_config
from qa.errors import ConfigError
from qa.learned.checker import LearnedChecker
from qa.learned.finetune import comparison
from qa.learned.model import Card
from qa.learned.tagger import WEIGHTS, weights_digest
from qa.registry import configure
from qa.review.marks import MissedMark
from qa.review.store import Store
from tests.review_support import DAMAGED, make_report, qa_command, qa_env, reviewed_newsroom, run_qa, write_articles

TRAIN = Path(__file__).parent / "data" / "train"
OTHER = "Ferry service resumes\n\nThe ferry resumed service on Sunday after the storm made the trees to fall on the road.\n"


def _learn(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """`qa learn` to completion (the model loads: longer than run_qa's minute on two busy cores)."""
    return subprocess.run(qa_command("learn", *args), check=False, capture_output=True, text=True, cwd=cwd,
                          env=qa_env(**env), timeout=900)


def _one_mark(tmp_path: Path) -> Path:
    """A review database with a single marked phrase (two words)."""
    db = tmp_path / "small.sqlite"
    store = Store(db)
    key, title, body, _ = DAMAGED[0]
    run = store.import_report(make_report([write_articles(tmp_path / "feed.jsonl", [{"id": key, "title": title, "body": body}])]), "feed")
    (item,) = store.queue(run)
    start = body.index("the damages")
    store.mark_missed(item.id, MissedMark("body", start, start + 11, "the damages", "the damage"), "desk")
    return db


def test_too_few_decisions_write_the_table_and_say_why_no_model(tmp_path: Path) -> None:
    done = run_qa("learn", "--from-review", str(_one_mark(tmp_path)), "--out", str(tmp_path / "newsroom"))
    assert done.returncode == 0, done.stderr
    assert "+ the damages → the damage" in done.stdout
    assert "review: 1 sentence of 1 article decided (2 damage words, 0 clean)" in done.stdout
    assert "tagger: not trained: 2 damage words in the decisions, 20 needed (confirm or fix findings, or mark missed damage" in done.stdout
    assert (tmp_path / "newsroom" / "substitutions.tsv").is_file() and not (tmp_path / "newsroom" / "head.pt").exists()


def test_no_model_writes_the_table_alone(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite"
    reviewed_newsroom(db, tmp_path / "feed.jsonl")
    done = run_qa("learn", "--from-review", str(db), "--out", str(tmp_path / "newsroom"), "--no-model")
    assert done.returncode == 0, done.stderr
    assert "(15 new)" in done.stdout and "review:" not in done.stdout and "tagger" not in done.stdout
    assert sorted(p.name for p in (tmp_path / "newsroom").iterdir()) == ["substitutions.tsv"]


def test_the_model_never_goes_inside_the_package(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite"
    reviewed_newsroom(db, tmp_path / "feed.jsonl")
    done = run_qa("learn", "--from-review", str(db), "--out", str(WEIGHTS.parent / "newsroom"))
    assert done.returncode == 2 and "never goes inside the qa package" in done.stderr
    assert not (WEIGHTS.parent / "newsroom").exists()


def _newsroom_weights(folder: Path) -> Path:
    """The shipped head under a newsroom card (what `qa learn` writes, without the training)."""
    folder.mkdir(parents=True)
    shutil.copy(WEIGHTS / "head.pt", folder / "head.pt")
    card = Card.load(WEIGHTS / "card.json")
    card.newsroom = {"review_database": "review.sqlite", "review_sha256": "0" * 12}
    card.save(folder / "card.json")
    return folder


def test_named_weights_are_found_beside_the_config_and_named_in_the_signature(tmp_path: Path) -> None:
    weights = _newsroom_weights(tmp_path / "desk" / "newsroom")
    config = tmp_path / "desk" / "qa.yml"
    config.write_text("learned: {weights: newsroom}\n", encoding="utf-8")
    checkers = configure(load_config(config).switched(learned=True, embeddings=False, languagetool=False)).checkers()
    (learned,) = [c for c in checkers if isinstance(c, LearnedChecker)]
    assert learned.tagger.folder == weights
    first = weights_digest(weights)
    assert learned.describe().startswith(f"newsroom(newsroom)@{first};flag>=0.93")
    (weights / "card.json").write_text((weights / "card.json").read_text().replace('"seed": 13', '"seed": 14'), encoding="utf-8")
    changed = LearnedChecker(learned.settings).describe()  # any change to the files is a new name
    assert first not in changed and weights_digest(weights) in changed
    default = [c for c in configure(load_config(None).switched(learned=True, embeddings=False, languagetool=False)).checkers()
               if isinstance(c, LearnedChecker)]
    assert default[0].describe().startswith("weights@2026-11-30/seed13;")  # the shipped tagger's part is as it was
    config.write_text("learned: {weights: gone}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no trained tagger in .*gone"):
        configure(load_config(config).switched(learned=True, embeddings=False, languagetool=False)).checkers()


def test_the_comparison_reads_the_card() -> None:
    card = Card(
        trained="2026-12-01", data="review", seed=13, examples=10, epochs=3, head={}, thresholds={"flag": 0.9, "major": 0.95},
        dev={"review_held_out": {
            "articles": 2,
            "before": {"damage_words": 10, "damage_found": 1, "clean_words": 40, "clean_flagged": 0, "clean_copy_words": 30, "findings_per_1000_words": 0.0},
            "after": {"damage_words": 10, "damage_found": 4, "clean_words": 40, "clean_flagged": 2, "clean_copy_words": 30, "findings_per_1000_words": 33.33}},
            "dev": {"before": {"ro-en": {"word_mcc": 0.2}, "et-en": {"word_mcc": 0.1}, "post-edits": {"findings_per_1000_words": 0.28}},
                    "after": {"ro-en": {"word_mcc": 0.25}, "et-en": {"word_mcc": 0.15}, "post-edits": {"findings_per_1000_words": 0.3}}}},
        newsroom={"base": {"thresholds": {"flag": 0.93}}},
    )
    assert comparison(card) == [
        ("flag threshold", "0.93", "0.9"),
        ("held-out review (2 articles): damage words found", "1 of 10 (10%)", "4 of 10 (40%)"),
        ("held-out review (2 articles): clean words flagged", "0 of 40 (0%)", "2 of 40 (5%)"),
        ("held-out review (2 articles): clean copy findings per 1,000 words", "0.00", "33.33"),
        ("dev: MLQE-PE word MCC (mean over pairs)", "0.150", "0.200"),
        ("dev: post-edit findings per 1,000 words", "0.28", "0.30"),
    ]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _without_notes(report: str) -> dict[str, object]:
    """A JSON report without its notes (they carry the model's load time)."""
    data = json.loads(report)
    data["summary"].pop("notes")
    return data  # type: ignore[no-any-return]


@pytest.mark.slow
def test_qa_learn_fine_tunes_the_tagger_reproducibly_and_a_run_names_it(tmp_path: Path) -> None:
    shipped = {name: _digest(WEIGHTS / name) for name in ("head.pt", "card.json")}
    db = tmp_path / "review.sqlite"
    store = reviewed_newsroom(db, tmp_path / "feed.jsonl")  # with a dismissal: clean words the model learns from
    (tmp_path / "other.txt").write_text(OTHER, encoding="utf-8")
    check = ("check", "other.txt", "--languagetool", "off", "--format")
    plain_text, plain_json = (run_qa(*check, fmt, cwd=tmp_path) for fmt in ("text", "json"))

    done = _learn("--from-review", db.name, "--out", "newsroom", "--data", str(TRAIN), "--progress", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "review: 26 sentences of 11 articles decided (86 damage words, 95 clean): 1 finding confirmed or fixed, 1 dismissed, 14 marks, 3 clean articles" in done.stdout
    assert "| tagger | shipped | newsroom |" in done.stdout and "| flag threshold | 0.93 |" in done.stdout
    assert "| held-out review (2 articles): damage words found |" in done.stdout and "| dev: post-edit findings per 1,000 words |" in done.stdout
    assert "name the folder in qa.yml: learned: {weights: newsroom}" in done.stdout
    assert "reading usual" in done.stderr and "epoch 1/3" in done.stderr and "reading dev" in done.stderr  # progress, on stderr
    card = Card.load(tmp_path / "newsroom" / "card.json")
    assert card.newsroom["review_sha256"] == store.digest() and card.newsroom["base"]["sha256"] == weights_digest(WEIGHTS)
    assert card.newsroom["base"]["thresholds"]["flag"] == 0.93 and 0.5 <= card.thresholds["flag"] <= 0.99
    counts = card.newsroom["examples"]
    assert counts["usual"] > 50 and counts["review_sentences"] + counts["held_out_sentences"] == 26 and counts["damage_words"] >= 20
    assert card.dev["dev"]["before"]["post-edits"]["sentences"] > 0 and len(card.dev["losses"]) == 3

    again = _learn("--from-review", db.name, "--out", "again", "--data", str(TRAIN), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _digest(tmp_path / "again" / "head.pt") == _digest(tmp_path / "newsroom" / "head.pt")  # seeded: the same weights

    # neither key: byte for byte the plain run, and the shipped weights as they were
    (tmp_path / "qa.yml").write_text("learned: {}\n", encoding="utf-8")
    assert run_qa(*check, "text", cwd=tmp_path).stdout == plain_text.stdout
    assert _without_notes(run_qa(*check, "json", cwd=tmp_path).stdout) == _without_notes(plain_json.stdout)
    assert {name: _digest(WEIGHTS / name) for name in shipped} == shipped
    # the newsroom's model and table named: both in the signature
    (tmp_path / "qa.yml").write_text("learned: {weights: newsroom, newsroom_table: newsroom/substitutions.tsv}\n", encoding="utf-8")
    named = json.loads(run_qa(*check, "json", cwd=tmp_path).stdout)
    signature = named["tool"]["signature"]
    assert f"learned:newsroom(newsroom)@{weights_digest(tmp_path / 'newsroom')};flag>={card.thresholds['flag']:g}" in signature
    assert "newsroom(substitutions.tsv)@" in signature
    assert any(i["rule"] == "newsroom.made-the-trees-to-fall" for i in named["articles"][0]["issues"])


@pytest.mark.slow
def test_without_the_usual_data_it_says_so_and_trains_on_the_review_alone(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite"
    reviewed_newsroom(db, tmp_path / "feed.jsonl")
    done = _learn("--from-review", db.name, "--out", "newsroom", "--epochs", "1", cwd=tmp_path, QA_TRAIN_DIR="")
    assert done.returncode == 0, done.stderr
    (line,) = [x for x in done.stderr.splitlines() if "usual training data" in x]
    assert line == ("qa learn: no usual training data (set QA_TRAIN_DIR or pass --data): "
                    "the tagger trains on the review decisions alone, without dev scores")
    assert "| held-out review" in done.stdout and "| dev:" not in done.stdout
    card = Card.load(tmp_path / "newsroom" / "card.json")
    assert card.newsroom["examples"]["usual"] == 0 and "dev" not in card.dev and card.data.endswith(" alone")
