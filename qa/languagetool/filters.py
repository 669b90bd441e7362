"""Noise control for news copy: default-off rules and the proper-noun filter."""

from __future__ import annotations

import re


# LanguageTool rules that fire on ordinary wire copy without pointing at translation damage.
DEFAULT_DISABLED_RULES = frozenset(
    {
        "EN_QUOTES",  # straight vs. curly quotes: a house-style choice, every wire feed differs
        "DASH_RULE",  # hyphen vs. en/em dash: the same
        "PUNCTUATION_PARAGRAPH_END",  # headlines and bylines end without a full stop by design
        "ENGLISH_WORD_REPEAT_BEGINNING_RULE",  # "He said … He added …" is normal news prose
        "PARAGRAPH_REPEAT_BEGINNING_RULE",  # paragraphs opening with the speaker's name
        "EN_DIACRITICS_REPLACE",  # wants "café"/"Zoë" in names that the agency writes plainly
        "WHITESPACE_RULE",  # doubled spaces from feed markup; the rule engine reports the ones that matter
        "MULTIPLICATION_SIGN",  # "2x4" in sports and technology copy
    }
)

# Whole categories that judge style rather than correctness, or a variety of English.
DEFAULT_DISABLED_CATEGORIES = frozenset(
    {
        "PLAIN_ENGLISH",  # wordiness advice
        "CREATIVE_WRITING",  # fiction-writing advice
        "WIKIPEDIA",  # Wikipedia's own style rules
        "TEXT_ANALYSIS",  # readability statistics
        "AMERICAN_ENGLISH_STYLE",  # agencies write US or UK English; neither is an error
        "BRITISH_ENGLISH",
    }
)

_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
_NEXT_WORD = re.compile(r"[ \t]+(\w+)")
_OPENERS = "\"'“‘([«"


def is_sentence_start(text: str, start: int) -> bool:
    """True when nothing but opening quotes or brackets stand between ``start`` and a sentence end."""
    head = text[:start]
    before = head.rstrip().rstrip(_OPENERS).rstrip()
    return not before or before[-1] in ".!?:" or "\n" in head[len(before):]


def occurs_elsewhere(word: str, text: str, start: int) -> bool:
    """True when ``word`` appears as a whole word somewhere else in ``text`` (case-sensitive)."""
    pattern = re.compile(r"(?<![\w’'\-])" + re.escape(word) + r"(?![\w’'\-])")
    return any(m.start() != start for m in pattern.finditer(text))


def looks_like_name(word: str, text: str, start: int) -> bool:
    """True when a flagged word is probably a name, not a misspelling.

    A name here is a word that is capitalised mid-sentence, has a capital inside it (McConnell,
    Jong-Un), is an acronym, opens a run of capitalised words (Rahm Emanuel), or is spelled the
    same way elsewhere in the article: a typo is rarely repeated letter for letter, a foreign
    name always is.
    """
    if not word or not any(ch.isalpha() for ch in word):
        return False
    if occurs_elsewhere(word, text, start):
        return True
    if not word[0].isupper():
        return False
    if len(word) > 1 and (word.isupper() or any(ch.isupper() for ch in word[1:])):
        return True
    if not is_sentence_start(text, start):
        return True
    following = _NEXT_WORD.match(text, start + len(word))
    return bool(following and following.group(1)[0].isupper())
