"""``qa bench``: detection quality on MQM-rated MT output and hand-marked spans, false alarms, speed."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from qa.cli import config_path
from qa.commands.options import build_config, config_options, usual_training_data
from qa.datasets.mqm_spans import MQM_FILES
from qa.errors import ExitCode

F = TypeVar("F", bound=Callable[..., Any])


def bench_options(function: F) -> F:
    """The config options plus ``--json``, shared by the quality benchmarks."""
    json_option = click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write the results as JSON here.")
    return config_options(json_option(function))


def _emit(result: Any, markdown: str, json_file: Path | None) -> None:
    from qa.bench.tables import write_json

    click.echo(markdown, nl=False)
    if json_file is not None:
        write_json(result, json_file)


@click.group()
def bench() -> None:
    """Measure the checker: MQM-rated MT output, hand-marked spans, clean copy, speed."""


@bench.command()
@click.argument("tsv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--docs", type=click.IntRange(min=1), help="Only the first N documents of the file (a quick slice).")
@bench_options
def mqm(tsv: Path, docs: int | None, json_file: Path | None, **options: Any) -> None:
    """Score the checker against WMT MQM ratings in TSV (side-by-side format)."""
    from qa.bench.evaluate import attach, evaluate
    from qa.bench.mqm import build_articles, build_segments, select_docs
    from qa.bench.tables import mqm_tables
    from qa.datasets.mqm_ratings import read_tsv
    from qa.engine import check

    config = build_config(**options)
    begin = time.perf_counter()
    articles = build_articles(build_segments(select_docs(read_tsv(tsv), docs)))
    report = check([a.article for a in articles], config)
    metrics = evaluate(attach(articles, report))
    seconds = time.perf_counter() - begin
    result = {"file": str(tsv), "docs": docs, "signature": report.tool.signature, "seconds": seconds, "metrics": metrics}
    _emit(result, f"Signature: `{report.tool.signature}`\n\n" + mqm_tables(result), json_file)


@bench.command()
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@bench_options
def gold(article: Path, gold: Path, json_file: Path | None, **options: Any) -> None:
    """Score the checker on ARTICLE against hand-marked spans in GOLD (offsets into the whole file)."""
    from qa.bench.gold import load_gold, score_gold
    from qa.bench.tables import gold_table
    from qa.engine import check
    from qa.errors import InputReadError
    from qa.ingest import read_inputs

    config = build_config(**options)
    spans = load_gold(gold)
    report = check(read_inputs([str(article)], config.max_article_chars), config)
    if report.input_errors or len(report.articles) != 1:
        problems = "; ".join(f"{e.source}: {e.message}" for e in report.input_errors) or "expected exactly one article"
        raise InputReadError(f"{article}: {problems}")
    result = {"file": str(article), "gold": str(gold), "signature": report.tool.signature, **score_gold(report.articles[0], spans)}
    _emit(result, gold_table(result), json_file)


@bench.command()
@click.argument("paths", nargs=-1, required=True)
@bench_options
def clean(paths: tuple[str, ...], json_file: Path | None, **options: Any) -> None:
    """Count false alarms on edited copy in PATHS (any input qa check reads, e.g. JSON Lines)."""
    from qa.bench.clean import score_clean
    from qa.bench.tables import clean_table
    from qa.engine import check
    from qa.ingest import read_inputs

    config = build_config(**options)
    report = check(read_inputs(list(paths), config.max_article_chars), config)
    result = {"files": list(paths), "signature": report.tool.signature, **score_clean(report)}
    _emit(result, clean_table(result), json_file)
    for error in report.input_errors:  # the numbers above leave these out: say so, and exit 3
        click.echo(f"qa bench: {error.source}: {error.message}", err=True)
    if report.input_errors:
        sys.exit(ExitCode.INPUT)


def dev_set_options(function: F) -> F:
    """``--data`` and ``--limit`` plus the bench options, for the benchmarks on the training data's dev sets."""
    data = click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Training data folder (default: $QA_TRAIN_DIR or ../shared/train).")
    limit = click.option("--limit", type=click.IntRange(min=1), help="Only the first N sentences of each set (a quick slice).")
    return data(limit(bench_options(function)))


