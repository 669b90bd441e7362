"""The plain statistics against hand-worked values and against scipy, an independent implementation."""

from __future__ import annotations

import math
import random

import pytest

from qa.metrics import auc, kendall_tau, pairwise_accuracy, pearson, per_thousand, triage_auc


def test_pairwise_accuracy_skips_gold_ties_and_halves_predicted_ties() -> None:
    # pairs (a,b) agree → 1; (a,c) gold tie → skipped; (b,c) predicted tie → 0.5
    group = [(1.0, 2.0), (0.0, 1.0), (1.0, 1.0)]
    assert pairwise_accuracy([group]) == (0.75, 2)
    assert math.isnan(pairwise_accuracy([[(1.0, 0.0), (1.0, 5.0)]])[0])


def test_auc_counts_ties_as_half() -> None:
    assert auc([2, 1], [1, 0]) == pytest.approx((1 + 1 + 0.5 + 1) / 4)
    assert triage_auc([0, 1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 0, 0, 0, 1, 1]) == (1.0, 2)


def test_correlations_agree_with_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = random.Random(7)
    for _ in range(20):
        x = [rng.choice([0, 1, 2, 3]) for _ in range(10)]  # with ties, so τ-b's correction matters
        y = [rng.random() if rng.random() < 0.7 else 0.0 for _ in range(10)]
        assert kendall_tau(x, y) == pytest.approx(stats.kendalltau(x, y).statistic)
        assert pearson(x, y) == pytest.approx(stats.pearsonr(x, y).statistic)


def test_auc_agrees_with_the_mann_whitney_statistic() -> None:
    stats = pytest.importorskip("scipy.stats")
    pos, neg = [3, 1, 4, 1, 5], [9, 2, 6, 1]
    assert auc(pos, neg) == pytest.approx(stats.mannwhitneyu(pos, neg).statistic / (len(pos) * len(neg)))


def test_per_thousand() -> None:
    assert per_thousand(3, 1500) == 2.0
    assert math.isnan(per_thousand(1, 0))
