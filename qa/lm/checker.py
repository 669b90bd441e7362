"""The lm family's checker (see the package docstring)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qa.checker import ModelChecker
from qa.errors import ConfigError
from qa.lm.model import INSTALL_HINT, Scorer, resolve
from qa.lm.probe import Probe, default_probe, probability, read_probe
from qa.lm.settings import Settings
from qa.lm.surprisal import Predictability, SentenceGain, Span, Word, document_words, predictability, spans, with_z
from qa.model import FIELDS, Issue, Join, RuleInfo, Severity
from qa.simulate.words import FUNCTION_WORDS
from qa.text import Document

RULE = "lm.surprising-wording"
ARTICLE_RULE = "lm.unpredictable-article"
SENTENCE_RULE = "lm.unpredictable-sentence"
PROBE_RULE = "lm.garbled-word"
GARBLED_SENTENCE_RULE = "lm.garbled-sentence"
SUGGESTION_POOL = 12  # the model's likeliest tokens kept per position, whence a marked word's suggestions
RULES = (
    RuleInfo(RULE, "style/unnatural", Severity.MINOR, "Wording far less predictable than the rest of the article.", join=Join.SUPPORTED),
    RuleInfo(ARTICLE_RULE, "style/unnatural", Severity.MAJOR,
             "The whole article far less predictable than its words' everyday frequency explains: it reads as translated or spun."),
    RuleInfo(SENTENCE_RULE, "style/unnatural", Severity.MINOR,
             "A sentence far less predictable than its words' everyday frequency explains, weighed with its article's.",
             join=Join.OVERLAP),
    RuleInfo(PROBE_RULE, "fluency/mt-damage", Severity.MINOR,
             "Wording the model's own reading marks as garbled: a probe of its hidden states, trained on annotated garbled news.",
             join=Join.OVERLAP),
    RuleInfo(GARBLED_SENTENCE_RULE, "fluency/mt-damage", Severity.MINOR,
             "A sentence the probe of the model's reading marks as garbled, its words' mean weighed with its article's.",
             join=Join.OVERLAP),
)
SENTENCE_RULES = (SENTENCE_RULE, GARBLED_SENTENCE_RULE)


class LMChecker(ModelChecker[Scorer, Settings]):
    """Surprising word spans per article, kept when another check agrees or the surprise is extreme; one
    article-level finding when the article as a whole gains too little from its context (``predictability``);
    the sentences that gain too little, weighed with their article's gain; and the sentences and words the
    probe of the model's hidden states (``qa.lm.probe``) marks as garbled."""

    rank = 30
    declared_rules = RULES

    def __init__(self, settings: Settings):
        self.settings = settings
        s = settings
        probe = read_probe(Path(s.probe) if s.probe else default_probe())
        self.unprobed = "" if probe.model == resolve(s.model)[2] else probe.model  # its layers are another model's
        self.probe = None if self.unprobed else probe
        projection = dataclasses.replace(self.probe.projection, predictions=SUGGESTION_POOL) if self.probe else None
        self.model = Scorer(s.model, s.precision, s.window, s.context, s.max_tokens, s.batch_size, projection)

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
            words = document_words(doc, [next(scored) for _ in FIELDS])
            article = predictability(words, lambda word: zipf_frequency(word, "en"), article_words=self.settings.article_words)
            translated = article is not None and article.gain < self.settings.alone_gain
            found = spans(with_z(words), self.settings.span_z, self.settings.max_words)
            issues = [self._issue(doc, span, translated) for span in found]
            if article is not None:
                issues += self._predictability_issues(doc, article, self._garbled_sentences(words, article))
                if self.probe is not None:
                    issues = self._with_probe(doc, issues, _probed(words, self.probe, self.settings.max_words), self.probe)
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

    def _garbled_sentences(self, words: Sequence[Word], article: Predictability) -> dict[int, float]:
        """The probe's reading of the article's judged sentences (``Probe.sentences``) above its sentence threshold."""
        probe = self.probe
        if probe is None or probe.sentence_threshold is None or not self.settings.sentence_probe:
            return {}
        judged = [g.sentence for g in article.judged(self.settings.sentence_words)]
        return {i: p for i, p in probe.sentences(words, judged).items() if p > probe.sentence_threshold}

    def _predictability_issues(self, doc: Document, article: Predictability, garbled: Mapping[int, float]) -> list[Issue]:
        """The article-level finding when the article gains too little, and one finding for each sentence that
        reads as translated: its gain, weighed with the article's, falls below ``sentence_gain``
        (``lm.unpredictable-sentence``), or the probe reads it as garbled (``garbled``: the sentences it marks and
        their weighed probability; ``lm.garbled-sentence`` when the gain does not flag it too). At most
        ``sentence_max`` of them, in text order: those both readings flag, then the probe's likeliest (the better
        reading, measured), then the lowest gains."""
        s = self.settings
        issues = []
        if article.gain < s.article_gain:
            issues.append(self._article_issue(doc, article))
        flagged = []
        for gain in article.judged(s.sentence_words):
            blended = article.blended(gain, s.sentence_weight)
            chance = garbled.get(gain.sentence)
            readings = (blended < s.sentence_gain) + (chance is not None)
            if readings:
                flagged.append(((-readings, -(chance or 0.0), blended, gain.sentence), gain, blended, chance))
        for _, gain, blended, chance in sorted(sorted(flagged)[: s.sentence_max], key=lambda found: found[1].sentence):
            issues.append(self._sentence_issue(doc, article, gain, blended, chance))
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

    def _sentence_issue(self, doc: Document, article: Predictability, gain: SentenceGain, blended: float, chance: float | None) -> Issue:
        """A sentence that reads as translated; ``chance`` is the probe's weighed probability when it marks the sentence."""
        s = self.settings
        reasons = []
        low = blended < s.sentence_gain
        if low:
            reasons.append(
                f"its words are less predictable than their everyday frequency explains (context helps by {gain.gain:.1f} "
                f"bits a word here and {article.gain:.1f} across the article; edited news rarely falls below "
                f"{s.sentence_gain:g} on the two weighed together)")
        if chance is not None and self.probe is not None:
            reasons.append(
                f"a probe of the language model's reading, trained on machine-translated and spun news, scores it "
                f"{chance:.2f} weighed with its article (edited news rarely passes {self.probe.sentence_threshold:.2f})")
        message = f"This sentence reads as translated or spun: {'; and '.join(reasons)}. Check that it says what was meant."
        evidence: dict[str, Any] = {"sentence_gain": round(gain.gain, 2), "words": gain.words, "article_gain": round(article.gain, 2),
                                    "blended": round(blended, 2), "threshold": s.sentence_gain}
        if chance is not None and self.probe is not None:
            evidence |= {"garbled": round(chance, 3), "garbled_threshold": round(self.probe.sentence_threshold or 0.0, 3)}
        if low:
            return _on_sentence(doc, gain.sentence, SENTENCE_RULE, Severity.MINOR, message, 0.5, evidence)
        return _on_sentence(doc, gain.sentence, GARBLED_SENTENCE_RULE, Severity.MINOR, message, 0.5, evidence, "fluency/mt-damage")

    def describe(self) -> str:
        """The ``ModelChecker`` description and the probe's (its file's digest; why none)."""
        probe = f"probe@{self.probe.digest}>{self.probe.threshold:.3g}" if self.probe else f"no probe ({self.unprobed}'s)"
        if self.probe and self.probe.sentence_threshold is not None and self.settings.sentence_probe:
            probe += f"/sentence>{self.probe.sentence_threshold:.3g}"
        return f"{super().describe()};{probe}"

    def _with_probe(self, doc: Document, issues: list[Issue], runs: Sequence[Sequence[tuple[Word, float]]], probe: Probe) -> list[Issue]:
        """``issues`` and a finding for each run of words the probe marks; the runs inside a sentence that
        already has a sentence finding are folded into it (its evidence and message name the words), so one
        reading of the model is not charged twice."""
        sentence_findings = {(i.field, i.start): k for k, i in enumerate(issues) if i.rule in SENTENCE_RULES}
        alone: list[Issue] = []
        folded: dict[int, list[Issue]] = {}
        for run in runs:
            sentence = doc.sentences[run[0][0].sentence]
            k = sentence_findings.get((sentence.field, sentence.start))
            (alone if k is None else folded.setdefault(k, [])).append(self._probe_issue(doc, run, probe))
        return [_pinpointed(issue, folded[k]) if k in folded else issue for k, issue in enumerate(issues)] + alone

    def _probe_issue(self, doc: Document, run: Sequence[tuple[Word, float]], probe: Probe) -> Issue:
        """A run of words the probe marks, with the words the model expected in place of its first as suggestions."""
        sentence = doc.sentences[run[0][0].sentence]
        field_text = doc.article.text(sentence.field)
        first, start, end = run[0][0].token, run[0][0].token.start, run[-1][0].token.end
        text = field_text[start:end]
        expected = self._expected(run[0][0])
        chance = probability(max(logit for _, logit in run))
        message = (
            f"“{text}” reads as garbled: the language model's reading of it looks like the damaged wording of "
            f"machine-translated and spun news (a probe trained on such copy scores it {chance:.2f}; edited copy "
            f"rarely passes {probability(probe.threshold):.2f})"
            + (f"; in its place the model expected “{expected[0]}”" if expected else "")
            + ". Check that it says what was meant."
        )
        return Issue(rule=PROBE_RULE, category="fluency/mt-damage", severity=Severity.MINOR, message=message, field=sentence.field,
                     start=start, end=end, text=text, confidence=0.5,
                     suggestions=tuple(word + field_text[first.end : end] for word in expected),
                     evidence={"probability": round(chance, 3), "logits": [round(x, 2) for _, x in run],
                               "threshold": round(probe.threshold, 3), "layer": probe.layer})

    def _expected(self, word: Word, k: int = 3) -> list[str]:
        """Up to ``k`` whole words the model found likelier than ``word`` in its place (same case of the first
        letter; no function word in place of a content word: "the" is a likely next word almost anywhere)."""
        found: list[str] = []
        printed = word.token.text
        content = printed.lower() not in FUNCTION_WORDS
        for token in self.model.token_texts(word.expected):
            guess = token.strip()
            if (token.startswith(" ") and guess.isalpha() and guess.lower() != printed.lower()
                    and guess[:1].islower() == printed[:1].islower() and not (content and guess.lower() in FUNCTION_WORDS)
                    and guess not in found):
                found.append(guess)
        return found[:k]

    def notes(self) -> list[str]:
        """How much the model read in this run, and a probe left unused."""
        found = []
        if self.model.tokens:
            found.append(f"{self.name}: {self.model.model_id}, loaded in {self.model.load_seconds:.1f} s, {self.model.tokens} tokens scored")
        if self.unprobed:
            found.append(f"{self.name}: {PROBE_RULE} is off: its probe reads {self.unprobed}, not {self.model.model_id}")
        return found


