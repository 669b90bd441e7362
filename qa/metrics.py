"""Plain statistics for the benchmarks, written out so each definition can be read and checked by hand."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def pairwise_accuracy(groups: Iterable[Sequence[tuple[float, float]]]) -> tuple[float, int]:
    """Accuracy over pairs inside each group whose gold scores differ, and the number of pairs.

    Each group holds ``(gold, predicted)`` for the systems translating one source segment; a pair
    scores 1 when the predictions order it like gold, 0.5 when the predictions tie, else 0.
    """
    total, pairs = 0.0, 0
    for group in groups:
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                gold = group[i][0] - group[j][0]
                if gold == 0:
                    continue
                pred = group[i][1] - group[j][1]
                pairs += 1
                total += 0.5 if pred == 0 else float((gold > 0) == (pred > 0))
    return (total / pairs if pairs else math.nan), pairs


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's τ-b (ties in either ranking are corrected for, as in scipy's default)."""
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            sx, sy = _sign(x[i] - x[j]), _sign(y[i] - y[j])
            if sx == 0 and sy == 0:
                continue
            if sx == 0:
                ties_x += 1
            elif sy == 0:
                ties_y += 1
            elif sx == sy:
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else math.nan


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson's correlation coefficient (nan when either side is constant)."""
    n = len(x)
    if n < 2:
        return math.nan
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else math.nan


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a positive outscores a negative (ties count one half): the ROC AUC."""
    if not positives or not negatives:
        return math.nan
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def triage_auc(gold: Sequence[float], predicted: Sequence[float]) -> tuple[float, int]:
    """AUC separating the worst quarter by gold (higher is worse) from the best quarter, and the quarter size.

    Items are ranked by gold score (ties broken by position, so the split is deterministic).
    """
    quarter = len(gold) // 4
    order = sorted(range(len(gold)), key=lambda i: (gold[i], i))
    best, worst = order[:quarter], order[len(order) - quarter :]
    return auc([predicted[i] for i in worst], [predicted[i] for i in best]), quarter


def per_thousand(count: int, words: int) -> float:
    """Count per 1,000 words (nan for no words)."""
    return 1000.0 * count / words if words else math.nan


def confusion(gold: Sequence[int], predicted: Sequence[int]) -> tuple[int, int, int, int]:
    """True positives, false positives, false negatives and true negatives of 0/1 labels."""
    tp = sum(1 for g, p in zip(gold, predicted) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted) if not g and p)
    fn = sum(1 for g, p in zip(gold, predicted) if g and not p)
    return tp, fp, fn, len(gold) - tp - fp - fn


def mcc(gold: Sequence[int], predicted: Sequence[int]) -> float:
    """Matthews correlation coefficient of 0/1 labels (0 when a class is missing)."""
    tp, fp, fn, tn = confusion(gold, predicted)
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator if denominator else 0.0


def f1(gold: Sequence[int], predicted: Sequence[int]) -> float:
    """F1 of the positive class."""
    tp, fp, fn, _ = confusion(gold, predicted)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def char_f1(pairs: Sequence[tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]]]) -> dict[str, float]:
    """Character-level precision, recall and F1 of predicted spans against gold spans, pooled over segments.

    ``pairs`` holds (gold spans, predicted spans) per segment; overlapping spans count each character once.
    """
    tp = fp = fn = 0
    for gold, predicted in pairs:
        g = {c for s, e in gold for c in range(s, e)}
        p = {c for s, e in predicted for c in range(s, e)}
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": score}
