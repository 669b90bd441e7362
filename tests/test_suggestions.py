"""Suggestions as shown to an editor: punctuation-only or empty ones with the word beside them, never ``probably meant: .``."""

from __future__ import annotations

import pytest

from qa.model import Issue, Severity
from qa.suggestions import readable, shown

TEXT = "talks on Friday . Then he said , then left the the hall."


@pytest.mark.parametrize(
    ("suggestion", "span", "expected"),
    [(".", " .", "Friday."), (",", " ,", "said,"), ("virtual summit", " .", "virtual summit"), ("", "the ", "left the")],
)
def test_readable(suggestion: str, span: str, expected: str) -> None:
    start = TEXT.index(span) if span != "the " else TEXT.index("the the")
    assert readable(suggestion, TEXT, start, start + len(span)) == expected


def test_a_suggestion_that_says_nothing_is_not_shown() -> None:
    issue = Issue("r", "fluency/punctuation", Severity.MINOR, "m", "body", 0, 3, ". .", (".", ""))
    assert shown(issue, ". .") == []
