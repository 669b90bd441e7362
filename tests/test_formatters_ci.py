"""The CI formats: SARIF 2.1.0 against its schema, JUnit XML parsed back, GitHub annotations unescaped back."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from qa.config import Config
from qa.engine import check
from qa.formatters import get
from qa.formatters.github import escape_data, escape_property
from qa.ingest import read_inputs
from qa.model import Article, InputError, Report, Severity

DATA = Path(__file__).parent / "data"
CLEAN = Article("clean-1", "feeds/clean, part:1.jsonl", "Markets steady", "Shares closed higher on Monday.")
DIRTY = Article(
    "dirty-1", "feeds/dirty, v2:a.jsonl", "Leaders meet",
    "The leaders held a virtual billet on Friday .\nUS official said.\n100% of them agreed, said: yes",
)


@pytest.fixture
def report(seed_path: Path, rules_only: Config) -> Report:
    """The seed, a clean and a damaged article, and one unreadable input, checked by the real rules."""
    items: list[Article | InputError] = [*read_inputs([str(seed_path)]), CLEAN, DIRTY]
    items.append(InputError("feeds/broken.xml", "not well-formed XML at line 3"))
    return check(items, rules_only)


def render(report: Report, fmt: str, fail_on: Severity | None = Severity.MAJOR) -> str:
    out = io.StringIO()
    get(fmt).write(report, out, fail_on)
    return out.getvalue()


def sarif_validator() -> jsonschema.Draft7Validator:
    schema = json.loads((DATA / "sarif-2.1.0.json").read_text())
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_sarif_is_valid_and_has_one_result_per_finding(report: Report) -> None:
    log = json.loads(render(report, "sarif"))
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, errors[0].message
    (run,) = log["runs"]
    assert len(run["results"]) == len(report.issues()) > 15
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {i.rule for i in report.issues()}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    meeting = next(r for r in rules if r["id"] == "lexicon.meeting-words")
    assert meeting["defaultConfiguration"]["level"] == "error"
    assert meeting["properties"]["category"] == "accuracy/mistranslation"
    assert "is not a meeting" in meeting["fullDescription"]["text"]  # the rule's own message, from its pack
    billet = next(r for r in run["results"] if r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == "virtual billet")
    assert "virtual summit" in billet["message"]["text"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("not well-formed" in n["message"]["text"] for n in notes)
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_regions_point_at_the_source_text(report: Report, seed_path: Path) -> None:
    lines = seed_path.read_text(encoding="utf-8").split("\n")
    log = json.loads(render(report, "sarif"))
    seed_results = [r for r in log["runs"][0]["results"] if r["properties"]["article"] == str(seed_path)]
    assert seed_results
    for result in seed_results:
        region = result["locations"][0]["physicalLocation"]["region"]
        if region["startLine"] == region["endLine"]:
            line = lines[region["startLine"] - 1]
            assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == region["snippet"]["text"]


def test_the_schema_rejects_what_sarif_forbids(report: Report) -> None:
    log: dict[str, Any] = json.loads(render(report, "sarif"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["results"][1]["message"]
    log["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(sarif_validator().iter_errors(log))) == 3


def test_junit_has_one_case_per_article_failed_at_or_above_fail_on(report: Report) -> None:
    root = ET.fromstring(render(report, "junit", Severity.MAJOR))
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report.articles) + len(report.input_errors) == 4
    by_name = {c.get("name"): c for c in cases}
    assert by_name["Markets steady"].find("failure") is None
    dirty = by_name["Leaders meet"].find("failure")
    assert dirty is not None and "virtual billet" in (dirty.text or "")
    assert "Space before" not in (dirty.text or "")  # minor findings do not fail at --fail-on major
    assert by_name["feeds/broken.xml"].find("error") is not None
    assert suite.get("tests") == "4" and suite.get("failures") == "2" and suite.get("errors") == "1"

    never = ET.fromstring(render(report, "junit", None))
    assert never.find("testsuite").get("failures") == "0"  # type: ignore[union-attr]
    minor = ET.fromstring(render(report, "junit", Severity.MINOR))
    case = next(c for c in minor.iter("testcase") if c.get("name") == "Leaders meet")
    assert "Space before" in (case.findtext("failure") or "")


def unescape(value: str) -> str:
    return value.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    match = re.fullmatch(r"::(error|warning|notice)(?: ([^:]*))?::(.*)", line)
    assert match, line
    props = dict(p.split("=", 1) for p in (match.group(2) or "").split(",") if p)
    assert all("," not in v and ":" not in v for v in props.values())
    return match.group(1), {k: unescape(v) for k, v in props.items()}, unescape(match.group(3))


def test_github_annotations_escape_and_round_trip(report: Report) -> None:
    lines = render(report, "github", Severity.MAJOR).splitlines()
    assert len(lines) == len(report.issues()) + len(report.input_errors)
    parsed = [parse_annotation(line) for line in lines]
    billet = next(p for p in parsed if "virtual summit" in p[2] and p[1]["file"] == DIRTY.source)
    assert billet[0] == "error" and "line" not in billet[1]  # a JSON Lines item has no line of its own in the file
    assert billet[1]["title"].startswith("lexicon.meeting-words (major, ")
    seed_billet = next(p for p in parsed if "virtual summit" in p[2] and p[1]["file"] != DIRTY.source)
    assert (seed_billet[1]["line"], seed_billet[1]["col"]) == ("36", "12")  # the .txt file's own line and column
    assert {p[0] for p in parsed} >= {"error", "warning", "notice"}
    assert any(p[1].get("file") == "feeds/broken.xml" for p in parsed)
    assert any("file=feeds/dirty%2C v2%3Aa.jsonl," in line for line in lines)


def test_github_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
