"""``qa train tagger``: fit the damage tagger's head on ``../shared/train`` and score it on the dev splits.

Reproducible: a fixed seed orders the data and initialises the head; the same data and seed give
the same weights. The frozen base model reads every sentence once (the slow part); the head then
trains for a few epochs on those vectors, and the flag threshold is fitted on the dev split's
post-edited sentences (edited copy must stay clean) before the dev scores are taken.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qa.datasets.example import Example
from qa.datasets.mlqe import PAIRS
from qa.datasets.training import examples
from qa.learned.model import Card, Encoded, HeadConfig, WordStateEncoder, build_head, pad, word_probabilities
from qa.learned.spans import Thresholds, WordSpan, flagged_spans
from qa.metrics import char_f1, f1, mcc, pearson

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True)
class TrainSettings:
    """What a training run reads and how long it trains."""

    data: Path
    seed: int = 13
    epochs: int = 3
    batch_size: int = 64
    learning_rate: float = 2e-3
    max_examples: int | None = None  # a quick run on the first N shuffled training examples
    clean_findings: float = 0.3  # findings per 1,000 words allowed on the dev post-edits (edited copy)
    head: HeadConfig = HeadConfig()
    cache: Path | None = None  # keep the base model's reading of the data here, reuse it next time


def _load(settings: TrainSettings) -> tuple[list[Example], list[Example]]:
    train = list(examples(settings.data, "train"))
    random.Random(settings.seed).shuffle(train)
    dev = list(examples(settings.data, "dev"))
    if settings.max_examples is not None:
        train = train[: settings.max_examples]
        dev = dev[: max(settings.max_examples // 4, 50)] + [e for e in dev if e.source.startswith("mqm")][:50]
    return train, dev


SHARD = 5000  # examples per cache file


def encode(encoder: WordStateEncoder, items: Sequence[Example], progress: Progress | None, stage: str, chunk: int = 512) -> list[Encoded]:
    """Read every example with the base model, in chunks so progress can be shown."""
    out: list[Encoded] = []
    for at in range(0, len(items), chunk):
        part = items[at : at + chunk]
        out += encoder.encode([(e.text, e.words) for e in part])
        if progress:
            progress(stage, min(at + chunk, len(items)), len(items))
    return out


def cached_encode(
    make_encoder: Callable[[], WordStateEncoder], items: Sequence[Example], folder: Path | None, name: str, progress: Progress | None
) -> list[Encoded]:
    """``encode`` in shards of ``SHARD`` examples, each kept in ``folder`` (when given) and read back next time."""
    import torch

    out: list[Encoded] = []
    for at in range(0, len(items), SHARD):
        part = items[at : at + SHARD]
        path = folder / f"{name}{at // SHARD:02d}.pt" if folder else None
        if path is not None and path.is_file():
            saved = torch.load(path, weights_only=False)
            if len(saved["features"]) == len(part):
                out += [Encoded(f, w, len(e.words)) for f, w, e in zip(saved["features"], saved["word_of"], part)]
                continue
        encoded = encode(make_encoder(), part, None, name)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            torch.save({"features": [e.features.half() for e in encoded], "word_of": [e.word_of for e in encoded]}, path)
        out += encoded
        if progress:
            progress(f"reading {name}", min(at + SHARD, len(items)), len(items))
    return out


def fit(head: Any, data: Sequence[tuple[Encoded, Sequence[int]]], settings: TrainSettings, progress: Progress | None) -> list[float]:
    """Train the head with AdamW on per-piece binary cross-entropy; returns the mean loss per epoch."""
    import torch

    optimizer = torch.optim.AdamW(head.parameters(), lr=settings.learning_rate, weight_decay=0.01)
    steps = settings.epochs * ((len(data) + settings.batch_size - 1) // settings.batch_size)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=settings.learning_rate, total_steps=max(steps, 1))
    rng = random.Random(settings.seed)
    # batches of similar length waste little on padding; each is padded once (half precision) and
    # its order shuffled every epoch
    order = sorted(range(len(data)), key=lambda i: (len(data[i][0].word_of), i))
    batches = [_batch([data[i] for i in order[at : at + settings.batch_size]]) for at in range(0, len(order), settings.batch_size)]
    losses = []
    for epoch in range(settings.epochs):
        head.train()
        rng.shuffle(batches)
        total = 0.0
        for n, (x, lengths, target, mask) in enumerate(batches):
            logits = head(x.float(), lengths)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target, weight=mask, reduction="sum") / mask.sum().clamp(min=1)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(head.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            total += float(loss.detach())
            if progress and n % 50 == 0:
                progress(f"epoch {epoch + 1}/{settings.epochs}", n, len(batches))
        losses.append(total / max(len(batches), 1))
    head.eval()
    return losses


def _batch(rows: Sequence[tuple[Encoded, Sequence[int]]]) -> tuple[Any, Any, Any, Any]:
    """One padded training batch: inputs (half precision), lengths, per-piece targets and mask."""
    import torch

    x, lengths = pad([enc for enc, _ in rows], torch.float16)
    target = torch.zeros(x.shape[:2])
    mask = torch.zeros(x.shape[:2])
    for row, (enc, labels) in enumerate(rows):  # a word labelled -1 (undecided) does not count
        target[row, : len(enc.word_of)] = torch.tensor([float(labels[w] == 1) for w in enc.word_of])
        mask[row, : len(enc.word_of)] = torch.tensor([float(labels[w] >= 0) for w in enc.word_of])
    return x, lengths, target, mask


def predict(head: Any, encoded: Sequence[Encoded], batch_size: int = 128) -> list[list[float]]:
    """Word probabilities for every encoded sentence."""
    out: list[list[float]] = []
    for at in range(0, len(encoded), batch_size):
        out += word_probabilities(head, encoded[at : at + batch_size])
    return out


def _words(example: Example) -> list[str]:
    return [example.text[s:e] for s, e in example.words]


def spans_of(example: Example, probabilities: Sequence[float], thresholds: Thresholds) -> list[WordSpan]:
    """The spans the checker would report on an example's sentence."""
    return flagged_spans(_words(example), probabilities, thresholds)


