"""Meant-phrase scoring: would the sentence fit the story better with another word in this place?

Candidates come from data: the substitution rules of the rule packs (``rules/lexicon.yml``) and the
confusables in ``qa/embeddings/alternatives.yml``. The model decides: the words around a candidate are
rewritten with each alternative, and a finding is made only when the rewrite is clearly closer to
the rest of the article (headline and other sentences) than what was printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from qa.model import Severity
from qa.text import Sentence

if TYPE_CHECKING:
    import numpy as np

    from qa.rules import Rule

_WORD = regex.compile(r"\w+(?:[’'\-]\w+)*")


@dataclass(frozen=True)
class Swap:
    """A phrase that may be a mistranslation and what may have been meant instead."""

    wrong: str
    meant: tuple[str, ...]
    source: str  # "lexicon" (a rule flags it already), "lexicon-core" or "confusable"
    rule: str = ""


@dataclass(frozen=True)
class Candidate:
    """One place in one sentence where a swap applies (offsets into the field)."""

    sentence: int  # index into the document's sentences
    start: int
    end: int
    swap: Swap


@dataclass(frozen=True)
class Verdict:
    """How the best alternative compares with the printed text around a candidate."""

    candidate: Candidate
    alternative: str
    original_fit: float
    rewrite_fit: float

    @property
    def gain(self) -> float:
        """How much closer the rewrite is to the rest of the article (cosine similarity points)."""
        return self.rewrite_fit - self.original_fit


def _shared_edges(wrong: list[str], meant: list[str]) -> tuple[int, int]:
    """Number of words the two phrases share at the start and at the end."""
    head = 0
    while head < min(len(wrong), len(meant)) and wrong[head].lower() == meant[head].lower():
        head += 1
    tail = 0
    while (
        tail < min(len(wrong), len(meant)) - head
        and wrong[-1 - tail].lower() == meant[-1 - tail].lower()
    ):
        tail += 1
    return head, tail


def core_swap(wrong: str, meant: str) -> tuple[str, str] | None:
    """The differing words of a lexicon entry: ``virtual billet``/``virtual summit`` -> billet/summit."""
    w, m = wrong.split(), meant.split()
    head, tail = _shared_edges(w, m)
    if head == 0 and tail == 0:
        return None
    core_w = " ".join(w[head : len(w) - tail]).strip("“”\"'‘’")
    core_m = " ".join(m[head : len(m) - tail]).strip("“”\"'‘’")
    if not core_w or not core_m or not _WORD.fullmatch(core_w.replace(" ", "_")):
        return None
    return core_w, core_m


def lexicon_swaps(rules: Iterable[Rule]) -> list[Swap]:
    """Swaps from substitution rules (accuracy rules only: meaning, not style)."""
    swaps: list[Swap] = []
    for rule in rules:
        if not rule.swap or not rule.category.startswith("accuracy/"):
            continue
        for wrong, meant in rule.swap.items():
            swaps.append(Swap(wrong, meant, "lexicon", rule.id))
            if rule.severity < Severity.MAJOR:
                continue  # only strong confusions are worth trying without their context words
            cores = [c for c in (core_swap(wrong, m) for m in meant) if c]
            if cores:
                swaps.append(Swap(cores[0][0], tuple(dict.fromkeys(c[1] for c in cores)), "lexicon-core", rule.id))
    return swaps


def confusable_swaps(path: Path) -> list[Swap]:
    """Swaps from the curated confusables file."""
    from qa.config import read_yaml

    data: Any = read_yaml(path, "confusables")
    table = data.get("confusables") or {}
    return [
        Swap(str(wrong), tuple([meant] if isinstance(meant, str) else meant), "confusable")
        for wrong, meant in table.items()
    ]


def _pattern(phrase: str) -> regex.Pattern[str]:
    words = [regex.escape(w) for w in phrase.split()]
    return regex.compile(r"(?<![\w\-])" + r"\s+".join(words) + r"(?![\w\-])", regex.IGNORECASE)


class CandidateFinder:
    """Finds every place a swap applies; a lexicon phrase hides its own core inside it."""

    def __init__(self, swaps: Sequence[Swap]):
        # exact lexicon phrases first (the rules flag those), then longer phrases before shorter
        ordered = sorted(swaps, key=lambda s: (s.source != "lexicon", -len(s.wrong)))
        self.swaps = [(s, _pattern(s.wrong)) for s in ordered]

    def find(self, sentences: Sequence[Sentence]) -> list[Candidate]:
        """Candidates in the given sentences, longest first where they overlap."""
        found: list[Candidate] = []
        for index, sentence in enumerate(sentences):
            here: list[Candidate] = []
            for swap, pattern in self.swaps:
                for m in pattern.finditer(sentence.text):
                    start, end = sentence.start + m.start(), sentence.start + m.end()
                    if any(c.start < end and start < c.end for c in here):
                        continue
                    here.append(Candidate(index, start, end, swap))
            found.extend(sorted(here, key=lambda c: c.start))
        return found


def _window(sentence: Sentence, start: int, end: int, words: int) -> tuple[str, str]:
    """Up to ``words`` words before and after a span, inside its sentence."""
    left = sentence.text[: start - sentence.start]
    right = sentence.text[end - sentence.start :]
    left_words = list(_WORD.finditer(left))
    right_words = list(_WORD.finditer(right))
    left_cut = left_words[-words].start() if len(left_words) >= words else 0
    right_cut = right_words[words - 1].end() if len(right_words) >= words else len(right)
    return left[left_cut:], right[:right_cut]


def rewrites(candidate: Candidate, sentence: Sentence, words: int) -> list[str]:
    """The printed window around a candidate, then the same window with each alternative."""
    left, right = _window(sentence, candidate.start, candidate.end, words)
    printed = sentence.text[candidate.start - sentence.start : candidate.end - sentence.start]
    return [f"{left}{printed}{right}"] + [f"{left}{_match_case(printed, alt)}{right}" for alt in candidate.swap.meant]


def _match_case(printed: str, alternative: str) -> str:
    stripped = printed.lstrip("“”\"'‘’")
    if stripped[:1].isupper() and alternative[:1].islower():
        return alternative[:1].upper() + alternative[1:]
    return alternative


def fit(vectors: np.ndarray, context: np.ndarray, top: int) -> np.ndarray:
    """How close each vector is to the article: mean similarity to its ``top`` nearest sentences."""
    import numpy as np

    if context.shape[0] == 0:
        return np.zeros(vectors.shape[0])
    sims = vectors @ context.T
    k = min(top, context.shape[0])
    return np.asarray(np.sort(sims, axis=1)[:, -k:].mean(axis=1))


def judge(candidate: Candidate, vectors: np.ndarray, context: np.ndarray, top: int) -> Verdict:
    """Compare the printed window (row 0) with each rewrite (rows 1..n) against the article."""
    scores = fit(vectors, context, top)
    best = int(scores[1:].argmax()) + 1
    return Verdict(candidate, candidate.swap.meant[best - 1], float(scores[0]), float(scores[best]))


def grade(gain: float, threshold: float) -> tuple[Severity, float]:
    """Severity and confidence for a gain at or above the threshold (twice the threshold is major)."""
    confidence = min(0.95, 0.55 + 0.4 * (gain - threshold) / max(threshold, 1e-6))
    return (Severity.MAJOR if gain >= 2 * threshold else Severity.MINOR), round(confidence, 2)
