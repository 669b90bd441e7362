"""From word probabilities to findings: runs of damaged words, split into short spans, graded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.model import Severity


@dataclass(frozen=True)
class Thresholds:
    """P(damage) a word needs to be flagged, and that a span's strongest word needs to be major."""

    flag: float = 0.5
    major: float = 0.8
    max_words: int = 3


@dataclass(frozen=True)
class WordSpan:
    """Words ``first``..``last`` (inclusive) of a sentence, flagged together."""

    first: int
    last: int
    severity: Severity
    confidence: float


def flagged_spans(words: Sequence[str], probabilities: Sequence[float], thresholds: Thresholds) -> list[WordSpan]:
    """Runs of flagged words (punctuation joins a run but never starts or ends one), at most ``max_words`` long."""
    spans: list[WordSpan] = []
    run: list[int] = []

    def close() -> None:
        while run and not _is_word(words[run[-1]]):
            run.pop()
        for at in range(0, len(run), thresholds.max_words):
            part = run[at : at + thresholds.max_words]
            peak = max(probabilities[k] for k in part)
            severity = Severity.MAJOR if peak >= thresholds.major else Severity.MINOR
            spans.append(WordSpan(part[0], part[-1], severity, round(peak, 3)))
        run.clear()

    for k, (word, p) in enumerate(zip(words, probabilities)):
        if _is_word(word):
            if p >= thresholds.flag:
                run.append(k)
            elif run:
                close()
        elif run:
            run.append(k)
    close()
    return spans


def _is_word(text: str) -> bool:
    return any(c.isalnum() for c in text)
