"""``qa.check``: articles checked by the engine, or a Dask collection checked where its partitions live."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qa.checker import Checker
from qa.config import Config
from qa.engine import CHUNK_SENTENCES, Progress
from qa.engine import check as check_items
from qa.model import Article, InputError, Report
from qa.parallel import Pool


def check(
    articles: Iterable[Article | InputError],
    config: Config | None = None,
    checkers: Sequence[Checker] | None = None,
    progress: Progress | None = None,
    batch_size: int | None = None,
    chunk_sentences: int = CHUNK_SENTENCES,
    pool: Pool | None = None,
) -> Report:
    """Check articles and return the report (``qa.engine.check``); a Dask bag or dataframe goes to ``qa.cluster``."""
    if hasattr(articles, "__dask_graph__"):  # a Dask bag or dataframe: checked where its partitions live
        from qa.cluster import check_collection

        return check_collection(articles, config)
    return check_items(articles, config, checkers, progress, batch_size, chunk_sentences, pool)
