"""The learned family's checker (see the package docstring)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.checker import BaseChecker
from qa.config import Config
from qa.embeddings.model import BaseModel
from qa.learned.settings import Settings
from qa.learned.spans import Thresholds, WordSpan, flagged_spans
from qa.learned.tagger import Tagger
from qa.model import Issue, Join, RuleInfo, Severity
from qa.shared import Shared
from qa.text import Document, Sentence, tokenize

RULE = "learned.mt-damage"
CATEGORY = "fluency/mt-damage"
RULES = (RuleInfo(RULE, CATEGORY, Severity.MINOR, "Words that read like machine-translation damage.", join=Join.OVERLAP),)


@dataclass(frozen=True)
class _Found:
    """A flagged span of one sentence, with the sentence's words and probabilities."""

    doc: int
    sentence: Sentence
    words: tuple[tuple[int, int], ...]  # word offsets into the field
    probabilities: tuple[float, ...]
    span: WordSpan


class LearnedChecker(BaseChecker):
    """Word-level MT damage from the trained tagger, with mined "probably meant" suggestions."""

    rank = 40
    declared_rules = RULES  # one rule; a span that overlaps another checker's finding is folded into it

    def __init__(self, settings: Settings, base: BaseModel | None = None):
        self.settings = settings
        self.tagger = Tagger(settings.weights, settings.batch_size, base)
        fitted = self.tagger.card.thresholds
        self.thresholds = Thresholds(
            flag=settings.flag if settings.flag is not None else float(fitted["flag"]),
            major=settings.major if settings.major is not None else float(fitted["major"]),
            max_words=settings.max_words,
        )
        self._table: Mapping[str, Sequence[tuple[str, float]]] | None = None

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """Findings for each document; every prose sentence of the batch goes through the model at once."""
        jobs = [(d, s) for d, doc in enumerate(docs) for s in doc.sentences if s.prose]
        words = [tuple((t.start, t.end) for t in s.tokens) for _, s in jobs]
        probabilities = self.tagger.probabilities(
            [(s.text, [(a - s.start, b - s.start) for a, b in w]) for (_, s), w in zip(jobs, words)]
        )
        found: list[_Found] = []
        for (d, sentence), offsets, probs in zip(jobs, words, probabilities):
            texts = [sentence.text[a - sentence.start : b - sentence.start] for a, b in offsets]
            for span in flagged_spans(texts, probs, self.thresholds):
                found.append(_Found(d, sentence, offsets, tuple(probs), span))
        suggestions = self._suggest(found) if self.settings.suggestions else {}
        results: list[list[Issue]] = [[] for _ in docs]
        for k, f in enumerate(found):
            results[f.doc].append(self._issue(docs[f.doc], f, suggestions.get(k)))
        return results

    def _issue(self, doc: Document, found: _Found, suggestion: tuple[str, float] | None) -> Issue:
        span, field = found.span, found.sentence.field
        start, end = found.words[span.first][0], found.words[span.last][1]
        text = doc.article.text(field)[start:end]
        message = f"“{text}” reads like machine-translation damage (the tagger's P = {span.confidence:.2f})"
        message += f"; translators often wrote “{suggestion[0]}” here." if suggestion else "; check what was meant."
        evidence: dict[str, object] = {
            "probabilities": [round(p, 2) for p in found.probabilities[span.first : span.last + 1]],
            "threshold": self.thresholds.flag,
        }
        if suggestion:
            evidence["rewrite_damage"] = round(suggestion[1], 3)
        return Issue(
            rule=RULE, category=CATEGORY, severity=span.severity, message=message, field=field,
            start=start, end=end, text=text, suggestions=(suggestion[0],) if suggestion else (),
            confidence=span.confidence, evidence=evidence,
        )

    def _suggest(self, found: Sequence[_Found]) -> dict[int, tuple[str, float]]:
        """For flagged spans a mined substitution covers: the replacement the tagger finds clearly less damaged."""
        from qa.learned.substitutions import load_substitutions

        if self._table is None:
            self._table = load_substitutions()
        jobs: list[tuple[int, str, float]] = []  # finding, replacement, damage of the printed words
        items: list[tuple[str, list[tuple[int, int]]]] = []
        for k, f in enumerate(found):
            s = f.sentence
            printed = s.text[f.words[f.span.first][0] - s.start : f.words[f.span.last][1] - s.start]
            damage = sum(f.probabilities[f.span.first : f.span.last + 1]) / (f.span.last - f.span.first + 1)
            for meant, _ in list(self._table.get(printed.lower(), ()))[:5]:
                meant = _match_case(printed, meant)
                a, b = f.words[f.span.first][0] - s.start, f.words[f.span.last][1] - s.start
                rewritten = s.text[:a] + meant + s.text[b:]
                spans = [(x - s.start, y - s.start) for x, y in f.words[: f.span.first]]
                spans += [(a + t.start, a + t.end) for t in tokenize(meant)]
                shift = len(meant) - (b - a)
                spans += [(x - s.start + shift, y - s.start + shift) for x, y in f.words[f.span.last + 1 :]]
                jobs.append((k, meant, damage))
                items.append((rewritten, spans))
        best: dict[int, tuple[str, float]] = {}
        for (k, meant, damage), (text, spans), probs in zip(jobs, items, self.tagger.probabilities(items)):
            first = found[k].span.first
            replaced = probs[first : first + len(tokenize(meant))] or [1.0]
            after = sum(replaced) / len(replaced)
            # the rewrite must read as clearly repaired: well under the flag threshold and half the damage
            if after < min(self.thresholds.flag / 2, damage / 2) and (k not in best or after < best[k][1]):
                best[k] = (meant, after)
        return best

    def describe(self) -> str:
        """Weights and thresholds, for the report signature."""
        t = self.thresholds
        return f"{self.tagger.model_id};flag>={t.flag:g};major>={t.major:g};span<={t.max_words}w"

    def notes(self) -> list[str]:
        """How much the tagger read in this run."""
        if not self.tagger.sentences:
            return []
        t = self.tagger
        return [
            f"{self.name}: {t.model_id}, base model loaded in {t.load_seconds:.1f} s, {t.sentences} sentences tagged "
            f"({t.shared} read from the embeddings' forward pass)"
        ]


def _match_case(printed: str, meant: str) -> str:
    if printed[:1].isupper() and meant[:1].islower():
        return meant[:1].upper() + meant[1:]
    return meant


def build(settings: Settings, config: Config, shared: Shared) -> LearnedChecker:
    """The tagger of a run, reading with the bundled model the run shares with the embeddings; named
    weights (``learned.weights``, a folder of ``qa learn`` or ``qa train tagger``) are found relative to the config file."""
    if settings.weights is not None and config.source is not None:
        settings = dataclasses.replace(settings, weights=str(Path(config.source).parent / settings.weights))
    return LearnedChecker(settings, shared.get(BaseModel))
