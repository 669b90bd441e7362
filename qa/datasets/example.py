"""A sentence with a damage label per word: what the tagger trains on and the post-edit benchmark scores."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    """A sentence, its words (character spans), a 0/1 damage label per word and a sentence score.

    A review example (``qa.learned.review``) labels a word the editors did not decide -1: it does not train."""

    text: str
    words: tuple[tuple[int, int], ...]
    labels: tuple[int, ...]
    score: float  # HTER for MLQE-PE, share of damaged words for MQM, 0 for a post-edit
    source: str  # e.g. "mlqe/ro-en/mt", "mlqe/ro-en/pe", "mqm/wmt21-news"
    marked: tuple[tuple[int, int], ...] = ()  # MQM: the raters' error spans (character offsets)
    document: str = ""  # MQM: "system|doc", the translated article the segment belongs to