def _pinpointed(sentence: Issue, words: Sequence[Issue]) -> Issue:
    """A sentence finding that names the words the probe marks in it (in its message and ``evidence.garbled_words``)."""
    evidence = dict(sentence.evidence or {})
    evidence["garbled_words"] = [{"text": w.text, "start": w.start, "end": w.end, "suggestions": list(w.suggestions), **(w.evidence or {})}
                                 for w in words]
    named = ", ".join(f"“{w.text}”" for w in words)
    return dataclasses.replace(sentence, message=f"{sentence.message} Most garbled, by the probe of the model's reading: {named}.",
                               evidence=evidence)


def _probed(words: Sequence[Word], probe: Probe, max_words: int) -> list[list[tuple[Word, float]]]:
    """Runs of adjacent judged words (one sentence, at most ``max_words``) whose probe logit passes its threshold."""
    runs: list[list[tuple[Word, float]]] = []
    previous = -2
    for k, word in enumerate(words):
        logit = probe.logit(word) if word.judged else None
        if logit is None or logit <= probe.threshold:
            continue
        if runs and previous == k - 1 and runs[-1][0][0].sentence == word.sentence and len(runs[-1]) < max_words:
            runs[-1].append((word, logit))
        else:
            runs.append([(word, logit)])
        previous = k
    return runs


def _on_sentence(doc: Document, index: int, rule: str, severity: Severity, message: str, confidence: float,
                 evidence: dict[str, Any], category: str = "style/unnatural") -> Issue:
    """A finding over the whole of the document's sentence ``index``."""
    sentence = doc.sentences[index]
    return Issue(rule=rule, category=category, severity=severity, message=message, field=sentence.field,
                 start=sentence.start, end=sentence.end, text=sentence.text, confidence=confidence, evidence=evidence)
