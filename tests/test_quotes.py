"""Quotation marks in findings: spans that take in their partner, suggestions without stray marks, quoting once."""

from __future__ import annotations

import pytest

from qa.model import Issue, Severity
from qa.quotes import balanced, quoted, unmatched, widened, without_unmatched

TEXT = "The leaders agreed to “backtrack” against China."


@pytest.mark.parametrize(
    ("text", "lone"),
    [("“a” b", []), ("a” b", [1]), ("“a b", [0]), ('"a" b', []), ('a" b', [1]), ("«a» “b", [4]), ("Japan’s", [])],
)
def test_unmatched_marks(text: str, lone: list[int]) -> None:
    assert unmatched(text) == lone


def test_a_span_cutting_a_quotation_in_two_takes_in_the_partner_mark_beside_it() -> None:
    start = TEXT.index("backtrack")
    assert TEXT[slice(*widened(TEXT, start, TEXT.index(" China")))] == "“backtrack” against"
    assert TEXT[slice(*widened(TEXT, start - 1, start + 9))] == "“backtrack”"  # an opener takes its closer
    assert widened(TEXT, 0, 10) == (0, 10)  # no mark: unchanged
    assert widened("a” b", 0, 4) == (0, 4)  # the partner is not beside the span: unchanged


@pytest.mark.parametrize(
    ("suggestion", "cleaned"),
    [("push back” against", "push back against"), ("“push back", "push back"), ("“push back” against", "“push back” against"),
     ('said "yes', "said yes"), ("", "")],
)
def test_suggestions_lose_unmatched_marks(suggestion: str, cleaned: str) -> None:
    assert without_unmatched(suggestion) == cleaned


def test_balanced_finding_widens_its_span_and_its_suggestions_together() -> None:
    start, end = TEXT.index("backtrack"), TEXT.index(" China")
    issue = Issue("r", "accuracy/mistranslation", Severity.MAJOR, "m", "body", start, end, TEXT[start:end], ("push back” against",))
    fixed = balanced(issue, TEXT)
    assert (fixed.text, fixed.suggestions) == ("“backtrack” against", ("“push back” against",))
    assert fixed.start == start - 1 and fixed.end == end
    stray = Issue("r", "fluency/punctuation", Severity.MINOR, "m", "body", 0, 3, "The", ("Th” e",))
    assert balanced(stray, TEXT).suggestions == ("Th e",)  # no partner to take in: the stray mark goes


@pytest.mark.parametrize(
    ("text", "shown"),
    [("backtrack", "“backtrack”"), ("“backtrack”", "“backtrack”"), ("“backtrack” against", "“‘backtrack’ against”"),
     ("“a” and “b”", "“‘a’ and ‘b’”"), ("In,”", "“In,””")],
)
def test_matched_text_is_quoted_once(text: str, shown: str) -> None:
    assert quoted(text) == shown
