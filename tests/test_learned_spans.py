"""From word probabilities to reported spans, and the word/span metrics the benchmarks use."""

from __future__ import annotations

import pytest

from qa.learned.spans import Thresholds, flagged_spans
from qa.metrics import char_f1, f1, mcc
from qa.model import Severity

WORDS = ["The", "virtual", "billet", ",", "said", "officials", "on", "Tuesday", "."]


def test_runs_of_flagged_words_become_spans_graded_by_their_strongest_word() -> None:
    probs = [0.1, 0.7, 0.9, 0.6, 0.2, 0.1, 0.1, 0.6, 0.9]
    spans = flagged_spans(WORDS, probs, Thresholds(flag=0.5, major=0.85, names=True))
    assert [(s.first, s.last, s.severity) for s in spans] == [(1, 2, Severity.MAJOR), (7, 7, Severity.MINOR)]
    assert spans[0].confidence == 0.9
    # by default a name ("Tuesday") is not a finding on its own
    assert [(s.first, s.last) for s in flagged_spans(WORDS, probs, Thresholds(flag=0.5, major=0.85))] == [(1, 2)]


def test_punctuation_alone_is_never_a_span_and_long_runs_are_split() -> None:
    assert flagged_spans([",", "."], [0.99, 0.99], Thresholds()) == []
    long = flagged_spans(["x", "y", "z", "w", "v"], [0.9] * 5, Thresholds(flag=0.5, major=0.95, max_words=2))
    assert [(s.first, s.last) for s in long] == [(0, 1), (2, 3), (4, 4)]


def test_function_words_join_a_span_but_never_stand_alone() -> None:
    words = ["talks", "of", "the", "sides", "in", "the", "sphere"]
    probs = [0.9, 0.9, 0.9, 0.2, 0.9, 0.9, 0.1]
    assert [(s.first, s.last) for s in flagged_spans(words, probs, Thresholds(flag=0.5))] == [(0, 0)]
    allowed = flagged_spans(words, probs, Thresholds(flag=0.5, function_words=True))
    assert [(s.first, s.last) for s in allowed] == [(0, 2), (4, 5)]


def test_word_metrics_on_a_small_hand_checked_case() -> None:
    gold = [1, 1, 0, 0, 1, 0]
    predicted = [1, 0, 0, 1, 1, 0]
    assert f1(gold, predicted) == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert mcc(gold, predicted) == pytest.approx((2 * 2 - 1 * 1) / 9)
    assert mcc([0, 0], [0, 0]) == 0.0


def test_char_f1_counts_overlapping_characters_once() -> None:
    score = char_f1([([(0, 10)], [(5, 15), (8, 12)]), ([], [(0, 5)])])
    assert score["precision"] == pytest.approx(5 / 15) and score["recall"] == pytest.approx(0.5)
