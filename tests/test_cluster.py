"""Checking on a 2-worker Dask LocalCluster: the single-process findings, a worker killed mid-run."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from qa.config import Config
from qa.engine import check
from qa.formatters.json import article_dict
from qa.ingest import read_inputs
from qa.model import Article, ArticleResult

distributed = pytest.importorskip("distributed")

SEED = "tests/data/biden-kishida.txt"
RULES = Config().switched(embeddings=False, languagetool=False)
DEFAULT = Config().switched(languagetool=False)


def _bytes(results: Sequence[ArticleResult]) -> str:
    return json.dumps([article_dict(r) for r in results], ensure_ascii=False)


def _corpus() -> list[Article]:
    from qa.bench.speed import load_corpus

    articles, _ = load_corpus(["tests/data/bench/mqm_slice.tsv", SEED])
    return articles


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as dask_client:
        yield dask_client
    cluster.close()


def test_bag_and_pool_give_the_single_process_findings(client: Any) -> None:
    import dask.bag

    from qa.cluster import DaskPool

    articles = [*_corpus(), *(a for a in read_inputs(["tests/data/ingest/articles.jsonl"]) if isinstance(a, Article))]
    single = check(articles, RULES)
    pooled = check(articles, RULES, pool=DaskPool(client, chunk_chars=1_000))
    bagged = check(dask.bag.from_sequence(articles, npartitions=4), RULES)
    assert _bytes(pooled.articles) == _bytes(bagged.articles) == _bytes(single.articles)
    assert pooled.tool == bagged.tool == single.tool and len(single.issues()) > 5


def test_bag_of_records_reads_id_title_body(client: Any) -> None:
    import dask.bag

    records = [{"id": "r1", "title": "Talks", "body": "The the talks began.", "desk": "world"}, {"id": "r2", "body": "Fine."}]
    report = check(dask.bag.from_sequence(records, npartitions=2), RULES)
    assert [r.article.id for r in report.articles] == ["r1", "r2"]
    assert report.articles[0].article.metadata == {"desk": "world"}
    assert [i.rule for i in report.articles[0].issues] == ["structure.repeated-word"]


@pytest.mark.slow
def test_default_checker_on_the_cluster_matches_one_process(client: Any) -> None:
    from qa.cluster import DaskPool

    articles = _corpus()
    single = check(articles, DEFAULT)
    pooled = check(articles, DEFAULT, pool=DaskPool(client, chunk_chars=1_500))
    assert _bytes(pooled.articles) == _bytes(single.articles)
    assert any(i.checker == "embeddings" for i in single.issues())


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_no_articles(client: Any) -> None:
    from qa.cluster import DaskPool

    articles = _corpus() * 3
    single = check(articles, DEFAULT)
    pids = client.run(os.getpid)
    killed: list[int] = []

    class KillingPool(DaskPool):
        """Kills one worker process (SIGKILL) once work is in flight on both."""

        def run(self, chunks: Any, config: Config) -> Any:
            def feed() -> Iterator[list[Article]]:
                for n, chunk in enumerate(chunks):
                    if n == 3:
                        victim = sorted(pids.values())[0]
                        os.kill(victim, signal.SIGKILL)
                        killed.append(victim)
                    yield chunk

            return super().run(feed(), config)

    pooled = check(articles, DEFAULT, pool=KillingPool(client, chunk_chars=1_000))
    assert killed
    assert [r.article.id for r in pooled.articles] == [a.id for a in articles]
    assert _bytes(pooled.articles) == _bytes(single.articles)
