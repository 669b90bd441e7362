"""Suggestions as an editor reads them: one that is only punctuation (``.`` for `` .``) or empty (delete this)
is shown with the word beside it (``Friday.``), and one that still says nothing is not shown."""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.model import Issue
from qa.quotes import without_unmatched

_WORD_BEFORE = re.compile(r"\S+\s*$")
_WORD_AFTER = re.compile(r"^\s*\S+")
_REACH = 60  # characters looked at on either side for the neighbouring word


def says_something(text: str) -> bool:
    """True when the text holds a letter or digit (not just punctuation or space)."""
    return any(ch.isalnum() for ch in text)


def readable(suggestion: str, text: str, start: int, end: int) -> str | None:
    """``suggestion`` for ``text[start:end]`` as shown to an editor (with its neighbouring words when it is
    only punctuation or empty, and never with an unmatched quotation mark); None when even then it says nothing."""
    suggestion = without_unmatched(suggestion)  # reports written before suggestions were cleaned
    if says_something(suggestion):
        return suggestion
    before = _WORD_BEFORE.search(text[max(0, start - _REACH) : start])
    shown = (before.group() if before else "") + suggestion
    if not suggestion or not says_something(shown):
        after = _WORD_AFTER.search(text[end : end + _REACH])
        shown += after.group() if after else ""
    shown = shown.strip()
    return shown if says_something(shown) else None


def shown(issue: Issue, text: str) -> list[str]:
    """A finding's suggestions as shown to an editor (``text`` is its field), deduplicated."""
    return shown_at(issue.suggestions, text, issue.start, issue.end)


def shown_at(suggestions: Iterable[str], text: str, start: int, end: int) -> list[str]:
    """Suggestions for ``text[start:end]`` as shown to an editor, deduplicated (a stored finding's, say)."""
    found = (readable(s, text, start, end) for s in suggestions)
    return [s for s in dict.fromkeys(found) if s is not None]
