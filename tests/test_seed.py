"""The real garbled article: the rules alone must pinpoint most of its hand-marked spans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qa.config import Config
from qa.engine import check
from qa.ingest import read_inputs
from qa.model import Verdict


def score_gold(path: Path, gold: list[dict[str, Any]], config: Config) -> tuple[set[int], int]:
    """Marked spans found (by index) and findings that overlap no marked span."""
    report = check(read_inputs([str(path)]), config)
    (result,) = report.articles
    offsets = result.article.field_offsets
    found: set[int] = set()
    strays = 0
    for issue in result.issues:
        start, end = offsets[issue.field] + issue.start, offsets[issue.field] + issue.end
        hits = {
            k
            for k, g in enumerate(gold)
            if start < g["end"] and g["start"] < end and end - start <= 3 * (g["end"] - g["start"]) + 20
        }
        found |= hits
        strays += not hits
    return found, strays


def test_rules_alone_find_most_marked_spans(seed_path: Path, seed_gold: list[dict[str, Any]], rules_only: Config) -> None:
    found, strays = score_gold(seed_path, seed_gold, rules_only)
    assert len(found) >= 10, f"found only {sorted(found)}"
    assert strays <= 2


def test_seed_is_rejected_and_suggests_what_was_meant(seed_path: Path, rules_only: Config) -> None:
    (result,) = check(read_inputs([str(seed_path)]), rules_only).articles
    assert result.verdict is Verdict.REJECT
    suggestions = {i.text: i.suggestions for i in result.issues}
    assert "push back against" in suggestions["back down against"]
    assert "virtual summit" in suggestions["virtual billet"]


def test_offsets_index_the_article_fields(seed_path: Path, rules_only: Config) -> None:
    (result,) = check(read_inputs([str(seed_path)]), rules_only).articles
    for issue in result.issues:
        assert result.article.text(issue.field)[issue.start : issue.end] == issue.text
