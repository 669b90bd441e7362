"""``qa learn``'s tagger: the shipped head fine-tuned on a newsroom's review decisions, with some of its usual data.

The review examples (``qa.learned.review``) are split by article with a fixed seed: most train, the
rest are held out to measure on. The shipped head is the starting point; it trains for a few epochs
on the review examples (repeated so they weigh about as much as the rest) mixed with a seeded sample
of its usual training data (``qa.datasets.training``), so it does not forget what it knew. The flag
threshold is refitted as ``qa train tagger`` fits it (``fit_flag_threshold_each``): the lowest at
which the clean review copy and the dev post-edits, each on its own, get at most 0.3 findings per
1,000 words. The shipped head and the new one are then scored on the held-out review examples and
the dev split, and the new weights are written with a card saying where they came from.

Without the usual data the head trains on the review examples alone (no dev scores). Reproducible:
the same database, data and seed give the same weights.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.datasets.example import Example
from qa.learned.model import Card, Encoded, HeadConfig, WordStateEncoder
from qa.learned.review import CLEAN_SOURCE, damage_words, review_examples, split_by_article
from qa.learned.spans import Thresholds
from qa.learned.train import (
    Progress,
    TrainSettings,
    cache_folder,
    cached_encode,
    dev_scores,
    fit,
    fit_flag_threshold_each,
    flagged_words,
    predict,
    spans_of,
    thresholds_for,
)

if TYPE_CHECKING:  # read only where a review database is learned from
    from qa.review.store import Store

MAX_REPEAT = 10  # the review examples are repeated at most this often to weigh as much as the usual sample
CHUNK = 500  # sentences read between two progress lines


@dataclass(frozen=True)
class LearnSettings:
    """What ``qa learn`` trains on and how long."""

    data: Path | None  # the usual training data (None: the review examples alone)
    seed: int = 13
    epochs: int = 3
    learning_rate: float = 2e-4  # a tenth of training from scratch: the head is moved, not rebuilt
    batch_size: int = 64
    usual: int = 2000  # examples of the usual training data mixed in
    held_out: float = 0.2  # share of the reviewed articles held out to measure on
    min_damage: int = 20  # damage words the decisions must give before a head is trained
    clean_findings: float = TrainSettings.clean_findings
    cache: Path | None = None  # keep the base model's reading of the usual data here


def too_few(review: Sequence[Example], settings: LearnSettings) -> str | None:
    """Why the decisions cannot train a head (None: they can)."""
    damage = damage_words(review)
    if damage < settings.min_damage:
        return (f"{damage} damage word{'s' if damage != 1 else ''} in the decisions, {settings.min_damage} needed "
                "(confirm or fix findings, or mark missed damage, in qa serve)")
    return None


def learn_tagger(
    review: Sequence[Example], settings: LearnSettings, base: Path, out: Path, about: Mapping[str, Any], progress: Progress | None = None
) -> Card:
    """Fine-tune the head in ``base`` on the review examples, refit the threshold, score before and after,
    write ``out/head.pt`` and ``out/card.json``; the card. ``about`` goes into the card (database, command)."""
    import torch

    from qa.datasets.training import examples
    from qa.learned.tagger import base_model_path, load_head, weights_digest

    begin = time.perf_counter()
    base_card = Card.load(base / "card.json")
    config = HeadConfig.from_card(base_card.head)
    trained_on, held = split_by_article(review, settings.held_out, settings.seed)
    usual: list[Example] = []
    dev: list[Example] = []
    if settings.data is not None:
        usual = list(examples(settings.data, "train"))
        random.Random(settings.seed).shuffle(usual)
        usual = usual[: settings.usual]
        dev = list(examples(settings.data, "dev"))

    model_path = base_model_path()
    encoders: list[WordStateEncoder] = []

    def make_encoder() -> WordStateEncoder:
        if not encoders:
            encoders.append(WordStateEncoder.load(model_path, config.layers, config.max_pieces))
        return encoders[0]

    def chunks(items: Sequence[Example], name: str, keep: bool) -> Iterator[tuple[Sequence[Example], list[Encoded]]]:
        """The base model's reading of ``items`` a chunk at a time (half precision, in the cache when ``keep``), with progress."""
        folder = cache_folder(settings.cache, model_path, config, f"learn-{name}-{_texts_digest(items)}") if keep else None
        for at in range(0, len(items), CHUNK):
            part = items[at : at + CHUNK]
            encoded = cached_encode(make_encoder, part, folder, f"{name}{at // CHUNK:03d}-", None)
            yield part, [replace(e, features=e.features.half()) for e in encoded]  # as a cache keeps it: the same numbers either way
            if progress:
                progress(f"reading {name}", min(at + CHUNK, len(items)), len(items))

    def read(items: Sequence[Example], name: str, keep: bool) -> list[Encoded]:
        return [e for _, encoded in chunks(items, name, keep) for e in encoded]

    review_read = read([*trained_on, *held], "review", keep=False)
    trained_read, held_read = review_read[: len(trained_on)], review_read[len(trained_on) :]
    usual_read = read(usual, "usual", keep=True)

    repeat = max(1, min(MAX_REPEAT, round(len(usual) / max(len(trained_on), 1)))) if usual else 1
    rows = [(enc, e.labels) for enc, e in zip(usual_read, usual)]
    rows += [(enc, e.labels) for enc, e in zip(trained_read, trained_on)] * repeat
    torch.manual_seed(settings.seed)
    shipped = load_head(base, replace(config, dropout=0.0)).eval()
    head = load_head(base, config)
    schedule = TrainSettings(data=settings.data or Path("."), seed=settings.seed, epochs=settings.epochs,
                             batch_size=settings.batch_size, learning_rate=settings.learning_rate)
    losses = fit(head, rows, schedule, progress)

    dev_before: list[tuple[Example, list[float]]] = []
    dev_after: list[tuple[Example, list[float]]] = []
    for part, encoded in chunks(dev, "dev", keep=True):  # only the probabilities are kept, not the vectors
        dev_before += zip(part, predict(shipped, encoded))
        dev_after += zip(part, predict(head, encoded))

    clean_copy = [(e, p) for e, p in zip(trained_on, predict(head, trained_read)) if e.source == CLEAN_SOURCE]
    post_edits = [(e, p) for e, p in dev_after if e.source.endswith("/pe")]
    pools = [pool for pool in (post_edits, clean_copy) if pool]
    before = Thresholds(flag=float(base_card.thresholds["flag"]), major=float(base_card.thresholds["major"]))
    after = thresholds_for(fit_flag_threshold_each(pools, settings.clean_findings)) if pools else before

    scores: dict[str, Any] = {
        "review_held_out": {
            "articles": len({e.document for e in held}),
            "before": review_scores(list(zip(held, predict(shipped, held_read))), before),
            "after": review_scores(list(zip(held, predict(head, held_read))), after),
        },
    }
    if dev:
        scores["dev"] = {"before": dev_scores(dev_before, before), "after": dev_scores(dev_after, after)}
    scores |= {"losses": [round(x, 4) for x in losses], "minutes": round((time.perf_counter() - begin) / 60, 1)}

    out.mkdir(parents=True, exist_ok=True)
    torch.save({k: v.half() for k, v in head.state_dict().items()}, out / "head.pt")
    used = f" + {len(usual):,} examples of the usual training data ({settings.data}, seeded sample)" if settings.data is not None else " alone"
    card = Card(
        trained=datetime.date.today().isoformat(),
        data=f"review database {about.get('review_database', '?')}: {len(trained_on):,} sentences (×{repeat}){used}",
        seed=settings.seed,
        examples=len(usual) + len(trained_on),
        epochs=settings.epochs,
        head=asdict(config),
        thresholds=asdict(after),
        dev=scores,
        command=str(about.get("command", "qa learn")),
        newsroom={
            **{k: v for k, v in about.items() if k != "command"},
            "base": {"folder": base.name, "sha256": weights_digest(base), "trained": base_card.trained,
                     "seed": base_card.seed, "thresholds": asdict(before)},
            "examples": {
                "review_sentences": len(trained_on), "review_repeated": repeat,
                "damage_words": damage_words(trained_on), "clean_words": sum(label == 0 for e in trained_on for label in e.labels),
                "clean_copy_sentences": len(clean_copy), "held_out_sentences": len(held), "usual": len(usual),
            },
            "learning_rate": settings.learning_rate,
        },
    )
    card.save(out / "card.json")
    return card


