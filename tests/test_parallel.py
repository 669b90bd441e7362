"""Streaming and parallel runs: the streamed JSON report, ``--jobs`` worker processes, chunking."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from qa.config import Config
from qa.engine import check
from qa.formatters.json import JsonFormatter, report_dict
from qa.ingest import read_inputs, split_txt
from qa.model import InputError
from qa.parallel import ProcessPool, article_chunks
from tests.helpers import RULES_ONLY, run_qa

SEED = "tests/data/biden-kishida.txt"
FEED = "tests/data/ingest/articles.jsonl"
RULES = Config().switched(embeddings=False, languagetool=False)


@pytest.mark.parametrize("indent", [2, None, 4])
def test_streamed_json_is_the_document_json_dump_makes(indent: int | None) -> None:
    items = [split_txt("Talks\n\nThe the talks began on on Friday.", "a.txt"), InputError("x.rss", "broken"), split_txt("Fine “copy.", "b.txt")]
    for report in (check(items, RULES), check([], RULES)):
        out = io.StringIO()
        JsonFormatter(indent).write(report, out, None)
        assert out.getvalue() == json.dumps(report_dict(report), ensure_ascii=False, indent=indent) + "\n"


def test_article_chunks_keep_order_and_set_errors_aside() -> None:
    errors: list[InputError] = []
    items = [split_txt("x" * 40, f"{n}.txt") if n != 3 else InputError("3.rss", "bad") for n in range(8)]
    chunks = list(article_chunks(items, errors, chars=100))
    assert [[a.id for a in c] for c in chunks] == [["0.txt", "1.txt", "2.txt"], ["4.txt", "5.txt", "6.txt"], ["7.txt"]]
    assert errors == [InputError("3.rss", "bad")]


def test_process_pool_gives_the_single_process_report() -> None:
    articles = list(read_inputs([SEED, FEED]))
    single = check(articles, RULES)
    pooled = check(articles, RULES, pool=ProcessPool(2, chunk_chars=2_000))
    assert pooled.articles == single.articles and pooled.input_errors == single.input_errors
    assert pooled.tool == single.tool and len(pooled.issues()) > 10


def test_cli_jobs_and_streamed_json_match_the_plain_run(tmp_path: Path) -> None:
    plain, jobs = tmp_path / "plain.json", tmp_path / "jobs.json"
    first = run_qa("check", *RULES_ONLY, "--format", "json", "-o", str(plain), SEED, FEED)
    second = run_qa("check", *RULES_ONLY, "--format", "json", "--jobs", "2", "-o", str(jobs), SEED, FEED)
    assert first.returncode == second.returncode == 3, first.stderr + second.stderr  # the feed has a bad line
    assert plain.read_text(encoding="utf-8") == jobs.read_text(encoding="utf-8")
    data = json.loads(plain.read_text(encoding="utf-8"))
    assert data["summary"]["articles"] == len(data["articles"]) == 4


def test_streamed_run_keeps_exit_codes() -> None:
    clean = run_qa("check", *RULES_ONLY, "--format", "json", "-", stdin="The council met on Monday.")
    assert clean.returncode == 0 and json.loads(clean.stdout)["summary"]["issues"] == 0
    broken = run_qa("check", *RULES_ONLY, "--format", "json", "--fail-on", "never", SEED, "missing.txt")
    assert broken.returncode == 3 and json.loads(broken.stdout)["summary"]["input_errors"]


def test_synthetic_feed_cycles_real_articles(tmp_path: Path) -> None:
    from qa.bench.feed import write_feed

    out = tmp_path / "feed.jsonl"
    write_feed(out, 25, ["tests/data/bench/mqm_slice.tsv"], paragraphs=2)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [f"feed-{k:06d}" for k in range(25)]
    assert records[0]["body"] == records[10]["body"] and records[0]["body"] != records[1]["body"]
    assert all(1 <= r["body"].count("\n\n") + 1 <= 2 for r in records)


@pytest.mark.slow
def test_a_model_that_cannot_load_leaves_no_half_report(tmp_path: Path) -> None:
    result = run_qa("check", "--languagetool", "off", "--format", "json", "--model", str(tmp_path / "no-model"), SEED)
    assert result.returncode == 3 and result.stdout == "", result.stderr  # a config that cannot be read
    assert "cannot load sentence-transformers model" in result.stderr
