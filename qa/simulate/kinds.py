"""The damage kinds: each finds its candidates in clean text and, with probability ``rate`` each, edits them."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from qa.simulate.inflect import BASE, FORM_POS, inflect, lemmas
from qa.simulate.thesaurus import Sense, Thesaurus
from qa.simulate.words import FUNCTION_WORDS, PRONOUN_FLIPS


@dataclass(frozen=True)
class Edit:
    """Replace ``[start, end)`` of the clean text by ``printed``; the clean slice is what was meant."""

    start: int
    end: int
    printed: str


Kind = Callable[[str, random.Random, float, Thesaurus], list[Edit]]

# a lower-case word standing alone: not part of a hyphenated word, a contraction or a name
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]{3,}(?![\w'’-])")
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|himself|herself|hers)\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s+([a-z]+)")
# a full stop after a lower-case word (not an initial or abbreviation like "U.S.") before a capital
_BOUNDARY = re.compile(r"(?<![\w.])[a-z]\w+\. [A-Z]\w*")
_GROUPED = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d]|,\d)")


def _choices(word: str, thesaurus: Thesaurus) -> tuple[str, tuple[Sense, ...]]:
    """The form of ``word`` and the senses a spinner could take a synonym from."""
    for form, base in lemmas(word):
        senses = thesaurus.senses(base)
        if form != BASE:
            senses = tuple(s for s in senses if s.pos in FORM_POS[form])
        if senses:
            return form, senses
    return BASE, ()


def spin(text: str, rng: random.Random, rate: float, thesaurus: Thesaurus) -> list[Edit]:
    """Thesaurus spinning without sense choice: a lower-case content word becomes a random synonym of a random sense."""
    edits = []
    for match in _LOWER_WORD.finditer(text):
        word = match.group()
        if word in FUNCTION_WORDS:
            continue
        form, senses = _choices(word, thesaurus)
        if not senses or rng.random() >= rate:
            continue
        synonym = inflect(rng.choice(rng.choice(senses).synonyms), form)
        if synonym != word:
            edits.append(Edit(match.start(), match.end(), synonym))
    return edits


def _sampled(pattern: re.Pattern[str], text: str, rng: random.Random, rate: float) -> Iterator[re.Match[str]]:
    """The candidates ``pattern`` finds in ``text``, each kept with probability ``rate`` (one draw per candidate, in order)."""
    return (match for match in pattern.finditer(text) if rng.random() < rate)


def _same_case(flipped: str, printed: str) -> str:
    return flipped.upper() if printed.isupper() and len(printed) > 1 else flipped.capitalize() if printed[0].isupper() else flipped


def pronoun(text: str, rng: random.Random, rate: float, thesaurus: Thesaurus) -> list[Edit]:
    """Pronoun gender flips: he↔she, his→her, him→her; her→his before a content word, else him."""
    edits = []
    for match in _sampled(_PRONOUN, text, rng, rate):
        word = match.group().lower()
        if word == "her":
            after = _NEXT_WORD.match(text, match.end())
            flipped = "his" if after and after.group(1) not in FUNCTION_WORDS else "him"
        else:
            flipped = PRONOUN_FLIPS[word]
        edits.append(Edit(match.start(), match.end(), _same_case(flipped, match.group())))
    return edits


def boundary(text: str, rng: random.Random, rate: float, thesaurus: Thesaurus) -> list[Edit]:
    """Broken sentence boundaries: the space after a full stop dropped, or the full stop dropped (half each)."""
    edits = []
    for match in _sampled(_BOUNDARY, text, rng, rate):
        before, after = match.group().split(". ", 1)
        joined = f"{before}.{after}" if rng.random() < 0.5 else f"{before} {after}"
        edits.append(Edit(match.start(), match.end(), joined))
    return edits


def number(text: str, rng: random.Random, rate: float, thesaurus: Thesaurus) -> list[Edit]:
    """Split numbers: a space after one of a grouped number's commas ("1,200" → "1, 200")."""
    edits = []
    for match in _sampled(_GROUPED, text, rng, rate):
        commas = [i for i, c in enumerate(match.group()) if c == ","]
        at = rng.choice(commas) + 1
        edits.append(Edit(match.start(), match.end(), match.group()[:at] + " " + match.group()[at:]))
    return edits


# name → (garbled-news category, kind); applied in this order, a later edit overlapping an earlier one is dropped
KINDS: dict[str, tuple[str, Kind]] = {
    "boundary": ("sentence boundary", boundary),
    "number": ("number", number),
    "pronoun": ("grammar/pronoun", pronoun),
    "spin": ("spun synonym", spin),
}