def fit_flag_threshold(clean: Sequence[tuple[Example, list[float]]], per_thousand: float) -> float:
    """The lowest flag threshold (0.50–0.99) at which clean (post-edited) sentences get at most
    ``per_thousand`` findings per 1,000 words."""
    return fit_flag_threshold_each([clean], per_thousand)


def fit_flag_threshold_each(pools: Sequence[Sequence[tuple[Example, list[float]]]], per_thousand: float) -> float:
    """The lowest flag threshold (0.50–0.99) at which each pool of clean sentences, on its own, gets at most
    ``per_thousand`` findings per 1,000 words (a small pool of a newsroom's copy is not outvoted by a large one)."""
    words = [sum(len(e.words) for e, _ in pool) for pool in pools]
    for step in range(50, 100):
        flag = step / 100
        thresholds = Thresholds(flag=flag, major=1.0)
        found = [sum(len(flagged_spans(_words(e), p, thresholds)) for e, p in pool) for pool in pools]
        if all(1000 * n / max(w, 1) <= per_thousand for n, w in zip(found, words)):
            return flag
    return 0.99


def thresholds_for(flag: float) -> Thresholds:
    """The thresholds of a fitted flag threshold: a span is major halfway from it to 1."""
    return Thresholds(flag=flag, major=round((1 + flag) / 2, 3))


def penalty(example: Example, probabilities: Sequence[float], thresholds: Thresholds) -> int:
    """The sentence's MQM-style penalty from the spans the checker would report."""
    return sum(s.severity.weight for s in flagged_spans(_words(example), probabilities, thresholds))


def flagged_words(example: Example, probabilities: Sequence[float], thresholds: Thresholds) -> list[int]:
    """1 for each word inside a reported span, else 0."""
    marks = [0] * len(example.words)
    for span in flagged_spans(_words(example), probabilities, thresholds):
        for k in range(span.first, span.last + 1):
            marks[k] = 1
    return marks


