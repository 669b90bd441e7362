"""Language-model check: wording a small causal language model finds far less predictable than the
rest of the article — a sign of a garbled phrase, to weigh together with the other checks.

Off by default (``--lm`` or ``lm: {enabled: true}``). Importing this package is cheap; torch,
transformers and the model load on the first ``check`` call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from qa.config import Config
from qa.lm.model import Scorer
from qa.lm.settings import Settings
from qa.lm.surprisal import Span, Word, spans, with_z, word_surprisals
from qa.model import FIELDS, Issue, Severity, fold
from qa.text import Document

RULE = "lm.surprising-wording"


class LMChecker:
    """Surprising word spans per article; kept when another check agrees or the surprise is extreme."""

    name = "lm"

    def __init__(self, settings: Settings):
        self.settings = settings
        s = settings
        self.scorer = Scorer(s.model, s.precision, s.window, s.context, s.max_tokens, s.batch_size)

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """Candidate findings for each document, every field of the batch scored in one go."""
        texts = [doc.article.text(f) for doc in docs for f in FIELDS]
        scored = iter(self.scorer.score(texts))
        results: list[list[Issue]] = []
        for doc in docs:
            words: list[Word] = []
            for f in FIELDS:
                pieces = next(scored)
                words += word_surprisals([(i, s) for i, s in enumerate(doc.sentences) if s.field == f], pieces)
            found = spans(with_z(words), self.settings.span_z, self.settings.max_words)
            results.append([self._issue(doc, span) for span in found])
        return results

    def _issue(self, doc: Document, span: Span) -> Issue:
        s = self.settings
        sentence = doc.sentences[span.sentence]
        text = doc.article.text(sentence.field)[span.start : span.end]
        strong = span.mean >= s.strong_z and span.surprising(s.span_z) >= s.strong_words
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
            checker="lm",
            evidence={
                "peak_z": round(span.peak, 2),
                "mean_z": round(span.mean, 2),
                "bits": [round(w.bits, 1) for w in span.words],
                "surprising_words": span.surprising(s.span_z),
                "alone": strong,
                "sentence": [sentence.start, sentence.end],
            },
        )

    def merge(self, own: Sequence[Issue], earlier: Sequence[Issue]) -> list[Issue]:
        """Keep a span when another finding sits in its sentence (folded into one it overlaps) or it is extreme alone."""
        merged = list(earlier)
        others = [i for i in earlier if i.severity > Severity.INFO and i.checker != self.name]
        kept: list[Issue] = []
        for issue in own:
            evidence = dict(issue.evidence or {})
            start, end = evidence["sentence"]
            overlap = next((k for k, o in enumerate(merged) if o in others and issue.overlaps(o)), None)
            if overlap is not None:  # the same words were already reported: add the model's view, not a finding
                details = {k: v for k, v in evidence.items() if k != "sentence"}
                merged[overlap] = fold(merged[overlap], issue, ("lm", details))
                continue
            agreed = any(o.field == issue.field and o.start < end and start < o.end for o in others)
            if agreed or evidence["alone"]:
                evidence["agrees_with"] = sorted({o.rule for o in others if o.field == issue.field and o.start < end and start < o.end})
                kept.append(replace(issue, evidence=evidence))
        return merged + kept

    def describe(self) -> str:
        """Model id, precision and thresholds, for the report signature."""
        return f"{self.scorer.model_id}/{self.scorer.precision};{self.settings.describe()}"

    def notes(self) -> list[str]:
        """How much the model read in this run."""
        if not self.scorer.tokens:
            return []
        return [f"lm: {self.scorer.model_id}, loaded in {self.scorer.load_seconds:.1f} s, {self.scorer.tokens} tokens scored"]


def make_checker(config: Config) -> LMChecker:
    """The language-model checker for a run, configured from the ``lm`` config section."""
    return LMChecker(Settings.from_section(config.section("lm"), config.source or "lm"))
