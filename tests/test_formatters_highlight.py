"""Highlight segmentation: non-overlapping pieces that rebuild the text, each with the findings covering it."""

from __future__ import annotations

from qa.formatters.highlight import Segment, segments, visible_span


def test_no_findings_is_one_plain_segment() -> None:
    assert segments("plain text", []) == [Segment("plain text", ())]


def test_overlapping_findings_share_the_piece_they_both_cover() -> None:
    text = "agreed to backtrack against China"
    pieces = segments(text, [(10, 27), (10, 19), (20, 33)])
    assert "".join(p.text for p in pieces) == text
    covered = {p.text: p.issues for p in pieces}
    assert covered == {"agreed to ": (), "backtrack": (0, 1), " ": (0,), "against": (0, 2), " China": (2,)}


def test_every_finding_gets_at_least_one_segment_even_when_empty_or_out_of_range() -> None:
    text = "Friday ."
    spans = [(6, 6), (8, 8), (3, 99), (7, 8)]
    pieces = segments(text, spans)
    assert "".join(p.text for p in pieces) == text
    for index in range(len(spans)):
        assert any(index in p.issues for p in pieces), index
    assert all(p.text for p in pieces)


def test_visible_span_widens_empty_spans_and_clamps() -> None:
    assert visible_span("abc", 1, 1) == (1, 2)
    assert visible_span("abc", 3, 3) == (2, 3)
    assert visible_span("abc", -2, 10) == (0, 3)
    assert visible_span("", 0, 0) == (0, 0)


def test_adjacent_findings_do_not_bleed_into_each_other() -> None:
    pieces = segments("aaabbb", [(0, 3), (3, 6)])
    assert [(p.text, p.issues) for p in pieces] == [("aaa", (0,)), ("bbb", (1,))]
