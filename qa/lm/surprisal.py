"""From token surprisal to surprising word spans, measured against the article's own baseline.

A word's surprisal is the sum of its model tokens' surprisals. Each article sets its own baseline
(median and spread of its words), so a hard story on a technical subject does not look garbled
line by line. Capitalised words (names, acronyms, and sentence starts, which are often names),
numbers, web addresses and words the article uses more than once are left out: a small model is
surprised by every rare name, and what an article repeats is its subject, not a slip.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.lm.model import Piece
from qa.model import FIELDS
from qa.text import Document, Sentence, Token

LEAD_WORDS = 4  # the first words of a field are scored with too little context to judge


@dataclass(frozen=True)
class Word:
    """A word of a sentence, its surprisal in bits and its z-score against the article baseline."""

    sentence: int  # index into the document's sentences
    token: Token
    bits: float
    z: float = 0.0
    judged: bool = True  # False for names, numbers and repeated words: never reported
    probe: tuple[float, ...] = ()  # the mean of its tokens' projected hidden states (``Piece.probe``)
    expected: tuple[int, ...] = ()  # the tokens the model found likeliest in place of its first (``Piece.expected``)


@dataclass(frozen=True)
class Span:
    """Adjacent surprising words in one sentence: a candidate finding."""

    sentence: int
    words: tuple[Word, ...]

    @property
    def start(self) -> int:
        """Offset of the first word in its field."""
        return self.words[0].token.start

    @property
    def end(self) -> int:
        """Offset after the last word."""
        return self.words[-1].token.end

    @property
    def peak(self) -> float:
        """The highest z-score in the span."""
        return max(w.z for w in self.words)

    @property
    def mean(self) -> float:
        """The mean z-score of the span's words."""
        return sum(w.z for w in self.words) / len(self.words)

    def surprising(self, threshold: float) -> int:
        """How many of the span's words reach ``threshold``."""
        return sum(1 for w in self.words if w.z >= threshold)


def _exempt(token: Token, repeated: Counter[str]) -> bool:
    """Numbers, repeated words, capitalised words (names, also at a sentence start) and web addresses."""
    text = token.text
    return (
        any(c.isdigit() for c in text)
        or repeated[text.lower()] > 1
        or any(c.isupper() for c in text)
        or "." in text
    )


def word_surprisals(sentences: Sequence[tuple[int, Sentence]], pieces: Sequence[Piece]) -> list[Word]:
    """Each word of the sentences (index, sentence) with the summed surprisal of the tokens ending in it
    (and the mean of their projected hidden states)."""
    words = [(index, token) for index, sentence in sentences for token in sentence.tokens if token.is_word]
    repeated = Counter(t.text.lower() for _, t in words)
    bits = [0.0] * len(words)
    probes: list[list[tuple[float, ...]]] = [[] for _ in words]
    expected: list[tuple[int, ...]] = [() for _ in words]
    w = 0
    for piece in pieces:  # both are in text order
        last = piece.end - 1
        while w < len(words) and words[w][1].end <= last:
            w += 1
        if w < len(words) and words[w][1].start <= last:
            bits[w] += piece.bits
            if not probes[w]:
                expected[w] = piece.expected
            probes[w].append(piece.probe)
    return [
        Word(index, token, bits[k], judged=bool(probes[k]) and k >= LEAD_WORDS and not _exempt(token, repeated),
             probe=_mean(probes[k]), expected=expected[k])
        for k, (index, token) in enumerate(words)
    ]


def document_words(doc: Document, pieces: Sequence[Sequence[Piece]]) -> list[Word]:
    """Every word of ``doc``, field by field (``FIELDS`` order), ``pieces`` holding the scorer's pieces of each field's text."""
    words: list[Word] = []
    for field, found in zip(FIELDS, pieces):
        words += word_surprisals([(i, s) for i, s in enumerate(doc.sentences) if s.field == field], found)
    return words


def _mean(vectors: Sequence[tuple[float, ...]]) -> tuple[float, ...]:
    """The element-wise mean of equally long vectors (empty for none)."""
    if not vectors or not vectors[0]:
        return ()
    return tuple(sum(column) / len(vectors) for column in zip(*vectors))


