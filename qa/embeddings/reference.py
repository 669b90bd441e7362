"""Reference mode: align the article with a reference version and report what differs.

The reference is the original wire copy (or, with a multilingual model, the source-language
original). Sentences are aligned by similarity; a reference sentence with no counterpart was
omitted, an article sentence with none was added, an aligned pair that is not close drifted in
meaning, and numbers or names that differ inside an aligned pair are reported where they stand.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from qa.embeddings.vectors import DocVectors, finding
from qa.errors import ConfigError
from qa.model import Article, Issue, Severity
from qa.text import Document, Sentence, count_words

if TYPE_CHECKING:
    import numpy as np

Encode = Callable[[Sequence[str]], "np.ndarray"]

_NUMBER = regex.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s?%)?")
_NAME = regex.compile(r"\b\p{Lu}[\p{L}\-’']+")
MIN_WORDS = 3


def article_reference(article: Article) -> str | None:
    """The ``reference`` an article carries in its metadata (JSON Lines), as text."""
    value = article.metadata.get("reference")
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, Mapping):
        parts = [str(value.get(k) or "") for k in ("title", "headline", "body", "body_text")]
        text = "\n\n".join(p for p in parts if p.strip())
        return text or None
    return None


@functools.lru_cache(maxsize=8)
def read_reference(path: str) -> str:
    """The text of a reference file in any input format qa reads (headline and body together)."""
    from qa.ingest import read_inputs
    from qa.model import InputError

    if not Path(path).is_file():
        raise ConfigError(path, "reference file does not exist")
    for item in read_inputs([path]):
        if isinstance(item, InputError):
            raise ConfigError(path, f"cannot read reference: {item.message}")
        return "\n\n".join(p for p in (item.title, item.body) if p.strip())
    raise ConfigError(path, "reference file holds no article")


def reference_document(text: str) -> Document:
    """The reference segmented like an article body."""
    return Document.from_article(Article(id="reference", source="reference", title="", body=text))


def _numbers(text: str) -> dict[str, str]:
    return {regex.sub(r"[,\s]", "", m.group()): m.group() for m in _NUMBER.finditer(text)}


def _names(sentence: Sentence) -> set[str]:
    words = [m for m in _NAME.finditer(sentence.text)]
    return {m.group() for m in words if m.start() > 0}  # the first word is capitalised anyway


def _differences(view: DocVectors, index: int, ref: Sentence, similarity: float, ref_text: str) -> list[Issue]:
    """Numbers and names of an article sentence that its aligned reference sentence has otherwise."""
    sentence = view.sentences[index]
    evidence = {"reference_sentence": ref.text, "alignment_similarity": similarity}

    def word(m: regex.Match[str], rule: str, severity: Severity, message: str, confidence: float, others: list[str]) -> Issue:
        start = sentence.start + m.start()
        return finding(
            view.doc, rule, "accuracy/mistranslation", severity, message, sentence.field, start, start + len(m.group()),
            confidence, evidence, tuple(others[:3]),
        )

    found: list[Issue] = []
    ours, theirs = _numbers(sentence.text), _numbers(ref.text)
    missing = [shown for key, shown in theirs.items() if key not in ours]
    for m in _NUMBER.finditer(sentence.text):
        if missing and regex.sub(r"[,\s]", "", m.group()) not in theirs:
            message = f"The number {m.group()} is not in the matching sentence of the reference, which has {', '.join(missing)}."
            found.append(word(m, "embeddings.reference-number", Severity.MAJOR, message, 0.85, missing))
    their_names = _names(ref)
    other_names = sorted(their_names - _names(sentence))
    for m in _NAME.finditer(sentence.text) if other_names else ():
        if m.start() > 0 and m.group() not in their_names and m.group() not in ref_text:
            message = f"“{m.group()}” does not appear in the reference; the matching sentence there names {', '.join(other_names[:3])}."
            found.append(word(m, "embeddings.reference-name", Severity.MINOR, message, 0.6, other_names))
    return found


def check_reference(
    view: DocVectors, reference: Document, ref_vectors: np.ndarray, align: float, drift: float
) -> list[Issue]:
    """Omitted, added and drifted sentences, and differing numbers and names."""
    article_idx = [i for i, s in enumerate(view.sentences) if count_words(s.text) >= MIN_WORDS]
    refs = reference.sentences
    if not article_idx or not refs:
        return []
    sims = view.vectors[article_idx] @ ref_vectors.T  # article sentence x reference sentence
    found: list[Issue] = []
    ref_text = reference.article.body
    for row, index in enumerate(article_idx):
        sentence = view.sentences[index]
        best = int(sims[row].argmax())
        similarity = float(sims[row, best])
        if similarity < align:
            found.append(
                finding(
                    view.doc, "embeddings.reference-added", "accuracy/addition", Severity.MINOR,
                    "The reference has no sentence that says this; check whether it was added.",
                    sentence.field, sentence.start, sentence.end, 0.6,
                    {"best_reference_similarity": similarity, "threshold": align},
                )
            )
            continue
        if similarity < drift:
            found.append(
                finding(
                    view.doc, "embeddings.reference-drift", "accuracy/mistranslation", Severity.MINOR,
                    f"This sentence says something different from the matching reference sentence: “{refs[best].text[:100]}”.",
                    sentence.field, sentence.start, sentence.end, 0.5,
                    {"reference_sentence": refs[best].text, "similarity": similarity, "threshold": drift},
                )
            )
        found.extend(_differences(view, index, refs[best], similarity, ref_text))
    covered = sims.max(axis=0)
    for j, ref in enumerate(refs):
        if count_words(ref.text) < MIN_WORDS or covered[j] >= align:
            continue
        earlier = [k for k in range(j - 1, -1, -1) if covered[k] >= align]
        anchor = view.sentences[article_idx[int(sims[:, earlier[0]].argmax())]] if earlier else None
        where = "After this sentence" if anchor else "Before this sentence"
        if anchor is None:
            body = view.indexes("body") or list(range(len(view.sentences)))
            anchor = view.sentences[body[0]]
        found.append(
            finding(
                view.doc, "embeddings.reference-omitted", "accuracy/omission", Severity.MAJOR,
                f"{where} the reference says “{ref.text[:120]}”, which this version leaves out.",
                anchor.field, anchor.start, anchor.end, 0.7,
                {"reference_sentence": ref.text, "best_similarity": float(covered[j]), "threshold": align},
            )
        )
    return found
