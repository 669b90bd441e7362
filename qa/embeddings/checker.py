"""The embeddings family's checker (see the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qa.checker import ModelChecker
from qa.config import Config
from qa.embeddings.coherence import RULE as COHERENCE_RULE
from qa.embeddings.coherence import check_coherence
from qa.embeddings.derived import SOURCE as HEADLINE_SOURCE
from qa.embeddings.derived import headline_candidates
from qa.embeddings.duplicates import RULE as DUPLICATE_RULE
from qa.embeddings.duplicates import check_duplicates
from qa.embeddings.headline import RULE as HEADLINE_RULE
from qa.embeddings.headline import (
    CLAIM_RULE,
    QUOTE_RULE,
    check_headline,
    check_headline_claims,
    check_headline_quotes,
)
from qa.embeddings.meant import (
    CandidateFinder,
    Verdict,
    confusable_swaps,
    grade,
    judge,
    lexicon_swaps,
    rewrites,
)
from qa.embeddings.model import BaseModel, SentenceEncoder
from qa.embeddings.reference import (
    article_reference,
    check_reference,
    read_reference,
    reference_document,
)
from qa.embeddings.settings import Settings
from qa.embeddings.vectors import DocVectors, finding
from qa.model import Issue, Join, RuleInfo, Severity
from qa.rules import Rule, load_packs  # up a floor, on purpose: meant-phrase candidates are the rule packs' substitutions (data)
from qa.shared import Shared
from qa.text import Document

MEANT_RULE = "embeddings.meant-phrase"
ALTERNATIVES = Path(__file__).resolve().parent / "alternatives.yml"  # curated confusables: printed word → likely meant ones
_MISTRANSLATION, _ADDITION = "accuracy/mistranslation", "accuracy/addition"
RULES = (  # meant-phrase and headline-quote findings add the model's view to a rule's finding of the same text
    RuleInfo(MEANT_RULE, _MISTRANSLATION, Severity.MINOR, "A phrase that fits the story worse than a likely meant one.", join=Join.ANY_OVERLAP),
    RuleInfo(QUOTE_RULE, _MISTRANSLATION, Severity.MINOR, "The headline quotes words the body renders differently.", join=Join.ANY_OVERLAP),
    RuleInfo(HEADLINE_RULE, _MISTRANSLATION, Severity.MINOR, "No body sentence supports the headline."),
    RuleInfo(CLAIM_RULE, _MISTRANSLATION, Severity.MINOR, "A headline claim the body does not support."),
    RuleInfo(COHERENCE_RULE, _MISTRANSLATION, Severity.INFO, "A sentence unlike its neighbours and the article."),
    RuleInfo(DUPLICATE_RULE, _ADDITION, Severity.INFO, "Two body sentences say nearly the same."),
    RuleInfo("embeddings.reference-number", _MISTRANSLATION, Severity.MAJOR, "A number that differs from the reference."),
    RuleInfo("embeddings.reference-name", _MISTRANSLATION, Severity.MINOR, "A name that differs from the reference."),
    RuleInfo("embeddings.reference-added", _ADDITION, Severity.MINOR, "A sentence the reference does not have."),
    RuleInfo("embeddings.reference-drift", _MISTRANSLATION, Severity.MINOR, "A sentence that says something else than the reference's."),
    RuleInfo("embeddings.reference-omitted", "accuracy/omission", Severity.MAJOR, "A reference sentence the article leaves out."),
)


def _best_of_overlaps(issues: Sequence[Issue]) -> list[Issue]:
    """Of findings on overlapping text, keep the one whose rewrite gained most."""
    kept: list[Issue] = []
    for issue in sorted(issues, key=lambda i: -float((i.evidence or {}).get("gain", 0.0))):
        if not any(issue.field == k.field and issue.overlaps(k) for k in kept):
            kept.append(issue)
    return sorted(kept, key=lambda i: (i.field != "title", i.start))


class EmbeddingChecker(ModelChecker[SentenceEncoder, Settings]):
    """The embedding checks over a batch of documents, sharing one encoder and its cache."""

    rank = 10
    declared_rules = RULES

    def __init__(self, settings: Settings, rules: Sequence[Rule] = (), base: BaseModel | None = None):
        self.settings = settings
        self.model = SentenceEncoder(settings.model, settings.batch_size, settings.precision, settings.threads, base)
        swaps = lexicon_swaps(rules) + confusable_swaps(ALTERNATIVES)
        self.finder = CandidateFinder(swaps)

    def start(self) -> None:
        """Load torch and the model in the background while the inputs are read and the rules run."""
        self.model.start()

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """Findings for each document, with every sentence of the batch encoded in one go."""
        self.model.forget()  # a long run is checked chunk by chunk: keep only this chunk's vectors
        texts = [s.text for doc in docs for s in doc.sentences]
        if not texts:
            return [[] for _ in docs]
        matrix = self.model.encode(texts)
        views: list[DocVectors] = []
        offset = 0
        for doc in docs:
            views.append(DocVectors(doc, matrix[offset : offset + len(doc.sentences)]))
            offset += len(doc.sentences)
        meant = self._meant(views) if "meant" in self.settings.checks else [[] for _ in views]
        results: list[list[Issue]] = []
        for view, found in zip(views, meant):
            issues = list(found)
            if "headline" in self.settings.checks:
                issues += check_headline(view, self.settings.headline_threshold)
            if "headline-quotes" in self.settings.checks:
                issues += check_headline_quotes(view, self.model)
            if "headline-claims" in self.settings.checks:
                issues += check_headline_claims(view, self.model, self.settings.headline_threshold)
            if "coherence" in self.settings.checks:
                corroborated = {
                    i for i, s in enumerate(view.sentences)
                    for f in found if f.field == s.field and s.start <= f.start < s.end
                }
                issues += check_coherence(view, self.settings.coherence_threshold, self.settings.top, corroborated)
            if "duplicates" in self.settings.checks:
                issues += check_duplicates(view, self.settings.duplicate_threshold)
            if "reference" in self.settings.checks:
                issues += self._reference(view)
            results.append(issues)
        return results

    def _meant(self, views: Sequence[DocVectors]) -> list[list[Issue]]:
        """Try every candidate's alternatives; keep those that fit the article clearly better."""
        s = self.settings
        jobs = []
        for v, view in enumerate(views):
            found = self.finder.find(view.sentences)
            if "headline-words" in s.checks:
                found += headline_candidates(view, self.model, found, s.relation_threshold)
            for cand in found:
                jobs.append((v, cand, rewrites(cand, view.sentences[cand.sentence], s.window)))
        vectors = self.model.encode([t for _, _, texts in jobs for t in texts]) if jobs else None
        results: list[list[Issue]] = [[] for _ in views]
        row = 0
        for v, cand, texts in jobs:
            block = vectors[row : row + len(texts)]  # type: ignore[index]
            row += len(texts)
            # a headline phrase always brings a sentence closer to the headline: it must fit the body better
            context = views[v].others(cand.sentence, body_only=cand.swap.source == HEADLINE_SOURCE)
            verdict = judge(cand, block, context, s.top)
            if verdict.gain >= s.meant_threshold:
                results[v].append(self._meant_issue(views[v].doc, verdict, texts))
        return [_best_of_overlaps(found) for found in results]

    def _meant_issue(self, doc: Document, verdict: Verdict, texts: list[str]) -> Issue:
        cand = verdict.candidate
        printed = doc.sentences[cand.sentence].text[
            cand.start - doc.sentences[cand.sentence].start : cand.end - doc.sentences[cand.sentence].start
        ]
        severity, confidence = grade(verdict.gain, self.settings.meant_threshold)
        message = (
            f"“{printed}” does not fit this story; “{verdict.alternative}” fits the rest of the article "
            "clearly better here. Check what the original meant."
        )
        if cand.swap.source == "lexicon":  # the rule engine flags this phrase; add the model's agreement
            severity = Severity.INFO
            message = f"The rest of the article supports reading “{printed}” as “{verdict.alternative}”."
        field = doc.sentences[cand.sentence].field
        evidence = {
            "alternative": verdict.alternative,
            "alternatives_tried": list(cand.swap.meant),
            "original_fit": verdict.original_fit,
            "rewrite_fit": verdict.rewrite_fit,
            "gain": verdict.gain,
            "threshold": self.settings.meant_threshold,
            "compared_text": texts[0],
            "candidate_source": cand.swap.source + (f":{cand.swap.rule}" if cand.swap.rule else ""),
        }
        return finding(
            doc, MEANT_RULE, "accuracy/mistranslation", severity, message, field, cand.start, cand.end,
            confidence, evidence, (verdict.alternative,),
        )

    def _reference(self, view: DocVectors) -> list[Issue]:
        text = article_reference(view.doc.article)
        if text is None and self.settings.reference:
            text = read_reference(self.settings.reference)
        if not text:
            return []
        ref = reference_document(text)
        ref_vectors = self.model.encode([s.text for s in ref.sentences]) if ref.sentences else None
        if ref_vectors is None:
            return []
        return check_reference(view, ref, ref_vectors, self.settings.align_threshold, self.settings.drift_threshold)

    def notes(self) -> list[str]:
        """How much the model did in this run."""
        if not self.model.encoded:
            return []
        return [
            (
                f"{self.name}: {self.model.model_id} ({self.model.precision}, {self.model.threads} "
                f"thread{'s' if self.model.threads != 1 else ''}), loaded in {self.model.load_seconds:.1f} s, "
                f"{self.model.encoded} distinct texts encoded"
            )
        ]


def build(settings: Settings, config: Config, shared: Shared) -> EmbeddingChecker:
    """The embedding checker of a run; the enabled lexicon rules' substitutions are meant-phrase candidates,
    and the bundled model's forward pass keeps token states for the run's tagger."""
    rules = [rule for pack in load_packs(config.rule_paths) for rule in pack.rules if config.is_enabled(rule.id)]
    return EmbeddingChecker(settings, rules, shared.get(BaseModel))