def with_z(words: Sequence[Word]) -> list[Word]:
    """The words with z-scores against the median and spread (scaled MAD) of the judged words."""
    values = [w.bits for w in words if w.judged]
    if len(values) < 20:  # too little text for a baseline
        return [dataclasses.replace(w, z=0.0, judged=False) for w in words]
    centre = statistics.median(values)
    spread = max(1.4826 * statistics.median(abs(v - centre) for v in values), 0.5)
    return [dataclasses.replace(w, z=(w.bits - centre) / spread) for w in words]


def spans(words: Sequence[Word], threshold: float, max_words: int) -> list[Span]:
    """Runs of adjacent judged words around each word at ``threshold`` (neighbours at half of it join)."""
    found: list[Span] = []
    k = 0
    while k < len(words):
        peak = words[k]
        if not (peak.judged and peak.z >= threshold):
            k += 1
            continue
        run = [peak]
        j = k + 1
        while (
            j < len(words) and len(run) < max_words and words[j].sentence == peak.sentence
            and words[j].judged and words[j].z >= threshold / 2
        ):
            run.append(words[j])
            j += 1
        i = k - 1
        while (
            i >= 0 and len(run) < max_words and words[i].sentence == peak.sentence
            and words[i].judged and words[i].z >= threshold / 2
            and not (found and found[-1].end > words[i].token.start)
        ):
            run.insert(0, words[i])
            i -= 1
        found.append(Span(peak.sentence, tuple(run)))
        k = j
    return found


@dataclass(frozen=True)
class SentenceGain:
    """How much context helps the model predict one sentence's judged words."""

    sentence: int  # index into the document's sentences
    gain: float  # mean gain of its judged words with a known frequency
    words: int


@dataclass(frozen=True)
class Predictability:
    """How much the article's context helps the model predict its judged words, beyond their everyday frequency."""

    gain: float  # mean over the words of (bits of the word by its frequency alone) - (bits given the text before it)
    words: int  # judged words with a known frequency
    sentences: tuple[SentenceGain, ...]  # each sentence with at least ``min_words`` of them, in text order

    @property
    def least(self) -> SentenceGain | None:
        """The sentence whose words gain least (the first of equals), or None."""
        return min(self.sentences, key=lambda s: (s.gain, s.sentence), default=None)

    def judged(self, min_words: int) -> list[SentenceGain]:
        """The sentences with at least ``min_words`` judged words: fewer give too noisy a mean to judge by."""
        return [s for s in self.sentences if s.words >= min_words]

    def blended(self, sentence: SentenceGain, weight: float) -> float:
        """A sentence's gain weighted against the article's: a short sentence's own mean is noisy, and
        damage clusters in the articles that read as translated as a whole."""
        return weight * sentence.gain + (1 - weight) * self.gain


def predictability(words: Sequence[Word], zipf: Callable[[str], float], min_words: int = 3, article_words: int = 1) -> Predictability | None:
    """Mean pointwise mutual information of the judged words with their context, in bits: ``zipf`` gives a
    word's frequency (Zipf scale: log10 of uses per billion words, 0 for unknown words, which are left
    out). Edited news reads as predictable as its words' frequency allows and more; literal translation
    and spinning put common words where context does not lead to them. None when fewer than
    ``article_words`` words qualify (too few to judge the article by); sentences need ``min_words``."""
    per_sentence: dict[int, list[float]] = {}
    for w in words:
        text = w.token.text
        if not (w.judged and text.isalpha()):
            continue
        frequency = zipf(text)
        if frequency > 0:
            per_sentence.setdefault(w.sentence, []).append((9 - frequency) * math.log2(10) - w.bits)
    gains = [g for found in per_sentence.values() for g in found]
    if not gains or len(gains) < article_words:
        return None
    sentences = tuple(SentenceGain(i, sum(g) / len(g), len(g)) for i, g in sorted(per_sentence.items()) if len(g) >= min_words)
    return Predictability(sum(gains) / len(gains), len(gains), sentences)
