"""Read a JSON report written by ``qa check --format json`` back into ``qa.model`` objects."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qa.errors import InputReadError
from qa.model import (
    FIELDS,
    Article,
    ArticleResult,
    Issue,
    Report,
    RunSettings,
    Severity,
    Thresholds,
    ToolInfo,
    Verdict,
)


def looks_like_report(data: Any) -> bool:
    """True for the top level of a qa JSON report (and not, say, a ninjs item)."""
    return (
        isinstance(data, Mapping)
        and isinstance(data.get("tool"), Mapping)
        and data["tool"].get("name") == "qa"
        and isinstance(data.get("articles"), list)
    )


def _issue(data: Mapping[str, Any]) -> Issue:
    field = data["field"]
    if field not in FIELDS:
        raise ValueError(f"unknown field {field!r}")
    return Issue(
        rule=str(data["rule"]),
        category=str(data["category"]),
        severity=Severity.parse(str(data["severity"])),
        message=str(data["message"]),
        field=field,
        start=int(data["start"]),
        end=int(data["end"]),
        text=str(data["text"]),
        suggestions=tuple(str(s) for s in data.get("suggestions") or ()),
        confidence=float(data.get("confidence", 1.0)),
        checker=str(data.get("checker", "")),
        evidence=data.get("evidence"),
        suppressed=bool(data.get("suppressed", False)),
    )


def _article(data: Mapping[str, Any]) -> ArticleResult:
    article = Article(
        id=str(data["id"]),
        source=str(data.get("source", data["id"])),
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        errors=tuple(str(e) for e in data.get("errors") or ()),
        metadata={key: data[key] for key in ("link", "published") if isinstance(data.get(key), str)},
    )
    issues = tuple(_issue(i) for i in data.get("issues") or ())
    return ArticleResult(article, issues, int(data.get("words", 0)), float(data.get("penalty", 0.0)), Verdict(data["verdict"]))


def report_from_dict(data: Any, source: str = "<report>") -> Report:
    """Build a Report from the parsed JSON; a wrong shape is an InputReadError naming the article."""
    if not looks_like_report(data):
        raise InputReadError(f"{source}: not a qa JSON report (expected tool.name 'qa' and an articles list)")
    results = []
    for number, item in enumerate(data["articles"]):
        try:
            results.append(_article(item))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputReadError(f"{source}: article {number}: malformed ({type(exc).__name__}: {exc})") from None
    tool = data["tool"]
    info = ToolInfo(str(tool.get("name")), str(tool.get("version", "")), str(tool.get("signature", "")))
    notes = tuple(str(n) for n in (data.get("summary") or {}).get("notes") or ())
    return Report(info, tuple(results), (), notes, RunSettings(thresholds_in(info.signature)))


def thresholds_in(signature: str) -> Thresholds:
    """The review and reject thresholds a signature records (the defaults when it has none)."""
    for part in signature.split("|"):
        if part.startswith("thresholds:"):
            review, _, reject = part.removeprefix("thresholds:").partition("/")
            try:
                return Thresholds(float(review), float(reject))
            except ValueError:
                break
    return Thresholds()


def load_report(path: Path) -> Report:
    """Read a JSON report file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputReadError(f"{path}: cannot read JSON report: {exc}") from None
    return report_from_dict(data, str(path))


def sniff_report(path: Path) -> Report | None:
    """The report in ``path`` when it is a qa JSON report, else None (it is an input to check)."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return report_from_dict(data, str(path)) if looks_like_report(data) else None
