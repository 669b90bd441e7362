"""``qa learn``: a review database's decisions as a newsroom substitution table and a fine-tuned tagger."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

import qa
from qa.learned.finetune import LearnSettings

if TYPE_CHECKING:
    from qa.review.store import Store


@click.command()
@click.option("--from-review", "db", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The review database of `qa serve --db`.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for substitutions.tsv, head.pt and card.json (name them in qa.yml: "
                   "learned: {newsroom_table: DIR/substitutions.tsv, weights: DIR}).")
@click.option("--model/--no-model", default=True, show_default=True, help="Fine-tune the tagger on the decisions (the slow part).")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The tagger's usual training data, mixed in and scored on (default: $QA_TRAIN_DIR or ../shared/train).")
@click.option("--seed", type=int, default=LearnSettings.seed, show_default=True, help="Splits the decisions, samples the usual data, orders training.")
@click.option("--epochs", type=click.IntRange(min=1), default=LearnSettings.epochs, show_default=True, help="Passes over the training examples.")
@click.option("--held-out", type=click.FloatRange(0, 0.5), default=LearnSettings.held_out, show_default=True,
              help="Share of the reviewed articles kept out of training to measure on.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), help="Keep the base model's reading of the usual data here and reuse it.")
@click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when stderr is a terminal).")
def learn(db: Path, out: Path, model: bool, data: Path | None, seed: int, epochs: int, held_out: float,
          cache: Path | None, progress: bool | None) -> None:
    """Write the pairs editors confirmed (fixes, marks with what was meant) with counts, fine-tune the
    tagger on their decisions, and print what changed."""
    from qa.learned.newsroom import TABLE, changes, confirmations, pairs, read_table, write_table
    from qa.review.store import Store

    if out.resolve().is_relative_to(Path(qa.__file__).resolve().parent):
        raise click.UsageError("a newsroom table or model never goes inside the qa package: choose a folder of the newsroom's")
    store = Store(db)
    digest = store.digest()
    previous = out / TABLE
    before = read_table(previous) if previous.is_file() else []
    found = pairs(confirmations(store))
    path = write_table(found, out, db, digest)
    for line in changes(before, found):
        click.echo(line)
    phrases = len({p.wrong for p in found})
    confirmed = sum(p.count for p in found)
    new = len(found) - len({(p.wrong, p.meant) for p in before} & {(p.wrong, p.meant) for p in found})
    click.echo(f"{path}: {_count(len(found), 'pair')} for {_count(phrases, 'printed phrase')}, "
               f"{_count(confirmed, 'confirmation')} ({new} new)")
    if model:
        settings = LearnSettings(data=None, seed=seed, epochs=epochs, held_out=held_out, cache=cache)
        _tagger(store, db, digest, out, settings, data, sys.stderr.isatty() if progress is None else progress)


def _tagger(store: Store, db: Path, digest: str, out: Path, settings: LearnSettings, data: Path | None, show: bool) -> None:
    """Fine-tune the tagger on the decisions, or say why not; print the before/after table."""
    import dataclasses

    from qa.commands.options import usual_training_data
    from qa.learned.finetune import comparison, learn_tagger, too_few
    from qa.learned.review import clean_words, damage_words, review_examples
    from qa.learned.tagger import WEIGHTS

    review, counts = review_examples(store)
    click.echo(f"review: {_count(len(review), 'sentence')} of {_count(counts.articles, 'article')} decided "
               f"({damage_words(review):,} damage words, {clean_words(review):,} clean): {_count(counts.confirmed, 'finding')} confirmed or fixed, "
               f"{counts.dismissed} dismissed, {_count(counts.marks, 'mark')}, {_count(counts.clean_articles, 'clean article')}"
               + (f"; {counts.left_out} left out (longer than a phrase, or no longer at their place)" if counts.left_out else ""))
    reason = too_few(review, settings)
    if reason is not None:
        kept = " (the model already in it is left as it was)" if (out / "head.pt").is_file() else ""
        click.echo(f"tagger: not trained: {reason}; {out} has the table only{kept}")
        return
    data = usual_training_data(data, "qa learn", "--data", "the tagger trains on the review decisions alone, without dev scores")
    settings = dataclasses.replace(settings, data=data)

    def report(stage: str, done: int, total: int) -> None:
        if show:
            click.echo(f"\r{stage}: {done}/{total}   ", err=True, nl=done >= total)

    command = f"qa learn --from-review {db.name} --out {out.name} --seed {settings.seed} --epochs {settings.epochs} --held-out {settings.held_out:g}"
    about = {"review_database": db.name, "review_sha256": digest, "command": command}
    card = learn_tagger(review, settings, WEIGHTS, out, about, report)
    rows = comparison(card)
    click.echo("\n| tagger | shipped | newsroom |\n|---|---:|---:|")
    for label, before, after in rows:
        click.echo(f"| {label} | {before} | {after} |")
    used = card.newsroom["examples"]
    mixed = f" + {used['usual']:,} of the usual examples" if used["usual"] else " alone"
    click.echo(f"\n{out}/head.pt, card.json: {used['review_sentences']:,} review sentences (×{used['review_repeated']}){mixed}, "
               f"{card.epochs} epochs, seed {card.seed}, {card.dev['minutes']} min; name the folder in qa.yml: learned: {{weights: {out}}}")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
