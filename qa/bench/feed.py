"""A long synthetic feed for memory and streaming benchmarks, built from real benchmark articles.

``python -m qa.bench.feed OUT.jsonl COUNT SOURCE…`` writes COUNT JSON Lines articles; article k is
the first ``paragraphs`` paragraphs of source article k mod n, with its own id, so the feed is as
long as asked while every sentence is real MT or news text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from qa.bench.speed import load_corpus


def write_feed(out: Path, count: int, sources: Sequence[str], paragraphs: int = 4) -> int:
    """Write a feed of ``count`` articles drawn in turn from the sources; return the paragraphs written."""
    articles, _ = load_corpus(sources)
    if not articles:
        raise ValueError("no articles in the sources")
    written = 0
    with out.open("w", encoding="utf-8") as stream:
        for k in range(count):
            source = articles[k % len(articles)]
            parts = [p for p in source.body.split("\n\n") if p.strip()][:paragraphs]
            written += len(parts)
            record = {"id": f"feed-{k:06d}", "title": source.title, "body": "\n\n".join(parts)}
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return written


if __name__ == "__main__":
    write_feed(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])
