"""Checking on a 2-worker Dask LocalCluster: the single-process findings, a worker killed mid-run."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from qa.config import Config
from qa.api import check
from qa.formatters.json import article_dict
from qa.ingest import read_inputs
from qa.model import Article, ArticleResult, Severity

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


def test_an_articles_budget_holds_on_a_dask_worker(client: Any) -> None:
    from tests.helpers import check_a_stall

    results, on_main = client.submit(check_a_stall, 0.3, pure=False).result(timeout=60)
    assert not on_main  # a worker runs tasks in its threads: no SIGALRM there
    assert results[1] == ("a1.txt", ("not fully checked: over the time budget of 0.3 s per article (after skipped)",))
    assert results[0] == ("a0.txt", ()) and results[2] == ("a2.txt", ())


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


RECORDS = [{"id": f"wire-{n}", "title": "Talks", "body": f"The the talks began on day {n}."} for n in range(7)]


def _ids(report: Any) -> list[str]:
    return [r.article.id for r in report.articles]


def test_a_bag_built_with_map_reports_every_article(client: Any) -> None:
    import dask.bag

    # .map makes each partition a lazy iterator: read twice, its second pass is empty
    bag = dask.bag.from_sequence([json.dumps(r) for r in RECORDS], npartitions=3).map(json.loads)
    report = check(bag, RULES)
    assert _ids(report) == [r["id"] for r in RECORDS] and not report.input_errors
    assert all([i.rule for i in r.issues] == ["structure.repeated-word"] for r in report.articles)


def test_a_bag_read_with_read_text_reports_every_article(client: Any, tmp_path: Path) -> None:
    import dask.bag

    for part, rows in enumerate((RECORDS[:4], RECORDS[4:])):
        (tmp_path / f"2024-0{part + 1}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    bag = dask.bag.read_text(str(tmp_path / "2024-*.jsonl")).map(json.loads)
    report = check(bag, RULES)
    assert _ids(report) == [r["id"] for r in RECORDS] and not report.input_errors


def test_a_dataframe_reports_every_article(client: Any) -> None:
    dd = pytest.importorskip("dask.dataframe")
    pandas = pytest.importorskip("pandas")

    frame = dd.from_pandas(pandas.DataFrame(RECORDS), npartitions=3)
    report = check(frame, RULES)
    assert _ids(report) == [r["id"] for r in RECORDS] and not report.input_errors
    assert report.articles[0].article.metadata == {}


def test_a_partition_that_comes_back_short_can_never_exit_0(monkeypatch: pytest.MonkeyPatch) -> None:
    import dask
    import dask.bag

    import qa.cluster
    from qa.commands.check import exit_code
    from qa.errors import ExitCode
    from qa.parallel import check_articles

    def dropping_the_last(articles: list[Article], config: Config) -> Any:
        worker, results, notes, errors = check_articles(articles, config)
        return worker, results[:-1] if len(articles) == 3 else results, notes, errors

    monkeypatch.setattr(qa.cluster, "check_articles", dropping_the_last)
    quiet = [{**r, "body": "The talks began."} for r in RECORDS]  # no findings: only the loss can fail the run
    with dask.config.set(scheduler="sync"):  # in this process, where the patch is
        report = check(dask.bag.from_sequence(quiet, npartitions=3).map(dict), RULES)
    assert len(report.articles) == 5
    assert [(e.source, e.internal) for e in report.input_errors] == [("dask partition 0", True), ("dask partition 1", True)]
    assert "3 item(s) in, 2 reported" in report.input_errors[0].message
    assert exit_code(report, None) == exit_code(report, Severity.MAJOR) == ExitCode.INTERNAL
