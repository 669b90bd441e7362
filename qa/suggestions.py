"""Suggestions as an editor reads them: one that is only punctuation (``.`` for `` .``) or empty (delete this)
is shown with the word beside it (``Friday.``), and one that still says nothing is not shown."""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.model import Issue

_WORD_BEFORE = re.compile(r"\S+\s*$")
_WORD_AFTER = re.compile(r"^\s*\S+")
_REACH = 60  # characters looked at on either side for the neighbouring word


def says_something(text: str) -> bool:
    """True when the text holds a letter or digit (not just punctuation or space)."""
    return any(ch.isalnum() for ch in text)


def readable(suggestion: str, text: str, start: int, end: int) -> str | None:
    """``suggestion`` for ``text[start:end]`` as shown to an editor (with its neighbouring words when it is
    only punctuation or empty); None when even then it says nothing."""
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
    return _unique(readable(s, text, issue.start, issue.end) for s in issue.suggestions)


def _unique(items: Iterable[str | None]) -> list[str]:
    return [s for s in dict.fromkeys(items) if s is not None]
