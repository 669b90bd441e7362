"""The training data folder (``shared/train``, see its README) and every labelled example of a split.

MLQE-PE MT sentences keep their word tags and their post-edits are the same sentences repaired,
every word OK; WMT MQM segments are BAD where a rater's span overlaps a word.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from qa.datasets.example import Example
from qa.datasets.locations import shared_folder
from qa.datasets.mlqe import PAIRS, mlqe_examples
from qa.datasets.mqm_spans import MQM_FILES, mqm_examples
from qa.errors import InputReadError


def examples(root: Path, split: str, post_edits: bool = True) -> Iterator[Example]:
    """Every example of a split (``train`` or ``dev``) from both sources."""
    for pair in PAIRS:
        yield from mlqe_examples(root, pair, split, post_edits)
    for name in MQM_FILES[split]:
        yield from mqm_examples(root, name)


def default_data_dir() -> Path:
    """The training data: ``$QA_TRAIN_DIR``, else ``shared/train`` in the working directory or a parent."""
    found = shared_folder("QA_TRAIN_DIR", "train", "mlqe-pe")
    if found is None:
        raise InputReadError("no training data found (set QA_TRAIN_DIR or pass --data)")
    return found
