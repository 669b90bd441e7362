"""``qa watch``: poll agency feeds, check what is new or changed, log it, queue it for review, notify a chat."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click

from qa.commands.options import build_config, checker_options
from qa.errors import ExitCode
from qa.model import Severity

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def interval(ctx: click.Context | None, param: click.Parameter | None, value: str) -> float:
    """Seconds in an interval such as ``90s``, ``5m``, ``1h`` or ``300`` (seconds); a usage error otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value)
    if match is None or float(match[1]) <= 0:
        raise click.BadParameter(f"{value!r} is not an interval such as 90s, 5m or 1h", ctx, param)
    return float(match[1]) * UNITS[match[2] or "s"]


@click.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="5m", show_default=True, callback=interval, metavar="INTERVAL", help="Time between polls (90s, 5m, 1h).")
@click.option("--once", is_flag=True, help="Poll each feed once and exit (for cron); exit 3 when a feed or output failed.")
@click.option("--state", "state_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("qa-watch.sqlite"), show_default=True,
              help="State file (SQLite): validators, items checked, results not yet sent.")
@click.option("--log", "log_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("qa-watch.jsonl"), show_default=True,
              help="JSON Lines log every result is appended to.")
@click.option("--review-db", type=click.Path(dir_okay=False, path_type=Path), default=Path("qa-review.sqlite"), show_default=True,
              help="Review database results go to (qa serve --db), worst first.")
@click.option("--webhook", metavar="URL", help="POST {\"text\": …} (Slack, Teams) for each story at --notify-on or worse.")
@click.option("--notify-on", type=click.Choice([s.label for s in Severity]), default="major", show_default=True,
              help="Lowest severity a story is posted to --webhook for.")
@click.option("--http-timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Time to fetch one feed in all (qa.yml http_timeout; default 30).")
@checker_options
def watch(feeds: tuple[str, ...], every: float, once: bool, state_file: Path, log_file: Path, review_db: Path,
          webhook: str | None, notify_on: str, progress: bool | None, **options: Any) -> None:
    """Poll FEEDS (http(s):// RSS or Atom URLs) with conditional GET and check only new or changed items.

    Each result is appended to --log, stored in --review-db for `qa serve` and, at --notify-on or worse,
    posted to --webhook — once, even when the watcher is killed mid-batch. One line per feed per poll on stderr.
    """
    from qa.ingest.http import is_url
    from qa.watch.sinks import JsonlLog, ReviewSink, Webhook
    from qa.watch.state import State
    from qa.watch.watcher import Sink, Watcher

    for feed in feeds:
        if not is_url(feed):
            raise click.BadParameter(f"{feed!r} is not an http(s):// feed address", param_hint="FEEDS")
    if webhook is not None and not is_url(webhook):
        raise click.BadParameter(f"{webhook!r} is not an http(s):// address", param_hint="'--webhook'")
    config = build_config(**options)
    state = State(state_file)
    with state.exclusive():
        sinks: dict[str, Sink] = {"log": JsonlLog(log_file)}
        watcher = Watcher(config, state, sinks, every, say=lambda line: click.echo(line, err=True))
        sinks["review"] = ReviewSink(review_db, watcher.run.tool.signature)
        if webhook is not None:
            sinks["notify"] = Webhook(webhook, Severity.parse(notify_on))
        if not once:
            try:
                watcher.forever(feeds)
            except KeyboardInterrupt:
                sys.exit(ExitCode.OK)
        polls = watcher.round(feeds)
    sys.exit(ExitCode.INPUT if watcher.problems or any(p.outcome == "failed" for p in polls) else ExitCode.OK)
