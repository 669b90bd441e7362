"""What must hold for any input: no exception escapes, no internal error, offsets index their field, the JSON
report validates against the schema, and one case finishes within its time limit."""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.budget import OverBudget, time_limit
from qa.config import Config
from qa.engine import check
from qa.rules.family import RuleChecker
from qa.formatters.json import JsonFormatter
from qa.ingest import read_inputs
from qa.model import Article, InputError, Report
from tests.fuzz.generate import Case

ROOT = Path(__file__).resolve().parent.parent.parent
CASE_SECONDS = 10.0


@dataclass
class Outcome:
    """What went wrong in one case (nothing, ideally) and how long it took."""

    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    kind: str = ""  # "traceback", "internal", "slow", "offsets", "schema" or "" when the case passed


def rules_checker() -> RuleChecker:
    """The rule packs and code checks, as ``--no-embeddings --languagetool off`` runs them."""
    return RuleChecker(Config().switched(embeddings=False, languagetool=False))


def schema_validator() -> Any:
    """A validator for schema/report.schema.json."""
    import jsonschema

    schema = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema) if "2020-12" in schema.get("$schema", "") else jsonschema.Draft7Validator(schema)


class _Stdin:
    """Stands in for sys.stdin with bytes behind ``buffer``."""

    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def offsets_problems(report: Report) -> list[str]:
    """Findings whose start/end do not index their field, or whose text is not that slice."""
    bad = []
    for result in report.articles:
        for issue in result.issues:
            field_text = result.article.text(issue.field)
            if not (0 <= issue.start <= issue.end <= len(field_text)) or field_text[issue.start : issue.end] != issue.text:
                bad.append(f"{issue.rule} {issue.field}[{issue.start}:{issue.end}] {issue.text!r}")
    return bad


def check_items(items: list[Article | InputError], checker: RuleChecker, validator: Any) -> Outcome:
    """Check read items and test every invariant of the report."""
    outcome = Outcome()
    report = check(items, checker.config, checkers=[checker])
    internal = [f"{e.source}: {e.message}" for e in report.input_errors if e.internal]
    if internal:
        outcome.kind, outcome.problems = "internal", internal
        return outcome
    bad = offsets_problems(report)
    if bad:
        outcome.kind, outcome.problems = "offsets", bad
        return outcome
    buffer = io.StringIO()
    JsonFormatter().write(report, buffer, None)
    text = buffer.getvalue()
    text.encode("utf-8")  # a lone surrogate would fail here, as it would on stdout
    errors = [e.message for e in validator.iter_errors(json.loads(text))]
    if errors:
        outcome.kind, outcome.problems = "schema", errors[:3]
    return outcome


def run_case(case: Case, checker: RuleChecker, validator: Any, seconds: float = CASE_SECONDS) -> Outcome:
    """Read and check one case in this process (rules only) and test the invariants."""
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory() as tmp, time_limit(seconds):
            folder = Path(tmp, "inputs")
            folder.mkdir()
            for name, data in case.files.items():
                (folder / name).write_bytes(data)
            if case.shape == "stdin":
                saved, sys.stdin = sys.stdin, _Stdin(case.stdin or b"")  # type: ignore[assignment]
                try:
                    items = list(read_inputs(["-"]))
                finally:
                    sys.stdin = saved
            elif case.shape == "folder":
                items = list(read_inputs([str(folder)]))
            else:
                items = list(read_inputs([str(folder / name) for name in case.files]))
            outcome = check_items(items, checker, validator)
    except OverBudget:
        outcome = Outcome(kind="slow", problems=[f"over {seconds:g} s"])
    except Exception:  # noqa: BLE001 - the point: report what escaped
        outcome = Outcome(kind="traceback", problems=[traceback.format_exc(limit=-6)])
    outcome.seconds = time.monotonic() - started
    if not outcome.kind and outcome.seconds > seconds:  # the clock decides, whatever caught the alarm
        outcome.kind, outcome.problems = "slow", [f"{outcome.seconds:.1f} s, over {seconds:g} s"]
    return outcome
