"""Cut a field's text into pieces, each covered by the same set of findings (overlaps allowed).

Kept small and separate so the review pages can later use the HTML report's highlight partial.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A finding's place in the text: its id, offsets and severity value."""

    id: int
    start: int
    end: int
    severity: int


@dataclass(frozen=True)
class Segment:
    """A run of text and the findings covering all of it (empty for plain text)."""

    text: str
    findings: tuple[int, ...] = ()
    severity: int = -1  # the worst severity of those findings

    @property
    def marked(self) -> bool:
        """True when some finding covers this text."""
        return bool(self.findings)


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """Split ``text`` at every finding boundary; out-of-range offsets are clamped, empty spans ignored."""
    valid: Sequence[Span] = [
        Span(s.id, max(0, s.start), min(len(text), s.end), s.severity) for s in spans if s.end > s.start
    ]
    valid = [s for s in valid if s.end > s.start]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    result: list[Segment] = []
    for left, right in itertools.pairwise(cuts):
        covering = [s for s in valid if s.start <= left and right <= s.end]
        result.append(Segment(
            text[left:right], tuple(s.id for s in covering), max((s.severity for s in covering), default=-1)
        ))
    return result
