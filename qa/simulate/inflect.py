"""Crude English inflection, as spinners do it: plural or third person ``-s``, past ``-ed``, ``-ing``."""

from __future__ import annotations

from collections.abc import Iterator

BASE, S, PAST, ING = "base", "s", "past", "ing"
_VOWELS = "aeiou"


def lemmas(word: str) -> Iterator[tuple[str, str]]:
    """Candidate (form, base word) pairs for ``word``, the word itself first."""
    yield BASE, word
    if word.endswith("ies") and len(word) > 4:
        yield S, word[:-3] + "y"
    elif word.endswith("es") and len(word) > 3:
        yield S, word[:-2]
        yield S, word[:-1]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        yield S, word[:-1]
    if word.endswith("ied") and len(word) > 4:
        yield PAST, word[:-3] + "y"
    elif word.endswith("ed") and len(word) > 4:
        yield PAST, word[:-2]
        yield PAST, word[:-1]
        if word[-3] == word[-4]:
            yield PAST, word[:-3]
    if word.endswith("ing") and len(word) > 5:
        yield ING, word[:-3]
        yield ING, word[:-3] + "e"
        if word[-4] == word[-5]:
            yield ING, word[:-4]


def inflect(word: str, form: str) -> str:
    """``word`` in ``form`` (base, s, past, ing), crudely."""
    consonant_y = word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS
    if form == S:
        if word.endswith(("s", "x", "z", "ch", "sh")):
            return word + "es"
        return word[:-1] + "ies" if consonant_y else word + "s"
    if form == PAST:
        if word.endswith("e"):
            return word + "d"
        return word[:-1] + "ied" if consonant_y else word + "ed"
    if form == ING:
        if word.endswith("ie"):
            return word[:-2] + "ying"
        if word.endswith("e") and not word.endswith("ee"):
            return word[:-1] + "ing"
        return word + "ing"
    return word


# the parts of speech a form can take its synonyms from (the base form takes any)
FORM_POS = {S: ("noun", "verb"), PAST: ("verb",), ING: ("verb",)}
