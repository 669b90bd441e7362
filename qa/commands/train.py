"""``qa train``: rebuild the learned tables and models from the annotated MT data."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qa.learned.train import TrainSettings
from qa.lm.train_probe import ProbeSettings

# thresholds the substitutions command reports on, so a choice of --min-count/--min-rate is
# made from numbers printed beside the result
_GRID_COUNTS = (1, 2, 3, 5)
_GRID_RATES = (0.0, 0.05, 0.1, 0.2)


@click.group()
def train() -> None:
    """Rebuild what qa learns from annotated MT English (tables and models)."""


@train.command()
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Training data folder (default: $QA_TRAIN_DIR or ../shared/train).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the table (default: qa/learned/substitutions.tsv).")
@click.option("--min-count", type=click.IntRange(min=1), default=2, show_default=True, help="Keep substitutions seen at least this often.")
@click.option("--min-rate", type=click.FloatRange(0, 1), default=0.1, show_default=True, help="Keep phrases the translators replaced at least this share of the time.")
def substitutions(data: Path | None, out: Path | None, min_count: int, min_rate: float) -> None:
    """Mine MT -> post-edit word substitutions from the MLQE-PE train splits; score them on dev."""
    from qa.datasets.mlqe import mlqe_split
    from qa.datasets.training import default_data_dir
    from qa.learned.mining import as_lookup, base_bad_rate, coverage, mine, table, write_table
    from qa.learned.substitutions import default_table

    folder = data or default_data_dir()
    target = out or default_table()
    train_set, dev_set = list(mlqe_split(folder, "train")), list(mlqe_split(folder, "dev"))
    mined = mine(train_set)
    click.echo(
        f"train: {len(train_set)} sentence pairs, {sum(mined.counts.values())} substitutions, "
        f"{len(mined.counts)} distinct; dev: {len(dev_set)} pairs, P(BAD) per word {base_bad_rate(dev_set):.3f}"
    )
    click.echo("\n| min count | min rate | rows | phrases | dev top-3 coverage | hits / known | P(BAD given phrase) |")
    click.echo("|---:|---:|---:|---:|---:|---:|---:|")
    for count in _GRID_COUNTS:
        for rate in _GRID_RATES:
            entries = table(mined, count, rate)
            score = coverage(as_lookup(entries), dev_set)
            mark = " (chosen)" if (count, rate) == (min_count, min_rate) else ""
            click.echo(
                f"| {count} | {rate:.2f}{mark} | {len(entries)} | {len({e.wrong for e in entries})} | "
                f"{score.rate:.3f} ({score.hits}/{score.substituted}) | {score.hits}/{score.known} | {score.bad_rate:.3f} |"
            )
    entries = table(mined, min_count, min_rate)
    score = coverage(as_lookup(entries), dev_set)
    command = f"qa train substitutions --min-count {min_count} --min-rate {min_rate:g}"
    notes = [
        "Source: MLQE-PE post-editing data (Fomicheva et al., LREC 2022; CC0 1.0), train splits of "
        + ", ".join(sorted({e.pair for e in train_set})) + ".",
        "Columns: wrong (MT, lower case), meant (post-edit), count (times replaced so), wrong_total "
        "(times wrong occurs in the MT), pairs (language pairs it was seen in); score = count / wrong_total.",
        f"Dev ({len(dev_set)} pairs): post-edit word in the top 3 for {score.hits} of {score.substituted} "
        f"substituted BAD words ({score.rate:.1%}); P(BAD | table phrase) {score.bad_rate:.3f} vs {base_bad_rate(dev_set):.3f} for any word.",
    ]
    write_table(entries, target, command, notes)
    click.echo(
        f"\nwrote {len(entries)} substitutions for {len({e.wrong for e in entries})} phrases to {target}; "
        f"dev: the post-edit word is in the top 3 for {score.hits} of {score.substituted} substituted BAD words "
        f"({score.rate:.1%}; {score.hits} of {score.known} where the table knows the word)"
    )


@train.command()
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Training data folder (default: $QA_TRAIN_DIR or ../shared/train).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Where to write head.pt and card.json (default: the shipped qa/learned/weights).")
@click.option("--max-examples", type=click.IntRange(min=10), help="Train on the first N shuffled examples only (a quick run).")
@click.option("--epochs", type=click.IntRange(min=1), default=TrainSettings.epochs, show_default=True, help="Passes over the training data.")
@click.option("--seed", type=int, default=TrainSettings.seed, show_default=True, help="Orders the data and initialises the head.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), help="Keep the base model's reading of the data here and reuse it on the next run.")
@click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when stderr is a terminal).")
def tagger(data: Path | None, out: Path | None, max_examples: int | None, epochs: int, seed: int, cache: Path | None, progress: bool | None) -> None:
    """Train the MT-damage tagger on MLQE-PE and WMT MQM train splits; fit thresholds and score on dev."""
    import sys

    from qa.datasets.training import default_data_dir
    from qa.learned.tagger import WEIGHTS, base_model_path
    from qa.learned.train import train as run_training

    settings = TrainSettings(data=data or default_data_dir(), seed=seed, epochs=epochs, max_examples=max_examples, cache=cache)
    show = sys.stderr.isatty() if progress is None else progress

    def report(stage: str, done: int, total: int) -> None:
        if show:
            click.echo(f"\r{stage}: {done}/{total}   ", err=True, nl=done >= total)

    card = run_training(settings, base_model_path(), out or WEIGHTS, report)
    click.echo(json.dumps(card.dev, indent=2, sort_keys=True))
    click.echo(f"wrote {out or WEIGHTS}/head.pt and card.json (flag >= {card.thresholds['flag']}, {card.dev['minutes']} min)")


@train.command("lm-probe")
@click.option("--garbled", type=click.Path(exists=True, file_okay=False, path_type=Path), help="The garbled-news folder (default: $QA_GARBLED_DIR or ../shared/garbled-news); its train split is read.")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Training data folder holding clean-news-en.jsonl (default: $QA_TRAIN_DIR or ../shared/train).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the probe (default: the shipped qa/lm/weights/probe.json).")
@click.option("--layer", type=click.IntRange(min=0), default=ProbeSettings.layer, show_default=True, help="The hidden layer the probe reads (0 is the embeddings).")
@click.option("--c", "c", type=click.FloatRange(min=0, min_open=True), default=ProbeSettings.c, show_default=True, help="Inverse L2 strength of the logistic regression.")
@click.option("--per-thousand", type=click.FloatRange(min=0), default=ProbeSettings.per_thousand, show_default=True, help="Findings per 1,000 words of edited copy the threshold lets through.")
@click.option("--sentence-share", type=click.FloatRange(0, 1), default=ProbeSettings.sentence_share, show_default=True, help="Share of edited copy's judged sentences the sentence threshold lets through.")
@click.option("--spin-rate", type=click.FloatRange(0, 1), default=ProbeSettings.spin_rate, show_default=True, help="Damage rate of the simulated spun copies of clean-news-en that join the training words (0: none).")
@click.option("--thesaurus", "thesaurus_file", type=click.Path(dir_okay=False, path_type=Path), help="MyThes thesaurus for the spun copies (default: Debian's mythes-en-us).")
@click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when stderr is a terminal).")
def lm_probe(garbled: Path | None, data: Path | None, out: Path | None, layer: int, c: float, per_thousand: float, sentence_share: float,
             spin_rate: float, thesaurus_file: Path | None, progress: bool | None) -> None:
    """Fit the language-model probe (lm.garbled-word, and the probe's reading of sentences) on the garbled-news
    train split (with --spin-rate, and simulated spun copies of clean-news-en); its thresholds on edited copy."""
    import dataclasses
    import sys

    from qa.bench.spun import jsonl_texts, spun_articles
    from qa.datasets.garbled_news import default_garbled_dir, read_garbled_split
    from qa.datasets.training import default_data_dir
    from qa.ingest.txt import split_txt
    from qa.lm.model import Projection, load_model
    from qa.lm.probe import default_probe, write_probe
    from qa.lm.train_probe import clean_readings, fit, fit_threshold, labelled, projection_scorer
    from qa.simulate.kinds import KINDS
    from qa.simulate.thesaurus import MYTHES, read_mythes
    from wordfreq import zipf_frequency

    settings = ProbeSettings(layer, c, per_thousand, sentence_share, spin_rate)
    show = sys.stderr.isatty() if progress is None else progress
    articles, _ = read_garbled_split(garbled or default_garbled_dir(), "train")
    clean_path = (data or default_data_dir()) / "clean-news-en.jsonl"
    texts = jsonl_texts(clean_path)
    clean_news = [split_txt(text, f"clean-news-en/{key}") for key, text in texts]
    spun = []
    if spin_rate > 0:
        thesaurus = read_mythes(thesaurus_file or MYTHES)
        spun = [a for a in spun_articles(texts[::2], settings.spin_seed, spin_rate, list(KINDS), thesaurus) if a.garbled]
    _, model, _ = load_model(None, "float32")
    size = int(model.config.hidden_size)
    identity = tuple(tuple(1.0 if i == j else 0.0 for j in range(size)) for i in range(size))
    reader = projection_scorer(None, "float32", Projection(layer, identity))
    vectors, labels = labelled(reader, articles)
    click.echo(f"train: {len(articles)} articles, {len(labels)} judged words, {sum(labels)} in annotated phrases")
    spun_vectors, spun_labels = labelled(reader, spun)
    if spun:
        click.echo(f"spun: {len(spun)} clean-news-en documents, {len(spun_labels)} judged words, {sum(spun_labels)} damaged")
    vectors, labels = vectors + spun_vectors, labels + spun_labels
    probe = fit(vectors, labels, settings, reader.model_id)
    edited = [a.article for a in articles if not a.garbled] + clean_news

    def report(done: int) -> None:
        if show:
            click.echo(f"\redited copy: {done}/{len(edited)}   ", err=True, nl=done >= len(edited))

    read = clean_readings(projection_scorer(None, "float32", probe.projection), probe, edited, lambda w: zipf_frequency(w, "en"), report)
    threshold = fit_threshold(read.logits, read.words, per_thousand)
    # with no sentence of edited copy judged, nothing says where a sentence reading would start: none is made
    sentence_threshold = fit_threshold(read.sentences, len(read.sentences), 1000 * sentence_share) if read.sentences else None
    trained = (f"qa train lm-probe --layer {layer} --c {c:g} --per-thousand {per_thousand:g} --sentence-share {sentence_share:g} "
               f"--spin-rate {spin_rate:g}: garbled-news train ({len(articles)} articles) and {len(spun)} spun clean-news-en documents "
               f"(seed {settings.spin_seed}): {len(labels)} judged words, {sum(labels)} garbled; thresholds on "
               f"{len(edited)} edited articles ({read.words} words, {len(read.sentences)} judged sentences: the split's clean ones "
               "and clean-news-en), float32")
    target = write_probe(dataclasses.replace(probe, threshold=threshold, trained=trained, sentence_threshold=sentence_threshold), out or default_probe())
    sentences = (f"sentence threshold {sentence_threshold:.3f} (at most {sentence_share:.1%} of edited sentences)" if sentence_threshold is not None
                 else "no sentence reading (no sentence of the edited copy is judged)")
    click.echo(f"wrote {target}: layer {layer}, threshold {threshold:.3f} (at most {per_thousand:g} per 1,000 edited words), {sentences}")
