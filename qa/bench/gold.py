"""Hand-marked spans (the seed's gold format): which marked spans the checker finds, and its strays.

Gold spans carry character offsets into the whole input file; each finding is moved there with
the article's ``field_offsets``. A finding counts for a marked span when it overlaps it and is at
most three times the span's length plus 20 characters long (flagging a whole sentence does not
pinpoint a phrase); a finding that overlaps no marked span is a stray.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qa.errors import InputReadError
from qa.model import ArticleResult, Severity


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The ``spans`` list of a gold file (each with ``start``, ``end`` and usually ``text``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputReadError(f"{path}: cannot read gold spans: {exc}") from None
    spans = data.get("spans") if isinstance(data, Mapping) else data
    if not isinstance(spans, list) or not all(
        isinstance(s, Mapping) and isinstance(s.get("start"), int) and isinstance(s.get("end"), int) for s in spans
    ):
        raise InputReadError(f"{path}: expected a 'spans' list of objects with integer start and end")
    return [dict(s) for s in spans]


def pinpoints(start: int, end: int, span: Mapping[str, Any]) -> bool:
    """True when a finding at ``[start, end)`` overlaps a marked span and is short enough to pinpoint it."""
    first, last = int(span["start"]), int(span["end"])
    return start < last and first < end and end - start <= 3 * (last - first) + 20


def score_gold(result: ArticleResult, spans: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Marked spans found, findings that overlap no marked span, and the detail of both."""
    offsets = result.article.field_offsets
    found: dict[int, list[str]] = {}
    strays: list[dict[str, Any]] = []
    findings = [i for i in result.issues if i.severity > Severity.INFO]
    for issue in findings:
        if issue.field not in offsets:
            raise InputReadError(f"{result.article.source}: cannot map {issue.field} offsets back to the file")
        start, end = offsets[issue.field] + issue.start, offsets[issue.field] + issue.end
        hits = [k for k, span in enumerate(spans) if pinpoints(start, end, span)]
        for k in hits:
            found.setdefault(k, []).append(issue.rule)
        if not any(start < s["end"] and s["start"] < end for s in spans):
            strays.append({"rule": issue.rule, "start": start, "end": end, "text": issue.text})
    return {
        "article": result.article.id,
        "spans": len(spans),
        "found": len(found),
        "recall": len(found) / len(spans) if spans else None,
        "findings": len(findings),
        "strays": len(strays),
        "detail": [
            {"start": s["start"], "end": s["end"], "text": s.get("text", ""), "found_by": found.get(k, [])}
            for k, s in enumerate(spans)
        ],
        "stray_findings": strays,
    }
