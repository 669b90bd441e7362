"""Suppressions: findings editors dismissed (the review database) or accepted (a YAML baseline).

A suppressed finding stays in the report, marked ``suppressed``; it does not count toward
``--fail-on`` or the article's penalty. Baseline entries that match no finding of the run are
*stale* and listed so the file can be pruned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import yaml

from qa.config import read_yaml
from qa.errors import ConfigError, InputReadError
from qa.model import Report, Thresholds
from qa.review.fingerprint import article_key, fingerprints
from qa.scoring import penalty, verdict

BASELINE_VERSION = 1
_HEADER = """\
# qa baseline: findings accepted as they are. `qa check --baseline FILE` reports them as
# suppressed: they do not fail the run. Remove an entry to make its finding count again;
# entries `qa check` lists as stale match nothing any more and can be deleted.
"""


@dataclass(frozen=True)
class BaselineEntry:
    """One accepted finding: its fingerprint plus what a reviewer needs to read it."""

    fingerprint: str
    article: str
    rule: str
    text: str
    reason: str = ""

    def as_dict(self) -> dict[str, str]:
        """The entry as written to YAML (no empty reason)."""
        data = {"fingerprint": self.fingerprint, "article": self.article, "rule": self.rule, "text": self.text}
        if self.reason:
            data["reason"] = self.reason
        return data


def entries_from_decisions(dismissed: Mapping[str, Mapping[str, Any]]) -> list[BaselineEntry]:
    """Baseline entries for every finding whose current decision is a dismissal."""
    entries = []
    for fp, d in dismissed.items():
        reason = f"dismissed by {d['editor']} on {d['decided_at'][:10]}" + (f": {d['note']}" if d["note"] else "")
        entries.append(BaselineEntry(fp, d["article_key"], d["rule"], d["text"], reason))
    return sorted(entries, key=lambda e: (e.article, e.rule, e.text, e.fingerprint))


def entries_from_report(report: Report) -> list[BaselineEntry]:
    """Baseline entries accepting every finding of a report."""
    entries = []
    for result in report.articles:
        key = article_key(result.article)
        for fp, issue in zip(fingerprints(result.article, result.issues), result.issues):
            entries.append(BaselineEntry(fp, key, issue.rule, issue.text))
    return entries


def write_baseline(entries: Iterable[BaselineEntry], stream: IO[str]) -> None:
    """Write a reviewable YAML baseline."""
    stream.write(_HEADER)
    data = {
        "version": BASELINE_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "findings": [e.as_dict() for e in entries],
    }
    yaml.safe_dump(data, stream, allow_unicode=True, sort_keys=False, width=120)


def load_baseline(path: Path) -> list[BaselineEntry]:
    """Read a baseline file; a broken one is a ConfigError naming the file and entry."""
    source = str(path)
    data = read_yaml(path, "baseline")
    if not isinstance(data, Mapping) or not isinstance(data.get("findings", []), list):
        raise ConfigError(source, "a baseline is a mapping with a 'findings' list")
    entries = []
    for number, item in enumerate(data.get("findings") or []):
        if not isinstance(item, Mapping) or not isinstance(item.get("fingerprint"), str):
            raise ConfigError(source, "each entry needs a fingerprint", key=f"findings[{number}]")
        entries.append(BaselineEntry(
            item["fingerprint"], str(item.get("article", "")), str(item.get("rule", "")),
            str(item.get("text", "")), str(item.get("reason", "")),
        ))
    return entries


def load_dismissed(db: Path) -> Mapping[str, Mapping[str, Any]]:
    """Dismissed fingerprints from a review database (which must exist)."""
    from qa.review.store import Store, dismissed

    if not db.is_file():
        raise InputReadError(f"{db}: no such review database")
    return dismissed(Store(db))


def apply(
    report: Report,
    suppressed: Iterable[str],
    baseline: Iterable[BaselineEntry] = (),
    thresholds: Thresholds | None = None,
) -> Report:
    """Mark suppressed findings, re-score articles without them, and record stale baseline entries."""
    wanted = set(suppressed)
    entries = list(baseline)
    wanted |= {e.fingerprint for e in entries}
    thresholds = thresholds or Thresholds()
    matched: set[str] = set()
    results = []
    for result in report.articles:
        prints = fingerprints(result.article, result.issues)
        matched.update(prints)
        issues = tuple(
            replace(issue, suppressed=True) if fp in wanted else issue for fp, issue in zip(prints, result.issues)
        )
        if issues == result.issues:
            results.append(result)
            continue
        points = penalty((i for i in issues if not i.suppressed), result.words)
        results.append(replace(result, issues=issues, penalty=points, verdict=verdict(points, thresholds)))
    stale = tuple(e.as_dict() for e in entries if e.fingerprint not in matched)
    notes = report.notes
    count = sum(i.suppressed for r in results for i in r.issues)
    if count:
        notes += (f"{count} finding(s) suppressed by review decisions or the baseline",)
    if stale:
        listed = "; ".join(f"{e['article']} {e['rule']} {e['text']!r}" for e in stale[:10])
        more = f" (and {len(stale) - 10} more)" if len(stale) > 10 else ""
        notes += (f"stale baseline entries (no matching finding, {len(stale)}): {listed}{more}",)
    return replace(report, articles=tuple(results), notes=notes, stale_baseline=stale)
