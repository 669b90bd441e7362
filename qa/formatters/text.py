"""Human-readable findings, one per line, each article ending with its verdict, a summary at the end."""

from __future__ import annotations

from typing import IO

import click

from qa.categories import label
from qa.model import Article, ArticleResult, Report, Severity, web_link
from qa.scoring import summarize
from qa.suggestions import shown

_COLOURS = {Severity.INFO: "blue", Severity.MINOR: "yellow", Severity.MAJOR: "red", Severity.CRITICAL: "magenta"}


_VERDICT_COLOURS = {"pass": "green", "review": "yellow", "reject": "red"}


def verdict_line(result: ArticleResult, where: str) -> str:
    """The line that ends an article: its verdict, penalty, words and findings."""
    count = sum(not issue.suppressed for issue in result.issues)
    return (
        f"{where}: {result.verdict.value} (penalty {result.penalty:g} per 100 words, {result.words} words, "
        f"{count} finding{'s' if count != 1 else ''})"
    )


def place(article: Article) -> tuple[str, str]:
    """Where an article is, and what goes before ``line:col``: ``path#id`` and ``:`` for a file, ``URL (id)`` and a
    space for a URL (whose own colons, ``#`` and a link-finding terminal would make ``URL:3:5`` ambiguous)."""
    if web_link(article.source):
        return (article.source if article.source == article.id else f"{article.source} ({article.id})"), " "
    return (article.source if article.source == article.id else f"{article.source}#{article.id}"), ":"


class TextFormatter:
    """``source:line:col severity rule-id [category] message [→ suggestion]``, each article ending with its
    verdict line; colour on a terminal."""

    def __init__(self, color: bool | None = None):
        self.color = color

    def write(self, report: Report, stream: IO[str], fail_on: Severity | None) -> None:
        """Write one line per finding, the input errors, then the summary."""

        def out(text: str = "") -> None:
            click.echo(text, file=stream, color=self.color)

        for result in report.articles:
            article = result.article
            where, sep = place(article)
            for issue in result.issues:
                line, col = article.position(issue.field, issue.start)
                severity = click.style(f"{issue.severity.label:<8}", fg=_COLOURS[issue.severity])
                hints = shown(issue, article.text(issue.field))
                hint = f" → {hints[0]}" if hints else ""
                muted = " (suppressed)" if issue.suppressed else ""
                kind = f"[{label(issue.category)}]"
                out(f"{where}{sep}{line}:{col} {severity} {issue.rule} {kind} {issue.message}{hint}{muted}")
            verdict = result.verdict.value
            out(click.style(verdict_line(result, where), fg=_VERDICT_COLOURS.get(verdict), bold=verdict != "pass"))
        for error in report.input_errors:
            out(f"{error.source}: {click.style('error', fg='red', bold=True)} {error.message}")
        summary = summarize(report)
        verdicts = ", ".join(f"{n} {v}" for v, n in summary["verdicts"].items())
        severities = ", ".join(f"{n} {s}" for s, n in summary["severities"].items() if n)
        out(
            f"{summary['articles']} article(s), {summary['words']} words: {verdicts}; "
            f"{summary['issues']} finding(s)" + (f" ({severities})" if severities else "")
            + (f"; {summary['input_errors']} input error(s)" if summary["input_errors"] else "")
        )
