"""The embeddings family: what a garbled phrase was meant to say, headline support, coherence, duplicates, reference."""

from __future__ import annotations

from qa.embeddings.settings import Settings
from qa.registry import Family, Option, lazy

FAMILY = Family(
    summary="Embedding checks (default on; off never imports torch).",
    settings=Settings,
    build=lazy("qa.embeddings.checker:build", with_config=True, with_shared=True),
    loading="loading the embedding model… (--no-embeddings checks rules only, without it)",
    options=(
        Option("--model", "model", "Sentence-transformers model name or path (default: bundled all-MiniLM-L6-v2)."),
        Option(
            "--reference", "reference", "Reference version (wire copy or source text) to compare every article with (embeddings).",
            run_only=True, existing_file=True,
        ),
    ),
)