def _texts_digest(items: Sequence[Example]) -> str:
    """What names a cached reading: the sentences read, in order (a cache is never read for other data)."""
    return hashlib.sha256("\n".join(e.text for e in items).encode("utf-8")).hexdigest()[:12]


def review_scores(rows: Sequence[tuple[Example, list[float]]], thresholds: Thresholds) -> dict[str, Any]:
    """On review examples: decided words flagged (damage found, clean words flagged) and findings per
    1,000 words of clean copy."""
    damage = found = clean = wrong = copy_words = copy_findings = 0
    for example, probabilities in rows:
        for label, flagged in zip(example.labels, flagged_words(example, probabilities, thresholds)):
            damage += label == 1
            found += label == 1 and flagged == 1
            clean += label == 0
            wrong += label == 0 and flagged == 1
        if example.source == CLEAN_SOURCE:
            copy_words += len(example.words)
            copy_findings += len(spans_of(example, probabilities, thresholds))
    return {
        "damage_words": damage, "damage_found": found, "clean_words": clean, "clean_flagged": wrong,
        "clean_copy_words": copy_words, "clean_copy_findings": copy_findings,
        "findings_per_1000_words": round(1000 * copy_findings / copy_words, 2) if copy_words else None,
    }


def comparison(card: Card) -> list[tuple[str, str, str]]:
    """What ``qa learn`` prints: (measure, shipped head, newsroom head) rows from a card it wrote."""
    before_flag = card.newsroom["base"]["thresholds"]["flag"]
    rows = [("flag threshold", f"{before_flag:g}", f"{card.thresholds['flag']:g}")]
    held = card.dev["review_held_out"]
    b, a = held["before"], held["after"]
    where = f"held-out review ({held['articles']} article{'s' if held['articles'] != 1 else ''})"
    if b["damage_words"]:
        rows.append((f"{where}: damage words found", _share(b["damage_found"], b["damage_words"]), _share(a["damage_found"], a["damage_words"])))
    if b["clean_words"]:
        rows.append((f"{where}: clean words flagged", _share(b["clean_flagged"], b["clean_words"]), _share(a["clean_flagged"], a["clean_words"])))
    if b["clean_copy_words"]:
        rows.append((f"{where}: clean copy findings per 1,000 words", f"{b['findings_per_1000_words']:.2f}", f"{a['findings_per_1000_words']:.2f}"))
    if not (b["damage_words"] or b["clean_words"]):
        rows.append((f"{where}: no decided words", "-", "-"))
    if "dev" in card.dev:
        for label, pick in _DEV_ROWS:
            before, after = pick(card.dev["dev"]["before"]), pick(card.dev["dev"]["after"])
            if before is not None and after is not None:
                rows.append((label, before, after))
    return rows


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part / whole:.0%})"


