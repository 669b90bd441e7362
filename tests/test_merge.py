"""The merge policy: one checker's findings on one garble become one finding; the example article's quote garble."""

from __future__ import annotations

from pathlib import Path

from qa.config import Config
from qa.engine import check
from qa.ingest import read_inputs
from qa.merge import coalesce
from qa.model import Issue, Severity
from qa.scoring import penalty

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "biden-kishida.txt"
TEXT = "They agreed to “backtrack” against China."


def _at(rule: str, phrase: str, severity: Severity = Severity.MAJOR, confidence: float = 0.9,
        suggestions: tuple[str, ...] = (), category: str = "accuracy/mistranslation") -> Issue:
    start = TEXT.index(phrase)
    return Issue(rule, category, severity, f"{rule} says so", "body", start, start + len(phrase), phrase, suggestions, confidence, "rules")


def test_overlapping_findings_of_one_checker_are_one_finding_with_the_others_as_evidence() -> None:
    quote = _at("quote", "“backtrack”", confidence=0.8, suggestions=("“push back”",))
    lexicon = _at("lexicon", "“backtrack” against", suggestions=("“push back” against", "“resist” against"))
    (one,) = coalesce([quote, lexicon])
    assert (one.rule, one.severity, one.text) == ("lexicon", Severity.MAJOR, "“backtrack” against")
    assert one.suggestions == ("“push back” against", "“resist” against")  # the quote's, rewritten for the span, deduplicated
    assert one.evidence is not None and one.evidence["also"] == ["quote"]
    assert one.evidence["corroborating"] == [
        {"rule": "quote", "checker": "rules", "severity": "major", "message": "quote says so",
         "start": quote.start, "end": quote.end, "text": "“backtrack”"}
    ]


def test_the_union_of_the_spans_stands_with_the_strongest_severity() -> None:
    minor = _at("minor", "backtrack” against", Severity.MINOR, suggestions=("resist” against",))
    major = _at("major", "“backtrack”", Severity.MAJOR, confidence=0.5)
    (one,) = coalesce([minor, major])
    assert (one.rule, one.severity, one.text) == ("major", Severity.MAJOR, "“backtrack” against")
    assert one.suggestions == ("“resist” against",)
    assert penalty([one], 100) == 5.0  # one mistake, one penalty


def test_findings_that_say_different_things_stay_apart() -> None:
    apart = [_at("a", "agreed"), _at("b", "against China")]  # no shared text
    other_dimension = [_at("c", "backtrack"), _at("d", "backtrack” against", category="fluency/punctuation")]
    # a typo inside an ungrammatical phrase: two errors, as MQM counts them
    other_category = [_at("e", "They agreed to “backtrack”", category="fluency/grammar"), _at("f", "agreed", category="fluency/spelling")]
    assert len(coalesce(apart)) == 2 and len(coalesce(other_dimension)) == 2 and len(coalesce(other_category)) == 2


def test_the_example_articles_backtrack_garble_is_one_finding(rules_only: Config) -> None:
    (result,) = check(read_inputs([str(EXAMPLE)]), rules_only).articles
    body = result.article.body
    garble = body.index("“backtrack” against")
    on_it = [i for i in result.issues if i.field == "body" and i.start < garble + 19 and garble < i.end]
    assert len(on_it) == 1
    (one,) = on_it
    assert one.text == "“backtrack” against" and one.severity is Severity.MAJOR
    assert one.suggestions == ("“push back” against",)
    assert one.evidence is not None and one.evidence["also"] == ["consistency.headline-quote"]
    assert "““" not in one.message and "””" not in one.message
