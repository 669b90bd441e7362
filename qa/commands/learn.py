"""``qa learn``: a review database's confirmed "printed → meant" pairs as a newsroom substitution table."""

from __future__ import annotations

from pathlib import Path

import click

import qa


@click.command()
@click.option("--from-review", "db", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The review database of `qa serve --db`.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for substitutions.tsv (name it in qa.yml: learned: {newsroom_table: DIR/substitutions.tsv}).")
def learn(db: Path, out: Path) -> None:
    """Write the pairs editors confirmed (fixes, marks with what was meant) with counts; print what changed."""
    from qa.learned.newsroom import TABLE, changes, confirmations, pairs, read_table, write_table
    from qa.review.store import Store

    if out.resolve().is_relative_to(Path(qa.__file__).resolve().parent):
        raise click.UsageError("a newsroom table never goes inside the qa package: choose a folder of the newsroom's")
    previous = out / TABLE
    before = read_table(previous) if previous.is_file() else []
    found = pairs(confirmations(Store(db)))
    path = write_table(found, out, db)
    for line in changes(before, found):
        click.echo(line)
    phrases = len({p.wrong for p in found})
    confirmed = sum(p.count for p in found)
    new = len(found) - len({(p.wrong, p.meant) for p in before} & {(p.wrong, p.meant) for p in found})
    click.echo(f"{path}: {_count(len(found), 'pair')} for {_count(phrases, 'printed phrase')}, "
               f"{_count(confirmed, 'confirmation')} ({new} new)")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
