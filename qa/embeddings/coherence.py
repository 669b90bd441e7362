"""Coherence: a sentence that fits neither its neighbours nor the rest of the article."""

from __future__ import annotations

from qa.embeddings.meant import fit
from qa.embeddings.vectors import DocVectors, finding
from qa.model import Issue, Severity
from qa.text import count_words

RULE = "embeddings.incoherent-sentence"
MIN_WORDS = 6


def _aside(text: str) -> bool:
    """An editor's note or credit in brackets is meant to stand apart from the story."""
    return text[:1] in "([" and text.rstrip(" .")[-1:] in ")]"


def check_coherence(view: DocVectors, threshold: float, top: int, corroborated: set[int]) -> list[Issue]:
    """Body sentences far from both neighbours and article; minor only when another finding agrees."""
    body = view.indexes("body")
    if len(body) < 4:
        return []  # too little article to judge what fits
    found: list[Issue] = []
    for position, index in enumerate(body):
        sentence = view.sentences[index]
        if count_words(sentence.text) < MIN_WORDS or _aside(sentence.text):
            continue
        near = [body[p] for p in (position - 1, position + 1) if 0 <= p < len(body)]
        neighbours = float(max(view.vectors[index] @ view.vectors[j] for j in near))
        article = float(fit(view.vectors[index : index + 1], view.others(index), top)[0])
        if max(neighbours, article) >= threshold:
            continue
        agreed = index in corroborated
        found.append(
            finding(
                view.doc, RULE, "accuracy/mistranslation",
                Severity.MAJOR if agreed else Severity.MINOR,
                "This sentence has little to do with the sentences around it or the rest of the story; "
                "check that it was translated and placed correctly.",
                sentence.field, sentence.start, sentence.end, 0.7 if agreed else 0.45,
                {"neighbour_similarity": neighbours, "article_similarity": article, "threshold": threshold},
            )
        )
    return found
