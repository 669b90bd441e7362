"""``qa train lm-probe``: fit the probe of ``qa.lm.probe`` on annotated garbled news.

Rows are the words the lm check judges (lower-case, not repeated, not at a field's start); a word is
garbled when it overlaps an annotated phrase. With ``spin_rate``, simulated damage (``qa.simulate``:
thesaurus spinning, pronoun flips, broken boundaries, split numbers) of every other ``clean-news-en``
document joins them, its damaged words garbled and the rest not (the train split holds few spun
synonyms). The probe is a logistic regression (scikit-learn, L2, balanced classes) over the mean
hidden state of one layer at the word's tokens, standardised on the training words, the
standardisation folded into the weights. Its threshold lets at most ``per_thousand`` findings per 1,000
words through on edited copy (the split's clean articles and ``clean-news-en``), and its sentence
threshold ``sentence_share`` of that copy's judged sentences (as the lm check judges them), so what it
may cost on clean copy is chosen, not found afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from qa.datasets.garbled_news import GarbledArticle
from qa.lm.model import Projection, Scorer
from qa.lm.probe import Probe
from qa.lm.settings import Settings
from qa.lm.surprisal import Word, document_words, predictability
from qa.model import FIELDS, Article
from qa.text import Document


@dataclass(frozen=True)
class ProbeSettings:
    """What the probe reads and how hard it is pulled toward zero."""

    layer: int = 20  # of SmolLM2-135M's 30; layers 10 to 30 were compared on the dev split (docs/benchmarks.md)
    c: float = 1e-4  # inverse L2 strength: the train split is 59 articles, strong pull keeps sites out
    per_thousand: float = 0.25  # findings per 1,000 words of edited copy the threshold lets through
    sentence_share: float = 0.01  # the share of edited copy's judged sentences the sentence threshold lets through
    # spun copies of every other clean-news-en document join the training words at this rate (0: none); 0.15 doubled
    # what simulated spinning finds but not what real garbled copy gives, for more findings on MT (docs/benchmarks.md)
    spin_rate: float = 0.0
    spin_seed: int = 11  # …seeded so (qa bench spun uses seed 1 on dev's clean articles)


@dataclass(frozen=True)
class CleanReadings:
    """The probe's reading of edited copy: every judged word's logit, the words read, and every judged sentence's weighed probability."""

    logits: list[float]
    words: int
    sentences: list[float]


def judged_words(scorer: Scorer, article: Article) -> tuple[list[tuple[str, Word]], int]:
    """The article's judged words with their field, as the lm check reads them, and its word count."""
    doc, words = _read(scorer, article)
    return [(doc.sentences[w.sentence].field, w) for w in words if w.judged], len(words)


def _read(scorer: Scorer, article: Article) -> tuple[Document, list[Word]]:
    """The article's document and every word of it, as the lm check reads them."""
    doc = Document.from_article(article)
    return doc, document_words(doc, scorer.score([article.text(f) for f in FIELDS]))


def labelled(scorer: Scorer, articles: Sequence[GarbledArticle]) -> tuple[list[tuple[float, ...]], list[int]]:
    """Each judged word's mean hidden state and whether it overlaps an annotated phrase."""
    vectors, labels = [], []
    for item in articles:
        words, _ = judged_words(scorer, item.article)
        for field, w in words:
            base = item.article.field_offsets.get(field, 0)
            start, end = base + w.token.start, base + w.token.end
            vectors.append(w.probe)
            labels.append(int(any(o.start < end and start < o.end for o in item.occurrences)))
    return vectors, labels


def fit(vectors: Sequence[tuple[float, ...]], labels: Sequence[int], settings: ProbeSettings, model: str) -> Probe:
    """The logistic regression, its standardisation folded into the weights (threshold not yet set)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(vectors, dtype=np.float64)
    mean, scale = x.mean(0), x.std(0) + 1e-6
    regression = LogisticRegression(C=settings.c, class_weight="balanced", max_iter=5000)
    regression.fit((x - mean) / scale, np.asarray(labels))
    weights = regression.coef_[0] / scale
    bias = float(regression.intercept_[0] - (weights * mean).sum())
    return Probe(model, settings.layer, tuple(float(w) for w in weights), bias, threshold=0.0)


def fit_threshold(logits: Iterable[float], words: int, per_thousand: float) -> float:
    """The lowest logit that lets at most ``per_thousand`` findings per 1,000 of ``words`` through."""
    ranked = sorted(logits, reverse=True)
    allowed = int(per_thousand * words / 1000)
    if allowed < len(ranked):
        return ranked[allowed]
    return ranked[-1] - 1e-6 if ranked else 0.0


def clean_readings(scorer: Scorer, probe: Probe, articles: Iterable[Article], zipf: Callable[[str], float],
                   progress: Callable[[int], None] = lambda n: None) -> CleanReadings:
    """The probe's reading of edited ``articles``: its logit of every judged word, and its weighed probability of
    every sentence the lm check judges (``zipf`` gives a word's everyday frequency, as there)."""
    s = Settings()
    logits: list[float] = []
    sentences: list[float] = []
    count = 0
    for n, article in enumerate(articles, 1):
        _, words = _read(scorer, article)
        logits += [x for w in words if w.judged and (x := probe.logit(w)) is not None]
        count += len(words)
        read = predictability(words, zipf, article_words=s.article_words)
        if read is not None:
            sentences += probe.sentences(words, [g.sentence for g in read.judged(s.sentence_words)]).values()
        progress(n)
    return CleanReadings(logits, count, sentences)


def projection_scorer(model: str | None, precision: str, projection: Projection) -> Scorer:
    """A scorer with the lm check's default windows that projects onto ``projection``."""
    s = Settings()
    return Scorer(model, precision, s.window, s.context, s.max_tokens, s.batch_size, projection)
