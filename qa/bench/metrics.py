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
