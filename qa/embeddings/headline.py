"""Headline and body: a headline, a clause of it or a quotation in it that no sentence of the body supports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from qa.embeddings.vectors import DocVectors, finding
from qa.model import Issue, Severity
from qa.text import count_words

if TYPE_CHECKING:
    import numpy as np

    from qa.embeddings.model import SentenceEncoder

RULE = "embeddings.unsupported-headline"


def check_headline(view: DocVectors, threshold: float) -> list[Issue]:
    """When the headline is far from every body sentence, point at the nearest one."""
    title, body = view.indexes("title"), view.indexes("body")
    if not title or len(body) < 2:
        return []
    headline = view.vectors[title].mean(axis=0)
    headline = headline / max(float((headline @ headline) ** 0.5), 1e-9)
    sims = view.vectors[body] @ headline
    best = int(sims.argmax())
    similarity = float(sims[best])
    if similarity >= threshold:
        return []
    sentence = view.sentences[body[best]]
    title_text = view.doc.article.title.strip()
    return [
        finding(
            view.doc, RULE, "accuracy/mistranslation", Severity.MINOR,
            f"No sentence of the story supports the headline “{title_text[:80]}”; this is the closest one. "
            "Check that headline and body say the same thing.",
            sentence.field, sentence.start, sentence.end, 0.5,
            {"headline_similarity": similarity, "threshold": threshold},
        )
    ]


QUOTE_RULE = "embeddings.headline-quote"
CLAIM_RULE = "embeddings.unsupported-claim"
# “double”, "straight" and ‘single’ quotations; a single quote must not be an apostrophe inside a word
_QUOTE = regex.compile(r"“([^”]{2,60})”|\"([^\"]{2,60})\"|(?<!\w)[‘']([^’'\n]{2,60})[’'](?!\w)")
_CLAUSE_BREAK = regex.compile(r"[,:;]")
MIN_CLAIM_WORDS = 4  # shorter clauses (“After visa snags”) embed too loosely to judge


def _plain(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def quotations(text: str) -> list[tuple[int, int, str]]:
    """Quoted passages: start and end of the quotation marks and the words inside them."""
    return [(m.start(), m.end(), next(g for g in m.groups() if g is not None).strip()) for m in _QUOTE.finditer(text)]


def clauses(text: str) -> list[tuple[int, int, str]]:
    """The headline split at commas, colons and semicolons outside quotations."""
    quoted = quotations(text)
    cuts = [m.start() for m in _CLAUSE_BREAK.finditer(text) if not any(s < m.start() < e for s, e, _ in quoted)]
    found: list[tuple[int, int, str]] = []
    for start, end in zip([0, *(c + 1 for c in cuts)], [*cuts, len(text)]):
        part = text[start:end]
        if part.strip():
            lead = len(part) - len(part.lstrip())
            found.append((start + lead, start + len(part.rstrip()), part.strip()))
    return found


def _nearest(view: DocVectors, vector: np.ndarray) -> tuple[int, float]:
    """The body sentence most similar to a vector, and the similarity."""
    body = view.indexes("body")
    sims = view.vectors[body] @ vector
    best = int(sims.argmax())
    return body[best], float(sims[best])


def check_headline_quotes(view: DocVectors, encoder: SentenceEncoder) -> list[Issue]:
    """A headline quotation the body never quotes, at the body quotation of the sentence most like its clause."""
    title = view.doc.article.title
    body = view.indexes("body")
    if not body:
        return []
    body_text = _plain(view.doc.article.body)
    missing = [(s, e, q) for s, e, q in quotations(title) if _plain(q) not in body_text]
    if not missing:
        return []
    parts = clauses(title)
    found: list[Issue] = []
    for start, _, phrase in missing:
        clause = next((c for s, e, c in parts if s <= start < e), title.strip())
        vector = encoder.encode([clause])[0]
        index, similarity = _nearest(view, vector)
        sentence = view.sentences[index]
        words = len(phrase.split())
        quoted = [(s, e, q) for s, e, q in quotations(sentence.text) if len(q.split()) <= 2 * words + 2]
        evidence: dict[str, object] = {"headline_quote": phrase, "headline_clause": clause, "sentence_similarity": similarity}
        if quoted:  # the body's quotation the headline's may stand for: the one whose swap fits the clause best
            texts = [sentence.text[:s] + f"“{phrase}”" + sentence.text[e:] for s, e, _ in quoted]
            fits = encoder.encode(texts) @ vector
            best = int(fits.argmax())
            span_start, span_end = sentence.start + quoted[best][0], sentence.start + quoted[best][1]
            evidence["rewrite_similarity"] = float(fits[best])
            suggestions: tuple[str, ...] = (f"“{phrase}”",)
            severity = Severity.MINOR
            message = (
                f"The headline quotes “{phrase}” but the story never does; this quotation in the sentence "
                "closest to the headline may be a mistranslation of it."
            )
        else:
            # no quotation to compare: the body may paraphrase a scare quote, so this is a note
            span_start, span_end, suggestions, severity = sentence.start, sentence.end, (), Severity.INFO
            message = (
                f"The headline quotes “{phrase}” but the story never does; this is the sentence closest to "
                "that part of the headline. Check that the quotation is reported correctly."
            )
        found.append(
            finding(
                view.doc, QUOTE_RULE, "accuracy/mistranslation", severity, message, "body",
                span_start, span_end, 0.6 if suggestions else 0.4, evidence, suggestions,
            )
        )
    return found


def check_headline_claims(view: DocVectors, encoder: SentenceEncoder, threshold: float) -> list[Issue]:
    """Each clause of a headline with several, when no body sentence supports it, at the closest one."""
    parts = [c for c in clauses(view.doc.article.title) if count_words(c[2]) >= MIN_CLAIM_WORDS]
    if len(clauses(view.doc.article.title)) < 2 or not parts or len(view.indexes("body")) < 2:
        return []
    vectors = encoder.encode([c for _, _, c in parts])
    found: list[Issue] = []
    for (_, _, clause), vector in zip(parts, vectors):
        index, similarity = _nearest(view, vector)
        if similarity >= threshold:
            continue
        sentence = view.sentences[index]
        found.append(
            finding(
                view.doc, CLAIM_RULE, "accuracy/mistranslation", Severity.MINOR,
                f"No sentence of the story supports this part of the headline: “{clause[:80]}”; this is the "
                "closest one. Check that headline and body say the same thing.",
                sentence.field, sentence.start, sentence.end, 0.5,
                {"headline_clause": clause, "clause_similarity": similarity, "threshold": threshold},
            )
        )
    return found
