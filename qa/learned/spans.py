"""From word probabilities to findings: runs of damaged words, split into short spans, graded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.model import Severity


# words too common to be a finding on their own (they may sit inside a flagged span)
FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for from with and or but as is are was were be been being it its this that these "
    "those he she they we i you his her their our my your him them us me not no so than then there here which who "
    "whom whose what when where how why has have had do does did will would can could shall should may might must".split()
)


@dataclass(frozen=True)
class Thresholds:
    """P(damage) a word needs to be flagged, that a span's strongest word needs to be major, and which
    words may start or end a span: never punctuation, and (by default) no function word or name on its own."""

    flag: float = 0.5
    major: float = 0.8
    max_words: int = 3
    function_words: bool = False  # may "the", "of", … be flagged on their own
    names: bool = False  # may a capitalised word after the first be flagged on its own


@dataclass(frozen=True)
class WordSpan:
    """Words ``first``..``last`` (inclusive) of a sentence, flagged together."""

    first: int
    last: int
    severity: Severity
    confidence: float


def flagged_spans(words: Sequence[str], probabilities: Sequence[float], thresholds: Thresholds) -> list[WordSpan]:
    """Runs of flagged words, at most ``max_words`` long.

    A span starts and ends on a word that may be flagged on its own (see ``Thresholds``); punctuation,
    and other words the model flagged, may sit inside it.
    """
    spans: list[WordSpan] = []
    run: list[int] = []

    def close() -> None:
        while run and not _may_stand(words, run[-1], thresholds):
            run.pop()
        for at in range(0, len(run), thresholds.max_words):
            part = run[at : at + thresholds.max_words]
            while part and not _may_stand(words, part[-1], thresholds):
                part.pop()
            while part and not _may_stand(words, part[0], thresholds):
                part.pop(0)
            if not part:
                continue
            peak = max(probabilities[k] for k in part if _may_stand(words, k, thresholds))
            severity = Severity.MAJOR if peak >= thresholds.major else Severity.MINOR
            spans.append(WordSpan(part[0], part[-1], severity, round(peak, 3)))
        run.clear()

    for k, p in enumerate(probabilities[: len(words)]):
        if _may_stand(words, k, thresholds):
            if p >= thresholds.flag:
                run.append(k)
            elif run:
                close()
        elif run and (not _is_word(words[k]) or p >= thresholds.flag):
            run.append(k)
        elif run:
            close()
    close()
    return spans


def _is_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _may_stand(words: Sequence[str], k: int, thresholds: Thresholds) -> bool:
    """True when word ``k`` may start or end a span."""
    word = words[k]
    if not _is_word(word):
        return False
    if not thresholds.function_words and word.lower() in FUNCTION_WORDS:
        return False
    return thresholds.names or k == 0 or not word[:1].isupper()