def _mean_mcc(scores: Mapping[str, Any]) -> str | None:
    pairs = [v["word_mcc"] for v in scores.values() if isinstance(v, Mapping) and "word_mcc" in v]
    return f"{sum(pairs) / len(pairs):.3f}" if pairs else None


def _picked(name: str, key: str, form: str) -> Callable[[Mapping[str, Any]], str | None]:
    def pick(scores: Mapping[str, Any]) -> str | None:
        value = scores.get(name, {}).get(key)
        return None if value is None else format(value, form)

    return pick


_DEV_ROWS: tuple[tuple[str, Callable[[Mapping[str, Any]], str | None]], ...] = (
    ("dev: MLQE-PE word MCC (mean over pairs)", _mean_mcc),
    ("dev: WMT22 news span F1", _picked("wmt22-news", "f1", ".3f")),
    ("dev: post-edit findings per 1,000 words", _picked("post-edits", "findings_per_1000_words", ".2f")),
)


def newsroom_folder(store: Store, db: Path, out: Path, data: Path | None, cache: Path | None = None) -> dict[str, str]:
    """Write what ``qa learn`` learns from a review database into ``out`` without a word printed — the table, and
    the tagger fine-tuned on every reviewed article (none held out) when the decisions give enough damage
    words — and return the ``learned`` config values that name it (empty when nothing was learned)."""
    from qa.learned.newsroom import confirmations, pairs, write_table
    from qa.learned.tagger import WEIGHTS

    digest = store.digest()
    found = pairs(confirmations(store))
    values = {"newsroom_table": str(write_table(found, out, db, digest))} if found else {}
    review, _ = review_examples(store)
    settings = LearnSettings(data=data, held_out=0.0, cache=cache)
    if too_few(review, settings) is None:
        learn_tagger(review, settings, WEIGHTS, out, {"review_database": db.name, "review_sha256": digest, "command": "qa bench newsroom"})
        values["weights"] = str(out)
    return values
