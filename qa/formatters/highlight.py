"""Cut a text into non-overlapping segments, each with the findings that cover it (for highlighting)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from qa.model import Issue


@dataclass(frozen=True)
class Segment:
    """A run of text and the indices (into the given spans) of the findings covering all of it."""

    text: str
    issues: tuple[int, ...] = ()


def visible_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Clamp a span to the text and widen an empty one to one character so it can be seen."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if start == end and text:
        return (start, start + 1) if start < len(text) else (start - 1, start)
    return start, end


def segments(text: str, spans: Sequence[tuple[int, int]]) -> list[Segment]:
    """Split ``text`` at every span boundary; overlapping findings share the pieces they both cover.

    Every non-empty span (after ``visible_span``) covers at least one segment, so each finding
    gets at least one highlight; the segments' texts join back to ``text``.
    """
    clamped = [visible_span(text, start, end) for start, end in spans]
    cuts = sorted({0, len(text), *(p for span in clamped for p in span)})
    starts_at: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(clamped):
        if end > start:
            starts_at.setdefault(start, []).append(index)
    active: set[int] = set()
    pieces: list[Segment] = []
    for left, right in itertools.pairwise(cuts):
        active.update(starts_at.get(left, ()))
        active = {i for i in active if clamped[i][1] > left}
        pieces.append(Segment(text[left:right], tuple(sorted(active))))
    return pieces


def issue_segments(text: str, issues: Sequence[Issue]) -> list[Segment]:
    """Segments of one field's text for findings on that field (indices into ``issues``)."""
    return segments(text, [(issue.start, issue.end) for issue in issues])
