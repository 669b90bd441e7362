"""What ``qa learn`` buys, measured: the simulated-review curve of ``qa bench newsroom``.

A simulated editor (``qa.simulate.editor``) reviews the checked articles of the garbled-news train
split in a real review database, in a seeded order. After each stretch of articles, what the
decisions so far teach is written to a newsroom folder by ``learn`` (the command passes
``qa.learned.finetune.newsroom_folder``: the table and the tagger ``qa learn`` writes), and the dev
split, no site in common with train, is checked again with it. Each point of the curve: decisions
made → dev span recall and precision, suggestions, clean-copy findings per 1,000 words (the dev
split's clean articles and Wikinews).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from qa.bench.garbled import run_garbled
from qa.config import Config
from qa.datasets.garbled_news import read_garbled_split
from qa.review.store import Store
from qa.simulate.editor import Tally, review

Progress = Callable[[str], None]
Learn = Callable[[Store, Path, Path], dict[str, str]]  # (store, database, folder) → the learned config values naming what it wrote


def checkpoints(total: int, steps: int) -> list[int]:
    """``steps`` + 1 article counts from 0 to ``total``, evenly spread."""
    return sorted({round(total * k / steps) for k in range(steps + 1)})


def curve(
    config: Config, root: Path, wiki_path: Path | None, work: Path, steps: int, seed: int, learn: Learn, progress: Progress
) -> list[dict[str, Any]]:
    """The curve's points, from no decision to the whole train split reviewed."""
    from qa.engine import check

    train, _ = read_garbled_split(root, "train")
    random.Random(seed).shuffle(train)
    progress(f"checking {len(train)} train articles")
    report = check([a.article for a in train], config)
    db = work / "review.sqlite"
    db.unlink(missing_ok=True)
    store = Store(db)
    run_id = store.import_report(report, "garbled-news train (simulated review)")
    ids = sorted(item.id for item in store.queue(run_id))  # row ids follow the run's order
    tally, done, points = Tally(), 0, []
    for at in checkpoints(len(train), steps):
        for article_id, article in zip(ids[done:at], train[done:at]):
            tally += review(store, article_id, article)
        done = at
        learned = learn(store, db, work / f"after-{at:03d}")
        progress(f"{at} articles reviewed, {tally.decisions} decisions: checking dev")
        result = run_garbled(config.with_section("learned", **learned), root, "dev", wiki_path)
        points.append({"articles": at, "decisions": tally.decisions, "tally": asdict(tally), "learned": learned, **result})
    return points
