"""Simulated spinning (``qa.simulate``) of clean copy, scored as ``qa bench garbled`` scores real garbled news.

Each clean text is kept as the clean side; its damaged copy (seeded by the seed and the text's key)
is the garbled side, every generated phrase an annotated occurrence with the original as what was meant.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from qa.datasets.garbled_news import GarbledArticle, Occurrence, Phrase, read_garbled_split
from qa.errors import InputReadError
from qa.ingest.txt import split_txt
from qa.simulate.damage import damage
from qa.simulate.thesaurus import Thesaurus

SPUN_PREFIX = "spun/"


def split_clean_texts(root: Path, split: str) -> list[tuple[str, str]]:
    """(key, file text) of a garbled-news split's clean articles, in file-name order."""
    articles, _ = read_garbled_split(root, split)
    return [(a.article.id, a.text) for a in articles if not a.garbled]


def jsonl_texts(path: Path) -> list[tuple[str, str]]:
    """(id, text) of a JSON Lines file of ``{"id", "title", "body"}`` records, each as a plain-text article."""
    texts = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputReadError(f"{path}: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            key, title, body = str(record["id"]), str(record.get("title") or ""), str(record["body"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputReadError(f"{path}:{number}: not an article record ({exc})") from None
        texts.append((key, f"{title}\n\n{body}\n" if title else f"{body}\n"))
    return texts


def spun_articles(
    texts: Iterable[tuple[str, str]], seed: int, rate: float, kinds: Sequence[str], thesaurus: Thesaurus
) -> list[GarbledArticle]:
    """The damaged copies (garbled, labels as occurrences), then the originals (clean), in input order."""
    garbled, clean = [], []
    for key, text in texts:
        damaged = damage(text, key, seed, rate, kinds, thesaurus)
        name = SPUN_PREFIX + key
        occurrences = tuple(Occurrence(Phrase(name, x.printed, x.meant, x.category), x.start, x.end) for x in damaged.labels)
        garbled.append(GarbledArticle(split_txt(damaged.text, name), damaged.text, True, occurrences))
        clean.append(GarbledArticle(split_txt(text, key), text, False))
    return garbled + clean