@bench.command()
@dev_set_options
def mlqe(data: Path | None, limit: int | None, json_file: Path | None, **options: Any) -> None:
    """MLQE-PE dev, per language pair: sentence penalty against HTER, flagged words against BAD tags."""
    from qa.bench.posteditdev import mlqe_articles, score_mlqe
    from qa.bench.tables import mlqe_table
    from qa.engine import check
    from qa.datasets.mlqe import PAIRS
    from qa.datasets.training import default_data_dir

    config = build_config(**options)
    root = data or default_data_dir()
    begin = time.perf_counter()
    pairs: dict[str, Any] = {}
    signature = ""
    for pair in PAIRS:
        articles = mlqe_articles(root, pair, limit=limit)
        report = check([a.article for a in articles], config)
        pairs[pair] = score_mlqe(articles, report)
        signature = report.tool.signature
    result = {"data": str(root), "signature": signature, "seconds": time.perf_counter() - begin, "pairs": pairs}
    _emit(result, f"Signature: `{signature}`\n\n" + mlqe_table(result), json_file)


@bench.command("wmt-spans")
@click.option("--file", "name", default=MQM_FILES["dev"][0], show_default=True, help="Which file of wmt-mqm-zhen/ (e.g. wmt21-news.train.tsv: rules and embeddings never saw it; the tagger trained on it).")
@dev_set_options
def wmt_spans(name: str, data: Path | None, limit: int | None, json_file: Path | None, **options: Any) -> None:
    """WMT zh-en MQM (WMT22 news dev by default): character-level F1 of the findings against the raters'
    error spans, and per rule how many findings sit on marked spans or on segments no rater marked."""
    from qa.bench.posteditdev import score_spans, wmt_articles
    from qa.bench.tables import spans_table
    from qa.engine import check
    from qa.datasets.training import default_data_dir

    config = build_config(**options)
    root = data or default_data_dir()
    if not (root / "wmt-mqm-zhen" / name).is_file():
        raise click.BadParameter(f"no file {name!r} in {root / 'wmt-mqm-zhen'}", param_hint="--file")
    articles = wmt_articles(root, name, limit=limit)
    report = check([a.article for a in articles], config)
    result = {"data": str(root), "file": name, "signature": report.tool.signature, **score_spans(articles, report)}
    _emit(result, f"Signature: `{report.tool.signature}`\n\n" + spans_table(result), json_file)


@bench.command()
@click.option("--split", type=click.Choice(["dev", "train"]), default="dev", show_default=True, help="Which split of the data.")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Garbled-news folder (default: $QA_GARBLED_DIR or ../shared/garbled-news).")
@click.option("--wikinews", metavar="FILE|off", help="Clean copy whose false alarms are counted too (default: clean_news.wikinews.jsonl in $QA_BENCH_DIR or ../shared/bench, when present).")
@bench_options
def garbled(split: str, data: Path | None, wikinews: str | None, json_file: Path | None, **options: Any) -> None:
    """Real garbled news: article triage, span recall and precision against the annotated phrases,
    suggestions against what was meant, and false alarms on clean copy (the split's and Wikinews)."""
    from qa.bench.garbled import run_garbled
    from qa.bench.tables import garbled_tables

    root, wiki_path = _garbled_paths(data, wikinews, split)
    result = run_garbled(build_config(**options), root, split, wiki_path)
    _emit(result, f"Signature: `{result['signature']}`\n\n" + garbled_tables(result), json_file)