def dev_scores(dev: Sequence[tuple[Example, list[float]]], thresholds: Thresholds) -> dict[str, Any]:
    """MLQE-PE per pair (Pearson of penalty and of mean P against HTER, word MCC/F1) and WMT22 char span F1."""
    scores: dict[str, Any] = {}
    for pair in PAIRS:
        rows = [(e, p) for e, p in dev if e.source == f"mlqe/{pair}/mt"]
        if len(rows) < 2:
            continue
        gold = [label for e, _ in rows for label in e.labels]
        marks = [m for e, p in rows for m in flagged_words(e, p, thresholds)]
        hter = [e.score for e, _ in rows]
        scores[pair] = {
            "sentences": len(rows),
            "pearson_penalty": round(pearson([float(penalty(e, p, thresholds)) for e, p in rows], hter), 3),
            "pearson_mean_p": round(pearson([sum(p) / max(len(p), 1) for _, p in rows], hter), 3),
            "word_mcc": round(mcc(gold, marks), 3),
            "word_f1_bad": round(f1(gold, marks), 3),
        }
    mqm = [(e, p) for e, p in dev if e.source.startswith("mqm/")]
    if mqm:
        pairs = [
            (list(e.marked), [(e.words[s.first][0], e.words[s.last][1]) for s in flagged_spans(_words(e), p, thresholds)])
            for e, p in mqm
        ]
        scores["wmt22-news"] = {k: round(v, 3) for k, v in char_f1(pairs).items()} | {"segments": len(mqm)}
    clean = [(e, p) for e, p in dev if e.source.endswith("/pe")]
    words = sum(len(e.words) for e, _ in clean)
    findings = sum(len(flagged_spans(_words(e), p, thresholds)) for e, p in clean)
    scores["post-edits"] = {"sentences": len(clean), "findings_per_1000_words": round(1000 * findings / max(words, 1), 2)}
    return scores


def cache_folder(cache: Path | None, model_path: str, head: HeadConfig, tag: str) -> Path | None:
    """Where ``cached_encode`` keeps the base model's reading of a data set (None: no cache): named by
    the model, the layers and pieces read, and ``tag`` (which examples)."""
    if cache is None:
        return None
    layers = "-".join(str(k) for k in head.layers)
    return cache / f"{Path(model_path).name}-l{layers}-p{head.max_pieces}-{tag}"


def train(settings: TrainSettings, model_path: str, out: Path, progress: Progress | None = None) -> Card:
    """Encode the data, fit the head, fit thresholds on dev, score dev, and save weights and card to ``out``."""
    import torch

    random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    begin = time.perf_counter()
    train_set, dev_set = _load(settings)
    encoders: list[WordStateEncoder] = []

    def make_encoder() -> WordStateEncoder:
        if not encoders:
            encoders.append(WordStateEncoder.load(model_path, settings.head.layers, settings.head.max_pieces))
        return encoders[0]

    folder = cache_folder(settings.cache, model_path, settings.head, f"seed{settings.seed}-n{len(train_set)}")
    train_encoded = cached_encode(make_encoder, train_set, folder, "train", progress)
    dev_encoded = cached_encode(make_encoder, dev_set, folder, "dev", progress)
    head = build_head(settings.head)
    losses = fit(head, [(enc, e.labels) for enc, e in zip(train_encoded, train_set)], settings, progress)
    dev_probs = list(zip(dev_set, predict(head, dev_encoded)))
    flag = fit_flag_threshold([(e, p) for e, p in dev_probs if e.source.endswith("/pe")], settings.clean_findings)
    thresholds = thresholds_for(flag)
    scores = dev_scores(dev_probs, thresholds)
    out.mkdir(parents=True, exist_ok=True)
    torch.save({k: v.half() for k, v in head.state_dict().items()}, out / "head.pt")
    card = Card(
        trained=datetime.date.today().isoformat(),
        data=f"{settings.data.name}: MLQE-PE {', '.join(PAIRS)} train + WMT21 zh-en MQM news and TED; dev: MLQE-PE dev, WMT22 news",
        seed=settings.seed,
        examples=len(train_set),
        epochs=settings.epochs,
        head=asdict(settings.head),
        thresholds=asdict(thresholds),
        dev=scores | {"losses": [round(x, 4) for x in losses], "minutes": round((time.perf_counter() - begin) / 60, 1)},
    )
    card.save(out / "card.json")
    return card
