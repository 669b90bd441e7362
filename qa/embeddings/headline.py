"""Headline and body: a headline whose claim no sentence of the body supports."""

from __future__ import annotations

from qa.embeddings.vectors import DocVectors, finding
from qa.model import Issue, Severity

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
