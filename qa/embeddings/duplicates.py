"""Near-duplicate sentences inside one article."""

from __future__ import annotations

from qa.embeddings.vectors import DocVectors, finding
from qa.model import Issue, Severity
from qa.text import count_words

RULE = "embeddings.near-duplicate"
MIN_WORDS = 6


def check_duplicates(view: DocVectors, threshold: float) -> list[Issue]:
    """Flag a body sentence that says again what an earlier one said, nearly word for word.

    Reported as info: sources repeat headings and key lines on purpose, so a repeat is for an
    editor to look at, not a translation error to score.
    """
    body = [i for i in view.indexes("body") if count_words(view.sentences[i].text) >= MIN_WORDS]
    found: list[Issue] = []
    flagged: set[int] = set()
    for later_pos, later in enumerate(body):
        for earlier in body[:later_pos]:
            if earlier in flagged:
                continue
            similarity = float(view.vectors[earlier] @ view.vectors[later])
            if similarity < threshold:
                continue
            first, second = view.sentences[earlier], view.sentences[later]
            found.append(
                finding(
                    view.doc, RULE, "accuracy/addition", Severity.INFO,
                    f"This sentence repeats an earlier one almost word for word: “{first.text[:80]}”.",
                    second.field, second.start, second.end, min(0.95, 0.5 + (similarity - threshold) * 8),
                    {"similarity": similarity, "threshold": threshold, "earlier_start": first.start},
                )
            )
            flagged.add(later)
            break
    return found