@bench.command()
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Garbled-news folder (default: $QA_GARBLED_DIR or ../shared/garbled-news).")
@click.option("--wikinews", metavar="FILE|off", help="Clean copy whose false alarms are counted too (default: clean_news.wikinews.jsonl in $QA_BENCH_DIR or ../shared/bench, when present).")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder for the review database and what is learned at each point (kept for inspection).")
@click.option("--steps", type=click.IntRange(min=1), default=4, show_default=True, help="Points of the curve after the first (no decision yet).")
@click.option("--seed", type=int, default=1, show_default=True, help="Order in which the train articles are reviewed.")
@click.option("--train-data", type=click.Path(exists=True, file_okay=False, path_type=Path), help="The tagger's usual training data, mixed into fine-tuning (default: $QA_TRAIN_DIR or ../shared/train; without it, the decisions alone).")
@bench_options
def newsroom(
    data: Path | None, wikinews: str | None, work: Path, steps: int, seed: int, train_data: Path | None, json_file: Path | None, **options: Any
) -> None:
    """What qa learn buys: a simulated editor reviews the garbled-news train split (confirms findings on annotated
    phrases, dismisses the rest, marks what was missed with what was meant); after each stretch qa learn runs and
    the dev split is checked again. Prints the curve: decisions made -> dev recall, clean-copy findings."""
    from qa.bench.newsroom import curve
    from qa.bench.tables import newsroom_table
    from qa.learned.finetune import newsroom_folder
    from qa.review.store import Store

    root, wiki_path = _garbled_paths(data, wikinews, "train", "dev")
    work.mkdir(parents=True, exist_ok=True)
    train_data = usual_training_data(train_data, "qa bench newsroom", "--train-data", "the tagger is fine-tuned on the decisions alone")

    def learn(store: Store, db: Path, out: Path) -> dict[str, str]:
        return newsroom_folder(store, db, out, train_data, work / "cache")

    points = curve(build_config(**options), root, wiki_path, work, steps, seed, learn, lambda line: click.echo(line, err=True))
    _emit({"data": str(root), "seed": seed, "points": points}, newsroom_table(points), json_file)


def _garbled_paths(data: Path | None, wikinews: str | None, *splits: str) -> tuple[Path, Path | None]:
    """The garbled-news folder (holding ``splits``) and the Wikinews file (None for ``off``), checked."""
    from qa.datasets.garbled_news import default_garbled_dir, default_wikinews

    root = data or default_garbled_dir()
    for split in splits:
        if not (root / split / "garbled" / "SPANS.tsv").is_file():
            raise click.BadParameter(f"no {split}/garbled/SPANS.tsv in {root}", param_hint="--data")
    wiki_path = None if wikinews == "off" else Path(wikinews) if wikinews else default_wikinews()
    if wiki_path is not None and not wiki_path.is_file():
        raise click.BadParameter(f"no file {str(wiki_path)!r}", param_hint="--wikinews")
    return root, wiki_path


