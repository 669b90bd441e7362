"""Noise control for news copy: default-off rules, the proper-noun filter, and the merge with rules."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.model import Issue, fold

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


def duplicates(lt_issue: Issue, other: Issue) -> bool:
    """True when a LanguageTool finding says what another checker already said about the same span.

    Same field, overlapping, and either the same span, or the same MQM dimension with most of the
    shorter span inside the longer one.
    """
    if not lt_issue.overlaps(other):
        return False
    if (lt_issue.start, lt_issue.end) == (other.start, other.end):
        return True
    if lt_issue.category.split("/")[0] != other.category.split("/")[0]:
        return False
    shared = min(lt_issue.end, other.end) - max(lt_issue.start, other.start)
    shorter = max(1, min(lt_issue.end - lt_issue.start, other.end - other.start))
    return shared * 2 >= shorter


def merge_with(issues: Sequence[Issue], others: Sequence[Issue]) -> list[Issue]:
    """One article's findings: ``others`` (rule engine, …) plus the LanguageTool ``issues`` they do not duplicate.

    A duplicated LanguageTool finding is dropped; the finding it duplicates keeps its own rule,
    severity and message, gains LanguageTool's suggestions when it had none, and records the
    LanguageTool rule in ``evidence["also"]``.
    """
    merged = list(others)
    kept: list[Issue] = []
    for lt_issue in issues:
        index = next((i for i, other in enumerate(merged) if duplicates(lt_issue, other)), None)
        if index is None:
            kept.append(lt_issue)
            continue
        merged[index] = fold(merged[index], lt_issue)
    return merged + kept
