"""Damage one clean text with the chosen kinds, seeded per text and kind; label every damaged phrase."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from qa.simulate.kinds import KINDS, Edit
from qa.simulate.thesaurus import Thesaurus


@dataclass(frozen=True)
class Label:
    """A damaged phrase at ``[start, end)`` of the damaged text, what was meant there, and its category."""

    start: int
    end: int
    printed: str
    meant: str
    category: str


@dataclass(frozen=True)
class Damaged:
    """A damaged copy of a clean text with its labels, in text order."""

    text: str
    labels: tuple[Label, ...]


def rng_for(seed: int, key: str, kind: str) -> random.Random:
    """The random stream of one kind on one text: the same for a seed whatever else runs (string seeds are stable)."""
    return random.Random(f"{seed}:{key}:{kind}")


def plan(text: str, key: str, seed: int, rate: float, kinds: Sequence[str], thesaurus: Thesaurus) -> list[tuple[Edit, str]]:
    """The edits of every chosen kind (in ``KINDS`` order), each with its category, none overlapping."""
    taken: list[tuple[Edit, str]] = []
    for name, (category, kind) in KINDS.items():
        if name not in kinds:
            continue
        for edit in kind(text, rng_for(seed, key, name), rate, thesaurus):
            if all(edit.end <= t.start or t.end <= edit.start for t, _ in taken):
                taken.append((edit, category))
    return sorted(taken, key=lambda ec: ec[0].start)


def damage(text: str, key: str, seed: int, rate: float, kinds: Sequence[str], thesaurus: Thesaurus) -> Damaged:
    """``text`` damaged (seeded by ``seed`` and ``key``), with a label on each edit pointing into the damaged text."""
    parts: list[str] = []
    labels = []
    at = length = 0
    for edit, category in plan(text, key, seed, rate, kinds, thesaurus):
        parts.append(text[at : edit.start])
        length += edit.start - at
        labels.append(Label(length, length + len(edit.printed), edit.printed, text[edit.start : edit.end], category))
        parts.append(edit.printed)
        length += len(edit.printed)
        at = edit.end
    parts.append(text[at:])
    return Damaged("".join(parts), tuple(labels))