@bench.command()
@click.option("--source", type=click.Choice(["garbled-news", "clean-news"]), default="garbled-news", show_default=True, help="What to damage: the split's clean garbled-news articles, or clean-news-en.jsonl of the training data.")
@click.option("--split", type=click.Choice(["dev", "train"]), default="dev", show_default=True, help="Which split's clean articles (--source garbled-news).")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Garbled-news folder, or the training data folder for clean-news (default: $QA_GARBLED_DIR / $QA_TRAIN_DIR or ../shared).")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the damage (per text and kind).")
@click.option("--rate", type=click.FloatRange(0, 1), default=0.15, show_default=True, help="Chance that each candidate (word, pronoun, full stop, number) is damaged.")
@click.option("--kinds", default="spin,pronoun,boundary,number", show_default=True, help="Comma-separated damage kinds.")
@click.option("--thesaurus", "thesaurus_file", type=click.Path(dir_okay=False, path_type=Path), help="MyThes .dat file for spinning (default: Debian's mythes-en-us).")
@bench_options
def spun(
    source: str, split: str, data: Path | None, seed: int, rate: float, kinds: str, thesaurus_file: Path | None, json_file: Path | None, **options: Any
) -> None:
    """Simulated damage of clean copy (thesaurus spinning, pronoun flips, broken sentence boundaries, split numbers),
    scored as qa bench garbled scores real garbled news, the originals as the clean side and as what was meant."""
    from qa.bench.garbled import score_garbled
    from qa.bench.spun import jsonl_texts, split_clean_texts, spun_articles
    from qa.bench.tables import garbled_tables
    from qa.datasets.garbled_news import default_garbled_dir
    from qa.datasets.training import default_data_dir
    from qa.engine import check
    from qa.simulate.kinds import KINDS
    from qa.simulate.thesaurus import MYTHES, Thesaurus, read_mythes

    chosen = [k.strip() for k in kinds.split(",") if k.strip()]
    unknown = [k for k in chosen if k not in KINDS]
    if unknown or not chosen:
        raise click.BadParameter(f"unknown kind {unknown[0] if unknown else ''!r} (choose from {', '.join(KINDS)})", param_hint="--kinds")
    config = build_config(**options)
    thesaurus = read_mythes(thesaurus_file or MYTHES) if "spin" in chosen else Thesaurus({})
    begin = time.perf_counter()
    if source == "clean-news":
        path = (data or default_data_dir()) / "clean-news-en.jsonl"
        texts, name = jsonl_texts(path), "clean-news"
    else:
        root = data or default_garbled_dir()
        if not (root / split / "garbled" / "SPANS.tsv").is_file():
            raise click.BadParameter(f"no {split}/garbled/SPANS.tsv in {root}", param_hint="--data")
        texts, name = split_clean_texts(root, split), f"{split} clean"
    articles = spun_articles(texts, seed, rate, chosen, thesaurus)
    report = check([a.article for a in articles], config)
    simulation = {"source": name, "seed": seed, "rate": rate, "kinds": chosen, "thesaurus": thesaurus.source, "thesaurus_sha256": thesaurus.sha256}
    result = {
        "split": f"spun {name}",
        "simulation": simulation,
        "signature": report.tool.signature,
        "seconds": time.perf_counter() - begin,
        "metrics": score_garbled(articles, report),
        "wikinews": None,
        "unfound_rows": [],
    }
    made = f"Simulated: {name}, seed {seed}, rate {rate:g}, kinds {','.join(chosen)}"
    if thesaurus.source:
        made += f", thesaurus {thesaurus.source} (sha256 {thesaurus.sha256[:12]})"
    _emit(result, f"Signature: `{report.tool.signature}`\n{made}\n\n" + garbled_tables(result), json_file)


@bench.command()
@click.argument("corpus", nargs=-1)
@click.option("--modes", default="rules,rules+embeddings,rules+languagetool", show_default=True, help="Comma-separated modes: rules, rules+embeddings, default (as qa check runs), default+lm, rules+languagetool, all.")
@click.option("--languagetool", default="auto", metavar="auto|URL", envvar="QA_LANGUAGETOOL", show_default=True, help="LanguageTool for the modes that use it (skipped when none is reachable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Config file (default: nearest qa.yml upward).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write the results as JSON here.")
def speed(corpus: tuple[str, ...], modes: str, languagetool: str, config_file: Path | None, json_file: Path | None) -> None:
    """Time each checker set on CORPUS (an MQM TSV or any input qa check reads), each in a fresh process.

    CORPUS defaults to the benchmark articles: the MQM file in $QA_BENCH_DIR (or ../shared/bench).
    """
    from qa.bench.speed import MODES, measure
    from qa.bench.tables import speed_table

    chosen = [m.strip() for m in modes.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in MODES]
    if unknown or not chosen:
        raise click.BadParameter(f"unknown mode {unknown[0] if unknown else ''!r} (choose from {', '.join(MODES)})", param_hint="--modes")
    paths = list(corpus) or [str(default_corpus())]
    found = config_path(config_file)
    import sys

    result = measure(chosen, paths, languagetool, str(found) if found else None, progress=sys.stderr.isatty())
    _emit(result, speed_table(result), json_file)


def default_corpus() -> Path:
    """The benchmark MQM file: ``$QA_BENCH_DIR`` or ``../shared/bench`` from the working directory upward."""
    import os

    from qa.errors import InputReadError

    name = "mqm_generalMT2023_zhen.dev.tsv"
    folders = [Path(os.environ["QA_BENCH_DIR"])] if os.environ.get("QA_BENCH_DIR") else []
    folders += [p / "shared" / "bench" for p in (Path.cwd(), *Path.cwd().parents)]
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    raise InputReadError(f"no corpus given and no {name} found (set QA_BENCH_DIR or name a corpus)")
