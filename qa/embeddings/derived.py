"""Candidates the check derives from the article itself: headline words for related body words.

The body sentence most similar to the headline usually restates it. Where that sentence uses a
word or short phrase the headline does not, and the headline has a phrase the body never uses that
the model finds related to it (a near-synonym, an antonym, a rendering of the same idea: the
headline says “push back”, the body “backtrack”), the headline phrase becomes an alternative for
the body phrase. The meant-phrase scoring then decides, as for every other candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from qa.embeddings.meant import Candidate, Swap
from qa.embeddings.vectors import DocVectors

if TYPE_CHECKING:
    from qa.embeddings.model import SentenceEncoder

SOURCE = "headline"
MAX_WORDS = 3
_WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{L}+(?:[’'\-]\p{L}+)*(?![\p{N}])")
CONTEXT = 3  # words either side whose content words must recur around the headline phrase
# words that neither start nor end a candidate phrase (function words, reporting verbs, numbers)
_STOP_WORDS = (
    """a an the and or but nor of on in at to for from by with as about into over under after before
    than then this that these those it its it’s it's he she they we you i his her their our your
    is are was were be been being has have had do does did will would can could may might must shall
    should not no so if up out off also just more most less very new says said say tells told
    who whom whose which what when where why how all any some each both other such own same
    against despite during amid among around between through without within across along toward towards
    back down away"""
)
STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Phrase:
    """A word n-gram, its offsets, and the content words around it (cut to stems)."""

    start: int
    end: int
    text: str
    context: frozenset[str]


def _phrases(text: str, offset: int) -> list[Phrase]:
    """Word n-grams (1..MAX_WORDS) that start and end on a content word and hold no name or number."""
    words = list(_WORD.finditer(text))
    found: list[Phrase] = []
    for i in range(len(words)):
        for n in range(1, MAX_WORDS + 1):
            group = words[i : i + n]
            if len(group) < n:
                break
            gap = text[group[0].end() : group[-1].start()] if n > 1 else ""
            if regex.search(r"[^\s\-’'“”\"‘]", gap):
                break  # a phrase does not run across punctuation
            edges = (group[0].group().lower(), group[-1].group().lower())
            if n > 1 and edges[1] in PARTICLES:
                edges = (edges[0], "")  # "push back": a verb and its particle
            if edges[0] in STOP or edges[1] in STOP or any(w.group()[:1].isupper() for w in group):
                continue
            around = words[max(0, i - CONTEXT) : i] + words[i + n : i + n + CONTEXT]
            context = frozenset(_stems(" ".join(w.group() for w in around)))
            found.append(
                Phrase(offset + group[0].start(), offset + group[-1].end(), " ".join(w.group() for w in group), context)
            )
    return found


# a verb with one of these after it may stand for a one-word verb ("push back" for "resist")
_PARTICLE_WORDS = "up down back out off away over on in"
PARTICLES = frozenset(_PARTICLE_WORDS.split())


def _stems(phrase: str) -> set[str]:
    """Content words cut to four letters, so inflections of one word compare equal."""
    return {w.lower()[:4] for w in _WORD.findall(phrase) if w.lower() not in STOP}


def _same_length(head: str, phrase: str) -> bool:
    """Same number of words, or a verb-and-particle headline phrase for one body word."""
    h, p = head.split(), phrase.split()
    return len(h) == len(p) or (len(h) == 2 and len(p) == 1 and h[1].lower() in PARTICLES)


def headline_candidates(
    view: DocVectors, encoder: SentenceEncoder, taken: Sequence[Candidate], relation: float, limit: int = 4, sentences: int = 2
) -> list[Candidate]:
    """Body phrases of the sentences most like the headline, each with related headline phrases to try."""
    title, body = view.indexes("title"), view.indexes("body")
    if not title or len(body) < 2:
        return []
    headline = view.vectors[title].mean(axis=0)
    nearest = [body[int(k)] for k in (-(view.vectors[body] @ headline)).argsort()[:sentences]]
    targets = [body[0], *(i for i in nearest if i != body[0])][:sentences]  # the lede restates the headline
    body_stems = _stems(view.doc.article.body)
    heads = [p for s in title for p in _phrases(view.sentences[s].text, 0) if not _stems(p.text) <= body_stems]
    verbs = {h.text.split()[0] for h in heads if len(h.text.split()) == 2 and h.text.split()[1].lower() in PARTICLES}
    heads = [h for h in heads if h.text not in verbs]  # "push back" is tried; "push" alone says something else
    title_text = view.doc.article.title.lower()
    spans = [
        (index, p)
        for index in targets
        for p in _phrases(view.sentences[index].text, view.sentences[index].start)
        if p.text.lower() not in title_text
        and not any(c.sentence == index and c.start < p.end and p.start < c.end for c in taken)
    ]
    if not heads or not spans:
        return []
    vectors = encoder.encode([h.text for h in heads] + [p.text for _, p in spans])
    sims = vectors[len(heads) :] @ vectors[: len(heads)].T
    found: list[Candidate] = []
    for row, (index, phrase) in enumerate(spans):
        related = {
            head.text: float(sims[row, col]) for col, head in enumerate(heads)
            if sims[row, col] >= relation
            and _same_length(head.text, phrase.text)
            and not _stems(head.text) & _stems(phrase.text)
            and head.context & phrase.context  # the same place in the same statement: "… on China" / "… against China"
        }
        if related:
            meant = tuple(sorted(related, key=lambda h: -related[h])[:limit])
            found.append(Candidate(index, phrase.start, phrase.end, Swap(phrase.text, meant, SOURCE)))
    return found
