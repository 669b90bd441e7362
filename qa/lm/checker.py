"""The lm family's checker (see the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qa.checker import ModelChecker
from qa.errors import ConfigError
from qa.lm.model import INSTALL_HINT, Scorer
from qa.lm.settings import Settings
from qa.lm.surprisal import Predictability, SentenceGain, Span, Word, predictability, spans, with_z, word_surprisals
from qa.model import FIELDS, Issue, Join, RuleInfo, Severity
from qa.text import Document

RULE = "lm.surprising-wording"
ARTICLE_RULE = "lm.unpredictable-article"
SENTENCE_RULE = "lm.unpredictable-sentence"
RULES = (
    RuleInfo(RULE, "style/unnatural", Severity.MINOR, "Wording far less predictable than the rest of the article.", join=Join.SUPPORTED),
    RuleInfo(ARTICLE_RULE, "style/unnatural", Severity.MAJOR,
             "The whole article far less predictable than its words' everyday frequency explains: it reads as translated or spun."),
    RuleInfo(SENTENCE_RULE, "style/unnatural", Severity.MINOR,
             "A sentence far less predictable than its words' everyday frequency explains, weighed with its article's.",
             join=Join.OVERLAP),
)


class LMChecker(ModelChecker[Scorer, Settings]):
    """Surprising word spans per article, kept when another check agrees or the surprise is extreme; one
    article-level finding when the article as a whole gains too little from its context (``predictability``);
    and the sentences that gain too little, weighed with their article's gain."""

    rank = 30
    declared_rules = RULES

    def __init__(self, settings: Settings):
        self.settings = settings
        s = settings
        self.model = Scorer(s.model, s.precision, s.window, s.context, s.max_tokens, s.batch_size)

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """Candidate findings for each document, every field of the batch scored in one go."""
        try:
            from wordfreq import zipf_frequency  # everyday frequency on the Zipf scale, 0 for an unknown word
        except ImportError as exc:
            raise ConfigError("--lm", f"the language-model check cannot read word frequencies: {exc}; {INSTALL_HINT}") from None

        texts = [doc.article.text(f) for doc in docs for f in FIELDS]
        scored = iter(self.model.score(texts))
        results: list[list[Issue]] = []
        for doc in docs:
            words: list[Word] = []
            for f in FIELDS:
                pieces = next(scored)
                words += word_surprisals([(i, s) for i, s in enumerate(doc.sentences) if s.field == f], pieces)
            article = predictability(words, lambda word: zipf_frequency(word, "en"))
            if article is not None and article.words < self.settings.article_words:
                article = None  # too few words to judge the article by
            translated = article is not None and article.gain < self.settings.alone_gain
            found = spans(with_z(words), self.settings.span_z, self.settings.max_words)
            issues = [self._issue(doc, span, translated) for span in found]
            if article is not None:
                issues += self._predictability_issues(doc, article)
            results.append(issues)
        return results

    def _issue(self, doc: Document, span: Span, translated: bool) -> Issue:
        """A surprising span; it may stand alone only where the article as a whole reads as translated
        (``translated``): in edited copy the surprising words are rare names, coinages and typos."""
        s = self.settings
        sentence = doc.sentences[span.sentence]
        text = doc.article.text(sentence.field)[span.start : span.end]
        strong = translated and span.mean >= s.strong_z and span.surprising(s.span_z) >= s.strong_words
        return Issue(
            rule=RULE,
            category="style/unnatural",
            severity=Severity.MINOR,
            message=(
                f"“{text}” is far less predictable than the rest of the article; garbled or mistranslated "
                "wording often reads like this. Check that it says what was meant."
            ),
            field=sentence.field,
            start=span.start,
            end=span.end,
            text=text,
            confidence=0.6 if strong else 0.4,
            evidence={
                "peak_z": round(span.peak, 2),
                "mean_z": round(span.mean, 2),
                "bits": [round(w.bits, 1) for w in span.words],
                "surprising_words": span.surprising(s.span_z),
                "alone": strong,
                "sentence": [sentence.start, sentence.end],
            },
        )

    def _predictability_issues(self, doc: Document, article: Predictability) -> list[Issue]:
        """The article-level finding when the article gains too little, and one finding for each sentence whose
        gain, weighed with the article's, falls below ``sentence_gain`` (the ``sentence_max`` lowest, in text order)."""
        s = self.settings
        issues = []
        if article.gain < s.article_gain:
            issues.append(self._article_issue(doc, article))
        weighed = [(article.blended(g, s.sentence_weight), g) for g in article.sentences if g.words >= s.sentence_words]
        low = sorted((pair for pair in weighed if pair[0] < s.sentence_gain), key=lambda pair: (pair[0], pair[1].sentence))
        for blended, gain in sorted(low[: s.sentence_max], key=lambda pair: pair[1].sentence):
            issues.append(self._sentence_issue(doc, article, gain, blended))
        return issues

    def _article_issue(self, doc: Document, article: Predictability) -> Issue:
        least = article.least
        message = (
            f"Across the article, the words are far less predictable than their everyday frequency explains "
            f"(context gives {article.gain:.1f} bits a word; edited news gives {self.settings.article_gain:g} or more): "
            "machine-translated and spun copy reads like this. Read the article whole before it runs; "
            "this sentence is its least predictable."
        )
        evidence = {"article_gain": round(article.gain, 2), "words": article.words, "threshold": self.settings.article_gain,
                    "sentence_gain": round(least.gain if least else 0.0, 2)}
        return _on_sentence(doc, least.sentence if least else 0, ARTICLE_RULE, Severity.MAJOR, message, 0.6, evidence)

    def _sentence_issue(self, doc: Document, article: Predictability, gain: SentenceGain, blended: float) -> Issue:
        message = (
            f"This sentence reads as translated or spun: its words are less predictable than their everyday "
            f"frequency explains (context helps by {gain.gain:.1f} bits a word here and {article.gain:.1f} across the "
            f"article; edited news rarely falls below {self.settings.sentence_gain:g} on the two weighed together). "
            "Check that it says what was meant."
        )
        evidence = {"sentence_gain": round(gain.gain, 2), "words": gain.words, "article_gain": round(article.gain, 2),
                    "blended": round(blended, 2), "threshold": self.settings.sentence_gain}
        return _on_sentence(doc, gain.sentence, SENTENCE_RULE, Severity.MINOR, message, 0.5, evidence)

    def notes(self) -> list[str]:
        """How much the model read in this run."""
        if not self.model.tokens:
            return []
        return [f"{self.name}: {self.model.model_id}, loaded in {self.model.load_seconds:.1f} s, {self.model.tokens} tokens scored"]


def _on_sentence(doc: Document, index: int, rule: str, severity: Severity, message: str, confidence: float,
                 evidence: dict[str, Any]) -> Issue:
    """A finding over the whole of the document's sentence ``index``."""
    sentence = doc.sentences[index]
    return Issue(rule=rule, category="style/unnatural", severity=severity, message=message, field=sentence.field,
                 start=sentence.start, end=sentence.end, text=sentence.text, confidence=confidence, evidence=evidence)
