"""The learned family: words a tagger trained on translators' marks reads as MT damage."""

from __future__ import annotations

from qa.learned.settings import Settings
from qa.registry import Family, lazy

FAMILY = Family(
    summary="Trained MT-damage tagger (default: on with the embeddings).",
    settings=Settings,
    build=lazy("qa.learned.checker:build", with_config=True, with_shared=True),
    default="embeddings",  # it reads with the embeddings' model
)
