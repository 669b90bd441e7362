"""Checking a news archive on a Dask cluster (``pip install 'qa-news[dask]'``).

Chunks of articles go to the workers; each worker builds its checkers and loads its model once
(``qa.parallel.check_articles``) and results come back in input order, so the report is the one a
single-process run writes. A worker that dies mid-run has its chunks re-run by Dask on another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from qa.config import Config
from qa.engine import Run
from qa.errors import ConfigError
from qa.model import Article, ArticleResult, InputError, Report
from qa.parallel import CHUNK_CHARS, Outcome, check_articles, ordered


def _client(address: str) -> tuple[Any, Any]:
    """A client for a scheduler address, or for a new ``LocalCluster`` (one worker per CPU) when ``local``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError("--dask", "needs the dask extra: pip install 'qa-news[dask]'") from None
    if address == "local":
        from qa.process import usable_cpus

        cluster = LocalCluster(n_workers=usable_cpus(), threads_per_worker=1, processes=True, dashboard_address=None)  # type: ignore[no-untyped-call]
        return Client(cluster), cluster  # type: ignore[no-untyped-call]
    try:
        return Client(address, timeout="20s"), None  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise ConfigError("--dask", f"cannot reach the Dask scheduler at {address}: {exc}") from None


class DaskPool:
    """Chunks checked on the workers of a Dask cluster, a few ahead per worker, in input order."""

    def __init__(self, client: Any, cluster: Any = None, chunk_chars: int = CHUNK_CHARS):
        self.client = client
        self.cluster = cluster  # closed with the client when this pool started it
        self.chunk_chars = chunk_chars

    @classmethod
    def connect(cls, address: str, chunk_chars: int = CHUNK_CHARS, setup: Callable[[], None] | None = None) -> DaskPool:
        """A pool on the scheduler at ``address`` (``tcp://host:8786``), or on a LocalCluster for ``local``;
        ``setup`` runs on every worker, now and as it joins (the CLI's process settings, ``qa.process.configure``)."""
        client, cluster = _client(address)
        if setup is not None:
            client.register_worker_callbacks(setup=setup)
        return cls(client, cluster, chunk_chars)

    def run(self, chunks: Iterable[list[Article]], config: Config) -> Iterator[Outcome]:
        """Each chunk checked on some worker; outcomes in input order."""
        ahead = 2 * max(1, len(self.client.scheduler_info().get("workers", {})))
        try:
            submitted = (self.client.submit(check_articles, chunk, config, pure=False) for chunk in chunks)
            yield from ordered(submitted, ahead)
        finally:
            if self.cluster is not None:
                self.client.close()
                self.cluster.close()


def as_article(item: Article | Mapping[str, Any], index: int = 0) -> Article:
    """An article from a bag item: an ``Article`` or a record with ``id``, ``title``, ``body`` (``source``)."""
    if isinstance(item, Article):
        return item
    return Article(
        id=str(item.get("id", index)),
        source=str(item.get("source") or "dask"),
        title=str(item.get("title") or ""),
        body=str(item.get("body") or ""),
        metadata={k: v for k, v in item.items() if k not in ("id", "source", "title", "body")},
    )


def _partition(items: Iterable[Any], config: Config) -> list[tuple[Outcome, list[InputError], int]]:
    """One bag partition checked on the worker that holds it, with the number of items it held."""
    items = list(items)  # once: a lazy partition (``.map``, ``read_text``) is used up by a first pass
    errors = [item for item in items if isinstance(item, InputError)]
    articles = [as_article(item, n) for n, item in enumerate(items) if not isinstance(item, InputError)]
    return [(check_articles(articles, config), errors, len(items))]


def lost(partition: int, held: int, outcome: Outcome, errors: list[InputError]) -> InputError | None:
    """The error for a partition whose items are not all accounted for (a bug in qa: exit code 4), else None."""
    _, found, _, failed = outcome
    reported = len(found) + len(failed) + len(errors)
    if reported == held:
        return None
    message = f"{held} item(s) in, {reported} reported: articles were lost (a bug in qa: please report it)"
    return InputError(f"dask partition {partition}", message, internal=True)


def check_collection(collection: Any, config: Config | None = None) -> Report:
    """Check a Dask bag of articles (or a dataframe with ``id``, ``title``, ``body`` columns) on its cluster.

    Every item of every partition is reported, as a result or an input error; a partition that comes
    back short is an internal error naming it (the CLI's exit code 4), never a quiet pass.
    """
    run = Run(config)
    bag = collection.to_bag(format="dict") if hasattr(collection, "to_bag") else collection
    results: list[ArticleResult] = []
    outcomes = bag.map_partitions(_partition, run.config).compute()
    for partition, ((worker, found, notes, failed), errors, held) in enumerate(outcomes):
        run.worker_notes[worker] = notes
        run.errors += errors + failed
        missing = lost(partition, held, (worker, found, notes, failed), errors)
        if missing is not None:
            run.errors.append(missing)
        results += found
    if len(outcomes) != bag.npartitions:
        message = f"{bag.npartitions} partition(s) in, {len(outcomes)} came back (a bug in qa: please report it)"
        run.errors.append(InputError("dask", message, internal=True))
    return run.report(results)
