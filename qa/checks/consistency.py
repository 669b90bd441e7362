"""Consistency inside one article: names spelled two ways, headline quotes the body never uses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import regex

from qa.checks.base import Hit, code_check
from qa.model import Severity
from qa.text import Document

# Two or more capitalised words joined by spaces or hyphens: "Kim Jong-un", "Kim Jong Un".
_NAME = regex.compile(r"\b\p{Lu}\p{Ll}+(?:(?: \p{Lu}\p{Ll}*)|(?:-\p{L}+))+\b")
_JOINERS = regex.compile(r"[\s\-]")


def _name_key(name: str) -> str:
    return str(_JOINERS.sub("", name)).lower()


@code_check(
    "consistency.name-variants", "fluency/inconsistency", Severity.MINOR, "Name spelled two ways in one article.",
    flag=("Kim Jong-un met envoys. Later Kim Jong Un left.",),
    ok=("Kim Jong Un met envoys. Later Kim Jong Un left.",),
)
def name_variants(doc: Document) -> Iterator[Hit]:
    """The same multi-word name written two ways (spacing, hyphen or case): names grouped by a key without
    spaces, hyphens and case; the rarer spellings flagged."""
    seen: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
    for name in ("title", "body"):
        text = doc.article.text(name)
        for m in _NAME.finditer(text):
            seen[_name_key(m.group())].append((m.group(), name, m.start(), m.end()))
            head, space, rest = m.group().partition(" ")
            if space and (" " in rest or "-" in rest):  # "Later Kim Jong Un" also as "Kim Jong Un"
                start = m.start() + len(head) + 1
                seen[_name_key(rest)].append((rest, name, start, m.end()))
    for spellings in seen.values():
        forms = {s[0] for s in spellings}
        if len(forms) < 2:
            continue
        counts = {f: sum(1 for s in spellings if s[0] == f) for f in forms}
        usual = max(forms, key=lambda f: (counts[f], f))
        for form, name, start, end in spellings:
            if form != usual:
                yield Hit(name, start, end, (usual,), f"Name spelled two ways: “{form}” and “{usual}”.")  # type: ignore[arg-type]


_QUOTE = regex.compile(r"[“\"]([^”\"]{2,60})[”\"]")
_STOP = frozenset("a an the to of on in at for and or with vow vows says said over".split())


def _content_words(text: str) -> set[str]:
    return {w for w in regex.findall(r"\w+", text.lower()) if w not in _STOP and len(w) > 2}


_HEADLINE_QUOTE = "The headline quotes “{quote}” but the body never does; the body's quote here may be a mistranslation."


@code_check(
    "consistency.headline-quote", "accuracy/mistranslation", Severity.MAJOR, _HEADLINE_QUOTE,
    flag=("Leaders vow to “push back” on China\n\nThe leaders agreed to “backtrack” against China.",),
    ok=("Leaders vow to “push back” on China\n\nThe leaders agreed to “push back” against China.",),
)
def headline_quote(doc: Document) -> Iterator[Hit]:
    """A quotation in the headline that the body never quotes, the body's version perhaps garbled: the body
    quote in the most similar sentence is pointed at."""
    body = doc.article.body
    for quote in _QUOTE.finditer(doc.article.title):
        phrase = quote.group(1).strip()
        if phrase.lower() in body.lower():
            continue
        headline_words = _content_words(doc.article.title.replace(phrase, " "))
        best: tuple[int, int, int] | None = None
        for sentence in doc.field_sentences("body")[:6]:
            for m in _QUOTE.finditer(sentence.text):
                if len(m.group(1).split()) > 2 * len(phrase.split()) + 2:
                    continue
                overlap = len(headline_words & _content_words(sentence.text))
                if overlap and (best is None or overlap > best[0]):
                    best = (overlap, sentence.start + m.start(), sentence.start + m.end())
        if best:
            yield Hit("body", best[1], best[2], (f"“{phrase}”",), _HEADLINE_QUOTE.format(quote=phrase))
